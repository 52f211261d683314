"""The background sender: queued recipients go out through SMTP, throttled, each once, whatever the replicas.

A pass claims due queued recipients with FOR UPDATE SKIP LOCKED, so two
replicas never take the same row, sends them one message each (one recipient
per message: a partial refusal can then never deliver twice) at most
`messages_per_second` per replica, and records the outcome in the claiming
transaction: `sent` (with mailing.sent in the outbox), `failed` for a permanent
refusal, an address that cannot be carried or a template that fails, or back
to `queued` with a later attempt for a temporary failure (until
`max_attempts`). The suppression list is read again right before each
message: an address unsubscribed after the mailing was queued gets nothing.

A process that dies between the SMTP server's acceptance and the commit
leaves the row queued, so that one message can go twice (at least once, never
lost): SMTP offers no way to ask whether a message was already delivered.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import marketing_pb2 as events
from crm_core.auth import SYSTEM
from crm_core.clock import Clock, retry_wait
from crm_core.db import Database
from crm_core.events import Namespace, record_event
from crm_core.logging import get_logger
from crm_core.mail import Mailer, PermanentMailError, TemporaryMailError
from crm_core.service import run_passes
from crm_core.templates import MailTemplate as Template
from crm_core.templates import TemplateRenderError
from crm_marketing import DOMAIN
from crm_marketing.mail_content import Links, compose
from crm_marketing.models import Mailing, MailRecipient, MailSuppression, MailTemplate
from crm_marketing.tracking import recipient_event_scope

log = get_logger("crm.marketing.sender")


class MailSender:
    """Sends queued recipients (a background loop of the service)."""

    def __init__(
        self,
        db: Database,
        namespace: Namespace,
        clock: Clock,
        mailer: Mailer,
        urls: Links,
        *,
        messages_per_second: float,
        batch: int,
        interval: float,
        max_attempts: int,
        retry_seconds: float,
    ) -> None:
        self.db = db
        self.namespace = namespace
        self.clock = clock
        self.mailer = mailer
        self.urls = urls
        self.spacing = 1.0 / messages_per_second if messages_per_second > 0 else 0.0
        self.batch = batch
        self.interval = interval
        self.max_attempts = max_attempts
        self.retry_seconds = retry_seconds
        self._last_send = 0.0

    async def run(self) -> None:
        await run_passes("mail-sender", self.send_due, self.interval)

    async def send_due(self) -> int:
        """One pass: claim up to `batch` due recipients, send each, record the outcomes; close finished mailings."""
        if not self.urls.secret:
            return 0  # no message without its signed links (CRM_LINK_SECRET); mailings are refused meanwhile
        now = self.clock.now()
        async with self.db.transaction() as session:
            claimed = (
                await session.scalars(
                    select(MailRecipient)
                    .where(MailRecipient.status == "queued", MailRecipient.next_attempt_at <= now)
                    .order_by(MailRecipient.next_attempt_at, MailRecipient.id)
                    .limit(self.batch)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            templates = await self._templates(session, {r.template_id for r in claimed})
            for recipient in claimed:
                await self._send_one(session, recipient, templates[recipient.template_id])
        await self._finish_mailings()
        return len(claimed)

    async def _templates(self, session: AsyncSession, ids: set[str]) -> dict[str, Template]:
        if not ids:
            return {}
        rows = await session.scalars(select(MailTemplate).where(MailTemplate.id.in_(list(ids))))
        return {t.id: Template(subject=t.subject, text=t.text, html=t.html) for t in rows}

    async def _throttle(self) -> None:
        wait = self._last_send + self.spacing - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        self._last_send = time.monotonic()

    async def _send_one(self, session: AsyncSession, recipient: MailRecipient, template: Template) -> None:
        suppressed = await session.scalar(select(exists().where(MailSuppression.email_key == recipient.email.lower())))
        if suppressed:
            recipient.status = "suppressed"
            return
        headers = {"X-CRM-Recipient": recipient.id}
        if recipient.mailing_id:
            headers["X-CRM-Mailing"] = recipient.mailing_id
        try:
            message = compose(
                template=template,
                recipient_id=recipient.id,
                email=recipient.email,
                merge=recipient.merge,
                sender=recipient.from_address or self.mailer.settings.mail_from,
                urls=self.urls,
                headers=headers,
            )
        except (ValueError, TemplateRenderError) as exc:
            recipient.status, recipient.error = "failed", str(exc)[:500]
            return
        await self._throttle()
        recipient.attempts += 1
        try:
            message_id = await self.mailer.send(message)
        except PermanentMailError as exc:
            recipient.status, recipient.error = "failed", str(exc)[:500]
            return
        except TemporaryMailError as exc:
            recipient.error = str(exc)[:500]
            if recipient.attempts >= self.max_attempts:
                recipient.status = "failed"
            else:
                wait = retry_wait(recipient.attempts, timedelta(seconds=self.retry_seconds), timedelta(hours=1))
                recipient.next_attempt_at = self.clock.now() + wait
            log.warning("mail_send_retry", recipient_id=recipient.id, attempts=recipient.attempts, error=str(exc))
            return
        recipient.status, recipient.error = "sent", ""
        recipient.message_id = message_id
        recipient.subject = str(message["Subject"])
        recipient.sent_at = self.clock.now()
        await record_event(
            session,
            self.namespace,
            DOMAIN,
            "mailing.sent",
            subject_id=recipient.id,
            payload=events.MailingSent(
                mailing_id=recipient.mailing_id or "",
                recipient_id=recipient.id,
                email=recipient.email,
                campaign_id=recipient.campaign_id,
                record_kind=recipient.record_kind,
                record_id=recipient.record_id,
                subject=recipient.subject,
            ),
            actor=SYSTEM,
            party_ids=[recipient.record_id] if recipient.record_kind == "party" else [],
            summary=f"E-mail '{recipient.subject}' sent to {recipient.email}",
            scopes=[await recipient_event_scope(session, recipient)],
        )

    async def _finish_mailings(self) -> None:
        """A sending mailing with nothing queued is sent."""
        async with self.db.transaction() as session:
            waiting = exists().where(MailRecipient.mailing_id == Mailing.id, MailRecipient.status == "queued")
            await session.execute(
                update(Mailing)
                .where(Mailing.status == "sending", ~waiting)
                .values(status="sent", finished_at=self.clock.now(), version=Mailing.version + 1)
            )
