"""Queries on the helpdesk database.

Every read of tickets filters in SQL by what the caller may see (staff: crm_core.acl.visible_to; portal users:
their organisation's, crm_helpdesk.portal_access), so a hidden ticket is never returned or counted; portal
users never get internal notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.acl import visible_to
from crm_core.auth import Caller
from crm_core.db import Database
from crm_core.events.outbox import OutboxRow
from crm_core.pagination import Page
from crm_core.resources import keyset_page
from crm_core.resources.paging import Order
from crm_core.resources.sorting import SortKey, SortSpec
from crm_helpdesk import domain
from crm_helpdesk.domain import ServiceState
from crm_helpdesk.models import ClientTierRow, MessageRow, QueueRow, SlaPolicyRow, TicketRow
from crm_helpdesk.portal_access import is_portal, portal_user, tickets_of

_PRIORITY = case({p: i for i, p in enumerate(domain.PRIORITIES)}, value=TicketRow.priority, else_=0)
TICKET_SORTS: SortSpec[None] = SortSpec(
    "tickets",
    {
        "updated_at": SortKey("datetime", TicketRow.updated_at),
        "created_at": SortKey("datetime", TicketRow.created_at),
        "due_at": SortKey("datetime", TicketRow.sla_due_at),
        "priority": SortKey("int", _PRIORITY),
        "number": SortKey("int", TicketRow.number),
    },
    "-updated_at",
    TicketRow.id,
)
_MESSAGES = Order("messages", [(MessageRow.created_at, False), (MessageRow.id, False)], ["datetime", "uuid"])


@dataclass(frozen=True)
class TicketFilter:
    queue_id: str = ""
    statuses: tuple[str, ...] = ()
    assignee_id: str | None = None
    priority: str = ""
    category: str = ""
    sla_state: str = ""
    requester_party_id: str = ""
    organisation_id: str = ""
    deal_id: str = ""
    query: str = ""


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _conditions(f: TicketFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.queue_id:
        where.append(TicketRow.queue_id == f.queue_id)
    if f.statuses:
        where.append(TicketRow.status.in_(f.statuses))
    if f.assignee_id is not None:
        where.append(TicketRow.owner_id == f.assignee_id)
    if f.priority:
        where.append(TicketRow.priority == f.priority)
    if f.category:
        where.append(TicketRow.category == f.category)
    if f.sla_state:
        where.append(TicketRow.sla_state == f.sla_state)
    if f.requester_party_id:
        where.append(TicketRow.requester_party_id == f.requester_party_id)
    if f.organisation_id:
        where.append(TicketRow.organisation_id == f.organisation_id)
    if f.deal_id:
        where.append(TicketRow.deal_id == f.deal_id)
    if f.query:
        pattern = _like(f.query)
        number = f.query.lstrip("#")
        found: list[ColumnElement[bool]] = [TicketRow.subject.ilike(pattern), TicketRow.requester_email.ilike(pattern)]
        if number.isdigit() and len(number) < 18:
            found.append(TicketRow.number == int(number))
        where.append(or_(*found))
    return where


async def ticket_access(session: AsyncSession, caller: Caller) -> ColumnElement[bool]:
    """SQL: the tickets the caller may see."""
    if is_portal(caller):
        return tickets_of(await portal_user(session, caller))
    return visible_to(caller, TicketRow)


class HelpdeskRepository:
    """Reads of the helpdesk database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def service_state(self) -> ServiceState:
        """The migration revision and the number of events not yet published."""
        async with self.db.readers() as session:
            revision = await session.scalar(text("SELECT version_num FROM alembic_version"))
            pending = await session.scalar(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.sent_at.is_(None))
            )
        return ServiceState(schema_revision=revision or "", pending_events=int(pending or 0))

    async def list_tickets(
        self, caller: Caller, f: TicketFilter, sort: str, limit: int, cursor: str
    ) -> tuple[Page[Any], int]:
        """A page of the tickets the caller may see that match `f`, and how many match."""
        order = TICKET_SORTS.parse(sort).order(None)
        async with self.db.readers() as session:
            where = [await ticket_access(session, caller), *_conditions(f)]
            page = await keyset_page(session, select(TicketRow).where(*where), order, limit, cursor)
            total = await session.scalar(select(func.count()).select_from(TicketRow).where(*where))
        return page, int(total or 0)

    async def messages(self, caller: Caller, ticket: TicketRow, limit: int, cursor: str) -> Page[Any]:
        """The ticket's thread, oldest first; portal users see public replies only."""
        query = select(MessageRow).where(MessageRow.ticket_id == ticket.id)
        if is_portal(caller):
            query = query.where(MessageRow.kind == "reply")
        async with self.db.readers() as session:
            return await keyset_page(session, query, _MESSAGES, limit, cursor)

    async def stats(self, caller: Caller, queue_id: str) -> dict[str, Any]:
        """Counts by status and SLA state, unassigned active tickets, average CSAT: of visible tickets."""
        async with self.db.readers() as session:
            where = [await ticket_access(session, caller)]
            if queue_id:
                where.append(TicketRow.queue_id == queue_id)
            by_status = dict(
                (await session.execute(select(TicketRow.status, func.count()).where(*where).group_by(TicketRow.status)))
                .tuples()
                .all()
            )
            active = [*where, TicketRow.status.in_(domain.ACTIVE)]
            by_sla = dict(
                (
                    await session.execute(
                        select(TicketRow.sla_state, func.count()).where(*active).group_by(TicketRow.sla_state)
                    )
                )
                .tuples()
                .all()
            )
            unassigned = await session.scalar(
                select(func.count()).select_from(TicketRow).where(*active, TicketRow.owner_id == "")
            )
            csat = (
                await session.execute(
                    select(func.avg(TicketRow.csat_rating), func.count()).where(*where, TicketRow.csat_rating > 0)
                )
            ).one()
        return {
            "by_status": by_status,
            "by_sla_state": by_sla,
            "unassigned": int(unassigned or 0),
            "csat_average": float(csat[0] or 0),
            "csat_count": int(csat[1] or 0),
        }

    async def queues(self, caller: Caller, include_archived: bool) -> list[tuple[QueueRow, int]]:
        """Queues with the number of their active tickets the caller may see."""
        async with self.db.readers() as session:
            open_count = (
                select(func.count())
                .select_from(TicketRow)
                .where(
                    TicketRow.queue_id == QueueRow.id,
                    TicketRow.status.in_(domain.ACTIVE),
                    visible_to(caller, TicketRow),
                )
                .scalar_subquery()
            )
            query = select(QueueRow, open_count).order_by(QueueRow.is_default.desc(), QueueRow.name)
            if not include_archived:
                query = query.where(QueueRow.archived.is_(False))
            return [(q, int(n)) for q, n in (await session.execute(query)).tuples()]

    async def policies(self, include_archived: bool) -> list[SlaPolicyRow]:
        async with self.db.readers() as session:
            query = select(SlaPolicyRow).order_by(SlaPolicyRow.position, SlaPolicyRow.name)
            if not include_archived:
                query = query.where(SlaPolicyRow.archived.is_(False))
            return list((await session.scalars(query)).all())

    async def tiers(self) -> list[ClientTierRow]:
        async with self.db.readers() as session:
            return list((await session.scalars(select(ClientTierRow).order_by(ClientTierRow.party_id))).all())
