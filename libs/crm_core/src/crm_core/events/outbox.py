"""Transactional outbox: an event is a row written with the change it reports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from google.protobuf.message import Message
from opentelemetry import trace
from sqlalchemy import BigInteger, Identity, Integer, LargeBinary, Text, event, insert, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, mapped_column

from crm.events.v1.envelope_pb2 import AccessScope
from crm_core.auth import Caller
from crm_core.db import Base, utcnow
from crm_core.events.envelope import Namespace, build_envelope
from crm_core.metrics import count_recorded_events
from crm_core.telemetry import inject_headers, messaging_attributes, tracer

NOTIFY_CHANNEL = "crm_outbox"


class OutboxRow(Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    event_id: Mapped[str] = mapped_column(UUID(as_uuid=False), unique=True)
    subject: Mapped[str] = mapped_column(Text)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    headers: Mapped[dict] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


@dataclass(frozen=True)
class NewEvent:
    """An event to record (the arguments of `record_event`, for `record_events`)."""

    event_type: str
    subject_id: str
    payload: Message
    actor: Caller
    version: int = 0
    party_ids: Iterable[str] = ()
    summary: str = ""
    scopes: Iterable[AccessScope] = ()
    # When the fact happened, for one told later than it happened (a site visit linked when its visitor is
    # identified); None: now.
    occurred_at: datetime | None = None


async def record_event(
    session: AsyncSession,
    namespace: Namespace,
    source: str,
    event_type: str,
    *,
    subject_id: str,
    payload: Message,
    actor: Caller,
    version: int = 0,
    party_ids: Iterable[str] = (),
    summary: str = "",
    scopes: Iterable[AccessScope] = (),
) -> str:
    """Add the event to the outbox in the caller's transaction; returns its id.

    The relay publishes it once the transaction commits (woken by NOTIFY,
    which PostgreSQL delivers only on commit). `scopes` are the access scopes
    of the records the event reveals (crm_core.scopes): whoever copies the event
    shows the copy only to readers who may see all of them.
    """
    row = _outbox_row(
        namespace,
        source,
        NewEvent(event_type, subject_id, payload, actor, version, party_ids, summary, scopes),
    )
    session.add(OutboxRow(**row))
    await _recorded(session, source, [event_type])
    return str(row["event_id"])


async def record_events(
    session: AsyncSession, namespace: Namespace, source: str, events: Sequence[NewEvent]
) -> list[str]:
    """`record_event` for many events at once: one multi-row INSERT instead of an ORM flush per row.

    A bulk write (crm_contacts' BulkCreateParties) records its thousand events with it; the
    rows are the ones `record_event` would write, one by one.
    """
    rows = [_outbox_row(namespace, source, e) for e in events]
    if rows:
        await session.execute(insert(OutboxRow), rows)
        await _recorded(session, source, [e.event_type for e in events])
    return [str(row["event_id"]) for row in rows]


def _outbox_row(namespace: Namespace, source: str, new: NewEvent) -> dict[str, Any]:
    """The outbox row of an event: its envelope, subject and the trace context of the request."""
    envelope = build_envelope(
        source,
        new.event_type,
        subject_id=new.subject_id,
        payload=new.payload,
        actor=new.actor,
        version=new.version,
        party_ids=new.party_ids,
        summary=new.summary,
        scopes=new.scopes,
        occurred_at=new.occurred_at,
    )
    subject = namespace.subject(source, new.event_type)
    # A PRODUCER span for the event's creation; its context rides with the row, so the relay's publish and
    # every consumer's handling join the trace of the request that made the change.
    with tracer("crm.events").start_as_current_span(
        f"create {subject}",
        kind=trace.SpanKind.PRODUCER,
        attributes=messaging_attributes(subject, envelope.event_id, "create", **{"crm.event_type": new.event_type}),
    ):
        headers = inject_headers()
    return {
        "event_id": envelope.event_id,
        "subject": subject,
        "payload": envelope.SerializeToString(),
        "headers": headers,
        "created_at": utcnow(),
        "attempts": 0,
    }


async def _recorded(session: AsyncSession, source: str, event_types: list[str]) -> None:
    """Count the events on commit and wake the relay (once per transaction)."""
    for event_type in event_types:
        _count_on_commit(session, source, event_type)
    # One NOTIFY per transaction wakes the relay; PostgreSQL folds repeats anyway, this saves the round trips.
    # It needs no pending row written first: without autoflush, the transaction's rows go out together at commit
    # (one multi-row INSERT per table) instead of half now and an UPDATE of what changes after.
    transaction = session.get_transaction()
    if session.info.get("outbox_notified") is not transaction:
        with session.no_autoflush:
            await session.execute(text(f"NOTIFY {NOTIFY_CHANNEL}"))
        session.info["outbox_notified"] = transaction


_RECORDED = "crm_recorded_events"


def _count_on_commit(session: AsyncSession, source: str, event_type: str) -> None:
    """Count the event (crm_events_recorded_total and business counters) once its transaction commits.

    A rolled-back change reported nothing, so it counts nothing: the types wait in the
    session until it commits or rolls back.
    """
    sync = session.sync_session
    if _RECORDED not in sync.info:
        sync.info[_RECORDED] = []
        event.listen(sync, "after_commit", _committed)
        event.listen(sync, "after_rollback", _rolled_back)
    sync.info[_RECORDED].append((source, event_type))


def _committed(session: Session) -> None:
    recorded = session.info.get(_RECORDED) or []
    by_source: dict[str, list[str]] = {}
    for source, event_type in recorded:
        by_source.setdefault(source, []).append(event_type)
    for source, types in by_source.items():
        count_recorded_events(source, types)
    recorded.clear()


def _rolled_back(session: Session) -> None:
    (session.info.get(_RECORDED) or []).clear()
