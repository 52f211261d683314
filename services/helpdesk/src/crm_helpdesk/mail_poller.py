"""The mailbox poller: hands e-mail waiting in a Maildir folder (or an IMAP mailbox) to IngestEmail.

`make dev` starts it (crm_core.launcher, process "mail-intake") on
`.dev/mail/helpdesk`: drop an .eml file into `new/` (`cp message.eml
.dev/mail/helpdesk/new/`) and within a couple of seconds it is a ticket or a
reply. A file the intake took moves to `cur/`; one it refused (4xx: malformed,
too large, ...) moves to `failed/` with `<name>.reason.txt` beside it; while the
service cannot answer (UNAVAILABLE, a deadline) the file stays in `new/` and is
tried again on the next pass, so nothing is lost to a restart.

With CRM_HELPDESK_IMAP_HOST set it reads that mailbox's unseen messages instead
and marks each taken one \\Seen (refused ones get the \\Flagged flag too, and are
not tried again). It calls the service as the system caller "mail-intake" with
the role mail_intake, signed with the platform's internal secret.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import imaplib
import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import grpc
from pydantic import AliasChoices, Field

from crm.helpdesk.v1 import helpdesk_pb2 as pb
from crm.helpdesk.v1 import helpdesk_pb2_grpc
from crm_core.auth import Caller
from crm_core.grpc_client import error_detail, open_channel
from crm_core.logging import configure_logging, get_logger
from crm_core.registry import REGISTRY
from crm_core.settings import EnvironmentSettings
from crm_helpdesk.mail_ingest import MAIL_INTAKE_ROLE
from crm_helpdesk.mail_intake import MAX_EMAIL_BYTES

log = get_logger("crm.helpdesk.mail_poller")

POLLER = Caller("mail-intake", frozenset({MAIL_INTAKE_ROLE}))
# Refusals that will not change on a retry: the file goes to failed/.
REFUSED = {
    grpc.StatusCode.INVALID_ARGUMENT,
    grpc.StatusCode.NOT_FOUND,
    grpc.StatusCode.FAILED_PRECONDITION,
    grpc.StatusCode.PERMISSION_DENIED,
    grpc.StatusCode.ALREADY_EXISTS,
    grpc.StatusCode.OUT_OF_RANGE,
}
# A file younger than this may still be being copied into new/ (cp is not atomic): it waits a pass.
SETTLE_SECONDS = 1.0
INGEST_DEADLINE = 60.0


def _variable(name: str) -> AliasChoices:
    return AliasChoices(f"CRM_HELPDESK_{name}")


class PollerSettings(EnvironmentSettings):
    """Where mail waits (CRM_HELPDESK_MAILDIR or CRM_HELPDESK_IMAP_*) and the service that takes it."""

    maildir: str = Field(".dev/mail/helpdesk", validation_alias=_variable("MAILDIR"))
    # The address mail of this folder came to ("" lets the message's To/Cc choose the queue).
    mailbox: str = Field("", validation_alias=_variable("MAILBOX"))
    interval: float = Field(2.0, validation_alias=_variable("MAIL_POLL_SECONDS"))
    helpdesk_target: str = Field(REGISTRY["helpdesk"].local_target, validation_alias=_variable("GRPC_TARGET"))
    internal_secret: str = Field("", validation_alias=AliasChoices("CRM_INTERNAL_SECRET"), repr=False)
    imap_host: str = Field("", validation_alias=_variable("IMAP_HOST"))
    imap_port: int = Field(993, validation_alias=_variable("IMAP_PORT"))
    imap_ssl: bool = Field(True, validation_alias=_variable("IMAP_SSL"))
    imap_username: str = Field("", validation_alias=_variable("IMAP_USERNAME"))
    imap_password: str = Field("", validation_alias=_variable("IMAP_PASSWORD"), repr=False)
    imap_folder: str = Field("INBOX", validation_alias=_variable("IMAP_FOLDER"))


@dataclass(frozen=True)
class Delivery:
    """What became of one message: "taken" (with the intake's outcome), "refused" (with why) or "later"."""

    result: str
    detail: str = ""


Ingest = Callable[[bytes], Awaitable[Delivery]]


def grpc_ingest(stub: helpdesk_pb2_grpc.HelpdeskServiceStub, secret: str, mailbox: str) -> Ingest:
    """IngestEmail as the poller's caller, its answer as a Delivery."""

    async def ingest(raw: bytes) -> Delivery:
        if len(raw) > MAX_EMAIL_BYTES:  # never sent: the service would refuse it, and gRPC before it
            return Delivery("refused", f"email_too_large: the e-mail is larger than {MAX_EMAIL_BYTES} bytes")
        try:
            answer = await stub.IngestEmail(
                pb.IngestEmailRequest(raw=raw, mailbox=mailbox),
                metadata=POLLER.metadata(secret),
                timeout=INGEST_DEADLINE,
            )
        except grpc.aio.AioRpcError as error:
            detail = error_detail(error)
            text = f"{detail.code}: {detail.message}" if detail else f"{error.code().name}: {error.details()}"
            return Delivery("refused" if error.code() in REFUSED else "later", text)
        return Delivery("taken", f"{answer.outcome} {answer.reason}".strip())

    return ingest


class Maildir:
    """A Maildir folder (new/, cur/, tmp/) plus failed/ for refused messages."""

    def __init__(self, root: Path) -> None:
        self.root = root
        for name in ("new", "cur", "tmp", "failed"):
            (root / name).mkdir(parents=True, exist_ok=True)

    def waiting(self, now: float) -> list[Path]:
        """Files in new/ that are complete (not hidden, not modified in the last second), oldest first."""
        files = [p for p in (self.root / "new").iterdir() if p.is_file() and not p.name.startswith(".")]
        settled = [p for p in files if now - p.stat().st_mtime >= SETTLE_SECONDS]
        return sorted(settled, key=lambda p: (p.stat().st_mtime, p.name))

    async def deliver(self, ingest: Ingest, now: float | None = None) -> dict[str, int]:
        """One pass over new/: each file handed to `ingest` and moved by its result; counts by result."""
        counts = {"taken": 0, "refused": 0, "later": 0}
        for path in self.waiting(time.time() if now is None else now):
            delivery = await ingest(path.read_bytes())
            counts[delivery.result] += 1
            if delivery.result == "taken":
                path.rename(self.root / "cur" / f"{path.name.split(':', 1)[0]}:2,S")
                log.info("mail_taken", file=path.name, outcome=delivery.detail)
            elif delivery.result == "refused":
                target = self.root / "failed" / path.name
                path.rename(target)
                target.with_name(f"{target.name}.reason.txt").write_text(delivery.detail + "\n", encoding="utf-8")
                log.warning("mail_refused", file=path.name, reason=delivery.detail)
            else:
                log.warning("mail_deferred", file=path.name, reason=delivery.detail)
                break  # the service is not answering: the rest waits for the next pass too
        return counts


def imap_pass(settings: PollerSettings) -> list[tuple[bytes, bytes]]:
    """The unseen messages of the IMAP folder as (uid, raw bytes), oldest first (blocking: run it in a thread)."""
    with _imap(settings) as client:
        _, data = client.uid("SEARCH", "UNSEEN")
        uids = data[0].split() if data and data[0] else []
        found: list[tuple[bytes, bytes]] = []
        for uid in uids:
            _, parts = client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((p[1] for p in parts if isinstance(p, tuple) and len(p) > 1), b"")
            found.append((uid, raw))
        return found


def imap_mark(settings: PollerSettings, uid: bytes, refused: bool) -> None:
    """Mark a taken message \\Seen (and a refused one \\Flagged too), so no pass takes it again."""
    with _imap(settings) as client:
        client.uid("STORE", uid, "+FLAGS", "(\\Seen \\Flagged)" if refused else "(\\Seen)")


@contextlib.contextmanager
def _imap(settings: PollerSettings):  # type: ignore[no-untyped-def]
    kind = imaplib.IMAP4_SSL if settings.imap_ssl else imaplib.IMAP4
    client = kind(settings.imap_host, settings.imap_port, timeout=30)
    try:
        client.login(settings.imap_username, settings.imap_password)
        client.select(settings.imap_folder)
        yield client
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            client.logout()


async def deliver_imap(settings: PollerSettings, ingest: Ingest) -> dict[str, int]:
    counts = {"taken": 0, "refused": 0, "later": 0}
    for uid, raw in await asyncio.to_thread(imap_pass, settings):
        delivery = await ingest(raw)
        counts[delivery.result] += 1
        if delivery.result == "later":
            break
        await asyncio.to_thread(imap_mark, settings, uid, delivery.result == "refused")
    return counts


async def run(settings: PollerSettings, stop: asyncio.Event) -> None:
    """Poll until `stop` is set."""
    channel = open_channel(settings.helpdesk_target)
    ingest = grpc_ingest(helpdesk_pb2_grpc.HelpdeskServiceStub(channel), settings.internal_secret, settings.mailbox)
    maildir = None if settings.imap_host else Maildir(Path(settings.maildir))
    log.info("mail_poller_started", source=settings.imap_host or str(Path(settings.maildir).resolve()))
    try:
        while not stop.is_set():
            try:
                if maildir is not None:
                    await maildir.deliver(ingest)
                else:
                    await deliver_imap(settings, ingest)
            except (OSError, imaplib.IMAP4.error) as exc:  # a folder or a server that failed now: next pass
                log.warning("mail_poll_failed", error=str(exc))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), settings.interval)
    finally:
        await channel.close()


def main() -> None:
    argparse.ArgumentParser(description="Hand e-mail from a Maildir folder or IMAP to the helpdesk").parse_args()
    configure_logging("helpdesk-mail-poller")
    settings = PollerSettings()

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run(settings, stop)

    asyncio.run(serve())


if __name__ == "__main__":
    main()
