"""State changes of tickets: one transaction each, with its audit entry and outbox event.

Staff see and change the tickets of their queues' teams, those assigned to them and those shared with them
(crm_core.acl); portal users (crm_helpdesk.portal_access) open tickets for their organisation, reply to
them and rate them, and nothing else. The SLA clocks (crm_helpdesk.sla_clock) move with every change.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import helpdesk_pb2 as events
from crm_core.acl import visible_to
from crm_core.audit import diff, record_audit
from crm_core.auth import Caller
from crm_core.business_hours import BusinessCalendar
from crm_core.clock import Clock
from crm_core.db import Database, is_uuid
from crm_core.errors import FailedPrecondition, invalid
from crm_core.events import Namespace, record_event
from crm_core.resources import get_visible
from crm_core.resources.versioning import check_version
from crm_core.scopes import scope_of_record
from crm_helpdesk import DOMAIN, domain
from crm_helpdesk.inputs import Author, NewMessage, NewTicket
from crm_helpdesk.models import ClientTierRow, MessageRow, QueueRow, SlaPolicyRow, TicketRow, audited
from crm_helpdesk.portal_access import is_portal, portal_user, staff_only, tickets_of
from crm_helpdesk.requesters import Requester, Requesters
from crm_helpdesk.sla_clock import SlaClock

# Events by the status a change moves a ticket to (others: ticket.status_changed).
STATUS_EVENTS = {"resolved": "ticket.resolved", "reopened": "ticket.reopened", "closed": "ticket.closed"}


async def visible_ticket(session: AsyncSession, caller: Caller, ticket_id: str, *, lock: bool = False) -> TicketRow:
    """The ticket as the caller may see it (staff: crm_core.acl; portal: their organisation's), or NOT_FOUND."""
    if is_portal(caller):
        user = await portal_user(session, caller)
        return await get_visible(session, TicketRow, "ticket", ticket_id, tickets_of(user), lock=lock)
    return await get_visible(session, TicketRow, "ticket", ticket_id, visible_to(caller, TicketRow), lock=lock)


def ticket_event(row: TicketRow, **extra: Any) -> events.TicketChanged:
    return events.TicketChanged(
        ticket_id=row.id,
        number=row.number,
        subject=row.subject,
        status=row.status,
        priority=row.priority,
        category=row.category,
        channel=row.channel,
        queue_id=row.queue_id,
        assignee_id=row.owner_id,
        requester_party_id=row.requester_party_id or "",
        organisation_id=row.organisation_id or "",
        deal_id=row.deal_id or "",
        sla_state=row.sla_state,
        **extra,
    )


async def publish(
    session: AsyncSession, namespace: Namespace, caller: Caller, event_type: str, row: TicketRow, payload: Any
) -> None:
    """The event of a ticket change, in the change's transaction: on the requester's and organisation's
    timelines, seen by whoever may see the ticket."""
    parties = [p for p in dict.fromkeys((row.requester_party_id, row.organisation_id)) if p]
    await record_event(
        session,
        namespace,
        DOMAIN,
        event_type,
        subject_id=row.id,
        payload=payload,
        actor=caller,
        version=row.version,
        party_ids=parties,
        summary=f"#{row.number} {row.subject}: {row.status}",
        scopes=[scope_of_record("ticket", row)],
    )


class Tickets:
    """Opening, changing, answering and rating tickets."""

    def __init__(
        self,
        db: Database,
        namespace: Namespace,
        clock: Clock,
        calendar: BusinessCalendar,
        requesters: Requesters,
    ) -> None:
        self.db = db
        self.namespace = namespace
        self.clock = clock
        self.sla = SlaClock(calendar)
        self.requesters = requesters

    # --- opening ---------------------------------------------------------------------------------------

    async def _requester(self, session: AsyncSession, caller: Caller, data: NewTicket) -> Requester:
        if is_portal(caller):
            user = await portal_user(session, caller)
            return Requester(user.party_id, user.name, user.email, user.organisation_id)
        if data.requester_party_id:
            found = await self.requesters.by_party(caller, data.requester_party_id)
            return Requester(
                found.party_id, data.requester_name or found.name, data.requester_email or found.email,
                found.organisation_id,
            )  # fmt: skip
        if data.requester_email:
            known = await self.requesters.by_email(data.requester_email)
            if known is not None:
                return Requester(known.party_id, data.requester_name or known.name, known.email, known.organisation_id)
            return Requester("", data.requester_name, data.requester_email, None)
        if data.requester_name:
            return Requester("", data.requester_name, "", None)
        raise invalid("requester_party_id", "requester_required", "name the requester: a client, an e-mail or a name")

    async def _queue(self, session: AsyncSession, data: NewTicket) -> QueueRow:
        """The queue named, else the one whose mailbox received the e-mail, else the one serving the category,
        else the default; locked, since choosing its next agent changes it."""
        live = select(QueueRow).where(QueueRow.archived.is_(False)).with_for_update()
        if data.queue_id:
            queue = await session.scalar(live.where(QueueRow.id == data.queue_id))
            if queue is None:
                raise invalid("queue_id", "queue_not_found", "no such queue")
            return queue
        candidates = []
        if data.mailbox:
            candidates.append(QueueRow.email_address == data.mailbox.lower())
        candidates += [QueueRow.categories.contains([data.category]), QueueRow.is_default.is_(True)]
        for condition in candidates:
            queue = await session.scalar(live.where(condition).order_by(QueueRow.created_at).limit(1))
            if queue is not None:
                return queue
        raise FailedPrecondition("no_queue", "there is no queue for new tickets; an admin makes one the default")

    async def _assignee(self, session: AsyncSession, queue: QueueRow, requested: str) -> str:
        if requested:
            return requested
        counts: dict[str, int] = {}
        if queue.strategy == "least_loaded" and queue.agent_ids:
            rows = await session.execute(
                select(TicketRow.owner_id, func.count())
                .where(TicketRow.owner_id.in_(queue.agent_ids), TicketRow.status.in_(domain.ACTIVE))
                .group_by(TicketRow.owner_id)
            )
            counts = {owner: count for owner, count in rows.tuples()}
        agent = domain.pick_agent(queue.strategy, queue.agent_ids, queue.last_assigned_id, counts)
        if agent:
            queue.last_assigned_id = agent
        return agent

    async def _tier(self, session: AsyncSession, requester: Requester) -> str:
        for party in (requester.organisation_id, requester.party_id):
            if party:
                tier = await session.scalar(select(ClientTierRow.tier).where(ClientTierRow.party_id == party))
                if tier:
                    return tier
        return "standard"

    async def open(self, caller: Caller, data: NewTicket, author: Author | None = None) -> TicketRow:
        """A new ticket with its queue, assignee, SLA policy and targets (ticket.opened)."""
        if data.deal_id and not is_portal(caller):  # a portal user naming a deal is refused by open_in
            await self.requesters.check_deal(caller, data.deal_id)
        async with self.db.transaction() as session:
            row, _ = await self.open_in(session, caller, data, author)
        return row

    async def open_in(
        self, session: AsyncSession, caller: Caller, data: NewTicket, author: Author | None = None
    ) -> tuple[TicketRow, str]:
        """`open` in the caller's transaction (the e-mail intake), without the deal check (which asks deals):
        the ticket and its first message's id ("" when it has none: only a ticket from an e-mail starts its
        thread with the e-mail)."""
        portal = is_portal(caller)
        if portal and (data.queue_id or data.assignee_id or data.deal_id):
            staff_only(caller, "choose a ticket's queue, assignee or deal")
        requester = await self._requester(session, caller, data)
        queue = await self._queue(session, data)
        now = self.clock.now()
        row = TicketRow(
            subject=data.subject,
            description=data.description,
            requester_party_id=requester.party_id or None,
            requester_name=requester.name,
            requester_email=requester.email,
            organisation_id=requester.organisation_id,
            channel="portal" if portal else data.channel,
            priority=data.priority,
            category=data.category,
            queue_id=queue.id,
            status="new",
            deal_id=data.deal_id or None,
            tier=await self._tier(session, requester),
            owner_id=await self._assignee(session, queue, "" if portal else data.assignee_id),
            team_id=queue.team_id,
            shared_with=[],
            email_token=secrets.token_hex(3),
            created_by=caller.user_id,
            created_at=now,
            updated_at=now,
            # Read by the SLA rules before the row is flushed (column defaults apply only then).
            sla_paused_minutes=0,
            message_count=0,
            version=1,
            **{f"{target}_{flag}": False for target in domain.TARGETS for flag in ("warned", "breached")},
        )
        in_team = bool(row.team_id) and row.team_id in caller.team_ids
        if not (portal or caller.is_admin or in_team or caller.user_id == row.owner_id):
            row.shared_with = [caller.user_id]  # whoever opens a ticket keeps seeing it
        policies = (await session.scalars(select(SlaPolicyRow).where(SlaPolicyRow.archived.is_(False)))).all()
        self.sla.start(row, policies, now)
        session.add(row)
        await session.flush()
        message_id = ""
        if data.email_message_id:
            first = self._message_row(row, NewMessage("reply", data.description, "", data.channel,
                                                      data.email_message_id), author or Author("requester"))  # fmt: skip
            session.add(first)
            row.message_count, row.last_message_at = 1, now
            await session.flush()
            message_id = first.id
        await session.refresh(row, ["number"])
        record_audit(
            session, entity_type="ticket", entity_id=row.id, action="create", actor_id=caller.user_id,
            changes=diff({}, audited(row)),
        )  # fmt: skip
        await publish(session, self.namespace, caller, "ticket.opened", row, ticket_event(row, message_id=message_id))
        if row.owner_id:
            await publish(session, self.namespace, caller, "ticket.assigned", row, ticket_event(row))
        return row, message_id

    # --- changes ---------------------------------------------------------------------------------------

    async def update(self, caller: Caller, ticket_id: str, changes: dict[str, Any], expected: int) -> TicketRow:
        """Subject, description, priority, category, queue, deal, requester, sharing (staff)."""
        staff_only(caller, "change a ticket")
        if changes.get("deal_id"):
            await self.requesters.check_deal(caller, changes["deal_id"])
        async with self.db.transaction() as session:
            row = await visible_ticket(session, caller, ticket_id, lock=True)
            check_version("ticket", row, expected)
            before = audited(row)
            if changes.get("queue_id") and changes["queue_id"] != row.queue_id:
                queue = await session.scalar(
                    select(QueueRow).where(QueueRow.id == changes["queue_id"], QueueRow.archived.is_(False))
                )
                if queue is None:
                    raise invalid("queue_id", "queue_not_found", "no such queue")
                row.team_id = queue.team_id
            if changes.get("requester_party_id"):
                found = await self.requesters.by_party(caller, changes["requester_party_id"])
                row.organisation_id = found.organisation_id
                changes.setdefault("requester_name", found.name)
                if not row.requester_email:
                    changes.setdefault("requester_email", found.email)
            elif "requester_party_id" in changes:
                row.organisation_id = None
            for name, value in changes.items():
                setattr(row, name, value)
            now = self.clock.now()
            if {"priority", "category"} & changes.keys():
                policies = (await session.scalars(select(SlaPolicyRow).where(SlaPolicyRow.archived.is_(False)))).all()
                self.sla.rematch(row, policies, now)
            changed = diff(before, audited(row))
            if not changed:
                return row
            self._touch(row, now)
            record_audit(
                session, entity_type="ticket", entity_id=row.id, action="update", actor_id=caller.user_id,
                changes=changed,
            )  # fmt: skip
            await publish(session, self.namespace, caller, "ticket.updated", row, ticket_event(row))
        return row

    async def assign(self, caller: Caller, ticket_id: str, assignee_id: str, expected: int) -> TicketRow:
        """Gives the ticket to an agent ("" unassigns): ticket.assigned."""
        staff_only(caller, "assign a ticket")
        async with self.db.transaction() as session:
            row = await visible_ticket(session, caller, ticket_id, lock=True)
            check_version("ticket", row, expected)
            if row.owner_id == assignee_id:
                return row
            before = row.owner_id
            row.owner_id = assignee_id
            self._touch(row, self.clock.now())
            record_audit(
                session, entity_type="ticket", entity_id=row.id, action="assign", actor_id=caller.user_id,
                changes={"owner_id": {"old": before, "new": assignee_id}},
            )  # fmt: skip
            await publish(session, self.namespace, caller, "ticket.assigned", row, ticket_event(row))
        return row

    async def change_status(self, caller: Caller, ticket_id: str, status: str, expected: int) -> TicketRow:
        """Moves the status along domain.TRANSITIONS (staff); the SLA clocks pause and resume with it."""
        staff_only(caller, "change a ticket's status")
        async with self.db.transaction() as session:
            row = await visible_ticket(session, caller, ticket_id, lock=True)
            check_version("ticket", row, expected)
            await self._move(session, caller, row, status)
        return row

    async def _move(self, session: AsyncSession, caller: Caller, row: TicketRow, status: str) -> None:
        if row.status == status:
            return
        if not domain.can_move(row.status, status):
            raise FailedPrecondition("status_change_not_allowed", f"a ticket cannot go from {row.status} to {status}")
        before, now = row.status, self.clock.now()
        row.status = status
        if status == "resolved":
            row.resolved_at = now
        if status == "closed":
            row.closed_at = now
        if status == "reopened":
            row.resolved_at = row.closed_at = None
        self.sla.follow_status(row, now)
        self._touch(row, now)
        record_audit(
            session, entity_type="ticket", entity_id=row.id, action="status", actor_id=caller.user_id,
            changes={"status": {"old": before, "new": status}},
        )  # fmt: skip
        event_type = STATUS_EVENTS.get(status, "ticket.status_changed")
        await publish(session, self.namespace, caller, event_type, row, ticket_event(row, from_status=before))

    # --- the thread --------------------------------------------------------------------------------------

    def _message_row(self, row: TicketRow, data: NewMessage, author: Author) -> MessageRow:
        return MessageRow(
            ticket_id=row.id,
            kind=data.kind,
            author_type=author.kind,
            author_id=author.id,
            author_name=author.name,
            body=data.body,
            channel=data.channel,
            email_message_id=data.email_message_id,
            created_at=self.clock.now(),
        )

    async def add_message(
        self, caller: Caller, ticket_id: str, data: NewMessage, author: Author | None = None
    ) -> tuple[TicketRow, MessageRow]:
        """A public reply or an internal note (ticket.replied). A staff reply is the first response; the
        requester's reply brings a ticket waiting on them (or resolved) back to work."""
        async with self.db.transaction() as session:
            row = await visible_ticket(session, caller, ticket_id, lock=True)
            message = await self.add_to(session, caller, row, data, author)
        return row, message

    async def add_to(
        self, session: AsyncSession, caller: Caller, row: TicketRow, data: NewMessage, author: Author | None = None
    ) -> MessageRow:
        """`add_message` on a ticket already read for update in the caller's transaction (the e-mail intake)."""
        portal = is_portal(caller)
        if author is None:
            if portal:
                user = await portal_user(session, caller)
                author = Author("requester", caller.user_id, user.name)
            else:
                author = Author("staff", caller.user_id)
        from_requester = author.kind == "requester"
        if from_requester and data.kind != "reply":
            staff_only(caller, "write internal notes")
        if from_requester and data.status:
            staff_only(caller, "change a ticket's status")
        if from_requester and row.status == "closed":
            raise FailedPrecondition("ticket_closed", "this ticket is closed; open a new one")
        message = self._message_row(row, data, author)
        session.add(message)
        now = self.clock.now()
        row.message_count += 1
        row.last_message_at = now
        if author.kind == "staff" and data.kind == "reply" and row.first_response_at is None:
            self.sla.first_response(row, now)
        target = data.status
        if from_requester:
            target = domain.REPLY_MOVES.get(row.status, "")
        elif data.kind == "reply" and not target and row.status == "new":
            target = "open"
        self._touch(row, now)
        await session.flush()
        await publish(
            session, self.namespace, caller, "ticket.replied", row,
            ticket_event(row, message_kind=data.kind, author_type=author.kind, message_id=message.id),
        )  # fmt: skip
        if target:
            await self._move(session, caller, row, target)
        return message

    async def rate(self, caller: Caller, ticket_id: str, rating: int, comment: str) -> TicketRow:
        """The requester's satisfaction with a resolved or closed ticket (csat.rated); a new rating replaces one."""
        async with self.db.transaction() as session:
            row = await visible_ticket(session, caller, ticket_id, lock=True)
            if row.status not in ("resolved", "closed"):
                raise FailedPrecondition("ticket_not_resolved", "a ticket is rated once it is resolved")
            before = {"csat_rating": row.csat_rating, "csat_comment": row.csat_comment}
            row.csat_rating, row.csat_comment = rating, comment
            now = self.clock.now()
            row.csat_at = now
            self._touch(row, now)
            record_audit(
                session, entity_type="ticket", entity_id=row.id, action="rate", actor_id=caller.user_id,
                changes=diff(before, {"csat_rating": rating, "csat_comment": comment}),
            )  # fmt: skip
            payload = events.CsatRated(
                ticket_id=row.id, number=row.number, subject=row.subject, rating=rating, comment=comment,
                requester_party_id=row.requester_party_id or "", organisation_id=row.organisation_id or "",
                assignee_id=row.owner_id, queue_id=row.queue_id,
            )  # fmt: skip
            await publish(session, self.namespace, caller, "csat.rated", row, payload)
        return row

    def _touch(self, row: TicketRow, now: Any) -> None:
        row.updated_at = now
        row.version += 1


async def ticket_is_visible(session: AsyncSession, caller: Caller, ticket_id: str) -> bool:
    """The audit trail of a ticket is for staff who may see it (crm_core.common's AuditService)."""
    if is_portal(caller) or not is_uuid(ticket_id):  # "0" is no ticket, not a query PostgreSQL refuses
        return False
    found = await session.scalar(select(TicketRow.id).where(TicketRow.id == ticket_id, visible_to(caller, TicketRow)))
    return found is not None
