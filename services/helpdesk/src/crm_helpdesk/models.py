"""Tables of the helpdesk database: tickets, their messages, queues, SLA policies, client tiers, intake log.

`Base` is the service's own declarative base: its metadata holds crm_core's core tables (outbox, inbox,
relay checkpoint, answered requests, audit) beside the service's own (e-mail files waiting for documents too). The knowledge base's
tables are in knowledge_models.py, the portal's in portal_models.py; migrations in migrations/versions/.

A ticket's access is its own: `owner_id` is its assignee, `team_id` its queue's team, `shared_with` the
staff it is shared with (crm_core.acl.visible_to); portal users see their organisation's tickets
(`organisation_id`), never an internal note.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, LargeBinary, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from crm_core.db import new_id, service_registry, utcnow
from crm_core.resources.records import columns_of
from crm_helpdesk import DOMAIN

__all__ = [
    "Base",
    "ClientTierRow",
    "IntakeRow",
    "MessageRow",
    "QueueRow",
    "SlaPolicyRow",
    "TicketRow",
    "audited",
]


# The deadline of a ticket without one: after every real one, so "nearest deadline first" puts it last.
NO_DEADLINE = datetime(9999, 12, 31, tzinfo=UTC)


class Base(DeclarativeBase):
    """Declarative base of the helpdesk database: its own tables and crm_core's (service_registry)."""

    registry = service_registry(DOMAIN)


class QueueRow(Base):
    """A queue of tickets worked by a team: who gets new tickets, who is escalated to."""

    __tablename__ = "queue"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(Text)
    team_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    lead_id: Mapped[str] = mapped_column(Text, default="")
    agent_ids: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    strategy: Mapped[str] = mapped_column(Text, default="round_robin")
    # The agent who got the last round-robin ticket (the next one goes to the agent after them).
    last_assigned_id: Mapped[str] = mapped_column(Text, default="")
    categories: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    email_address: Mapped[str] = mapped_column(Text, default="")
    # The shipped queue has a key (its name is translated by it); admins' have none.
    shipped_key: Mapped[str | None] = mapped_column(Text, nullable=True, unique=True)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SlaPolicyRow(Base):
    """First-response and resolution targets (business minutes) for tickets of a priority, category and tier."""

    __tablename__ = "sla_policy"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(Text, default="")
    tier: Mapped[str] = mapped_column(Text, default="")
    first_response_minutes: Mapped[int] = mapped_column(Integer)
    resolution_minutes: Mapped[int] = mapped_column(Integer)
    warning_percent: Mapped[int] = mapped_column(Integer, default=80)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Shipped policies have a key (their names are translated by it); admins' have none.
    shipped_key: Mapped[str | None] = mapped_column(Text, nullable=True, unique=True)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClientTierRow(Base):
    """The service tier of a client (a party in contacts): which SLA policies apply to its tickets."""

    __tablename__ = "client_tier"

    party_id: Mapped[str] = mapped_column(Text, primary_key=True)
    tier: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class TicketRow(Base):
    """A request from a client, with its SLA clocks."""

    __tablename__ = "ticket"
    __table_args__ = (
        Index("ix_ticket_updated", "updated_at", "id"),
        Index("ix_ticket_queue_status", "queue_id", "status"),
        Index("ix_ticket_organisation", "organisation_id"),
        Index("ix_ticket_requester", "requester_party_id"),
        Index("ix_ticket_assignee", "owner_id", "status"),
        Index("ix_ticket_sla_state", "sla_state"),
        Index("ix_ticket_next_due", "next_due_at", postgresql_where="next_due_at IS NOT NULL"),
        Index("ix_ticket_queue_deadline", "queue_id", "sla_due_at", "id"),
        Index("ix_ticket_deadline", "sla_due_at", "id"),
    )

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    number: Mapped[int] = mapped_column(BigInteger, unique=True, server_default=text("nextval('ticket_number_seq')"))
    subject: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    requester_party_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    requester_name: Mapped[str] = mapped_column(Text, default="")
    requester_email: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    channel: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(Text, default="normal")
    category: Mapped[str] = mapped_column(Text, default="question")
    queue_id: Mapped[str] = mapped_column(ForeignKey("queue.id"))
    status: Mapped[str] = mapped_column(Text, default="new")
    deal_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    tier: Mapped[str] = mapped_column(Text, default="standard")
    # Access: the assignee ("" unassigned), the queue's team, staff it is shared with.
    owner_id: Mapped[str] = mapped_column(Text, default="")
    team_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    shared_with: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    # A random token put in e-mail subjects with the number ("[#1024-ab12cd]"): a reply threads by the number
    # only when the token matches, so a number alone (easy to guess) never appends to a stranger's ticket.
    email_token: Mapped[str] = mapped_column(Text)
    # SLA: the policy's targets (business minutes), the due and warning times (wall clock, moved on by
    # pauses), when each target was met, and whether its warning and breach were published.
    sla_policy_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    warning_percent: Mapped[int] = mapped_column(Integer, default=80)
    first_response_minutes: Mapped[int] = mapped_column(Integer, default=0)
    first_response_due_at: Mapped[datetime | None] = mapped_column(nullable=True)
    first_response_warn_at: Mapped[datetime | None] = mapped_column(nullable=True)
    first_response_at: Mapped[datetime | None] = mapped_column(nullable=True)
    first_response_warned: Mapped[bool] = mapped_column(Boolean, default=False)
    first_response_breached: Mapped[bool] = mapped_column(Boolean, default=False)
    resolution_minutes: Mapped[int] = mapped_column(Integer, default=0)
    resolution_due_at: Mapped[datetime | None] = mapped_column(nullable=True)
    resolution_warn_at: Mapped[datetime | None] = mapped_column(nullable=True)
    resolution_warned: Mapped[bool] = mapped_column(Boolean, default=False)
    resolution_breached: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set while the clocks stand still (pending customer, resolved, closed); the business minutes of the
    # pauses that ended are added to every target (due = opened + target + paused, in business time).
    sla_paused_at: Mapped[datetime | None] = mapped_column(nullable=True)
    sla_paused_minutes: Mapped[int] = mapped_column(Integer, default=0)
    # The earliest warning or due time still to be published (the SLA pass reads tickets by it).
    next_due_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # The nearest due time of a target still running (NO_DEADLINE when none): lists sort by it ("due_at").
    sla_due_at: Mapped[datetime] = mapped_column(default=lambda: NO_DEADLINE)
    # The worst state of the two targets as of the last change or pass (lists filter and sort on it).
    sla_state: Mapped[str] = mapped_column(Text, default="none")
    escalated_at: Mapped[datetime | None] = mapped_column(nullable=True)
    csat_rating: Mapped[int] = mapped_column(Integer, default=0)
    csat_comment: Mapped[str] = mapped_column(Text, default="")
    csat_at: Mapped[datetime | None] = mapped_column(nullable=True)
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    last_message_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_by: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    version: Mapped[int] = mapped_column(BigInteger, default=1)


class MessageRow(Base):
    """One message of a ticket's thread: a public reply or an internal note."""

    __tablename__ = "ticket_message"
    __table_args__ = (
        Index("ix_message_ticket", "ticket_id", "created_at", "id"),
        Index(
            "ix_message_email_id",
            "email_message_id",
            unique=True,
            postgresql_where="email_message_id <> ''",
        ),
    )

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(Text)
    author_type: Mapped[str] = mapped_column(Text)
    author_id: Mapped[str] = mapped_column(Text, default="")
    author_name: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(Text, default="web")
    # The RFC 822 Message-ID of the e-mail it came as or was sent as ("" none): replies thread by it.
    email_message_id: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IntakeRow(Base):
    """Every e-mail the intake took, with what became of it (ignored ones too): a log and the dedup key."""

    __tablename__ = "intake_message"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    # The Message-ID, or a hash of the raw message when it has none.
    message_key: Mapped[str] = mapped_column(Text, unique=True)
    mailbox: Mapped[str] = mapped_column(Text, default="")
    sender: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    ticket_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    sha256: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class EmailFileRow(Base):
    """A file of an e-mail on its way to documents (mail_files): written with its ticket, gone once documents
    stored or refused it."""

    __tablename__ = "email_file"
    __table_args__ = (Index("ix_email_file_due", "next_attempt_at"),)

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    # The message of the ticket the e-mail became (a refusal is noted in its text).
    message_id: Mapped[str] = mapped_column(Text)
    filename: Mapped[str] = mapped_column(Text)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# Bookkeeping columns an audit entry leaves out (who changed what, not when the row was touched).
_NOT_AUDITED = frozenset({"created_at", "updated_at", "version", "description", "email_token", "last_message_at"})


def audited(row: Base) -> dict[str, Any]:
    """The row's values as an audit entry keeps them: times as ISO 8601, bookkeeping columns left out."""
    values = columns_of(row, leave_out=_NOT_AUDITED)
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}
