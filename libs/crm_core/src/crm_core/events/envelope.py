"""Subjects, stream names and the event envelope.

Subjects are `<namespace>.<domain>.<entity>.<verb>` (namespace "crm" in
production; tests use a unique one per run so runs never collide) and each
domain has one stream, `<NAMESPACE>_<DOMAIN>`, holding `<namespace>.<domain>.>`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from google.protobuf import any_pb2, timestamp_pb2
from google.protobuf.message import Message

from crm.events.v1 import envelope_pb2
from crm_core.auth import Caller
from crm_core.db import utcnow


@dataclass(frozen=True)
class Namespace:
    """Root of every subject and stream name."""

    root: str = "crm"

    def subject(self, domain: str, event_type: str) -> str:
        return f"{self.root}.{domain}.{event_type}"

    def stream(self, domain: str) -> str:
        return f"{self.root.upper()}_{domain.upper()}"

    def stream_subjects(self, domain: str) -> list[str]:
        return [f"{self.root}.{domain}.>"]

    @property
    def dead_letter_stream(self) -> str:
        return f"{self.root.upper()}_DLQ"

    def dead_letter_subject(self, service: str, consumer: str) -> str:
        return f"{self.root}.dlq.{service}.{consumer}"


def build_envelope(
    source: str,
    event_type: str,
    *,
    subject_id: str,
    payload: Message,
    actor: Caller,
    version: int = 0,
    party_ids: Iterable[str] = (),
    summary: str = "",
    scopes: Iterable[envelope_pb2.AccessScope] = (),
    occurred_at: datetime | None = None,
) -> envelope_pb2.EventEnvelope:
    """A new envelope with a fresh event id, stamped now (or `occurred_at`, for a fact told after it happened)."""
    occurred = timestamp_pb2.Timestamp()
    occurred.FromDatetime(occurred_at or utcnow())
    packed = any_pb2.Any()
    packed.Pack(payload)
    return envelope_pb2.EventEnvelope(
        event_id=str(uuid4()),
        type=event_type,
        occurred_at=occurred,
        actor=envelope_pb2.Actor(user_id=actor.user_id, service=source),
        subject_id=subject_id,
        version=version,
        payload=packed,
        party_ids=list(dict.fromkeys(p for p in party_ids if p)),
        summary=summary,
        source=source,
        scopes=list(scopes),
    )
