"""Wiring of the helpdesk service."""

from __future__ import annotations

from crm.helpdesk.v1 import helpdesk_pb2, helpdesk_pb2_grpc
from crm_core.clock import Clock
from crm_core.common import register_common
from crm_core.mail import Mailer, parse_address
from crm_core.metrics import business_counter
from crm_core.peers import PeerChannels
from crm_core.service import ServiceApp, run_passes
from crm_helpdesk import DOMAIN
from crm_helpdesk.consumers import add_consumers
from crm_helpdesk.grpc_api import HelpdeskServicer
from crm_helpdesk.knowledge_api import add_knowledge
from crm_helpdesk.knowledge_queries import article_is_visible
from crm_helpdesk.mail_files import EmailFiles
from crm_helpdesk.mail_ingest import EmailIntake
from crm_helpdesk.mail_intake import MAX_EMAIL_BYTES
from crm_helpdesk.mail_notify import ReplyMailer
from crm_helpdesk.portal_api import add_portal
from crm_helpdesk.portal_settings import PortalSettings
from crm_helpdesk.requesters import Requesters
from crm_helpdesk.settings import HelpdeskSettings
from crm_helpdesk.settings_admin import HelpdeskSetup
from crm_helpdesk.sla import SlaWatch
from crm_helpdesk.tickets import Tickets, ticket_is_visible

# Business figures, counted as their events commit (docs/observability.md#metrics).
business_counter("ticket.opened", "crm_tickets_opened_total", "Tickets opened")
business_counter("ticket.resolved", "crm_tickets_resolved_total", "Tickets resolved")
business_counter("ticket.sla_breached", "crm_tickets_sla_breached_total", "SLA targets of tickets breached")


def build(
    settings: HelpdeskSettings | None = None, clock: Clock | None = None, portal: PortalSettings | None = None
) -> ServiceApp:
    """The helpdesk service: its gRPC API (with health and reflection), the outbox relay, its consumers,
    the SLA pass; the customer portal's users and NPS surveys (`portal`: their links' address)."""
    settings = settings or HelpdeskSettings.for_domain(DOMAIN)
    app = ServiceApp(settings, clock)
    peers = PeerChannels(
        {
            "contacts": settings.contacts_grpc_target,
            "deals": settings.deals_grpc_target,
            "documents": settings.documents_grpc_target,
            "marketing": settings.marketing_grpc_target,
        },
        settings.internal_secret,
    )
    tickets = Tickets(app.db, app.namespace, app.clock, settings.calendar(), Requesters(peers))
    own_domain = parse_address(settings.mail.mail_from).domain or "localhost"
    files = EmailFiles(app.db, peers, app.clock, settings.file_retry_seconds)
    intake = EmailIntake(app.db, tickets, files, own_domain, settings.max_attachment_bytes)
    servicer = HelpdeskServicer(
        app.db, app.namespace.stream(DOMAIN), app.clock, tickets, HelpdeskSetup(app.db, app.clock), intake
    )
    # Raw e-mails of up to 25 MB arrive in one IngestEmail request.
    app.grpc.max_receive_bytes = MAX_EMAIL_BYTES + 1024 * 1024
    service_name = helpdesk_pb2.DESCRIPTOR.services_by_name["HelpdeskService"].full_name
    app.add_servicer(helpdesk_pb2_grpc.add_HelpdeskServiceServicer_to_server, servicer, service_name)
    register_common(app, audit={"ticket": ticket_is_visible, "kb_article": article_is_visible})
    add_knowledge(app)
    watch = SlaWatch(app.db, app.namespace, app.clock, tickets.sla)
    app.add_background("sla", lambda: run_passes("sla", watch.run_once, settings.sla_interval))
    app.add_background("email-files", lambda: run_passes("email-files", files.run_once, settings.file_retry_seconds))
    add_portal(app, settings, peers, portal)
    add_consumers(app)
    # Staff replies to e-mail requesters go out by mail, from the service's own ticket.replied events.
    app.add_consumer("reply-mail", [DOMAIN], ReplyMailer(Mailer(settings.mail)).on_event)
    app.on_stop(peers.close)
    return app
