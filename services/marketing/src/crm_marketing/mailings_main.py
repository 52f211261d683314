"""Wiring of segments and mailings into the marketing service (called by main.build)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.acl import visible_to
from crm_core.auth import Caller
from crm_core.db import is_uuid
from crm_core.logging import get_logger
from crm_core.mail import Mailer
from crm_core.metrics import business_counter
from crm_core.service import ServiceApp
from crm_marketing.mail_content import Links
from crm_marketing.mailings import Mailings
from crm_marketing.mailings_api import MailingsApi
from crm_marketing.models import Mailing, MailTemplate, Segment
from crm_marketing.peers import Peers
from crm_marketing.segments import Segments
from crm_marketing.sender import MailSender
from crm_marketing.settings import MarketingSettings
from crm_marketing.tracking import Tracking

log = get_logger("crm.marketing.mailings")

business_counter("mailing.sent", "crm_marketing_mail_sent_total", "Mailing messages accepted by the SMTP server")
business_counter("message.opened", "crm_marketing_mail_opened_total", "Mailing messages opened (first open)")
business_counter(
    "message.clicked", "crm_marketing_mail_clicked_total", "Links of mailing messages clicked (first per link)"
)


def _visibility(model: Any) -> Any:
    async def visible(session: AsyncSession, caller: Caller, record_id: str) -> bool:
        if not is_uuid(record_id):
            return False
        return (
            await session.scalar(select(model.id).where(model.id == record_id, visible_to(caller, model)))
        ) is not None

    return visible


async def _suppression_audit(session: AsyncSession, caller: Caller, record_id: str) -> bool:
    """The suppression list's audit is for admins."""
    return caller.is_admin


# The audit trails segments and mailings add (AuditService), each as visible as its record.
MAILING_AUDIT = {
    "segment": _visibility(Segment),
    "mail_template": _visibility(MailTemplate),
    "mailing": _visibility(Mailing),
    "mail_suppression": _suppression_audit,
}


def add_mailings(app: ServiceApp, settings: MarketingSettings, servicer: MailingsApi, peers: Peers) -> None:
    """Segments, templates, mailings and tracking on the servicer; the background sender."""
    if not settings.link_secret:
        # The service serves everything else; sending mail waits for the secret its links are signed with.
        log.warning("mail_links_unconfigured", note="set CRM_LINK_SECRET: mailings are refused until then")
    mailer = Mailer(settings.mail)
    urls = Links(settings.public_url, settings.link_secret)
    segments = Segments(app.db, app.clock, peers)
    servicer.attach_mailings(
        segments,
        Mailings(app.db, app.clock, segments, peers, mailer, urls),
        Tracking(app.db, app.namespace, app.clock, settings.link_secret),
    )
    sender = MailSender(
        app.db,
        app.namespace,
        app.clock,
        mailer,
        urls,
        messages_per_second=settings.mail_messages_per_second,
        batch=settings.mail_batch,
        interval=settings.mail_interval,
        max_attempts=settings.mail_max_attempts,
        retry_seconds=settings.mail_retry_seconds,
    )
    app.add_background("mail-sender", sender.run)
