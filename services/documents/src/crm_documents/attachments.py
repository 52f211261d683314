"""Attachments: commands (upload, new version, delete) and reads, every one behind the record's visibility.

Who may see an attachment is who may see its record, and only the record's own
service knows that: every call first asks it as the caller (peers.Peers.record),
so a hidden record and its files answer NOT_FOUND like missing ones.

An upload is sniffed and measured while it streams into the blob store
(`_checked`): a program, a disguised file, an empty file or one over the limit
is refused before its row exists, and the blob store removes what it had
written. The row, its audit entry and the attachment.added event are written in
one transaction only after the blob is complete; if that transaction fails, the
blob is deleted. So no row names a missing or partial blob, and no refused
upload leaves bytes behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import contacts_pb2, envelope_pb2
from crm.events.v1 import documents_pb2 as events
from crm_core.audit import record_audit
from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.db import Database, is_uuid, new_id
from crm_core.errors import FieldProblem, InvalidArgument, NotFound, PermissionDenied, Unavailable
from crm_core.events import Namespace, record_event
from crm_core.logging import get_logger
from crm_documents import DOMAIN
from crm_documents.attachment_inputs import RecordRef, UploadStart
from crm_documents.attachment_models import Attachment, AttachmentVersion
from crm_documents.blobs import BlobNotFound, BlobStore, BlobStoreUnavailable, BlobTooLarge, StoredBlob
from crm_documents.peers import Peers, RecordInfo
from crm_documents.sniffing import SNIFF_BYTES, check_content


@dataclass(frozen=True)
class AttachmentView:
    """An attachment with its versions, newest first (a list carries only the latest)."""

    attachment: Attachment
    versions: list[AttachmentVersion]


@dataclass(frozen=True)
class Download:
    """The attachment, the version asked for and its bytes as they are read from the store."""

    view: AttachmentView
    version: AttachmentVersion
    chunks: AsyncIterator[bytes]


def too_large(limit: int) -> InvalidArgument:
    message = f"the file is larger than {limit // (1024 * 1024) or limit} {'MB' if limit >= 1024 * 1024 else 'bytes'}"
    return InvalidArgument("attachment_too_large", message, [FieldProblem("file", "attachment_too_large", message)])


def empty_file() -> InvalidArgument:
    message = "the file is empty"
    return InvalidArgument("attachment_empty", message, [FieldProblem("file", "attachment_empty", message)])


log = get_logger("crm.documents.attachments")


def store_unavailable(exc: BlobStoreUnavailable) -> Unavailable:
    log.warning("blob_store_unavailable", error=str(exc))
    return Unavailable("blob_store_unavailable", "the file store is unavailable; try again shortly")


def attachment_not_found(attachment_id: str) -> NotFound:
    return NotFound("attachment_not_found", f"attachment {attachment_id[:64]} not found")


async def _checked(filename: str, chunks: AsyncIterator[bytes], found: list[str]) -> AsyncIterator[bytes]:
    """The chunks, held back until the first SNIFF_BYTES (or the whole file) are in and the content is accepted;
    `found` gets the sniffed content type. Raises, so the store drops the blob, for a refused or empty file."""
    head = bytearray()
    accepted = False
    async for chunk in chunks:
        if accepted:
            yield chunk
            continue
        head += chunk
        if len(head) >= SNIFF_BYTES:
            found.append(check_content(filename, bytes(head)))
            accepted = True
            yield bytes(head)
    if not accepted:
        if not head:
            raise empty_file()
        found.append(check_content(filename, bytes(head), complete=True))
        yield bytes(head)


class Attachments:
    """Uploads, versions, downloads and deletions of attachments, as a caller who sees the record."""

    def __init__(
        self, db: Database, namespace: Namespace, clock: Clock, store: BlobStore, peers: Peers, max_bytes: int
    ) -> None:
        self.db = db
        self.namespace = namespace
        self.clock = clock
        self.store = store
        self.peers = peers
        self.max_bytes = max_bytes

    # Reads -------------------------------------------------------------------------------------------

    async def list_for_record(self, caller: Caller, record: RecordRef) -> list[AttachmentView]:
        """The record's attachments (not deleted), newest first, each with its latest version."""
        await self.peers.record(caller, record.record_type, record.record_id)
        query = (
            select(Attachment, AttachmentVersion)
            .join(
                AttachmentVersion,
                (AttachmentVersion.attachment_id == Attachment.id)
                & (AttachmentVersion.version == Attachment.latest_version),
            )
            .where(
                Attachment.record_type == record.record_type,
                Attachment.record_id == record.record_id,
                Attachment.deleted_at.is_(None),
            )
            .order_by(Attachment.created_at.desc(), Attachment.id)
        )
        async with self.db.readers() as session:
            rows = (await session.execute(query)).all()
        return [AttachmentView(a, [v]) for a, v in rows]

    async def get(self, caller: Caller, attachment_id: str) -> AttachmentView:
        """The attachment with all its versions, or NotFound `attachment_not_found` (missing, deleted, or on a
        record the caller does not see)."""
        view, _ = await self._visible(caller, attachment_id)
        return view

    async def download(self, caller: Caller, attachment_id: str, version: int = 0) -> Download:
        """A version's bytes (0: the latest); NotFound `attachment_version_not_found` for a version it lacks."""
        view, _ = await self._visible(caller, attachment_id)
        wanted = version or view.attachment.latest_version
        chosen = next((v for v in view.versions if v.version == wanted), None)
        if chosen is None:
            raise NotFound("attachment_version_not_found", f"the attachment has no version {wanted}")
        chunks = self.store.open(chosen.blob_key)
        try:
            first = await anext(chunks, b"")
        except BlobNotFound as exc:
            raise NotFound("attachment_content_missing", "the file's content is missing from the store") from exc
        except BlobStoreUnavailable as exc:
            raise store_unavailable(exc) from exc
        return Download(view, chosen, _prepended(first, chunks))

    async def _visible(self, caller: Caller, attachment_id: str) -> tuple[AttachmentView, RecordInfo]:
        if not is_uuid(attachment_id):
            raise attachment_not_found(attachment_id)
        async with self.db.readers() as session:
            view = await _load(session, attachment_id)
        if view is None:
            raise attachment_not_found(attachment_id)
        attachment = view.attachment
        try:
            record = await self.peers.record(caller, attachment.record_type, attachment.record_id)
        except NotFound as exc:
            raise attachment_not_found(attachment_id) from exc
        return view, record

    # Commands ----------------------------------------------------------------------------------------

    async def upload(self, caller: Caller, start: UploadStart, chunks: AsyncIterator[bytes]) -> AttachmentView:
        """A new attachment, or a new version of `start.attachment_id`, from the streamed bytes."""
        if start.attachment_id:
            ref = await self._record_of(start)
            try:
                record = await self.peers.record(caller, ref.record_type, ref.record_id)
            except NotFound as exc:
                raise attachment_not_found(start.attachment_id) from exc
        else:
            record = await self.peers.record(caller, start.record.record_type, start.record.record_id)
        if start.declared_size > self.max_bytes:
            raise too_large(self.max_bytes)
        found: list[str] = []
        try:
            blob = await self.store.put(_checked(start.filename, chunks, found), self.max_bytes)
        except BlobTooLarge as exc:
            raise too_large(self.max_bytes) from exc
        except BlobStoreUnavailable as exc:
            raise store_unavailable(exc) from exc
        try:
            return await self._record_upload(caller, start, record, blob, found[0])
        except BaseException:
            await self._drop(blob.key)  # the row was not written: its blob goes too
            raise

    async def _drop(self, key: str) -> None:
        """Delete a blob no row names; a store that fails now leaves an orphan (logged), never a broken row."""
        try:
            await asyncio.shield(self.store.delete(key))
        except BlobStoreUnavailable as exc:
            log.warning("orphan_blob_left", key=key, error=str(exc))

    async def _record_of(self, start: UploadStart) -> RecordRef:
        """The record of the attachment a new version goes to; NotFound when it is missing, deleted, or of
        another record than the one the upload names (if it names one)."""
        if not is_uuid(start.attachment_id):
            raise attachment_not_found(start.attachment_id)
        async with self.db.readers() as session:
            attachment = await session.get(Attachment, start.attachment_id)
        if attachment is None or attachment.deleted_at is not None:
            raise attachment_not_found(start.attachment_id)
        ref = RecordRef(attachment.record_type, attachment.record_id)
        if start.record.record_type and start.record != ref:
            raise attachment_not_found(start.attachment_id)
        return ref

    async def _record_upload(
        self, caller: Caller, start: UploadStart, record: RecordInfo, blob: StoredBlob, content_type: str
    ) -> AttachmentView:
        now = self.clock.now()
        async with self.db.transaction() as session:
            if start.attachment_id:
                attachment = await session.scalar(
                    select(Attachment).where(Attachment.id == start.attachment_id).with_for_update()
                )
                if attachment is None or attachment.deleted_at is not None:
                    raise attachment_not_found(start.attachment_id)
                attachment.latest_version += 1
                attachment.updated_at = now
            else:
                attachment = Attachment(
                    id=new_id(),
                    record_type=record.record_type,
                    record_id=record.record_id,
                    latest_version=1,
                    created_by=caller.user_id,
                    created_at=now,
                    updated_at=now,
                )
                session.add(attachment)
            version = AttachmentVersion(
                attachment_id=attachment.id,
                version=attachment.latest_version,
                filename=start.filename,
                content_type=content_type,
                size_bytes=blob.size,
                sha256=blob.sha256,
                blob_key=blob.key,
                uploaded_by=caller.user_id,
                uploaded_at=now,
            )
            session.add(version)
            await session.flush()
            record_audit(
                session,
                entity_type="attachment",
                entity_id=attachment.id,
                action="version_added" if start.attachment_id else "created",
                actor_id=caller.user_id,
                changes={
                    "record": {"old": None, "new": f"{record.record_type}:{record.record_id}"},
                    "version": {"old": version.version - 1 or None, "new": version.version},
                    "filename": {"old": None, "new": version.filename},
                    "content_type": {"old": None, "new": content_type},
                    "size_bytes": {"old": None, "new": blob.size},
                    "sha256": {"old": None, "new": blob.sha256},
                },
            )
            await record_event(
                session,
                self.namespace,
                DOMAIN,
                "attachment.added",
                subject_id=attachment.id,
                payload=events.AttachmentAdded(
                    attachment_id=attachment.id,
                    record_type=record.record_type,
                    record_id=record.record_id,
                    filename=version.filename,
                    content_type=content_type,
                    size_bytes=blob.size,
                    version=version.version,
                    sha256=blob.sha256,
                ),
                actor=caller,
                version=version.version,
                party_ids=record.party_ids,
                summary=version.filename,
                scopes=[record.scope],
            )
            view = await _load(session, attachment.id)
        assert view is not None
        return view

    async def delete(self, caller: Caller, attachment_id: str) -> None:
        """Soft delete by the uploader (of any version), the record's owner or an admin; kept in the audit."""
        view, record = await self._visible(caller, attachment_id)
        uploaders = {v.uploaded_by for v in view.versions} | {view.attachment.created_by}
        if not (caller.is_admin or caller.user_id in uploaders or caller.user_id in record.owner_ids):
            raise PermissionDenied(
                "attachment_delete_forbidden", "only the uploader, the record's owner or an admin may delete it"
            )
        async with self.db.transaction() as session:
            attachment = await session.scalar(
                select(Attachment).where(Attachment.id == attachment_id).with_for_update()
            )
            if attachment is None or attachment.deleted_at is not None:
                raise attachment_not_found(attachment_id)
            attachment.deleted_at = self.clock.now()
            attachment.deleted_by = caller.user_id
            record_audit(
                session,
                entity_type="attachment",
                entity_id=attachment_id,
                action="deleted",
                actor_id=caller.user_id,
                changes={
                    "record": {"old": f"{attachment.record_type}:{attachment.record_id}", "new": None},
                    "filename": {"old": view.versions[0].filename, "new": None},
                },
            )


async def _load(session: AsyncSession, attachment_id: str) -> AttachmentView | None:
    """A live attachment with its versions, newest first."""
    attachment = await session.get(Attachment, attachment_id, populate_existing=True)
    if attachment is None or attachment.deleted_at is not None:
        return None
    versions = await session.scalars(
        select(AttachmentVersion)
        .where(AttachmentVersion.attachment_id == attachment_id)
        .order_by(AttachmentVersion.version.desc())
    )
    return AttachmentView(attachment, list(versions))


async def _prepended(first: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    if first:
        yield first
    async for chunk in rest:
        yield chunk


async def follow_party_merges(session: AsyncSession, envelope: envelope_pb2.EventEnvelope) -> None:
    """party.merged: the merged party's files move to the survivor, so they stay on the surviving client's card
    (contacts answers the merged party as gone). Idempotent: a redelivery finds nothing left to move."""
    merged = contacts_pb2.PartyMerged()
    if envelope.type != "party.merged" or not envelope.payload.Unpack(merged):
        return
    if not (merged.survivor_id and merged.merged_id):
        return
    moved = await session.scalars(
        update(Attachment)
        .where(Attachment.record_type == "party", Attachment.record_id == merged.merged_id)
        .values(record_id=merged.survivor_id)
        .returning(Attachment.id)
    )
    for attachment_id in moved:
        record_audit(
            session,
            entity_type="attachment",
            entity_id=attachment_id,
            action="record_changed",
            actor_id=envelope.actor.user_id or "system",
            changes={"record": {"old": f"party:{merged.merged_id}", "new": f"party:{merged.survivor_id}"}},
        )
