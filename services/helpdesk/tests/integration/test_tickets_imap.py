"""The mailbox poller's IMAP mode against the running service and a small IMAP server: unseen messages become
tickets and are marked seen, refused ones seen and flagged; nothing is marked while the service cannot answer;
a wrong password is a failed pass, not a crash."""

from __future__ import annotations

import imaplib
import re
import socketserver
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import grpc
import pytest

from crm.helpdesk.v1 import helpdesk_pb2 as pb
from crm.helpdesk.v1 import helpdesk_pb2_grpc
from crm_core.service import ServiceApp
from crm_helpdesk.mail_poller import PollerSettings, deliver_imap, grpc_ingest

USER, PASSWORD = "support@client.example", "imap-password"


@dataclass
class Message:
    raw: bytes
    flags: set[str] = field(default_factory=set)


class Mailbox:
    """One INBOX whose messages have UIDs 1, 2, ... in order."""

    def __init__(self, *raws: bytes) -> None:
        self.messages = [Message(raw) for raw in raws]
        self.lock = threading.Lock()

    def flags(self) -> list[set[str]]:
        return [m.flags for m in self.messages]


class ImapHandler(socketserver.StreamRequestHandler):
    """The IMAP4rev1 commands imaplib's client sends for a poll: CAPABILITY, LOGIN, SELECT, UID SEARCH UNSEEN,
    UID FETCH (BODY.PEEK[]), UID STORE +FLAGS, LOGOUT."""

    mailbox: Mailbox

    def send(self, text: str | bytes) -> None:
        self.wfile.write(text if isinstance(text, bytes) else text.encode())

    def handle(self) -> None:
        self.send("* OK IMAP4rev1 test server ready\r\n")
        logged_in = False
        while line := self.rfile.readline():
            tag, _, rest = line.decode().rstrip("\r\n").partition(" ")
            command, _, args = rest.partition(" ")
            command = command.upper()
            if command == "UID":
                command, _, args = args.partition(" ")
                command = f"UID {command.upper()}"
            if command == "CAPABILITY":
                self.send(f"* CAPABILITY IMAP4rev1\r\n{tag} OK done\r\n")
            elif command == "LOGIN":
                logged_in = [a.strip('"') for a in args.split(" ")] == [USER, PASSWORD]
                self.send(f"{tag} OK logged in\r\n" if logged_in else f"{tag} NO [AUTHENTICATIONFAILED] wrong\r\n")
            elif command == "LOGOUT":
                self.send(f"* BYE\r\n{tag} OK bye\r\n")
                return
            elif not logged_in:
                self.send(f"{tag} BAD log in first\r\n")
            elif command == "SELECT":
                self.send(f"* {len(self.mailbox.messages)} EXISTS\r\n* OK [UIDVALIDITY 1]\r\n{tag} OK [READ-WRITE]\r\n")
            elif command == "UID SEARCH":
                with self.mailbox.lock:
                    unseen = [str(i + 1) for i, m in enumerate(self.mailbox.messages) if "\\Seen" not in m.flags]
                self.send(f"* SEARCH {' '.join(unseen)}\r\n{tag} OK done\r\n")
            elif command == "UID FETCH":
                uid = int(args.split(" ")[0])
                raw = self.mailbox.messages[uid - 1].raw
                self.send(f"* {uid} FETCH (UID {uid} BODY[] {{{len(raw)}}}\r\n".encode() + raw + b")\r\n")
                self.send(f"{tag} OK done\r\n")
            elif command == "UID STORE":
                uid = int(args.split(" ")[0])
                with self.mailbox.lock:
                    self.mailbox.messages[uid - 1].flags.update(re.findall(r"\\\w+", args))
                self.send(f"{tag} OK done\r\n")
            else:
                self.send(f"{tag} BAD unknown command\r\n")


@pytest.fixture
def imap() -> Iterator[tuple[Mailbox, int]]:
    """A mailbox and the port of an IMAP server (no TLS) that serves it."""
    word = uuid.uuid4().hex[:10]
    mailbox = Mailbox(
        f"From: Клиент <client@client.example>\r\nSubject: Из IMAP {word}\r\n\r\nНе приходят счета".encode(),
        b"garbage without headers",
        f"From: client@client.example\r\nSubject: Re: {word}\r\nAuto-Submitted: auto-replied\r\n\r\nВ отпуске".encode(),
    )
    handler = type("Handler", (ImapHandler,), {"mailbox": mailbox})
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield mailbox, server.server_address[1]
        server.shutdown()


def poller(port: int, password: str = PASSWORD) -> PollerSettings:
    return PollerSettings(
        CRM_HELPDESK_IMAP_HOST="127.0.0.1",
        CRM_HELPDESK_IMAP_PORT=port,
        CRM_HELPDESK_IMAP_SSL=False,
        CRM_HELPDESK_IMAP_USERNAME=USER,
        CRM_HELPDESK_IMAP_PASSWORD=password,
    )


def subject_word(mailbox: Mailbox) -> str:
    return re.findall(rb"Subject: \S+ \S+ (\w+)", mailbox.messages[0].raw)[0].decode()


async def test_unseen_messages_become_tickets_and_are_marked_so_no_pass_takes_them_again(
    helpdesk_app: ServiceApp, admin, imap: tuple[Mailbox, int]
) -> None:
    mailbox, port = imap
    async with grpc.aio.insecure_channel(f"127.0.0.1:{helpdesk_app.grpc.port}") as channel:
        ingest = grpc_ingest(helpdesk_pb2_grpc.HelpdeskServiceStub(channel), helpdesk_app.settings.internal_secret, "")
        # The auto-reply is taken (and ignored by the intake), the garbage refused.
        assert await deliver_imap(poller(port), ingest) == {"taken": 2, "refused": 1, "later": 0}
        assert mailbox.flags() == [{"\\Seen"}, {"\\Seen", "\\Flagged"}, {"\\Seen"}]
        assert await deliver_imap(poller(port), ingest) == {"taken": 0, "refused": 0, "later": 0}
    found = await admin.ListTickets(pb.ListTicketsRequest(query=subject_word(mailbox)))
    assert [t.subject for t in found.tickets] == [f"Из IMAP {subject_word(mailbox)}"]


async def test_nothing_is_marked_while_the_service_does_not_answer(imap: tuple[Mailbox, int]) -> None:
    mailbox, port = imap
    async with grpc.aio.insecure_channel("127.0.0.1:9") as channel:
        ingest = grpc_ingest(helpdesk_pb2_grpc.HelpdeskServiceStub(channel), "secret", "")
        assert await deliver_imap(poller(port), ingest) == {"taken": 0, "refused": 0, "later": 1}
    assert mailbox.flags() == [set(), set(), set()]


async def test_a_wrong_password_fails_the_pass_with_the_server_s_answer(imap: tuple[Mailbox, int]) -> None:
    mailbox, port = imap

    async def never(raw: bytes):  # type: ignore[no-untyped-def]
        raise AssertionError("no message is read without a login")

    with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
        await deliver_imap(poller(port, password="wrong"), never)
    assert mailbox.flags() == [set(), set(), set()]
