"""The events that can start a process, and the variables each one gives it.

A definition's trigger names one of TRIGGER_EVENTS (or "manual"); its
conditions may use exactly those variables plus BUILTIN ones and the ones
the definition declares, which is what upload validation checks against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from google.protobuf.message import Message

from crm.events.v1 import contacts_pb2, deals_pb2, envelope_pb2

MANUAL = "manual"
# Set on every instance: what it is about and who started it.
BUILTIN = ("record_kind", "record_id", "started_by", "client_id", "owner_id", "team_id")
_DEAL = ("deal_id", "title", "pipeline_id", "stage_id", "status", "amount", "currency", "changed_fields")
_STAGE = (
    "deal_id",
    "title",
    "pipeline_id",
    "from_stage_id",
    "from_stage_name",
    "stage_id",
    "stage_name",
    "category",
    "regression",
    "amount",
    "currency",
    "loss_reason",
    "loss_comment",
)
_PARTY = ("party_id", "kind", "name", "changed_fields")
_PAYMENT = ("payment_id", "deal_id", "amount", "currency", "due_date", "received_on", "late_days")

TRIGGER_EVENTS: dict[str, tuple[str, ...]] = {
    "deal.created": _DEAL,
    "deal.updated": _DEAL,
    "deal.stage_changed": _STAGE,
    "deal.won": _STAGE,
    "deal.lost": _STAGE,
    "deal.reopened": _STAGE,
    "party.created": _PARTY,
    "party.updated": _PARTY,
    "payment.received": _PAYMENT,
    MANUAL: (),
}


@dataclass
class StartingEvent:
    """What an event tells a process it starts: the record, the parties, the variables."""

    record_kind: str
    record_id: str
    party_ids: list[str]
    variables: dict[str, Any] = field(default_factory=dict)


def _amount(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _unpack(envelope: envelope_pb2.EventEnvelope, message: Message) -> bool:
    return bool(envelope.payload.Unpack(message))


def read_event(envelope: envelope_pb2.EventEnvelope) -> StartingEvent | None:
    """The starting data of a trigger event, or None for events no process starts on."""
    kind = envelope.type
    if kind in ("deal.created", "deal.updated"):
        deal = deals_pb2.DealChanged()
        if not _unpack(envelope, deal):
            return None
        return StartingEvent(
            "deal",
            deal.deal_id,
            list(envelope.party_ids),
            {
                "deal_id": deal.deal_id,
                "title": deal.title,
                "pipeline_id": deal.pipeline_id,
                "stage_id": deal.stage_id,
                "status": deal.status,
                "amount": _amount(deal.amount),
                "currency": deal.currency,
                "changed_fields": list(deal.changed_fields),
                "client_id": deal.client_id,
                "owner_id": deal.owner_id,
                "team_id": deal.team_id,
            },
        )
    if kind in ("deal.stage_changed", "deal.won", "deal.lost", "deal.reopened"):
        move = deals_pb2.DealStageChanged()
        if not _unpack(envelope, move):
            return None
        return StartingEvent(
            "deal",
            move.deal_id,
            list(envelope.party_ids),
            {
                "deal_id": move.deal_id,
                "title": move.title,
                "pipeline_id": move.pipeline_id,
                "from_stage_id": move.from_stage_id,
                "from_stage_name": move.from_stage_name,
                "stage_id": move.to_stage_id,
                "stage_name": move.to_stage_name,
                "category": move.category,
                "regression": move.regression,
                "amount": _amount(move.amount),
                "currency": move.currency,
                "loss_reason": move.loss_reason,
                "loss_comment": move.loss_comment,
                "client_id": move.client_id,
                "owner_id": move.owner_id,
            },
        )
    if kind in ("party.created", "party.updated"):
        party = contacts_pb2.PartyChanged()
        if not _unpack(envelope, party):
            return None
        return StartingEvent(
            "party",
            party.party_id,
            [party.party_id],
            {
                "party_id": party.party_id,
                "kind": party.kind,
                "name": party.display_name,
                "changed_fields": list(party.changed_fields),
                "client_id": party.party_id,
                "owner_id": party.owner_id,
                "team_id": party.team_id,
            },
        )
    if kind == "payment.received":
        payment = deals_pb2.PaymentReceived()
        if not _unpack(envelope, payment):
            return None
        return StartingEvent(
            "deal",
            payment.deal_id,
            list(envelope.party_ids),
            {
                "payment_id": payment.payment_id,
                "deal_id": payment.deal_id,
                "amount": _amount(payment.amount),
                "currency": payment.currency,
                "due_date": payment.due_date,
                "received_on": payment.received_on,
                "late_days": payment.late_days,
                "client_id": payment.client_id,
            },
        )
    return None
