"""The files of e-mails on their way to documents.

IngestEmail writes each file it keeps as an email_file row in the ticket's own transaction (keep), so a crash
after that commit loses none. The rows become attachments of their ticket in documents (as the system): at
once after the intake (forward with the new rows' ids), and, for those documents could not take then, in a pass
every replica runs (FOR UPDATE SKIP LOCKED: one replica per row), waiting longer after each failed attempt.
A file documents refuses (its type, its size) is named with the refusal's code in its message's text and
dropped. A file tried before is first looked for among the ticket's attachments (same name and SHA-256: an
earlier attempt stored it and lost the answer), so a retry never stores a file twice.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Sequence
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm.documents.v1 import attachments_pb2, attachments_pb2_grpc
from crm_core.auth import SYSTEM
from crm_core.clock import Clock, retry_wait
from crm_core.db import Database, new_id
from crm_core.errors import CrmError, Unavailable
from crm_core.logging import get_logger
from crm_core.peers import PeerChannels
from crm_helpdesk.mail_intake import MailAttachment
from crm_helpdesk.mail_text import with_notes
from crm_helpdesk.models import EmailFileRow, MessageRow

log = get_logger("crm.helpdesk.mail_files")

UPLOAD_CHUNK = 1024 * 1024
# A new row is the intake's to forward; the pass takes it only if it is still there this much later.
INTAKE_GRACE = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)


class EmailFiles:
    def __init__(self, db: Database, peers: PeerChannels, clock: Clock, retry_seconds: float = 30.0) -> None:
        self.db = db
        self.peers = peers
        self.clock = clock
        self.first_wait = timedelta(seconds=retry_seconds)

    def keep(
        self, session: AsyncSession, ticket_id: str, message_id: str, files: Sequence[MailAttachment]
    ) -> list[str]:
        """Rows for `files` of the ticket's message, in the intake's transaction; their ids."""
        now = self.clock.now()
        rows = [
            EmailFileRow(
                id=new_id(),
                ticket_id=ticket_id,
                message_id=message_id,
                filename=f.filename,
                data=f.data,
                sha256=hashlib.sha256(f.data).hexdigest(),
                next_attempt_at=now + INTAKE_GRACE,
                created_at=now,
            )
            for f in files
        ]
        session.add_all(rows)
        return [row.id for row in rows]

    async def forward(self, ids: Sequence[str]) -> int:
        """Store the intake's new rows now (one a pass holds is left to it); the number stored."""
        stored = 0
        for file_id in ids:
            async with self.db.transaction() as session:
                query = select(EmailFileRow).where(EmailFileRow.id == file_id).with_for_update(skip_locked=True)
                row = await session.scalar(query)
                if row is not None:
                    stored += await self._forward(session, row, tried=False)
        return stored

    async def run_once(self, batch: int = 20) -> int:
        """One pass: the rows whose time has come, one transaction each; the number stored."""
        stored = 0
        for _ in range(batch):
            async with self.db.transaction() as session:
                query = (
                    select(EmailFileRow)
                    .where(EmailFileRow.next_attempt_at <= self.clock.now())
                    .order_by(EmailFileRow.next_attempt_at)
                    .limit(1)
                    .with_for_update(skip_locked=True)
                )
                row = await session.scalar(query)
                if row is None:
                    break
                stored += await self._forward(session, row, tried=True)
        return stored

    async def _forward(self, session: AsyncSession, row: EmailFileRow, tried: bool) -> int:
        """Upload one row's file (unless a try before stored it): 1 when stored, 0 when refused or put off."""
        try:
            if not (tried and await self._stored_before(row)):
                await self._upload(row)
        except Unavailable as exc:
            row.attempts += 1
            row.next_attempt_at = self.clock.now() + retry_wait(row.attempts, self.first_wait, LONGEST_WAIT)
            row.last_error = f"{exc.code}: {exc.message}"
            log.warning(
                "email_file_waits",
                ticket_id=row.ticket_id,
                file=row.filename,
                attempts=row.attempts,
                error=row.last_error,
            )
            return 0
        except CrmError as exc:
            log.warning("email_attachment_refused", ticket_id=row.ticket_id, file=row.filename, code=exc.code)
            message = await session.get(MessageRow, row.message_id, with_for_update=True)
            if message is not None:
                message.body = with_notes(message.body, [f"{row.filename} ({exc.code})"])
            await session.delete(row)
            return 0
        await session.delete(row)
        return 1

    def _stub(self) -> attachments_pb2_grpc.AttachmentsServiceStub:
        return attachments_pb2_grpc.AttachmentsServiceStub(self.peers.channel("documents"))

    async def _stored_before(self, row: EmailFileRow) -> bool:
        request = attachments_pb2.ListAttachmentsRequest(
            record_type=attachments_pb2.RECORD_TYPE_TICKET, record_id=row.ticket_id
        )
        listed = await self.peers.call("documents", self._stub().ListAttachments, request, SYSTEM)
        return any(
            a.filename == row.filename and any(v.sha256 == row.sha256 for v in a.versions) for a in listed.attachments
        )

    async def _upload(self, row: EmailFileRow) -> None:
        await self.peers.call("documents", self._stub().UploadAttachment, _upload_stream(row), SYSTEM)


async def _upload_stream(row: EmailFileRow) -> AsyncIterator[attachments_pb2.UploadAttachmentRequest]:
    data = row.data
    yield attachments_pb2.UploadAttachmentRequest(
        start=attachments_pb2.UploadAttachmentStart(
            record_type=attachments_pb2.RECORD_TYPE_TICKET,
            record_id=row.ticket_id,
            filename=row.filename,
            declared_size=len(data),
        )
    )
    for offset in range(0, len(data), UPLOAD_CHUNK):
        yield attachments_pb2.UploadAttachmentRequest(chunk=data[offset : offset + UPLOAD_CHUNK])
        await asyncio.sleep(0)
    yield attachments_pb2.UploadAttachmentRequest(
        end=attachments_pb2.UploadAttachmentEnd(size=len(data), sha256=row.sha256)
    )
