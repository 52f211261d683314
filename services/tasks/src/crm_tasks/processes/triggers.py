"""The events that can start a process, and the variables each one gives it.

A definition's trigger names one of TRIGGER_EVENTS (or "manual"); its
conditions may use exactly those variables plus BUILTIN ones and the ones
the definition declares, which is what upload validation checks against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from google.protobuf.message import Message

from crm.events.v1 import contacts_pb2, deals_pb2, envelope_pb2, helpdesk_pb2, marketing_pb2
from crm_core.scopes import record_key

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
_UTM = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
# Every lead.* event gives all of them (marketing publishes the whole lead each time); `name` is the company,
# else the person, for task subjects; the conversion's ids and the disqualification are "" until they happen.
_LEAD = (
    "lead_id",
    "status",
    "name",
    "person_name",
    "company_name",
    "email",
    "phone",
    "inn",
    "campaign_id",
    "channel",
    "form_id",
    "visitor_id",
    *_UTM,
    "disqualification_reason",
    "disqualification_comment",
    "company_id",
    "person_id",
    "deal_id",
)
# The lead events: what marketing publishes on crm.marketing.lead.<verb>.
LEAD_EVENTS = ("lead.captured", "lead.assigned", "lead.qualified", "lead.disqualified", "lead.converted")

_TICKET = (
    "ticket_id",
    "number",
    "subject",
    "status",
    "priority",
    "category",
    "channel",
    "queue_id",
    "assignee_id",
    "requester_party_id",
    "organisation_id",
    "deal_id",
    "sla_state",
    "sla_target",
)
_CSAT = ("ticket_id", "number", "subject", "rating", "comment", "requester_party_id", "organisation_id", "queue_id")
# The helpdesk's ticket events a process may start on (crm.events.v1.TicketChanged).
TICKET_EVENTS = (
    "ticket.opened",
    "ticket.resolved",
    "ticket.reopened",
    "ticket.sla_warning",
    "ticket.sla_breached",
    "ticket.escalated",
)

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
    **{event: _LEAD for event in LEAD_EVENTS},
    **{event: _TICKET for event in TICKET_EVENTS},
    "csat.rated": _CSAT,
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


def _lead_scope(envelope: envelope_pb2.EventEnvelope, lead_id: str) -> tuple[str, str] | None:
    """The lead's owner and team as marketing's access rule has them (the envelope's scope of the lead)."""
    for scope in envelope.scopes:
        if scope.known and scope.record == record_key("lead", lead_id):
            return scope.owner_id, scope.team_id
    return None


def _read_lead(envelope: envelope_pb2.EventEnvelope) -> StartingEvent | None:
    lead = marketing_pb2.LeadChanged()
    if not _unpack(envelope, lead) or not lead.lead_id:
        return None
    # The scope in the envelope is what decides who sees the lead, so it is what the tasks about it follow.
    owner_id, team_id = _lead_scope(envelope, lead.lead_id) or (lead.owner_id, lead.team_id)
    return StartingEvent(
        "lead",
        lead.lead_id,
        list(envelope.party_ids),
        {
            "lead_id": lead.lead_id,
            "status": lead.status,
            "name": lead.company_name or lead.person_name,
            "person_name": lead.person_name,
            "company_name": lead.company_name,
            "email": lead.email,
            "phone": lead.phone,
            "inn": lead.inn,
            "campaign_id": lead.campaign_id,
            "channel": lead.channel,
            "form_id": lead.form_id,
            "visitor_id": lead.visitor_id,
            **{name: getattr(lead, name) for name in _UTM},
            "disqualification_reason": lead.disqualification_reason,
            "disqualification_comment": lead.disqualification_comment,
            "company_id": lead.company_id,
            "person_id": lead.person_id,
            "deal_id": lead.deal_id,
            # A converted lead's tasks also show on the client's card.
            "client_id": lead.company_id or lead.person_id,
            "owner_id": owner_id,
            "team_id": team_id,
        },
    )


def _ticket_scope(envelope: envelope_pb2.EventEnvelope, ticket_id: str) -> tuple[str, str]:
    """The ticket's assignee and team as the helpdesk's access rule has them (the envelope's scope)."""
    for scope in envelope.scopes:
        if scope.known and scope.record == record_key("ticket", ticket_id):
            return scope.owner_id, scope.team_id
    return "", ""


def _read_ticket(envelope: envelope_pb2.EventEnvelope) -> StartingEvent | None:
    if envelope.type == "csat.rated":
        rated = helpdesk_pb2.CsatRated()
        if not _unpack(envelope, rated) or not rated.ticket_id:
            return None
        values: dict[str, Any] = {name: getattr(rated, name) for name in _CSAT}
        ticket_id = rated.ticket_id
    else:
        ticket = helpdesk_pb2.TicketChanged()
        if not _unpack(envelope, ticket) or not ticket.ticket_id:
            return None
        values = {name: getattr(ticket, name) for name in _TICKET}
        ticket_id = ticket.ticket_id
    owner_id, team_id = _ticket_scope(envelope, ticket_id)
    client_id = values["organisation_id"] or values["requester_party_id"]
    return StartingEvent(
        "ticket",
        ticket_id,
        list(envelope.party_ids),
        {**values, "client_id": client_id, "owner_id": owner_id, "team_id": team_id},
    )


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
    if kind in LEAD_EVENTS:
        return _read_lead(envelope)
    if kind in TICKET_EVENTS or kind == "csat.rated":
        return _read_ticket(envelope)
    return None
