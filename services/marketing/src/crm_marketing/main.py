"""Wiring of the marketing service."""

from __future__ import annotations

from datetime import timedelta

from crm.marketing.v1 import marketing_pb2, marketing_pb2_grpc
from crm_core.clock import Clock
from crm_core.common import register_common
from crm_core.metrics import business_counter
from crm_core.service import ServiceApp, run_passes
from crm_marketing import DOMAIN
from crm_marketing.commands import Campaigns, Leads
from crm_marketing.consumers import add_consumers
from crm_marketing.conversion import Converter
from crm_marketing.forms import Forms
from crm_marketing.grpc_api import MarketingServicer
from crm_marketing.imports.job import ImportRunner
from crm_marketing.imports.uploads import Imports
from crm_marketing.mailings_main import MAILING_AUDIT, add_mailings
from crm_marketing.models import CampaignType, DisqualificationReason
from crm_marketing.peers import Peers
from crm_marketing.repository import campaign_is_visible, lead_is_visible
from crm_marketing.settings import MarketingSettings
from crm_marketing.visits import VisitLimits, Visits

# Business figures, counted as their events commit (docs/observability.md#metrics).
business_counter("lead.captured", "crm_marketing_leads_captured_total", "Leads captured")
business_counter("lead.converted", "crm_marketing_leads_converted_total", "Leads converted")


def build(settings: MarketingSettings | None = None, clock: Clock | None = None) -> ServiceApp:
    """The marketing service: its gRPC API (with health and reflection), the outbox relay, its consumers."""
    settings = settings or MarketingSettings.for_domain(DOMAIN)
    app = ServiceApp(settings, clock)
    peers = Peers(settings.contacts_grpc_target, settings.deals_grpc_target, settings.internal_secret)
    leads = Leads(app.db, app.namespace, app.clock)
    visits = Visits(app.db, app.namespace, app.clock, visit_limits(settings), settings.internal_secret)
    servicer = MarketingServicer(
        app.db,
        Campaigns(app.db, app.namespace, app.clock),
        leads,
        Converter(app.db, app.namespace, app.clock, peers),
        peers,
        app.namespace.stream(DOMAIN),
        forms=Forms(app.db, app.clock, leads, peers),
        imports=Imports(app.db, app.clock),
        visits=visits,
    )
    runner = ImportRunner(app.db, app.namespace, app.clock, peers, settings.import_batch)
    app.add_background("imports", lambda: run_passes("imports", runner.run_pass, settings.import_interval))
    add_mailings(app, settings, servicer, peers)
    service_name = marketing_pb2.DESCRIPTOR.services_by_name["MarketingService"].full_name
    app.add_servicer(marketing_pb2_grpc.add_MarketingServiceServicer_to_server, servicer, service_name)
    register_common(
        app,
        audit={"lead": lead_is_visible, "campaign": campaign_is_visible, **MAILING_AUDIT},
        code_lists={"disqualification_reasons": DisqualificationReason, "campaign_types": CampaignType},
    )
    add_consumers(app)
    app.add_background(
        "visit-purge", lambda: run_passes("visit-purge", visits.purge_all, settings.visit_purge_interval)
    )
    app.on_stop(peers.close)
    return app


def visit_limits(settings: MarketingSettings) -> VisitLimits:
    return VisitLimits(
        per_visitor=settings.visit_limit_per_minute,
        per_address=settings.visit_address_limit_per_minute,
        retention=timedelta(days=settings.visit_retention_days),
    )
