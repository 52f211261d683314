"""Optimistic concurrency: a write names the version it read, and a newer one refuses it."""

from __future__ import annotations

from typing import Protocol

from crm_core.errors import VersionConflict


class Versioned(Protocol):
    """A record with an id and a version bumped by every change."""

    @property
    def id(self) -> str: ...

    @property
    def version(self) -> int: ...


def check_version(entity: str, record: Versioned, expected: int) -> None:
    """VersionConflict (ABORTED, `version_conflict`) when `expected` is given and is not the record's version.

    0 means the caller did not say which version it read: the write goes ahead
    (last writer wins), as before ETag/If-Match was sent. Check it on the row
    read with FOR UPDATE, so no other write slips between the check and the change.
    """
    if expected and expected != record.version:
        raise VersionConflict(
            "version_conflict",
            f"{entity} {record.id} is at version {record.version}, not {expected}: someone changed it, reload",
        )
