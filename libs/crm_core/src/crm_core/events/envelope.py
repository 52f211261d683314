"""Subjects, stream names and the event envelope.

Subjects are `<namespace>.<domain>.<entity>.<verb>` (namespace "crm" in
production; tests use a unique one per run so runs never collide) and each
domain has one stream, `<NAMESPACE>_<DOMAIN>`, holding `<namespace>.<domain>.>`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from uuid import uuid4

from google.protobuf import any_pb2, descriptor_pool, json_format, message_factory, timestamp_pb2
from google.protobuf.message import Message

import crm.events.v1 as events_v1
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


def payload_fields(envelope: envelope_pb2.EventEnvelope) -> dict[str, Any] | None:
    """The envelope's payload as JSON (proto field names; decimals as their text, times as RFC 3339), or None
    when its type is not one of the platform's event payloads (then only the summary can tell it).

    Every payload type lives in crm.events.v1, whose modules are imported here so the default descriptor
    pool knows them whichever service asks.
    """
    name = envelope.payload.TypeName()
    if not name.startswith(f"{events_v1.__name__}."):
        return None  # a well-known type (a test's StringValue) would not even be a JSON object
    _import_payload_types()
    try:
        descriptor = descriptor_pool.Default().FindMessageTypeByName(name)
    except KeyError:
        return None
    message = message_factory.GetMessageClass(descriptor)()
    if not envelope.payload.Unpack(message):
        return None
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


@cache
def _import_payload_types() -> None:
    for module in pkgutil.iter_modules(events_v1.__path__):
        if module.name.endswith("_pb2"):
            importlib.import_module(f"{events_v1.__name__}.{module.name}")
