"""Files of e-mails against the service's real database and an attachments service standing in for documents
(the platform's documents and its object store run in the e2e tests): a file documents cannot take waits in the
database and a later pass stores it once; one documents refuses is named in the message; one over the intake's
limit is named and never sent."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from email.message import EmailMessage

import grpc
import pytest
from sqlalchemy import select

from crm.documents.v1 import attachments_pb2 as docs
from crm.documents.v1 import attachments_pb2_grpc
from crm.helpdesk.v1 import helpdesk_pb2 as pb
from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.launcher import free_port
from crm_core.peers import PeerChannels
from crm_core.service import ServiceApp
from crm_core.testing import eventually
from crm_helpdesk.mail_files import EmailFiles
from crm_helpdesk.mail_ingest import EmailIntake
from crm_helpdesk.models import EmailFileRow
from crm_helpdesk.requesters import Requesters
from crm_helpdesk.settings import HelpdeskSettings
from crm_helpdesk.tickets import Tickets

MTA = Caller("u-mta", frozenset({"mail_intake"}))


class Documents(attachments_pb2_grpc.AttachmentsServiceServicer):
    """Keeps what is uploaded (record, name, SHA-256); refuses the names in `refuse` as documents refuses a type."""

    def __init__(self) -> None:
        self.stored: list[tuple[str, str, str]] = []
        self.refuse: set[str] = set()

    async def UploadAttachment(self, request_iterator, context):  # type: ignore[no-untyped-def]
        start, data = docs.UploadAttachmentStart(), b""
        async for part in request_iterator:
            if part.HasField("start"):
                start = part.start
            elif part.HasField("chunk"):
                data += part.chunk
        if start.filename in self.refuse:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, "the content does not fit the extension")
        sha = hashlib.sha256(data).hexdigest()
        self.stored.append((start.record_id, start.filename, sha))
        return docs.Attachment(id=str(uuid.uuid4()), filename=start.filename)

    async def ListAttachments(self, request, context):  # type: ignore[no-untyped-def]
        return docs.ListAttachmentsResponse(
            attachments=[
                docs.Attachment(filename=name, versions=[docs.AttachmentVersion(sha256=sha)])
                for record, name, sha in self.stored
                if record == request.record_id
            ]
        )


class DocumentsServer:
    """The stand-in on a port of its own, started and stopped by the test."""

    def __init__(self) -> None:
        self.port = free_port()
        self.documents = Documents()
        self.server: grpc.aio.Server | None = None

    async def start(self) -> None:
        self.server = grpc.aio.server()
        attachments_pb2_grpc.add_AttachmentsServiceServicer_to_server(self.documents, self.server)
        self.server.add_insecure_port(f"127.0.0.1:{self.port}")
        await self.server.start()

    async def stop(self) -> None:
        if self.server is not None:
            await self.server.stop(None)


@pytest.fixture
async def documents() -> AsyncIterator[DocumentsServer]:
    server = DocumentsServer()
    yield server
    await server.stop()


class Desk:
    """The intake and the file passes of one test, on its own clock and channels (closed after it)."""

    def __init__(self, app: ServiceApp, contacts_port: int, documents_port: int, max_bytes: int = 10_000) -> None:
        self.clock = Clock()
        self.peers = PeerChannels(
            {"contacts": f"127.0.0.1:{contacts_port}", "documents": f"127.0.0.1:{documents_port}"},
            app.settings.internal_secret,
        )
        settings = HelpdeskSettings.for_domain("helpdesk")
        tickets = Tickets(app.db, app.namespace, self.clock, settings.calendar(), Requesters(self.peers))
        self.files = EmailFiles(app.db, self.peers, self.clock, retry_seconds=30)
        self.intake = EmailIntake(app.db, tickets, self.files, "helpdesk.test", max_attachment_bytes=max_bytes)


def email(*files: tuple[str, bytes]) -> bytes:
    message = EmailMessage()
    message["From"] = "client@client.example"
    message["Subject"] = f"С файлами {uuid.uuid4().hex[:8]}"
    message["Message-ID"] = f"<{uuid.uuid4().hex}@client.example>"
    message.set_content("Смотрите вложения")
    for name, data in files:
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return message.as_bytes()


async def waiting(app: ServiceApp, ticket_id: str) -> list[EmailFileRow]:
    async with app.db.sessions() as session:
        query = select(EmailFileRow).where(EmailFileRow.ticket_id == ticket_id).order_by(EmailFileRow.filename)
        return list(await session.scalars(query))


async def first_message(admin, ticket_id: str) -> str:  # type: ignore[no-untyped-def]
    return (await admin.ListMessages(pb.ListMessagesRequest(ticket_id=ticket_id))).messages[0].body


async def test_files_documents_cannot_take_wait_in_the_database_and_a_later_pass_stores_each_once(
    helpdesk_app: ServiceApp, contacts_app: ServiceApp, documents: DocumentsServer, admin
) -> None:
    desk = Desk(helpdesk_app, contacts_app.grpc.port, documents.port)
    try:
        taken = await desk.intake.ingest(MTA, email(("акт.pdf", b"%PDF-1.4 act"), ("счёт.txt", b"invoice")))
        assert (taken.outcome, taken.attachments) == ("opened", 0)
        rows = await waiting(helpdesk_app, taken.ticket_id)
        assert [(r.filename, r.attempts) for r in rows] == [("акт.pdf", 1), ("счёт.txt", 1)]
        assert all(r.last_error.startswith("documents_unavailable") for r in rows)
        assert "Files not kept" not in await first_message(admin, taken.ticket_id)  # they are not lost
        # Before its wait is over a pass leaves a file alone; after it, a pass stores it (once the channel has
        # reconnected: gRPC waits a moment before it tries a refused address again).
        await documents.start()
        assert await desk.files.run_once() == 0
        stored = 0

        async def both_stored() -> bool:
            nonlocal stored
            desk.clock.shift(timedelta(hours=2))  # past any wait
            stored += await desk.files.run_once()
            return stored == 2

        await eventually(both_stored, timeout=30, interval=0.5)
        assert sorted(name for record, name, _ in documents.documents.stored if record == taken.ticket_id) == [
            "акт.pdf",
            "счёт.txt",
        ]
        assert await waiting(helpdesk_app, taken.ticket_id) == []
        assert await desk.files.run_once() == 0
    finally:
        await desk.peers.close()


async def test_a_retried_file_an_earlier_attempt_stored_is_not_stored_again(
    helpdesk_app: ServiceApp, contacts_app: ServiceApp, documents: DocumentsServer
) -> None:
    await documents.start()
    desk = Desk(helpdesk_app, contacts_app.grpc.port, documents.port)
    try:
        taken = await desk.intake.ingest(MTA, email(("договор.pdf", b"%PDF-1.4 contract")))
        # As if the upload had been answered but the row not deleted (a crash between): the next pass finds
        # the file among the ticket's attachments.
        async with helpdesk_app.db.transaction() as session:
            session.add(
                EmailFileRow(
                    ticket_id=taken.ticket_id,
                    message_id=taken.message_id,
                    filename="договор.pdf",
                    data=b"%PDF-1.4 contract",
                    sha256=hashlib.sha256(b"%PDF-1.4 contract").hexdigest(),
                    attempts=1,
                    next_attempt_at=desk.clock.now(),
                )
            )
        assert await desk.files.run_once() == 1
        assert [n for r, n, _ in documents.documents.stored if r == taken.ticket_id] == ["договор.pdf"]
        assert await waiting(helpdesk_app, taken.ticket_id) == []
    finally:
        await desk.peers.close()


async def test_refused_and_oversized_files_are_named_in_the_message_and_the_rest_stored(
    helpdesk_app: ServiceApp, contacts_app: ServiceApp, documents: DocumentsServer, admin
) -> None:
    await documents.start()
    documents.documents.refuse.add("вирус.exe")
    desk = Desk(helpdesk_app, contacts_app.grpc.port, documents.port, max_bytes=1000)
    try:
        files = [("вирус.exe", b"MZ..."), ("большой.pdf", b"%PDF-1.4 " + b"x" * 5000), ("мелкий.txt", b"small")]
        taken = await desk.intake.ingest(MTA, email(*files))
    finally:
        await desk.peers.close()
    assert (taken.outcome, taken.attachments) == ("opened", 1)
    assert [n for r, n, _ in documents.documents.stored if r == taken.ticket_id] == ["мелкий.txt"]
    body = await first_message(admin, taken.ticket_id)
    assert body.startswith("Смотрите вложения")
    assert "большой.pdf (больше 1000 байт / over 1000 bytes)" in body
    assert "вирус.exe (invalid_argument)" in body
    assert await waiting(helpdesk_app, taken.ticket_id) == []
