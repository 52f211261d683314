"""REST shapes of tickets, their thread, queues, SLA policies and client tiers (mirror crm.helpdesk.v1).

Request shapes check shape only (types, lengths as sanity bounds); the helpdesk service judges values
(statuses, transitions, who may see what) and answers with its codes. See docs/helpdesk.md.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from crm_gateway.schemas.common import Out, Strict

ID = 64


class TicketCreate(Strict):
    subject: str = Field(max_length=300, description="Не приходит счёт на оплату")
    description: str = Field("", max_length=50_000)
    requester_party_id: str = Field("", max_length=ID, description="A person or company in contacts")
    requester_email: str = Field("", max_length=300, description="An e-mail address (a known client is linked)")
    requester_name: str = Field("", max_length=300)
    channel: str = Field("api", max_length=20, description="portal, email, api or phone")
    priority: str = Field("normal", max_length=20, description="low, normal, high or urgent")
    category: str = Field("question", max_length=20, description="question, incident, problem, request, complaint")
    queue_id: str = Field("", max_length=ID, description="Empty: the queue serving the category, else the default")
    deal_id: str = Field("", max_length=ID)
    assignee_id: str = Field("", max_length=ID, description="Empty: the queue's strategy chooses")


class TicketPatch(Strict):
    subject: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=50_000)
    priority: str | None = Field(None, max_length=20)
    category: str | None = Field(None, max_length=20)
    queue_id: str | None = Field(None, max_length=ID)
    deal_id: str | None = Field(None, max_length=ID)
    requester_party_id: str | None = Field(None, max_length=ID)
    requester_email: str | None = Field(None, max_length=300)
    requester_name: str | None = Field(None, max_length=300)
    shared_with: list[str] | None = Field(None, max_length=200)


class SlaTargetOut(Out):
    state: str = "none"
    due_at: datetime | None = None
    met_at: datetime | None = None
    target_minutes: int = 0
    minutes_left: int = 0


class TicketOut(Out):
    id: str
    number: int
    subject: str
    description: str = ""
    requester_party_id: str = ""
    requester_name: str = ""
    requester_email: str = ""
    organisation_id: str = ""
    channel: str
    priority: str
    category: str
    queue_id: str = ""
    assignee_id: str = ""
    status: str
    deal_id: str = ""
    tier: str = ""
    sla_policy_id: str = ""
    first_response: SlaTargetOut = SlaTargetOut()
    resolution: SlaTargetOut = SlaTargetOut()
    sla_state: str = "none"
    csat_rating: int = 0
    csat_comment: str = ""
    team_id: str = ""
    shared_with: list[str] = []
    created_by: str = ""
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    version: int
    message_count: int = 0
    last_message_at: datetime | None = None


class TicketsPage(Out):
    items: list[TicketOut]
    next_cursor: str = ""
    total: int = 0


class MessageIn(Strict):
    kind: str = Field("reply", max_length=10, description="reply (the requester sees it) or note (staff only)")
    body: str = Field(max_length=50_000)
    status: str = Field("", max_length=20, description="Staff: the status the ticket moves to with the reply")


class MessageOut(Out):
    id: str
    ticket_id: str
    kind: str
    author_type: str
    author_id: str = ""
    author_name: str = ""
    body: str
    channel: str = ""
    email_message_id: str = ""
    created_at: datetime


class MessagesPage(Out):
    items: list[MessageOut]
    next_cursor: str = ""


class StatusIn(Strict):
    status: str = Field(max_length=20, description="open, pending_customer, resolved, closed or reopened")


class AssignIn(Strict):
    assignee_id: str = Field("", max_length=ID, description="Empty: unassigned")


class RatingIn(Strict):
    rating: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=2000)


class TicketStatsOut(Out):
    by_status: dict[str, int] = {}
    by_sla_state: dict[str, int] = {}
    unassigned: int = 0
    csat_average: float = 0
    csat_count: int = 0


class QueueFields(Strict):
    name: str | None = Field(None, max_length=300)
    team_id: str | None = Field(None, max_length=ID)
    lead_id: str | None = Field(None, max_length=ID)
    agent_ids: list[str] | None = Field(None, max_length=200)
    strategy: str | None = Field(None, max_length=20, description="round_robin, least_loaded or manual")
    categories: list[str] | None = Field(None, max_length=10)
    email_address: str | None = Field(None, max_length=300)
    is_default: bool | None = None
    archived: bool | None = None


class QueueCreate(QueueFields):
    name: str = Field(max_length=300)


class QueueOut(Out):
    id: str
    name: str
    team_id: str = ""
    lead_id: str = ""
    agent_ids: list[str] = []
    strategy: str = "manual"
    categories: list[str] = []
    email_address: str = ""
    is_default: bool = False
    archived: bool = False
    version: int
    open_tickets: int = 0
    shipped_key: str = ""


class SlaPolicyFields(Strict):
    name: str | None = Field(None, max_length=300)
    priority: str | None = Field(None, max_length=20)
    category: str | None = Field(None, max_length=20)
    tier: str | None = Field(None, max_length=20)
    first_response_minutes: int | None = Field(None, ge=0, le=10_000_000)
    resolution_minutes: int | None = Field(None, ge=0, le=10_000_000)
    warning_percent: int | None = Field(None, ge=0, le=100)
    position: int | None = Field(None, ge=0, le=1_000_000)
    archived: bool | None = None


class SlaPolicyCreate(SlaPolicyFields):
    name: str = Field(max_length=300)
    first_response_minutes: int = Field(ge=0, le=10_000_000)
    resolution_minutes: int = Field(ge=0, le=10_000_000)


class SlaPolicyOut(Out):
    id: str
    name: str
    priority: str = ""
    category: str = ""
    tier: str = ""
    first_response_minutes: int
    resolution_minutes: int
    warning_percent: int = 80
    position: int = 0
    archived: bool = False
    version: int
    shipped_key: str = ""


class ClientTierIn(Strict):
    tier: str = Field(max_length=20, description="standard, premium or vip")


class ClientTierOut(Out):
    party_id: str
    tier: str
