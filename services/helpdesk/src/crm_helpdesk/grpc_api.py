"""gRPC servicer of crm.helpdesk.v1.HelpdeskService: protobuf <-> domain, nothing more."""

from __future__ import annotations

from datetime import datetime
from typing import TypeAlias

import grpc

from crm.helpdesk.v1 import helpdesk_pb2 as pb
from crm.helpdesk.v1 import helpdesk_pb2_grpc
from crm_core.auth import current_caller
from crm_core.clock import Clock
from crm_core.db import Database, is_uuid
from crm_core.errors import Validator, invalid
from crm_core.fields import choice, record_id, text
from crm_core.pagination import clamp_limit
from crm_core.protojson import timestamp
from crm_helpdesk import DOMAIN, domain, inputs
from crm_helpdesk.mail_ingest import EmailIntake
from crm_helpdesk.models import MessageRow, QueueRow, SlaPolicyRow, TicketRow
from crm_helpdesk.portal_access import is_portal, staff_only
from crm_helpdesk.repository import HelpdeskRepository, TicketFilter
from crm_helpdesk.settings_admin import HelpdeskSetup
from crm_helpdesk.sla_clock import SlaClock, first_response, resolution, sla_state
from crm_helpdesk.tickets import Tickets, visible_ticket

Context: TypeAlias = grpc.aio.ServicerContext


def sla_target(clock: SlaClock, target: domain.Target, row: TicketRow, now: datetime) -> pb.SlaTarget:
    paused = row.sla_paused_at is not None
    return pb.SlaTarget(
        state=target.state(now, paused),
        due_at=timestamp(target.due_at),
        met_at=timestamp(target.met_at),
        target_minutes=target.minutes,
        minutes_left=target.minutes_left(clock.calendar, now, row.sla_paused_at),
    )


def ticket_message(row: TicketRow, clock: SlaClock, now: datetime, portal: bool = False) -> pb.Ticket:
    """A ticket as the API shows it; its SLA computed at `now`. Portal users get no staff-side details
    (assignee, team, sharing, who created it)."""
    message = pb.Ticket(
        id=row.id,
        number=row.number,
        subject=row.subject,
        description=row.description,
        requester_party_id=row.requester_party_id or "",
        requester_name=row.requester_name,
        requester_email=row.requester_email,
        organisation_id=row.organisation_id or "",
        channel=row.channel,
        priority=row.priority,
        category=row.category,
        status=row.status,
        tier=row.tier,
        first_response=sla_target(clock, first_response(row), row, now),
        resolution=sla_target(clock, resolution(row), row, now),
        sla_state=sla_state(row, now),
        csat_rating=row.csat_rating,
        csat_comment=row.csat_comment,
        created_at=timestamp(row.created_at),
        updated_at=timestamp(row.updated_at),
        resolved_at=timestamp(row.resolved_at),
        closed_at=timestamp(row.closed_at),
        version=row.version,
        message_count=row.message_count,
        last_message_at=timestamp(row.last_message_at),
    )
    if not portal:
        message.queue_id = row.queue_id
        message.assignee_id = row.owner_id
        message.deal_id = row.deal_id or ""
        message.sla_policy_id = row.sla_policy_id or ""
        message.team_id = row.team_id or ""
        message.shared_with.extend(row.shared_with)
        message.created_by = row.created_by
    return message


def thread_message(row: MessageRow, portal: bool = False) -> pb.TicketMessage:
    return pb.TicketMessage(
        id=row.id,
        ticket_id=row.ticket_id,
        kind=row.kind,
        author_type=row.author_type,
        author_id="" if portal else row.author_id,
        author_name=row.author_name,
        body=row.body,
        channel=row.channel,
        email_message_id="" if portal else row.email_message_id,
        created_at=timestamp(row.created_at),
    )


def queue_message(row: QueueRow, open_tickets: int = 0) -> pb.Queue:
    return pb.Queue(
        id=row.id,
        name=row.name,
        team_id=row.team_id or "",
        lead_id=row.lead_id,
        agent_ids=row.agent_ids,
        strategy=row.strategy,
        categories=row.categories,
        email_address=row.email_address,
        is_default=row.is_default,
        archived=row.archived,
        version=row.version,
        open_tickets=open_tickets,
        shipped_key=row.shipped_key or "",
    )


def policy_message(row: SlaPolicyRow) -> pb.SlaPolicy:
    return pb.SlaPolicy(
        id=row.id,
        name=row.name,
        priority=row.priority,
        category=row.category,
        tier=row.tier,
        first_response_minutes=row.first_response_minutes,
        resolution_minutes=row.resolution_minutes,
        warning_percent=row.warning_percent,
        position=row.position,
        archived=row.archived,
        version=row.version,
        shipped_key=row.shipped_key or "",
    )


def parse_filter(request: pb.ListTicketsRequest) -> TicketFilter:
    v = Validator()
    statuses: list[str] = []
    for status in (s.strip() for s in request.status.split(",") if s.strip()):
        if status == "open_all":
            statuses += domain.ACTIVE
        elif status in domain.STATUSES:
            statuses.append(status)
        else:
            v.add("status", "not_allowed", f"status must be among: open_all, {', '.join(domain.STATUSES)}")
    for name in ("queue_id", "requester_party_id", "organisation_id", "deal_id"):
        record_id(v, getattr(request, name), name)
    result = TicketFilter(
        queue_id=request.queue_id,
        statuses=tuple(dict.fromkeys(statuses)),
        assignee_id=(inputs.user_id(v, request.assignee_id, "assignee_id") if request.assignee_id else None),
        priority=choice(v, request.priority, "priority", domain.PRIORITIES) or "",
        category=choice(v, request.category, "category", domain.CATEGORIES) or "",
        sla_state=choice(v, request.sla_state, "sla_state", domain.SLA_STATES) or "",
        requester_party_id=request.requester_party_id,
        organisation_id=request.organisation_id,
        deal_id=request.deal_id,
        query=text(v, request.query, "query", 200) or "",
    )
    # "-": unassigned tickets.
    if request.assignee_id == "-":
        result = TicketFilter(**{**result.__dict__, "assignee_id": ""})
    v.raise_if_any()
    return result


class HelpdeskServicer(helpdesk_pb2_grpc.HelpdeskServiceServicer):
    """Every method reads the caller from context; access rules live in the repository and the commands."""

    def __init__(
        self,
        db: Database,
        stream: str,
        clock: Clock,
        tickets: Tickets,
        setup: HelpdeskSetup,
        intake: EmailIntake,
    ) -> None:
        self.db = db
        self.repository = HelpdeskRepository(db)
        self.stream = stream
        self.clock = clock
        self.tickets = tickets
        self.setup = setup
        self.intake = intake

    def _ticket(self, row: TicketRow) -> pb.Ticket:
        return ticket_message(row, self.tickets.sla, self.clock.now(), is_portal(current_caller()))

    async def GetServiceInfo(self, request: pb.GetServiceInfoRequest, context: Context) -> pb.ServiceInfo:
        """The database revision, the event stream and the events waiting to be published."""
        state = await self.repository.service_state()
        return pb.ServiceInfo(
            name=DOMAIN,
            schema_revision=state.schema_revision,
            stream=self.stream,
            pending_events=state.pending_events,
        )

    # --- tickets ---

    async def CreateTicket(self, request: pb.CreateTicketRequest, context: Context) -> pb.Ticket:
        return self._ticket(await self.tickets.open(current_caller(), inputs.parse_new_ticket(request)))

    async def GetTicket(self, request: pb.GetTicketRequest, context: Context) -> pb.Ticket:
        async with self.db.readers() as session:
            row = await visible_ticket(session, current_caller(), request.id)
        return self._ticket(row)

    async def ListTickets(self, request: pb.ListTicketsRequest, context: Context) -> pb.ListTicketsResponse:
        caller = current_caller()
        page, total = await self.repository.list_tickets(
            caller, parse_filter(request), request.sort, clamp_limit(request.limit), request.cursor
        )
        now, portal = self.clock.now(), is_portal(caller)
        return pb.ListTicketsResponse(
            tickets=[ticket_message(row, self.tickets.sla, now, portal) for row in page.items],
            next_cursor=page.next_cursor,
            total=total,
        )

    async def UpdateTicket(self, request: pb.UpdateTicketRequest, context: Context) -> pb.Ticket:
        staff_only(current_caller(), "change a ticket")
        changes = inputs.parse_ticket_changes(request.ticket, request.update_mask.paths)
        row = await self.tickets.update(current_caller(), request.ticket.id, changes, request.expected_version)
        return self._ticket(row)

    async def AssignTicket(self, request: pb.AssignTicketRequest, context: Context) -> pb.Ticket:
        v = Validator()
        assignee = inputs.user_id(v, request.assignee_id, "assignee_id")
        v.raise_if_any()
        row = await self.tickets.assign(current_caller(), request.id, assignee, request.expected_version)
        return self._ticket(row)

    async def ChangeTicketStatus(self, request: pb.ChangeTicketStatusRequest, context: Context) -> pb.Ticket:
        status = inputs.parse_status(request.status)
        row = await self.tickets.change_status(current_caller(), request.id, status, request.expected_version)
        return self._ticket(row)

    async def AddMessage(self, request: pb.AddMessageRequest, context: Context) -> pb.TicketMessage:
        caller = current_caller()
        data = inputs.parse_new_message(request)
        if is_portal(caller):
            data = inputs.NewMessage(data.kind, data.body, data.status, "portal")
        _, message = await self.tickets.add_message(caller, request.ticket_id, data)
        return thread_message(message, is_portal(caller))

    async def ListMessages(self, request: pb.ListMessagesRequest, context: Context) -> pb.ListMessagesResponse:
        caller = current_caller()
        async with self.db.readers() as session:
            ticket = await visible_ticket(session, caller, request.ticket_id)
        page = await self.repository.messages(caller, ticket, clamp_limit(request.limit), request.cursor)
        portal = is_portal(caller)
        return pb.ListMessagesResponse(
            messages=[thread_message(row, portal) for row in page.items], next_cursor=page.next_cursor
        )

    async def RateTicket(self, request: pb.RateTicketRequest, context: Context) -> pb.Ticket:
        rating, comment = inputs.parse_rating(request)
        return self._ticket(await self.tickets.rate(current_caller(), request.id, rating, comment))

    async def GetTicketStats(self, request: pb.GetTicketStatsRequest, context: Context) -> pb.TicketStats:
        if request.queue_id and not is_uuid(request.queue_id):
            raise invalid("queue_id", "invalid_id", "queue_id is not an id")
        stats = await self.repository.stats(current_caller(), request.queue_id)
        return pb.TicketStats(**stats)

    # --- e-mail ---

    async def IngestEmail(self, request: pb.IngestEmailRequest, context: Context) -> pb.IngestEmailResponse:
        """One raw e-mail: a new ticket, a reply on one, or ignored (crm_helpdesk.mail_ingest)."""
        taken = await self.intake.ingest(current_caller(), request.raw, request.mailbox)
        return pb.IngestEmailResponse(
            outcome=taken.outcome,
            reason=taken.reason,
            ticket_id=taken.ticket_id,
            message_id=taken.message_id,
            attachments=taken.attachments,
        )

    # --- queues, policies, tiers ---

    async def ListQueues(self, request: pb.ListQueuesRequest, context: Context) -> pb.ListQueuesResponse:
        caller = current_caller()
        staff_only(caller, "see queues")
        rows = await self.repository.queues(caller, request.include_archived)
        return pb.ListQueuesResponse(queues=[queue_message(q, n) for q, n in rows])

    async def GetQueue(self, request: pb.GetQueueRequest, context: Context) -> pb.Queue:
        staff_only(current_caller(), "see queues")
        return queue_message(await self.setup.get_queue(request.id))

    async def CreateQueue(self, request: pb.CreateQueueRequest, context: Context) -> pb.Queue:
        values = inputs.parse_queue(request.queue)
        return queue_message(await self.setup.create_queue(current_caller(), values))

    async def UpdateQueue(self, request: pb.UpdateQueueRequest, context: Context) -> pb.Queue:
        values = inputs.parse_queue(request.queue, request.update_mask.paths)
        row = await self.setup.update_queue(current_caller(), request.queue.id, values, request.expected_version)
        return queue_message(row)

    async def ListSlaPolicies(self, request: pb.ListSlaPoliciesRequest, context: Context) -> pb.ListSlaPoliciesResponse:
        staff_only(current_caller(), "see SLA policies")
        rows = await self.repository.policies(request.include_archived)
        return pb.ListSlaPoliciesResponse(policies=[policy_message(p) for p in rows])

    async def CreateSlaPolicy(self, request: pb.CreateSlaPolicyRequest, context: Context) -> pb.SlaPolicy:
        values = inputs.parse_policy(request.policy)
        return policy_message(await self.setup.create_policy(current_caller(), values))

    async def UpdateSlaPolicy(self, request: pb.UpdateSlaPolicyRequest, context: Context) -> pb.SlaPolicy:
        values = inputs.parse_policy(request.policy, request.update_mask.paths)
        row = await self.setup.update_policy(current_caller(), request.policy.id, values, request.expected_version)
        return policy_message(row)

    async def SetClientTier(self, request: pb.SetClientTierRequest, context: Context) -> pb.ClientTier:
        party_id, tier = inputs.parse_tier(request)
        row = await self.setup.set_tier(current_caller(), party_id, tier)
        return pb.ClientTier(party_id=row.party_id, tier=row.tier)

    async def ListClientTiers(self, request: pb.ListClientTiersRequest, context: Context) -> pb.ListClientTiersResponse:
        staff_only(current_caller(), "see client tiers")
        return pb.ListClientTiersResponse(
            tiers=[pb.ClientTier(party_id=t.party_id, tier=t.tier) for t in await self.repository.tiers()]
        )
