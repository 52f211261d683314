"""A local SMTP server that keeps every message it gets as a file, for `make dev`.

`python -m crm_core.smtp_sink --port 8025 --dir .dev/mail` accepts any mail
(aiosmtpd) and writes each message as `<time>-<n>.eml` (open it in any mail
client, or read it: it is text) and a line of `index.jsonl` (when, from, to,
the decoded subject, the file), so a developer sees what a mailing sent
without a real mailbox. Nothing is delivered anywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import signal
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast

from aiosmtpd.smtp import SMTP, Envelope, Session

from crm_core.mail import MailSettings

DEFAULT_FOLDER = ".dev/mail"
INDEX = "index.jsonl"


def parse_message(data: bytes) -> EmailMessage:
    """Bytes received over SMTP as an EmailMessage with decoded headers (policy.default)."""
    return cast(EmailMessage, message_from_bytes(data, policy=policy.default))


class MailFolder:
    """aiosmtpd handler that stores each message in `folder` as an .eml file and a line of index.jsonl."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._numbers = itertools.count(1)

    def store(self, data: bytes, mail_from: str, recipients: list[str]) -> Path:
        """Write one message; returns its file."""
        self.folder.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC)
        path = self.folder / f"{now:%Y%m%dT%H%M%S%f}-{os.getpid()}-{next(self._numbers)}.eml"
        path.write_bytes(data)
        message = parse_message(data)
        entry = {
            "received_at": now.isoformat(),
            "file": path.name,
            "from": mail_from,
            "to": recipients,
            "subject": str(message.get("Subject", "")),
            "message_id": str(message.get("Message-ID", "")),
        }
        with (self.folder / INDEX).open("a", encoding="utf-8") as index:
            index.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return path

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content
        assert isinstance(content, bytes)
        await asyncio.to_thread(self.store, content, envelope.mail_from or "", list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def smtp_factory(handler: Any) -> SMTP:
    """An aiosmtpd SMTP protocol for `handler` that takes UTF-8 addresses (SMTPUTF8) and 8-bit bodies."""
    return SMTP(handler, enable_SMTPUTF8=True, decode_data=False, hostname="crm-smtp-sink")


async def serve(host: str, port: int, folder: Path) -> None:
    """Accept mail on host:port into `folder` until SIGINT/SIGTERM."""
    handler = MailFolder(folder)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: smtp_factory(handler), host, port)
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows' loop
            loop.add_signal_handler(signum, stop.set)
    print(f"SMTP sink on {host}:{port}, messages in {folder.resolve()}", flush=True)
    async with server:
        await stop.wait()


def main() -> None:
    settings = MailSettings()
    parser = argparse.ArgumentParser(description="A local SMTP server that stores every message as an .eml file")
    parser.add_argument("--host", default=settings.smtp_host)
    parser.add_argument("--port", type=int, default=settings.smtp_port)
    parser.add_argument("--dir", default=os.environ.get("CRM_MAIL_SINK_DIR", DEFAULT_FOLDER), help="where to write")
    args = parser.parse_args()
    asyncio.run(serve(args.host, args.port, Path(args.dir)))


if __name__ == "__main__":
    main()
