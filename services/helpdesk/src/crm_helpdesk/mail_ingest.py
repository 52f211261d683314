"""The e-mail channel's intake: one raw message becomes a new ticket, a reply on one, or is ignored.

Order of work (IngestEmail):

1. Read it (mail_intake.parse_email: 25 MB, malformed) and classify it: an
   auto-reply, a bounce or our own notification come back (a loop) is logged in
   intake_message and ignored, never a ticket.
2. Dedup: intake_message.message_key is unique (the Message-ID, or the SHA-256
   of the raw bytes when there is none). The row is inserted first in the
   transaction with ON CONFLICT DO NOTHING: a redelivered message finds the row
   and is "ignored/duplicate"; two identical deliveries at once wait on each
   other's insert in PostgreSQL, and the second finds the first's row.
3. Threading: a Message-ID of In-Reply-To/References that is a message of a
   ticket (an e-mail we took, or a notification we sent: mail_notify stores its
   Message-ID on the message row), else the "[#<number>-<token>]" of the subject.
   A reply is appended as the requester's public message on the e-mail channel
   (Tickets.add_to: a resolved ticket reopens); a reply to a closed ticket, or a
   message matching no ticket, opens a new one for the requester found by e-mail
   in contacts (or for the address and name alone), in the queue whose address
   the mail came to.
4. The ticket change, its events and audit entry, the intake row and the
   message's files (mail_files) commit in one transaction; the files are then
   stored with documents as attachments of the ticket, at once or, while
   documents cannot take them, by a later pass. One over the size limit, or one
   documents refuses, is named in the message's text, never a failed intake.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.acl import require_role
from crm_core.audit import record_audit
from crm_core.auth import SYSTEM, Caller
from crm_core.db import Database, new_id
from crm_core.logging import get_logger
from crm_helpdesk.inputs import MAX_BODY, MAX_SUBJECT, Author, NewMessage, NewTicket
from crm_helpdesk.mail_files import EmailFiles
from crm_helpdesk.mail_intake import MailAttachment, ParsedEmail, classify, parse_email
from crm_helpdesk.mail_text import with_notes
from crm_helpdesk.models import IntakeRow, MessageRow, QueueRow, TicketRow
from crm_helpdesk.tickets import Tickets

log = get_logger("crm.helpdesk.mail_ingest")

MAIL_INTAKE_ROLE = "mail_intake"
# The documents service's default CRM_DOCUMENTS_MAX_ATTACHMENT_BYTES: larger files are not even sent.
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
MAX_ATTACHMENTS = 50


@dataclass(frozen=True)
class Intake:
    """What became of one e-mail (IngestEmailResponse)."""

    outcome: str
    reason: str = ""
    ticket_id: str = ""
    message_id: str = ""
    attachments: int = 0


class EmailIntake:
    """IngestEmail: see the module's docstring."""

    def __init__(
        self,
        db: Database,
        tickets: Tickets,
        files: EmailFiles,
        own_domain: str,
        max_attachment_bytes: int = MAX_ATTACHMENT_BYTES,
    ) -> None:
        self.db = db
        self.tickets = tickets
        self.files = files
        self.own_domain = own_domain
        self.max_attachment_bytes = max_attachment_bytes

    async def ingest(self, caller: Caller, raw: bytes, mailbox: str = "") -> Intake:
        """Take one raw e-mail as `caller` (an admin or a mail_intake caller)."""
        require_role(caller, MAIL_INTAKE_ROLE, "hand e-mail to the helpdesk")
        email = parse_email(raw)
        reason = classify(email, self.own_domain)
        if not reason:
            existing = await self._already_taken(email.message_key)
            if existing is not None:
                return existing
        files, skipped = self._files(email.attachments)
        async with self.db.transaction() as session:
            intake_id = await self._claim(session, email, mailbox, reason)
            if intake_id is None:
                return await self._taken(session, email.message_key) or Intake("ignored", "duplicate")
            if reason:
                self._audit(session, caller, intake_id, email, "ignored", reason, None)
                return Intake("ignored", reason)
            body = with_notes(_body(email), skipped)
            ticket = await self._thread(session, email)
            if ticket is not None:
                outcome, message_id = "appended", await self._append(session, ticket, email, body)
            else:
                outcome = "opened"
                ticket, message_id = await self._open(session, email, body, mailbox)
            await session.execute(
                update(IntakeRow).where(IntakeRow.id == intake_id).values(outcome=outcome, ticket_id=ticket.id)
            )
            self._audit(session, caller, intake_id, email, outcome, "", ticket.id)
            ticket_id = ticket.id
            file_ids = self.files.keep(session, ticket_id, message_id, files)
        stored = await self.files.forward(file_ids)
        return Intake(outcome, "", ticket_id, message_id, stored)

    async def _append(self, session: AsyncSession, ticket: TicketRow, email: ParsedEmail, body: str) -> str:
        """The e-mail as the requester's public reply on the ticket (its status rules: Tickets.add_to)."""
        author = Author("requester", await self._party_of(ticket, email), email.sender_name or email.sender)
        data = NewMessage("reply", body, "", "email", _stored_id(email))
        return (await self.tickets.add_to(session, SYSTEM, ticket, data, author)).id

    async def _open(self, session: AsyncSession, email: ParsedEmail, body: str, mailbox: str) -> tuple[TicketRow, str]:
        """A new ticket whose first message is the e-mail, for the requester contacts knows by the address."""
        data = NewTicket(
            subject=_subject(email),
            description=body,
            requester_party_id="",
            requester_email=email.sender,
            requester_name=email.sender_name,
            channel="email",
            priority="normal",
            category="question",
            queue_id="",
            deal_id="",
            assignee_id="",
            email_message_id=_stored_id(email),
            mailbox=await self._mailbox(session, mailbox, email),
        )
        ticket, message_id = await self.tickets.open_in(
            session, SYSTEM, data, Author("requester", "", email.sender_name or email.sender)
        )
        # The requester was looked up in contacts by the sender's address while the ticket was opened.
        first = await session.get(MessageRow, message_id)
        if first is not None:
            first.author_id = ticket.requester_party_id or ""
        return ticket, message_id

    # Dedup ---------------------------------------------------------------------------------------------

    async def _already_taken(self, key: str) -> Intake | None:
        """A cheap look before any work: a message taken before answers duplicate without a contacts call."""
        async with self.db.readers() as session:
            return await self._taken(session, key)

    async def _taken(self, session: AsyncSession, key: str) -> Intake | None:
        row = await session.scalar(select(IntakeRow).where(IntakeRow.message_key == key))
        if row is None:
            return None
        return Intake("ignored", "duplicate", row.ticket_id or "")

    async def _claim(self, session: AsyncSession, email: ParsedEmail, mailbox: str, reason: str) -> str | None:
        """The new intake row's id (outcome "ignored" with `reason`, or "pending" until the ticket change), or
        None when the message was taken before, or is being taken right now: the insert then waits for that
        transaction and finds its row."""
        return await session.scalar(
            insert(IntakeRow)
            .values(
                id=new_id(),
                message_key=email.message_key,
                mailbox=mailbox[:320],
                sender=email.sender,
                subject=email.subject[:MAX_SUBJECT],
                outcome="ignored" if reason else "pending",
                reason=reason,
                sha256=email.sha256,
            )
            .on_conflict_do_nothing(index_elements=[IntakeRow.message_key])
            .returning(IntakeRow.id)
        )

    def _audit(
        self,
        session: AsyncSession,
        caller: Caller,
        intake_id: str,
        email: ParsedEmail,
        outcome: str,
        reason: str,
        ticket_id: str | None,
    ) -> None:
        record_audit(
            session,
            entity_type="intake_message",
            entity_id=intake_id,
            action="create",
            actor_id=caller.user_id,
            changes={
                "message_key": {"old": None, "new": email.message_key},
                "sender": {"old": None, "new": email.sender},
                "outcome": {"old": None, "new": outcome},
                "reason": {"old": None, "new": reason},
                "ticket_id": {"old": None, "new": ticket_id},
            },
        )

    # Threading -----------------------------------------------------------------------------------------

    async def _thread(self, session: AsyncSession, email: ParsedEmail) -> TicketRow | None:
        """The open ticket this e-mail answers (locked), by its headers, then by the subject's token; None for a
        new request or a reply to a closed ticket (which starts a new one)."""
        ticket_id = None
        if email.thread_ids:
            ticket_id = await session.scalar(
                select(MessageRow.ticket_id).where(MessageRow.email_message_id.in_(email.thread_ids)).limit(1)
            )
        if ticket_id is None and email.token is not None:
            number, token = email.token
            ticket_id = await session.scalar(
                select(TicketRow.id).where(TicketRow.number == number, TicketRow.email_token == token)
            )
        if ticket_id is None:
            return None
        row = await session.scalar(select(TicketRow).where(TicketRow.id == ticket_id).with_for_update())
        return None if row is None or row.status == "closed" else row

    async def _party_of(self, ticket: TicketRow, email: ParsedEmail) -> str:
        """The client who wrote a reply: the ticket's requester, or whoever contacts knows by the address."""
        if email.sender == ticket.requester_email.lower():
            return ticket.requester_party_id or ""
        known = await self.tickets.requesters.by_email(email.sender)
        return known.party_id if known is not None else ""

    async def _mailbox(self, session: AsyncSession, mailbox: str, email: ParsedEmail) -> str:
        """The address that chooses the queue: the one the MTA names, else the first To/Cc that is a queue's."""
        if mailbox.strip():
            return mailbox.strip().lower()
        addresses = [a for a in (*email.to, *email.cc) if a]
        if not addresses:
            return ""
        found = await session.scalar(
            select(QueueRow.email_address)
            .where(QueueRow.email_address.in_(addresses), QueueRow.archived.is_(False))
            .order_by(QueueRow.created_at)
            .limit(1)
        )
        return found or ""

    # Files ---------------------------------------------------------------------------------------------

    def _files(self, attachments: Sequence[MailAttachment]) -> tuple[list[MailAttachment], list[str]]:
        """The files to store, and the notes on those skipped (too large, empty, too many)."""
        kept: list[MailAttachment] = []
        skipped: list[str] = []
        limit = self.max_attachment_bytes
        size = (
            f"{limit // 2**20} МБ / over {limit // 2**20} MB"
            if limit >= 2**20
            else f"{limit} байт / over {limit} bytes"
        )
        for attachment in attachments:
            if len(attachment.data) > limit:
                skipped.append(f"{attachment.filename} (больше {size})")
            elif not attachment.data:
                skipped.append(f"{attachment.filename} (пустой файл / empty file)")
            elif len(kept) >= MAX_ATTACHMENTS:
                skipped.append(
                    f"{attachment.filename} (больше {MAX_ATTACHMENTS} файлов / over {MAX_ATTACHMENTS} files)"
                )
            else:
                kept.append(attachment)
        return kept, skipped


def _stored_id(email: ParsedEmail) -> str:
    """The Message-ID kept on the message row; a message without one gets one from its hash (the row's
    email_message_id is unique, and the first message of an e-mail ticket is made only with one)."""
    return email.message_id or f"<{email.sha256.hex()}@intake.invalid>"


def _body(email: ParsedEmail) -> str:
    body = email.body.strip() or email.subject
    if len(body) > MAX_BODY:
        note = "\n\n[…]"
        body = body[: MAX_BODY - len(note) - 200] + note
    return body


def _subject(email: ParsedEmail) -> str:
    """The new ticket's subject: the e-mail's without prefixes, else its first words, else the sender."""
    topic = email.topic or " ".join(email.body.split()[:12]) or email.sender
    return topic[:MAX_SUBJECT]
