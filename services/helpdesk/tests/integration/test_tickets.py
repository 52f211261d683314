"""Tickets against the real database and NATS: opening for a client, the thread, statuses, SLA clocks that
pause and breach once, queues that assign, access for staff and portal users, bad input."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import grpc
import pytest
from faker import Faker
from google.protobuf import field_mask_pb2
from sqlalchemy import select

from crm.contacts.v1 import contacts_pb2
from crm.events.v1 import envelope_pb2
from crm.helpdesk.v1 import helpdesk_pb2 as pb
from crm.helpdesk.v1 import helpdesk_pb2_grpc
from crm_core.auth import Caller
from crm_core.events.outbox import OutboxRow
from crm_core.service import ServiceApp
from crm_core.testing import CallerStub, eventually
from crm_helpdesk.portal_models import PortalUserRow
from crm_helpdesk.sla import SlaWatch

fake = Faker("ru_RU")


async def company(stub) -> contacts_pb2.Party:  # type: ignore[no-untyped-def]
    party = contacts_pb2.Party(
        kind="company",
        company=contacts_pb2.CompanyDetails(legal_name=fake.company(), inn=fake.businesses_inn()),
        emails=[contacts_pb2.ContactPoint(kind="work", value=f"office-{uuid.uuid4().hex[:8]}@example.ru")],
    )
    created = await stub.CreateParty(contacts_pb2.CreatePartyRequest(party=party, allow_duplicate=True))
    return created.party


async def person_of(stub, org: contacts_pb2.Party) -> contacts_pb2.Party:  # type: ignore[no-untyped-def]
    party = contacts_pb2.Party(
        kind="person",
        person=contacts_pb2.PersonDetails(first_name=fake.first_name_male(), last_name=fake.last_name_male()),
        emails=[contacts_pb2.ContactPoint(kind="work", value=f"p-{uuid.uuid4().hex[:8]}@example.ru")],
    )
    person = (await stub.CreateParty(contacts_pb2.CreatePartyRequest(party=party, allow_duplicate=True))).party
    await stub.LinkPerson(contacts_pb2.LinkPersonRequest(company_id=org.id, person_id=person.id, role="director"))
    return person


async def queue(admin, team: str, **fields) -> pb.Queue:  # type: ignore[no-untyped-def]
    body = pb.Queue(name=f"Очередь {uuid.uuid4().hex[:6]}", team_id=team, **fields)
    return await admin.CreateQueue(pb.CreateQueueRequest(queue=body))


async def events_of(app: ServiceApp, ticket_id: str, event_type: str) -> int:
    """How many `event_type` events about the ticket the service recorded (its outbox keeps sent ones)."""
    async with app.db.readers() as session:
        payloads = (
            await session.scalars(select(OutboxRow.payload).where(OutboxRow.subject.endswith(event_type)))
        ).all()
    envelopes = [envelope_pb2.EventEnvelope.FromString(p) for p in payloads]
    return sum(1 for e in envelopes if e.subject_id == ticket_id and e.type == event_type)


async def test_a_ticket_for_a_known_client_gets_its_queue_policy_and_targets(contacts, alice, admin) -> None:
    client = await company(contacts)
    north = await queue(admin, "team-north")
    ticket = await alice.CreateTicket(
        pb.CreateTicketRequest(
            subject="Не печатается счёт", description="Кнопка «Печать» ничего не делает", channel="phone",
            priority="high", requester_party_id=client.id, queue_id=north.id,
        )
    )  # fmt: skip
    assert ticket.number > 1000
    assert (ticket.status, ticket.channel, ticket.queue_id, ticket.team_id) == ("new", "phone", north.id, "team-north")
    assert (ticket.requester_name, ticket.organisation_id) == (client.display_name, client.id)
    assert ticket.requester_email == client.emails[0].value
    assert ticket.first_response.target_minutes == 60 and ticket.resolution.target_minutes == 540
    assert ticket.first_response.state == "on_track" and ticket.sla_state == "on_track"
    assert ticket.first_response.due_at.ToDatetime() <= ticket.resolution.due_at.ToDatetime()
    # Counted and listed for its team, with the SLA state.
    listed = await alice.ListTickets(pb.ListTicketsRequest(queue_id=north.id))
    assert [t.id for t in listed.tickets] == [ticket.id] and listed.total == 1
    assert listed.tickets[0].sla_state == "on_track"


async def test_the_first_staff_reply_meets_the_first_response_and_opens_the_ticket(
    contacts, alice, admin, helpdesk_app: ServiceApp
) -> None:
    client = await company(contacts)
    north = await queue(admin, "team-north")
    ticket = await alice.CreateTicket(
        pb.CreateTicketRequest(subject="Вопрос по договору", requester_party_id=client.id, queue_id=north.id)
    )
    note = await alice.AddMessage(pb.AddMessageRequest(ticket_id=ticket.id, kind="note", body="Проверить в 1С"))
    assert note.kind == "note"
    still_new = await alice.GetTicket(pb.GetTicketRequest(id=ticket.id))
    assert (still_new.status, still_new.first_response.state) == ("new", "on_track")
    await alice.AddMessage(pb.AddMessageRequest(ticket_id=ticket.id, kind="reply", body="Добрый день! Смотрим."))
    answered = await alice.GetTicket(pb.GetTicketRequest(id=ticket.id))
    assert (answered.status, answered.first_response.state, answered.message_count) == ("open", "met", 2)
    thread = await alice.ListMessages(pb.ListMessagesRequest(ticket_id=ticket.id))
    assert [(m.kind, m.author_type) for m in thread.messages] == [("note", "staff"), ("reply", "staff")]
    assert await events_of(helpdesk_app, ticket.id, "ticket.replied") == 2
    assert await events_of(helpdesk_app, ticket.id, "ticket.opened") == 1


async def test_the_clocks_stand_still_while_pending_customer_and_breach_once(
    contacts, alice, admin, helpdesk_app: ServiceApp, sla_watch: SlaWatch, time_travel
) -> None:
    client = await company(contacts)
    north = await queue(admin, "team-north", lead_id="u-lead")
    waiting = await alice.CreateTicket(
        pb.CreateTicketRequest(
            subject="Ждём выписку", priority="urgent", requester_party_id=client.id, queue_id=north.id
        )
    )
    running = await alice.CreateTicket(
        pb.CreateTicketRequest(
            subject="Сервер лежит", priority="urgent", requester_party_id=client.id, queue_id=north.id
        )
    )
    await alice.ChangeTicketStatus(pb.ChangeTicketStatusRequest(id=waiting.id, status="pending_customer"))
    time_travel(timedelta(days=20))  # past every due time, whatever the day and the holidays
    # Two replicas' passes at once: each breach is published once.
    await asyncio.gather(sla_watch.run_once(), sla_watch.run_once())
    await sla_watch.run_once()
    breached = await alice.GetTicket(pb.GetTicketRequest(id=running.id))
    assert (breached.sla_state, breached.first_response.state, breached.resolution.state) == (
        "breached", "breached", "breached",
    )  # fmt: skip
    assert breached.first_response.minutes_left < 0
    assert await events_of(helpdesk_app, running.id, "ticket.sla_breached") == 2  # first response and resolution
    # Escalated to the queue's lead once, near the breach.
    assert await events_of(helpdesk_app, running.id, "ticket.escalated") == 1
    assert "u-lead" in breached.shared_with
    paused = await alice.GetTicket(pb.GetTicketRequest(id=waiting.id))
    assert (paused.sla_state, paused.first_response.state) == ("paused", "paused")
    assert await events_of(helpdesk_app, waiting.id, "ticket.sla_breached") == 0
    listed = await alice.ListTickets(pb.ListTicketsRequest(queue_id=north.id, sla_state="breached"))
    assert [t.id for t in listed.tickets] == [running.id]
    # The customer answers: the clocks run again from where they stood, so nothing is due yet.
    left = paused.first_response.minutes_left
    await alice.ChangeTicketStatus(pb.ChangeTicketStatusRequest(id=waiting.id, status="open"))
    resumed = await alice.GetTicket(pb.GetTicketRequest(id=waiting.id))
    assert resumed.first_response.state in ("on_track", "warning")
    assert resumed.first_response.minutes_left == left


async def test_round_robin_and_least_loaded_queues_assign_new_tickets(contacts, alice, admin) -> None:
    client = await company(contacts)
    rr = await queue(admin, "team-north", agent_ids=["u-alice", "u-carol"], strategy="round_robin")
    owners = []
    for i in range(3):
        ticket = await alice.CreateTicket(
            pb.CreateTicketRequest(subject=f"Заявка {i}", requester_party_id=client.id, queue_id=rr.id)
        )
        owners.append(ticket.assignee_id)
    assert owners == ["u-alice", "u-carol", "u-alice"]
    least = await queue(admin, "team-north", agent_ids=["u-alice", "u-carol"], strategy="least_loaded")
    first = await alice.CreateTicket(
        pb.CreateTicketRequest(subject="A", requester_party_id=client.id, queue_id=least.id)
    )
    second = await alice.CreateTicket(
        pb.CreateTicketRequest(subject="B", requester_party_id=client.id, queue_id=least.id)
    )
    assert {first.assignee_id, second.assignee_id} == {"u-alice", "u-carol"} or first.assignee_id != "u-alice"


async def test_other_teams_do_not_see_count_or_change_a_ticket(contacts, alice, bob, admin) -> None:
    client = await company(contacts)
    north = await queue(admin, "team-north")
    ticket = await alice.CreateTicket(
        pb.CreateTicketRequest(subject="Секрет", requester_party_id=client.id, queue_id=north.id)
    )
    for call in (
        bob.GetTicket(pb.GetTicketRequest(id=ticket.id)),
        bob.AddMessage(pb.AddMessageRequest(ticket_id=ticket.id, body="Привет")),
        bob.ChangeTicketStatus(pb.ChangeTicketStatusRequest(id=ticket.id, status="closed")),
        bob.ListMessages(pb.ListMessagesRequest(ticket_id=ticket.id)),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as info:
            await call
        assert info.value.code() == grpc.StatusCode.NOT_FOUND
    listed = await bob.ListTickets(pb.ListTicketsRequest(queue_id=north.id))
    assert (list(listed.tickets), listed.total) == ([], 0)
    stats = await bob.GetTicketStats(pb.GetTicketStatsRequest(queue_id=north.id))
    assert sum(stats.by_status.values()) == 0


async def test_status_rules_and_rating(contacts, alice, admin, helpdesk_app: ServiceApp) -> None:
    client = await company(contacts)
    ticket = await alice.CreateTicket(pb.CreateTicketRequest(subject="Оценка", requester_party_id=client.id))
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await alice.RateTicket(pb.RateTicketRequest(id=ticket.id, rating=5))
    assert info.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    await alice.ChangeTicketStatus(pb.ChangeTicketStatusRequest(id=ticket.id, status="resolved"))
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await alice.ChangeTicketStatus(pb.ChangeTicketStatusRequest(id=ticket.id, status="pending_customer"))
    assert info.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    rated = await alice.RateTicket(pb.RateTicketRequest(id=ticket.id, rating=2, comment="Долго"))
    assert (rated.csat_rating, rated.csat_comment, rated.resolution.state) == (2, "Долго", "met")
    assert await events_of(helpdesk_app, ticket.id, "csat.rated") == 1
    reopened = await alice.ChangeTicketStatus(pb.ChangeTicketStatusRequest(id=ticket.id, status="reopened"))
    assert reopened.resolution.state in ("on_track", "warning", "breached")
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await alice.ChangeTicketStatus(
            pb.ChangeTicketStatusRequest(id=ticket.id, status="open", expected_version=reopened.version - 1)
        )
    assert info.value.code() == grpc.StatusCode.ABORTED


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (pb.CreateTicketRequest(subject="", requester_email="a@example.ru"), "subject"),
        (pb.CreateTicketRequest(subject="x" * 301, requester_email="a@example.ru"), "subject"),
        (pb.CreateTicketRequest(subject="Тема", requester_email="not-an-email"), "requester_email"),
        (pb.CreateTicketRequest(subject="Тема", priority="asap", requester_email="a@example.ru"), "priority"),
        (pb.CreateTicketRequest(subject="Тема", queue_id="42", requester_email="a@example.ru"), "queue_id"),
        (pb.CreateTicketRequest(subject="Тема"), "requester_party_id"),
        (pb.CreateTicketRequest(subject="Тема", requester_party_id=str(uuid.uuid4())), "requester_party_id"),
    ],
)
async def test_bad_tickets_are_refused_with_the_field_named(alice, request_, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await alice.CreateTicket(request_)
    assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field in info.value.details() or field in str(info.value.trailing_metadata())


async def test_a_portal_user_sees_their_organisation_s_tickets_only_and_no_notes(
    contacts, alice, admin, helpdesk_app: ServiceApp, channel: grpc.aio.Channel
) -> None:
    mine, theirs = await company(contacts), await company(contacts)
    person = await person_of(contacts, mine)
    async with helpdesk_app.db.transaction() as session:
        user = PortalUserRow(email=person.emails[0].value, name=person.display_name, party_id=person.id,
                             organisation_id=mine.id, password_hash="x")  # fmt: skip
        session.add(user)
        await session.flush()
        user_id = user.id
    portal = CallerStub(
        [helpdesk_pb2_grpc.HelpdeskServiceStub(channel)], Caller(f"portal:{user_id}", frozenset({"portal"}))
    )
    filed = await portal.CreateTicket(pb.CreateTicketRequest(subject="Не приходит счёт", description="Уже неделю"))
    assert (filed.channel, filed.organisation_id, filed.requester_party_id) == ("portal", mine.id, person.id)
    assert filed.assignee_id == "" and filed.queue_id == ""  # staff-side details are not shown
    by_staff = await alice.CreateTicket(pb.CreateTicketRequest(subject="Звонок директора", requester_party_id=mine.id))
    other = await alice.CreateTicket(pb.CreateTicketRequest(subject="Чужая заявка", requester_party_id=theirs.id))
    await alice.AddMessage(pb.AddMessageRequest(ticket_id=by_staff.id, kind="note", body="Клиент капризный"))
    await alice.AddMessage(pb.AddMessageRequest(ticket_id=by_staff.id, kind="reply", body="Перезвоним"))
    listed = await portal.ListTickets(pb.ListTicketsRequest())
    assert {t.id for t in listed.tickets} == {filed.id, by_staff.id} and listed.total == 2
    thread = await portal.ListMessages(pb.ListMessagesRequest(ticket_id=by_staff.id))
    assert [m.body for m in thread.messages] == ["Перезвоним"]
    for call in (
        portal.GetTicket(pb.GetTicketRequest(id=other.id)),
        portal.AddMessage(pb.AddMessageRequest(ticket_id=other.id, body="Это моё")),
        portal.RateTicket(pb.RateTicketRequest(id=other.id, rating=1)),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as info:
            await call
        assert info.value.code() == grpc.StatusCode.NOT_FOUND
    for call in (
        portal.AddMessage(pb.AddMessageRequest(ticket_id=filed.id, kind="note", body="Внутреннее")),
        portal.ChangeTicketStatus(pb.ChangeTicketStatusRequest(id=filed.id, status="closed")),
        portal.ListQueues(pb.ListQueuesRequest()),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as info:
            await call
        assert info.value.code() == grpc.StatusCode.PERMISSION_DENIED
    # The requester's reply brings a ticket waiting on them back to work.
    await alice.AddMessage(pb.AddMessageRequest(ticket_id=by_staff.id, body="Пришлите скан", status="pending_customer"))
    await portal.AddMessage(pb.AddMessageRequest(ticket_id=by_staff.id, body="Отправил"))
    assert (await alice.GetTicket(pb.GetTicketRequest(id=by_staff.id))).status == "open"
    # A deactivated portal user is refused at once.
    async with helpdesk_app.db.transaction() as session:
        (await session.get(PortalUserRow, user_id)).active = False  # type: ignore[union-attr]
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await portal.ListTickets(pb.ListTicketsRequest())
    assert info.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_admins_manage_queues_and_policies_others_may_not(contacts, alice, admin) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await alice.CreateQueue(pb.CreateQueueRequest(queue=pb.Queue(name="Моя")))
    assert info.value.code() == grpc.StatusCode.PERMISSION_DENIED
    policy = await admin.CreateSlaPolicy(
        pb.CreateSlaPolicyRequest(
            policy=pb.SlaPolicy(name="Жалобы", category="complaint", first_response_minutes=20, resolution_minutes=120)
        )
    )
    client = await company(contacts)
    ticket = await alice.CreateTicket(
        pb.CreateTicketRequest(subject="Жалоба", category="complaint", priority="low", requester_party_id=client.id)
    )
    assert ticket.sla_policy_id == policy.id and ticket.first_response.target_minutes == 20
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await admin.UpdateSlaPolicy(
            pb.UpdateSlaPolicyRequest(
                policy=pb.SlaPolicy(id=policy.id, first_response_minutes=500),
                update_mask=field_mask_pb2.FieldMask(paths=["first_response_minutes"]),
            )
        )
    assert info.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    archived = await admin.UpdateSlaPolicy(
        pb.UpdateSlaPolicyRequest(
            policy=pb.SlaPolicy(id=policy.id, archived=True), update_mask=field_mask_pb2.FieldMask(paths=["archived"])
        )
    )
    assert archived.archived and archived.version == 2


async def test_tickets_follow_their_client_into_a_merge(contacts, alice) -> None:
    survivor, merged = await company(contacts), await company(contacts)
    ticket = await alice.CreateTicket(pb.CreateTicketRequest(subject="Дубль клиента", requester_party_id=merged.id))
    await contacts.MergeParties(contacts_pb2.MergePartiesRequest(survivor_id=survivor.id, merged_id=merged.id))

    async def moved() -> pb.Ticket | None:
        found = await alice.GetTicket(pb.GetTicketRequest(id=ticket.id))
        return found if found.organisation_id == survivor.id else None

    found = await eventually(moved, timeout=15)
    assert found.requester_party_id == survivor.id
    listed = await alice.ListTickets(pb.ListTicketsRequest(organisation_id=survivor.id))
    assert ticket.id in [t.id for t in listed.tickets]
