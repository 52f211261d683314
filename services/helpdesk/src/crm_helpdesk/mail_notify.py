"""Staff replies e-mailed to the requester: a consumer of the helpdesk's own ticket.replied events.

When staff add a public reply to a ticket that has a requester e-mail, the
reply goes out as a mail with the subject "[#<number>-<token>] <subject>"
(the intake threads a reply by that token even when a mail client drops the
headers), the Message-ID "<ticket-msg-<message id>@<our domain>>" (stored on
the message row, so a reply's In-Reply-To finds the ticket) and In-Reply-To /
References of the ticket's earlier mail. It carries the header X-CRM-Helpdesk,
so if it ever comes back to the intake (a forwarding loop) it is ignored.

Outbox semantics: the text is read from the database, and the row is marked
sent (its email_message_id set) in the same transaction as the consumer's
inbox row; a message already marked is never sent again. The SMTP server
answering 4xx or not at all fails the handler, so the event is redelivered and
the mail sent later; a crash between the SMTP server's acceptance and the
commit sends it once more with the same Message-ID, which mail clients show
once. A 5xx refusal (no such mailbox) is logged and not retried.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import envelope_pb2
from crm.events.v1 import helpdesk_pb2 as events
from crm_core.audit import record_audit
from crm_core.logging import get_logger
from crm_core.mail import Mailer, PermanentMailError, build_message, parse_address
from crm_helpdesk.mail_intake import LOOP_HEADER, OUTGOING_ID_PREFIX
from crm_helpdesk.models import MessageRow, QueueRow, TicketRow

log = get_logger("crm.helpdesk.mail_notify")

# References carry at most this many earlier Message-IDs (the first and the latest ones).
MAX_REFERENCES = 20


def outgoing_message_id(message_id: str, domain: str) -> str:
    """The Message-ID a ticket message is sent with: replies to it name it in In-Reply-To."""
    return f"<{OUTGOING_ID_PREFIX}{message_id}@{domain}>"


def ticket_subject(row: TicketRow) -> str:
    return f"[#{row.number}-{row.email_token}] {row.subject}"


@dataclass
class ReplyMailer:
    """Sends staff replies to e-mail requesters (see the module's docstring)."""

    mailer: Mailer

    @property
    def domain(self) -> str:
        return parse_address(self.mailer.settings.mail_from).domain or "localhost"

    async def on_event(self, session: AsyncSession, envelope: envelope_pb2.EventEnvelope) -> None:
        """ticket.replied with a staff reply: mail it (others are not this consumer's)."""
        if envelope.type != "ticket.replied":
            return
        change = events.TicketChanged()
        if not envelope.payload.Unpack(change):
            return
        if change.message_kind != "reply" or change.author_type != "staff" or not change.message_id:
            return
        await self.send_reply(session, change.message_id)

    async def send_reply(self, session: AsyncSession, message_id: str) -> None:
        message = await session.scalar(select(MessageRow).where(MessageRow.id == message_id).with_for_update())
        if message is None or message.email_message_id:
            return  # gone, or sent already
        ticket = await session.get(TicketRow, message.ticket_id)
        if ticket is None or not ticket.requester_email:
            return
        earlier = (
            await session.scalars(
                select(MessageRow.email_message_id)
                .where(MessageRow.ticket_id == ticket.id, MessageRow.email_message_id != "")
                .order_by(MessageRow.created_at, MessageRow.id)
            )
        ).all()
        queue = await session.get(QueueRow, ticket.queue_id)
        sent_as = outgoing_message_id(message.id, self.domain)
        references = [*earlier[:1], *earlier[1:][-(MAX_REFERENCES - 1) :]]
        headers = {LOOP_HEADER: str(ticket.number)}
        if references:
            headers["In-Reply-To"] = references[-1]
            headers["References"] = " ".join(references)
        try:
            mail = build_message(
                sender=self.mailer.settings.mail_from,
                to=_recipient(ticket),
                subject=ticket_subject(ticket),
                text=message.body,
                reply_to=queue.email_address if queue is not None and queue.email_address else None,
                headers=headers,
            )
        except ValueError as exc:  # an address no server takes: nothing to retry
            log.warning("reply_not_mailed", ticket_id=ticket.id, message_id=message.id, error=str(exc))
            return
        del mail["Message-ID"]
        mail["Message-ID"] = sent_as
        try:
            await self.mailer.send(mail)
        except PermanentMailError as exc:
            log.warning("reply_refused", ticket_id=ticket.id, message_id=message.id, error=str(exc))
            return
        message.email_message_id = sent_as
        record_audit(
            session,
            entity_type="ticket",
            entity_id=ticket.id,
            action="reply_mailed",
            actor_id="system",
            changes={"email_message_id": {"old": None, "new": sent_as}, "to": {"old": None, "new": _recipient(ticket)}},
        )


def _recipient(ticket: TicketRow) -> str:
    if not ticket.requester_name:
        return ticket.requester_email
    name = ticket.requester_name.replace('"', "'")
    return f'"{name}" <{ticket.requester_email}>'
