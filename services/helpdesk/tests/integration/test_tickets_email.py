"""The e-mail channel against the real database, NATS and contacts: new requests open tickets, replies thread by
their headers or the subject's token, auto-replies, bounces and redeliveries open nothing, staff replies go out by
mail and the client's answer to that mail threads back."""

from __future__ import annotations

import asyncio
import uuid
from email.message import EmailMessage

import grpc
import pytest
from sqlalchemy import func, select

from crm.helpdesk.v1 import helpdesk_pb2 as pb
from crm.helpdesk.v1 import helpdesk_pb2_grpc
from crm_core.auth import Caller
from crm_core.service import ServiceApp
from crm_core.testing import CallerStub, SmtpServer, eventually
from crm_helpdesk.models import IntakeRow, MessageRow, TicketRow

from .test_tickets import company, person_of, queue


def mail(sender: str, subject: str, body: str = "Здравствуйте! Не работает выгрузка.", **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = headers.pop("to", "support@helpdesk.test")
    message["Subject"] = subject
    message["Message-ID"] = headers.pop("message_id", f"<{uuid.uuid4().hex}@client.example>")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


@pytest.fixture
def intake_user(channel: grpc.aio.Channel) -> CallerStub:
    """The mail server's account: the role mail_intake, nothing else."""
    return CallerStub(helpdesk_pb2_grpc.HelpdeskServiceStub(channel), Caller("u-mta", frozenset({"mail_intake"})))


async def ingest(stub: CallerStub, raw: bytes, mailbox: str = "") -> pb.IngestEmailResponse:
    return await stub.IngestEmail(pb.IngestEmailRequest(raw=raw, mailbox=mailbox))


async def token_of(app: ServiceApp, ticket_id: str) -> str:
    async with app.db.readers() as session:
        return (await session.scalar(select(TicketRow.email_token).where(TicketRow.id == ticket_id))) or ""


async def tickets_about(admin: CallerStub, word: str) -> int:
    return (await admin.ListTickets(pb.ListTicketsRequest(query=word))).total


async def test_an_e_mail_from_a_known_client_opens_a_ticket_for_them_in_the_mailbox_s_queue(
    contacts, admin, intake_user
) -> None:
    org = await company(contacts)
    person = await person_of(contacts, org)
    address = f"support-{uuid.uuid4().hex[:6]}@helpdesk.test"
    billing = await queue(admin, "team-north", email_address=address)
    raw = mail(f"Иван <{person.emails[0].value}>", "Re: Не приходит счёт", "Счёт за май не пришёл.", to=address)
    taken = await ingest(intake_user, raw)
    assert (taken.outcome, taken.reason) == ("opened", "")
    ticket = await admin.GetTicket(pb.GetTicketRequest(id=taken.ticket_id))
    assert (ticket.subject, ticket.channel, ticket.queue_id) == ("Не приходит счёт", "email", billing.id)
    assert (ticket.requester_party_id, ticket.organisation_id) == (person.id, org.id)
    assert ticket.requester_email == person.emails[0].value
    (first,) = (await admin.ListMessages(pb.ListMessagesRequest(ticket_id=ticket.id))).messages
    assert (first.id, first.author_type, first.channel, first.body) == (
        taken.message_id, "requester", "email", "Счёт за май не пришёл.",
    )  # fmt: skip
    assert first.email_message_id.endswith("@client.example>")
    assert first.author_id == person.id


async def test_an_unknown_sender_gets_a_ticket_with_only_their_address_and_name(admin, intake_user) -> None:
    word = uuid.uuid4().hex[:10]
    taken = await ingest(intake_user, mail("Пётр Сидоров <stranger@unknown.example>", f"Вопрос {word}"))
    ticket = await admin.GetTicket(pb.GetTicketRequest(id=taken.ticket_id))
    assert (ticket.requester_party_id, ticket.requester_email, ticket.requester_name) == (
        "", "stranger@unknown.example", "Пётр Сидоров",
    )  # fmt: skip
    assert ticket.status == "new"


async def test_a_reply_threads_by_in_reply_to_and_reopens_a_resolved_ticket(admin, intake_user) -> None:
    first_id = f"<{uuid.uuid4().hex}@client.example>"
    opened = await ingest(intake_user, mail("client@client.example", "Ошибка 500", message_id=first_id))
    await admin.ChangeTicketStatus(pb.ChangeTicketStatusRequest(id=opened.ticket_id, status="resolved"))
    reply = mail(
        "client@client.example",
        "Re: Ошибка 500",
        "Снова ошибка.\n\nOn Mon, Support wrote:\n> old",
        In_Reply_To=first_id,
    )
    appended = await ingest(intake_user, reply)
    assert (appended.outcome, appended.ticket_id) == ("appended", opened.ticket_id)
    ticket = await admin.GetTicket(pb.GetTicketRequest(id=opened.ticket_id))
    assert (ticket.status, ticket.message_count) == ("reopened", 2)
    thread = (await admin.ListMessages(pb.ListMessagesRequest(ticket_id=ticket.id))).messages
    assert thread[-1].body == "Снова ошибка." and thread[-1].author_type == "requester"


async def test_a_reply_without_headers_threads_by_the_subject_token(admin, intake_user, helpdesk_app) -> None:
    opened = await ingest(intake_user, mail("client@client.example", "Не открывается отчёт"))
    ticket = await admin.GetTicket(pb.GetTicketRequest(id=opened.ticket_id))
    token = await token_of(helpdesk_app, ticket.id)
    subject = f"RE: [#{ticket.number}-{token}] Не открывается отчёт"
    appended = await ingest(intake_user, mail("other@client.example", subject, "Прикладываю скриншот"))
    assert (appended.outcome, appended.ticket_id) == ("appended", ticket.id)
    wrong = await ingest(intake_user, mail("client@client.example", f"[#{ticket.number}-zzzzzz] чужой токен"))
    assert wrong.outcome == "opened" and wrong.ticket_id != ticket.id


async def test_a_reply_to_a_closed_ticket_opens_a_new_one(admin, intake_user) -> None:
    first_id = f"<{uuid.uuid4().hex}@client.example>"
    opened = await ingest(intake_user, mail("client@client.example", "Закрытый вопрос", message_id=first_id))
    await admin.ChangeTicketStatus(pb.ChangeTicketStatusRequest(id=opened.ticket_id, status="closed"))
    again = await ingest(intake_user, mail("client@client.example", "Re: Закрытый вопрос", In_Reply_To=first_id))
    assert again.outcome == "opened" and again.ticket_id != opened.ticket_id


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto_Submitted": "auto-replied"}, "auto_reply"),
        ({"Precedence": "bulk"}, "auto_reply"),
        ({"Return_Path": "<>"}, "bounce"),
        ({"X_CRM_Helpdesk": "1001"}, "loop"),
    ],
)
async def test_auto_replies_bounces_and_loops_open_nothing(admin, intake_user, headers, reason) -> None:
    word = uuid.uuid4().hex[:10]
    taken = await ingest(intake_user, mail("client@client.example", f"Автоматически {word}", **headers))
    assert (taken.outcome, taken.reason, taken.ticket_id) == ("ignored", reason, "")
    assert await tickets_about(admin, word) == 0


async def test_a_delivery_report_from_the_mailer_daemon_opens_nothing(admin, intake_user) -> None:
    word = uuid.uuid4().hex[:10]
    taken = await ingest(intake_user, mail("MAILER-DAEMON@mx.example", f"Undelivered {word}"))
    assert (taken.outcome, taken.reason) == ("ignored", "bounce")
    assert await tickets_about(admin, word) == 0


async def test_a_redelivered_message_is_a_duplicate_and_never_a_second_ticket(admin, intake_user) -> None:
    word = uuid.uuid4().hex[:10]
    raw = mail("client@client.example", f"Дубль {word}")
    first = await ingest(intake_user, raw)
    again = await ingest(intake_user, raw)
    assert (again.outcome, again.reason, again.ticket_id) == ("ignored", "duplicate", first.ticket_id)
    no_id = mail("client@client.example", f"Без ID {word}").replace(b"Message-ID:", b"X-Old-ID:")
    assert (await ingest(intake_user, no_id)).outcome == "opened"
    assert (await ingest(intake_user, no_id)).reason == "duplicate"
    assert await tickets_about(admin, word) == 2


async def test_two_identical_deliveries_at_once_make_one_ticket(admin, intake_user, helpdesk_app) -> None:
    word = uuid.uuid4().hex[:10]
    raw = mail("client@client.example", f"Одновременно {word}")
    answers = await asyncio.gather(*(ingest(intake_user, raw) for _ in range(4)))
    assert sorted(a.outcome for a in answers) == ["ignored", "ignored", "ignored", "opened"]
    assert {a.reason for a in answers if a.outcome == "ignored"} == {"duplicate"}
    assert await tickets_about(admin, word) == 1
    async with helpdesk_app.db.readers() as session:
        logged = await session.scalar(
            select(func.count()).select_from(IntakeRow).where(IntakeRow.subject.contains(word))
        )
    assert logged == 1


async def test_only_admins_and_the_mail_intake_role_may_hand_in_mail(alice, rejected) -> None:
    detail = await rejected(
        alice.IngestEmail(pb.IngestEmailRequest(raw=mail("a@b.example", "x"))), grpc.StatusCode.PERMISSION_DENIED
    )
    assert detail.code == "mail_intake_only"


@pytest.mark.parametrize("raw", [b"", b"no headers at all", b"Subject: no sender\r\n\r\nbody"])
async def test_a_malformed_e_mail_is_refused_with_a_code(intake_user, rejected, raw: bytes) -> None:
    detail = await rejected(intake_user.IngestEmail(pb.IngestEmailRequest(raw=raw)), grpc.StatusCode.INVALID_ARGUMENT)
    assert detail.code == "email_malformed"


async def test_an_e_mail_over_25_mb_is_refused_as_too_large(intake_user, rejected) -> None:
    raw = mail("client@client.example", "Огромное", "x" * (25 * 1024 * 1024 + 10))
    detail = await rejected(intake_user.IngestEmail(pb.IngestEmailRequest(raw=raw)), grpc.StatusCode.INVALID_ARGUMENT)
    assert detail.code == "email_too_large"


async def test_a_staff_reply_is_mailed_and_the_client_s_answer_threads_back(
    admin, intake_user, helpdesk_mail: SmtpServer, helpdesk_app: ServiceApp
) -> None:
    client_id = f"<{uuid.uuid4().hex}@client.example>"
    opened = await ingest(intake_user, mail("Анна <anna@client.example>", "Доступ к порталу", message_id=client_id))
    ticket = await admin.GetTicket(pb.GetTicketRequest(id=opened.ticket_id))
    note = await admin.AddMessage(pb.AddMessageRequest(ticket_id=ticket.id, kind="note", body="внутреннее"))
    reply = await admin.AddMessage(pb.AddMessageRequest(ticket_id=ticket.id, kind="reply", body="Доступ выдан."))
    sent_as = f"<ticket-msg-{reply.id}@helpdesk.test>"

    def sent():  # type: ignore[no-untyped-def]
        return next((m for m in helpdesk_mail.messages if m["Message-ID"] == sent_as), None)

    out = await eventually(sent)
    token = await token_of(helpdesk_app, ticket.id)
    assert out["Subject"] == f"[#{ticket.number}-{token}] Доступ к порталу"
    assert out["To"].addresses[0].addr_spec == "anna@client.example"
    assert (out["In-Reply-To"], out["X-CRM-Helpdesk"]) == (client_id, str(ticket.number))
    assert out.get_body(("plain",)).get_content().strip() == "Доступ выдан."
    assert not any(note.body in str(m) for m in helpdesk_mail.messages)
    async with helpdesk_app.db.readers() as session:
        assert await session.scalar(select(MessageRow.email_message_id).where(MessageRow.id == reply.id)) == sent_as
    # The client answers that mail: it threads by In-Reply-To into the same ticket.
    answer = await ingest(
        intake_user, mail("anna@client.example", f"Re: {out['Subject']}", "Спасибо!", In_Reply_To=sent_as)
    )
    assert (answer.outcome, answer.ticket_id) == ("appended", ticket.id)
    # Redelivered events do not send it twice.
    assert sum(1 for m in helpdesk_mail.messages if m["Message-ID"] == sent_as) == 1
