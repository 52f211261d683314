"""Audit trail: who changed what, when, with old and new values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Identity, Text, insert, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from crm.common.v1 import common_pb2
from crm_core.db import Base, utcnow
from crm_core.errors import invalid
from crm_core.pagination import Page, decode_cursor, page_of
from crm_core.protojson import struct, timestamp


class AuditEntry(Base):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    entity_type: Mapped[str] = mapped_column(Text)
    entity_id: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    changes: Mapped[dict] = mapped_column(JSONB, default=dict)


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Fields whose values differ, as {field: {"old": ..., "new": ...}}."""
    return {
        key: {"old": old.get(key), "new": new.get(key)}
        for key in sorted(set(old) | set(new))
        if old.get(key) != new.get(key)
    }


def record_audit(
    session: AsyncSession,
    *,
    entity_type: str,
    entity_id: str,
    action: str,
    actor_id: str,
    changes: Mapping[str, Any] | None = None,
) -> None:
    """Add an audit entry to the caller's transaction."""
    session.add(AuditEntry(**audit_row(entity_type, entity_id, action, actor_id, changes)))


async def record_audits(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Add many audit entries (`audit_row`s) with one multi-row INSERT (bulk writes)."""
    if rows:
        await session.execute(insert(AuditEntry), list(rows))


def audit_row(
    entity_type: str, entity_id: str, action: str, actor_id: str, changes: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The columns of one audit entry, stamped now."""
    return {
        "entity_type": entity_type,
        "entity_id": entity_id,
        "action": action,
        "actor_id": actor_id,
        "at": utcnow(),
        "changes": dict(changes or {}),
    }


async def list_audit(
    session: AsyncSession, entity_id: str, limit: int, cursor: str, *, entity_type: str = ""
) -> Page[AuditEntry]:
    """An entity's audit entries (of that kind of record when `entity_type` is given), newest first, by cursor."""
    query = select(AuditEntry).where(AuditEntry.entity_id == entity_id)
    if entity_type:
        query = query.where(AuditEntry.entity_type == entity_type)
    if cursor:
        (last_id,) = decode_cursor(cursor, 1)
        if not isinstance(last_id, int):
            raise invalid("cursor", "invalid_cursor", "cursor does not match this listing")
        query = query.where(AuditEntry.id < last_id)
    rows = (await session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit + 1))).all()
    return page_of(rows, limit, lambda row: [row.id])


def audit_page_message(page: Page[AuditEntry]) -> common_pb2.ListAuditResponse:
    """A page of audit entries as crm.common.v1.ListAuditResponse."""
    entries = []
    for entry in page.items:
        entries.append(
            common_pb2.AuditEntry(
                id=str(entry.id),
                entity_type=entry.entity_type,
                entity_id=entry.entity_id,
                action=entry.action,
                actor_id=entry.actor_id,
                at=timestamp(entry.at),
                changes=struct(entry.changes),
            )
        )
    return common_pb2.ListAuditResponse(entries=entries, next_cursor=page.next_cursor)
