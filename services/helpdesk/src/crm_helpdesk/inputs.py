"""Typed inputs of the helpdesk commands: each request's values checked on their own (INVALID_ARGUMENT naming
every bad field); what needs stored data (the queue exists, the requester is visible) is checked by the commands."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from crm.helpdesk.v1 import helpdesk_pb2 as pb
from crm_core.errors import Validator
from crm_core.fields import choice, record_id, text
from crm_core.mail import parse_address
from crm_helpdesk.domain import CATEGORIES, CHANNELS, MESSAGE_KINDS, PRIORITIES, STATUSES, STRATEGIES, TIERS

MAX_SUBJECT = 300
MAX_BODY = 50_000
MAX_ID = 64
MAX_AGENTS = 200
MAX_MINUTES = 60 * 24 * 365  # a year of business minutes is beyond any target


def user_id(v: Validator, value: str, path: str) -> str:
    """A staff user's id (identity's ids are opaque strings of at most 64 characters)."""
    return text(v, value, path, MAX_ID) or ""


def email(v: Validator, value: str, path: str) -> str:
    """A lower-cased e-mail address ("" when absent)."""
    value = (text(v, value, path) or "").lower()
    if not value:
        return ""
    try:
        address = parse_address(value)
    except ValueError:
        v.add(path, "invalid_email", f"{path} is not an e-mail address")
        return ""
    return address.addr_spec


def body_text(v: Validator, value: str, path: str, required: bool) -> str:
    value = text(v, value, path, MAX_BODY) or ""
    if required and not value:
        v.add(path, "required", f"{path} is required")
    return value


@dataclass(frozen=True)
class Author:
    """Who writes a message: staff (the caller), the requester (portal or e-mail) or the system."""

    kind: str
    id: str = ""
    name: str = ""


@dataclass(frozen=True)
class NewTicket:
    subject: str
    description: str
    requester_party_id: str
    requester_email: str
    requester_name: str
    channel: str
    priority: str
    category: str
    queue_id: str
    deal_id: str
    assignee_id: str
    # Intake only: the e-mail's Message-ID (the first message threads by it) and the mailbox it came to.
    email_message_id: str = ""
    mailbox: str = ""


def parse_new_ticket(request: pb.CreateTicketRequest) -> NewTicket:
    v = Validator()
    subject = text(v, request.subject, "subject", MAX_SUBJECT) or ""
    if not subject:
        v.add("subject", "required", "subject is required")
    result = NewTicket(
        subject=subject,
        description=body_text(v, request.description, "description", required=False),
        requester_party_id=record_id(v, request.requester_party_id, "requester_party_id"),
        requester_email=email(v, request.requester_email, "requester_email"),
        requester_name=text(v, request.requester_name, "requester_name") or "",
        channel=choice(v, request.channel, "channel", CHANNELS) or "api",
        priority=choice(v, request.priority, "priority", PRIORITIES) or "normal",
        category=choice(v, request.category, "category", CATEGORIES) or "question",
        queue_id=record_id(v, request.queue_id, "queue_id"),
        deal_id=record_id(v, request.deal_id, "deal_id"),
        assignee_id=user_id(v, request.assignee_id, "assignee_id"),
    )
    v.raise_if_any()
    return result


@dataclass(frozen=True)
class NewMessage:
    kind: str
    body: str
    status: str
    channel: str = "web"
    email_message_id: str = ""


def parse_new_message(request: pb.AddMessageRequest) -> NewMessage:
    v = Validator()
    result = NewMessage(
        kind=choice(v, request.kind, "kind", MESSAGE_KINDS) or "reply",
        body=body_text(v, request.body, "body", required=True),
        status=choice(v, request.status, "status", STATUSES) or "",
    )
    v.raise_if_any()
    return result


TICKET_FIELDS = (
    "subject",
    "description",
    "priority",
    "category",
    "queue_id",
    "deal_id",
    "requester_party_id",
    "requester_email",
    "requester_name",
    "shared_with",
)


def parse_ticket_changes(ticket: pb.Ticket, paths: Iterable[str]) -> dict[str, Any]:
    """The fields an UpdateTicket changes, checked; unknown paths are refused."""
    v = Validator()
    changes: dict[str, Any] = {}
    for path in paths:
        if path not in TICKET_FIELDS:
            v.add("update_mask", "unknown_field", f"{path} cannot be changed here")
            continue
        value = getattr(ticket, path)
        if path == "subject":
            changes[path] = text(v, value, path, MAX_SUBJECT) or ""
            if not changes[path]:
                v.add(path, "required", "subject is required")
        elif path == "description":
            changes[path] = body_text(v, value, path, required=False)
        elif path == "priority":
            changes[path] = choice(v, value, path, PRIORITIES) or "normal"
        elif path == "category":
            changes[path] = choice(v, value, path, CATEGORIES) or "question"
        elif path in ("queue_id", "deal_id", "requester_party_id"):
            changes[path] = record_id(v, value, path, required=path == "queue_id") or None
        elif path == "requester_email":
            changes[path] = email(v, value, path)
        elif path == "requester_name":
            changes[path] = text(v, value, path) or ""
        elif path == "shared_with":
            if len(value) > MAX_AGENTS:
                v.add(path, "too_many", f"{path} takes at most {MAX_AGENTS} users")
            changes[path] = sorted({user_id(v, u, path) for u in value} - {""})
    if not paths:
        v.add("update_mask", "required", "update_mask names the fields to change")
    v.raise_if_any()
    return changes


def parse_status(value: str) -> str:
    v = Validator()
    status = choice(v, value, "status", STATUSES) or ""
    if not status and not v.problems:
        v.add("status", "required", "status is required")
    v.raise_if_any()
    return status


def parse_rating(request: pb.RateTicketRequest) -> tuple[int, str]:
    v = Validator()
    if not 1 <= request.rating <= 5:
        v.add("rating", "out_of_range", "rating must be from 1 to 5")
    comment = text(v, request.comment, "comment", 2000) or ""
    v.raise_if_any()
    return request.rating, comment


QUEUE_FIELDS = (
    "name",
    "team_id",
    "lead_id",
    "agent_ids",
    "strategy",
    "categories",
    "email_address",
    "is_default",
    "archived",
)


def parse_queue(queue: pb.Queue, paths: Iterable[str] | None = None) -> dict[str, Any]:
    """A queue's fields (all of them for a new queue, the masked ones for a change), checked."""
    v = Validator()
    wanted = list(paths) if paths is not None else list(QUEUE_FIELDS)
    values: dict[str, Any] = {}
    for path in wanted:
        if path not in QUEUE_FIELDS:
            v.add("update_mask", "unknown_field", f"{path} cannot be changed")
            continue
        value = getattr(queue, path)
        if path == "name":
            values[path] = text(v, value, path) or ""
            if not values[path]:
                v.add(path, "required", "name is required")
        elif path == "team_id":
            values[path] = user_id(v, value, path) or None
        elif path == "lead_id":
            values[path] = user_id(v, value, path)
        elif path == "agent_ids":
            if len(value) > MAX_AGENTS:
                v.add(path, "too_many", f"{path} takes at most {MAX_AGENTS} users")
            agents: list[str] = []
            for agent in value:
                agent = user_id(v, agent, path)
                if agent and agent not in agents:
                    agents.append(agent)
            values[path] = agents
        elif path == "strategy":
            values[path] = choice(v, value, path, STRATEGIES) or "round_robin"
        elif path == "categories":
            values[path] = [c for c in dict.fromkeys(value) if choice(v, c, path, CATEGORIES)]
        elif path == "email_address":
            values[path] = email(v, value, path)
        else:
            values[path] = bool(value)
    if paths is not None and not wanted:
        v.add("update_mask", "required", "update_mask names the fields to change")
    v.raise_if_any()
    return values


POLICY_FIELDS = (
    "name",
    "priority",
    "category",
    "tier",
    "first_response_minutes",
    "resolution_minutes",
    "warning_percent",
    "position",
    "archived",
)


def parse_policy(policy: pb.SlaPolicy, paths: Iterable[str] | None = None) -> dict[str, Any]:
    """An SLA policy's fields (all for a new one, the masked ones for a change), checked."""
    v = Validator()
    wanted = list(paths) if paths is not None else list(POLICY_FIELDS)
    values: dict[str, Any] = {}
    for path in wanted:
        if path not in POLICY_FIELDS:
            v.add("update_mask", "unknown_field", f"{path} cannot be changed")
            continue
        value = getattr(policy, path)
        if path == "name":
            values[path] = text(v, value, path) or ""
            if not values[path]:
                v.add(path, "required", "name is required")
        elif path == "priority":
            values[path] = choice(v, value, path, PRIORITIES) or ""
        elif path == "category":
            values[path] = choice(v, value, path, CATEGORIES) or ""
        elif path == "tier":
            values[path] = choice(v, value, path, TIERS) or ""
        elif path in ("first_response_minutes", "resolution_minutes"):
            if not 1 <= value <= MAX_MINUTES:
                v.add(path, "out_of_range", f"{path} must be from 1 to {MAX_MINUTES}")
            values[path] = value
        elif path == "warning_percent":
            value = value or 80
            if not 1 <= value <= 99:
                v.add(path, "out_of_range", "warning_percent must be from 1 to 99")
            values[path] = value
        elif path == "position":
            if not 0 <= value <= 10_000:
                v.add(path, "out_of_range", "position must be from 0 to 10000")
            values[path] = value
        else:
            values[path] = bool(value)
    first, resolution = values.get("first_response_minutes"), values.get("resolution_minutes")
    if first and resolution and first > resolution:
        v.add("first_response_minutes", "after_resolution", "the first response cannot be due after the resolution")
    if paths is not None and not wanted:
        v.add("update_mask", "required", "update_mask names the fields to change")
    v.raise_if_any()
    return values


def parse_tier(request: pb.SetClientTierRequest) -> tuple[str, str]:
    v = Validator()
    party_id = record_id(v, request.party_id, "party_id", required=True)
    tier = choice(v, request.tier, "tier", TIERS) or ""
    if not tier and not v.problems:
        v.add("tier", "required", "tier is required")
    v.raise_if_any()
    return party_id, tier
