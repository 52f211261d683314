"""/api/v1/tickets and /api/v1/helpdesk/*: the helpdesk service's tickets, queues, SLA policies, client tiers.

Staff see the tickets of their queues' teams, those assigned or shared to them; a ticket they may not see
is 404 and absent from lists and counts. Queues, policies and tiers are read by staff and changed by admins.
The customer portal's routes are in portal.py. See docs/helpdesk.md.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from crm.helpdesk.v1 import helpdesk_pb2 as pb
from crm_gateway import rest
from crm_gateway.deps import Call, Cursor, IfMatch, Limit
from crm_gateway.schemas.helpdesk import (
    AssignIn,
    ClientTierIn,
    ClientTierOut,
    MessageIn,
    MessageOut,
    MessagesPage,
    QueueCreate,
    QueueFields,
    QueueOut,
    RatingIn,
    SlaPolicyCreate,
    SlaPolicyFields,
    SlaPolicyOut,
    StatusIn,
    TicketCreate,
    TicketOut,
    TicketPatch,
    TicketsPage,
    TicketStatsOut,
)

router = APIRouter(prefix="/api/v1", tags=["helpdesk"])

Short = Annotated[str, Query(max_length=64)]


# --- tickets (fixed paths before /{ticket_id}) --------------------------------------------------------


@router.get("/tickets", response_model=TicketsPage, summary="Tickets you may see, with their SLA state")
async def list_tickets(
    call: Call,
    queue_id: Short = "",
    status: Annotated[
        str, Query(max_length=200, description="Comma-separated statuses; open_all = all but resolved and closed")
    ] = "",
    assignee_id: Annotated[str, Query(max_length=64, description='A user id, or "-" for unassigned')] = "",
    priority: Short = "",
    category: Short = "",
    sla_state: Annotated[
        str, Query(max_length=20, description="on_track, warning, breached, paused, met, missed, none")
    ] = "",
    requester_party_id: Short = "",
    organisation_id: Short = "",
    deal_id: Short = "",
    q: Annotated[str, Query(max_length=200, description="Words of the subject, an e-mail, or #number")] = "",
    sort: Annotated[
        str, Query(max_length=40, description="-updated_at (default), created_at, due_at, -priority, number")
    ] = "",
    limit: Limit = 50,
    cursor: Cursor = "",
) -> TicketsPage:
    result = await call.helpdesk.ListTickets(
        pb.ListTicketsRequest(
            queue_id=queue_id, status=status, assignee_id=assignee_id, priority=priority, category=category,
            sla_state=sla_state, requester_party_id=requester_party_id, organisation_id=organisation_id,
            deal_id=deal_id, query=q, sort=sort, limit=limit, cursor=cursor,
        )
    )  # fmt: skip
    return TicketsPage(
        items=[rest.out(t, TicketOut) for t in result.tickets], next_cursor=result.next_cursor, total=result.total
    )


@router.post("/tickets", response_model=TicketOut, status_code=201, summary="Open a ticket")
async def create_ticket(body: TicketCreate, call: Call, response: Response) -> TicketOut:
    message = await call.helpdesk.CreateTicket(rest.body_message(body, pb.CreateTicketRequest))
    response.headers["Location"] = f"/api/v1/tickets/{message.id}"
    return rest.versioned(message, TicketOut, response)


@router.get("/tickets/stats", response_model=TicketStatsOut, summary="Counts by status and SLA state, CSAT")
async def ticket_stats(call: Call, queue_id: Short = "") -> TicketStatsOut:
    return rest.out(await call.helpdesk.GetTicketStats(pb.GetTicketStatsRequest(queue_id=queue_id)), TicketStatsOut)


@router.get("/tickets/{ticket_id}", response_model=TicketOut, summary="A ticket (ETag = version)")
async def get_ticket(ticket_id: str, call: Call, response: Response) -> TicketOut:
    return rest.versioned(await call.helpdesk.GetTicket(pb.GetTicketRequest(id=ticket_id)), TicketOut, response)


@router.patch("/tickets/{ticket_id}", response_model=TicketOut, summary="Change a ticket's fields")
async def update_ticket(
    ticket_id: str, body: TicketPatch, call: Call, response: Response, if_match: IfMatch = None
) -> TicketOut:
    ticket, mask = rest.patch_message(body, pb.Ticket, ticket_id)
    message = await call.helpdesk.UpdateTicket(
        pb.UpdateTicketRequest(
            ticket=ticket,
            update_mask=mask,
            expected_version=rest.expected_version(if_match),
        )
    )
    return rest.versioned(message, TicketOut, response)


@router.post("/tickets/{ticket_id}/assign", response_model=TicketOut, summary="Give the ticket to an agent")
async def assign_ticket(
    ticket_id: str, body: AssignIn, call: Call, response: Response, if_match: IfMatch = None
) -> TicketOut:
    message = await call.helpdesk.AssignTicket(
        pb.AssignTicketRequest(
            id=ticket_id, assignee_id=body.assignee_id, expected_version=rest.expected_version(if_match)
        )
    )
    return rest.versioned(message, TicketOut, response)


@router.post("/tickets/{ticket_id}/status", response_model=TicketOut, summary="Move the ticket's status")
async def change_status(
    ticket_id: str, body: StatusIn, call: Call, response: Response, if_match: IfMatch = None
) -> TicketOut:
    message = await call.helpdesk.ChangeTicketStatus(
        pb.ChangeTicketStatusRequest(id=ticket_id, status=body.status, expected_version=rest.expected_version(if_match))
    )
    return rest.versioned(message, TicketOut, response)


@router.get("/tickets/{ticket_id}/messages", response_model=MessagesPage, summary="The ticket's thread")
async def list_messages(ticket_id: str, call: Call, limit: Limit = 100, cursor: Cursor = "") -> MessagesPage:
    result = await call.helpdesk.ListMessages(pb.ListMessagesRequest(ticket_id=ticket_id, limit=limit, cursor=cursor))
    return MessagesPage(items=[rest.out(m, MessageOut) for m in result.messages], next_cursor=result.next_cursor)


@router.post(
    "/tickets/{ticket_id}/messages", response_model=MessageOut, status_code=201, summary="Reply, or add a note"
)
async def add_message(ticket_id: str, body: MessageIn, call: Call) -> MessageOut:
    message = await call.helpdesk.AddMessage(
        pb.AddMessageRequest(ticket_id=ticket_id, kind=body.kind, body=body.body, status=body.status)
    )
    return rest.out(message, MessageOut)


@router.post("/tickets/{ticket_id}/rating", response_model=TicketOut, summary="Record the client's rating (CSAT)")
async def rate_ticket(ticket_id: str, body: RatingIn, call: Call, response: Response) -> TicketOut:
    message = await call.helpdesk.RateTicket(
        pb.RateTicketRequest(id=ticket_id, rating=body.rating, comment=body.comment)
    )
    return rest.versioned(message, TicketOut, response)


# --- queues, SLA policies, client tiers ------------------------------------------------------------------


@router.get("/helpdesk/queues", response_model=list[QueueOut], summary="Queues with their open tickets")
async def list_queues(call: Call, include_archived: bool = False) -> list[QueueOut]:
    result = await call.helpdesk.ListQueues(pb.ListQueuesRequest(include_archived=include_archived))
    return [rest.out(q, QueueOut) for q in result.queues]


@router.post("/helpdesk/queues", response_model=QueueOut, status_code=201, summary="Add a queue (admins)")
async def create_queue(body: QueueCreate, call: Call, response: Response) -> QueueOut:
    message = await call.helpdesk.CreateQueue(pb.CreateQueueRequest(queue=rest.body_message(body, pb.Queue)))
    response.headers["Location"] = f"/api/v1/helpdesk/queues/{message.id}"
    return rest.versioned(message, QueueOut, response)


@router.get("/helpdesk/queues/{queue_id}", response_model=QueueOut, summary="A queue (ETag = version)")
async def get_queue(queue_id: str, call: Call, response: Response) -> QueueOut:
    return rest.versioned(await call.helpdesk.GetQueue(pb.GetQueueRequest(id=queue_id)), QueueOut, response)


@router.patch("/helpdesk/queues/{queue_id}", response_model=QueueOut, summary="Change a queue (admins)")
async def update_queue(
    queue_id: str, body: QueueFields, call: Call, response: Response, if_match: IfMatch = None
) -> QueueOut:
    queue, mask = rest.patch_message(body, pb.Queue, queue_id)
    message = await call.helpdesk.UpdateQueue(
        pb.UpdateQueueRequest(
            queue=queue,
            update_mask=mask,
            expected_version=rest.expected_version(if_match),
        )
    )
    return rest.versioned(message, QueueOut, response)


@router.get("/helpdesk/sla-policies", response_model=list[SlaPolicyOut], summary="SLA policies")
async def list_policies(call: Call, include_archived: bool = False) -> list[SlaPolicyOut]:
    result = await call.helpdesk.ListSlaPolicies(pb.ListSlaPoliciesRequest(include_archived=include_archived))
    return [rest.out(p, SlaPolicyOut) for p in result.policies]


@router.post("/helpdesk/sla-policies", response_model=SlaPolicyOut, status_code=201, summary="Add an SLA policy")
async def create_policy(body: SlaPolicyCreate, call: Call, response: Response) -> SlaPolicyOut:
    message = await call.helpdesk.CreateSlaPolicy(
        pb.CreateSlaPolicyRequest(policy=rest.body_message(body, pb.SlaPolicy))
    )
    return rest.versioned(message, SlaPolicyOut, response)


@router.patch("/helpdesk/sla-policies/{policy_id}", response_model=SlaPolicyOut, summary="Change an SLA policy")
async def update_policy(
    policy_id: str, body: SlaPolicyFields, call: Call, response: Response, if_match: IfMatch = None
) -> SlaPolicyOut:
    policy, mask = rest.patch_message(body, pb.SlaPolicy, policy_id)
    message = await call.helpdesk.UpdateSlaPolicy(
        pb.UpdateSlaPolicyRequest(
            policy=policy,
            update_mask=mask,
            expected_version=rest.expected_version(if_match),
        )
    )
    return rest.versioned(message, SlaPolicyOut, response)


@router.get("/helpdesk/client-tiers", response_model=list[ClientTierOut], summary="Clients with a special tier")
async def list_tiers(call: Call) -> list[ClientTierOut]:
    result = await call.helpdesk.ListClientTiers(pb.ListClientTiersRequest())
    return [rest.out(t, ClientTierOut) for t in result.tiers]


@router.put("/helpdesk/client-tiers/{party_id}", response_model=ClientTierOut, summary="Set a client's tier (admins)")
async def set_tier(party_id: str, body: ClientTierIn, call: Call) -> ClientTierOut:
    result = await call.helpdesk.SetClientTier(pb.SetClientTierRequest(party_id=party_id, tier=body.tier))
    return rest.out(result, ClientTierOut)
