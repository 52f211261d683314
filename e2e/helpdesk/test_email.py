"""The e-mail channel through the gateway: a client's e-mail opens a ticket in the mailbox's queue, replies thread
into it, auto-replies open nothing, an agent's reply is mailed to the client and the answer to that mail threads
back; the e-mail's files become the ticket's attachments; malformed, huge and oversized mail is refused or noted."""

from __future__ import annotations

import uuid
from email.message import EmailMessage
from typing import Any

import httpx
import pytest

from crm_core.testing import SmtpServer, eventually

from .conftest import Desk, client_company, new_desk

pytestmark = pytest.mark.e2e

RFC822 = {"Content-Type": "message/rfc822"}
PDF = b"%PDF-1.4\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 40 + b"%%EOF\n"
# CRM_HELPDESK_MAX_ATTACHMENT_BYTES of the e2e platform (e2e/conftest.py).
FILE_LIMIT = 2 * 1024 * 1024


def mail(
    sender: str, to: str, subject: str, body: str = "Добрый день! Не приходит счёт.", **headers: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = headers.pop("message_id", f"<{uuid.uuid4().hex}@client.example>")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


@pytest.fixture
async def mailer(users) -> Any:  # type: ignore[no-untyped-def]
    """The mail server's account: only the role mail_intake."""
    return await users.user([], ["mail_intake"])


@pytest.fixture
async def mail_desk(admin, users) -> Desk:  # type: ignore[no-untyped-def]
    """A support queue with its own mailbox address."""
    return await new_desk(admin, users, email_address=f"help-{uuid.uuid4().hex[:6]}@crm.example")


async def deliver(mailer: Any, message: EmailMessage | bytes) -> httpx.Response:
    raw = message if isinstance(message, bytes) else message.as_bytes()
    return await mailer.client.post("/api/v1/helpdesk/inbound-email", content=raw, headers=RFC822, timeout=60)


async def test_a_client_s_e_mail_opens_a_ticket_and_replies_thread_into_it(mail_desk, mailer, fake) -> None:  # type: ignore[no-untyped-def]
    agent = mail_desk.agent.client
    client = await client_company(agent, fake)
    address = client["emails"][0]["value"]
    first = mail(f"Бухгалтерия <{address}>", mail_desk.queue["email_address"], "Не приходит счёт")
    opened = await deliver(mailer, first)
    assert opened.status_code == 200, opened.text
    assert opened.json()["outcome"] == "opened"
    ticket = (await agent.get(f"/api/v1/tickets/{opened.json()['ticket_id']}")).json()
    assert (ticket["channel"], ticket["queue_id"], ticket["requester_party_id"]) == (
        "email", mail_desk.queue["id"], client["id"],
    )  # fmt: skip
    # The client writes again in the same thread: appended, no second ticket.
    reply = mail(address, mail_desk.queue["email_address"], "Re: Не приходит счёт", "Всё ещё нет.",
                 In_Reply_To=first["Message-ID"])  # fmt: skip
    appended = (await deliver(mailer, reply)).json()
    assert (appended["outcome"], appended["ticket_id"]) == ("appended", ticket["id"])
    # The same e-mail delivered twice is a duplicate.
    again = (await deliver(mailer, reply)).json()
    assert (again["outcome"], again["reason"]) == ("ignored", "duplicate")
    thread = (await agent.get(f"/api/v1/tickets/{ticket['id']}/messages")).json()["items"]
    assert [m["body"] for m in thread] == ["Добрый день! Не приходит счёт.", "Всё ещё нет."]


async def test_an_auto_reply_opens_no_ticket(mail_desk, mailer) -> None:  # type: ignore[no-untyped-def]
    word = uuid.uuid4().hex[:10]
    away = mail("client@client.example", mail_desk.queue["email_address"], f"Автоответ: {word}",
                Auto_Submitted="auto-replied")  # fmt: skip
    answer = (await deliver(mailer, away)).json()
    assert (answer["outcome"], answer["reason"], answer["ticket_id"]) == ("ignored", "auto_reply", "")
    listed = (await mail_desk.agent.client.get("/api/v1/tickets", params={"q": word})).json()
    assert listed["total"] == 0


async def test_an_agent_s_reply_is_mailed_and_the_client_s_answer_threads_back(  # type: ignore[no-untyped-def]
    mail_desk, mailer, mail_server: SmtpServer
) -> None:
    agent = mail_desk.agent.client
    client_address = f"client-{uuid.uuid4().hex[:6]}@client.example"
    opened = (await deliver(mailer, mail(client_address, mail_desk.queue["email_address"], "Нет доступа"))).json()
    ticket_id = opened["ticket_id"]
    sent = await agent.post(f"/api/v1/tickets/{ticket_id}/messages", json={"body": "Доступ открыт, проверьте."})
    assert sent.status_code == 201, sent.text

    def mailed():  # type: ignore[no-untyped-def]
        return next((m for m in mail_server.messages if client_address in str(m["To"])), None)

    out = await eventually(mailed, timeout=15)
    ticket = (await agent.get(f"/api/v1/tickets/{ticket_id}")).json()
    assert out["Subject"].startswith(f"[#{ticket['number']}-") and out["Subject"].endswith("] Нет доступа")
    assert out["Message-ID"].startswith(f"<ticket-msg-{sent.json()['id']}@")
    assert out["Reply-To"].addresses[0].addr_spec == mail_desk.queue["email_address"]
    assert "Доступ открыт, проверьте." in out.get_body(("plain",)).get_content()
    # The client answers from a mail client that keeps the thread: it lands on the ticket.
    answer = mail(client_address, mail_desk.queue["email_address"], f"Re: {out['Subject']}", "Спасибо, работает!",
                  In_Reply_To=out["Message-ID"], References=out["Message-ID"])  # fmt: skip
    threaded = (await deliver(mailer, answer)).json()
    assert (threaded["outcome"], threaded["ticket_id"]) == ("appended", ticket_id)


async def test_files_of_an_e_mail_become_the_ticket_s_attachments_and_an_oversized_one_is_noted(  # type: ignore[no-untyped-def]
    mail_desk, mailer, users
) -> None:
    message = mail("client@client.example", mail_desk.queue["email_address"], "Акт сверки", "Акт во вложении")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="Акт сверки.pdf")
    message.add_attachment(PDF + b"0" * FILE_LIMIT, maintype="application", subtype="pdf", filename="Скан.pdf")
    taken = (await deliver(mailer, message)).json()
    assert (taken["outcome"], taken["attachments"]) == ("opened", 1)
    agent = mail_desk.agent.client
    files = await agent.get("/api/v1/attachments", params={"record_type": "ticket", "record_id": taken["ticket_id"]})
    assert files.status_code == 200, files.text
    assert [f["filename"] for f in files.json()["items"]] == ["Акт сверки.pdf"]
    thread = (await agent.get(f"/api/v1/tickets/{taken['ticket_id']}/messages")).json()["items"]
    assert thread[0]["body"].startswith("Акт во вложении") and "Скан.pdf (больше 2 МБ" in thread[0]["body"]
    # Someone who cannot see the ticket cannot see its files either.
    outsider = await users.user([await users.team("other")], ["support"])
    hidden = await outsider.client.get(
        "/api/v1/attachments", params={"record_type": "ticket", "record_id": taken["ticket_id"]}
    )
    assert (hidden.status_code, hidden.json()["code"]) == (404, "record_not_found")


async def test_a_file_that_arrives_while_documents_is_down_is_stored_once_it_is_back(  # type: ignore[no-untyped-def]
    mail_desk, mailer, platform
) -> None:
    message = mail("client@client.example", mail_desk.queue["email_address"], "Счёт", "Счёт во вложении")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="Счёт 17.pdf")
    platform.kill("documents")
    try:
        taken = (await deliver(mailer, message)).json()
    finally:
        platform.respawn("documents")
    # The ticket opened at once; its file waited in the helpdesk's database, not lost and not named as refused.
    assert (taken["outcome"], taken["attachments"]) == ("opened", 0)
    agent = mail_desk.agent.client

    async def stored() -> list[str] | None:
        listed = await agent.get(
            "/api/v1/attachments", params={"record_type": "ticket", "record_id": taken["ticket_id"]}
        )
        return [f["filename"] for f in listed.json()["items"]] if listed.status_code == 200 else None

    assert await eventually(stored, timeout=60, interval=0.5) == ["Счёт 17.pdf"]
    thread = (await agent.get(f"/api/v1/tickets/{taken['ticket_id']}/messages")).json()["items"]
    assert "Files not kept" not in thread[0]["body"]


async def test_malformed_huge_and_mistyped_e_mails_and_callers_without_the_role_are_refused(  # type: ignore[no-untyped-def]
    mailer, users
) -> None:
    malformed = await deliver(mailer, b"this is not an e-mail")
    assert (malformed.status_code, malformed.json()["code"]) == (422, "email_malformed")
    huge = await deliver(mailer, b"From: a@client.example\r\nSubject: big\r\n\r\n" + b"x" * (25 * 1024 * 1024 + 1))
    assert (huge.status_code, huge.json()["code"]) == (413, "email_too_large")
    as_json = await mailer.client.post("/api/v1/helpdesk/inbound-email", json={"raw": "From: a@b"})
    assert (as_json.status_code, as_json.json()["code"]) == (415, "unsupported_media_type")
    agent = await users.user([], ["support"])
    refused = await deliver(agent, mail("a@client.example", "help@crm.example", "x"))
    assert (refused.status_code, refused.json()["code"]) == (403, "mail_intake_only")
