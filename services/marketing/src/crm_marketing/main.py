"""Wiring of the marketing service."""

from __future__ import annotations

from crm.marketing.v1 import marketing_pb2, marketing_pb2_grpc
from crm_core.clock import Clock
from crm_core.service import ServiceApp
from crm_core.settings import ServiceSettings
from crm_marketing import DOMAIN
from crm_marketing.consumers import add_consumers
from crm_marketing.grpc_api import MarketingServicer
from crm_marketing.repository import MarketingRepository


def build(settings: ServiceSettings | None = None, clock: Clock | None = None) -> ServiceApp:
    """The marketing service: its gRPC API (with health and reflection), the outbox relay, its consumers."""
    app = ServiceApp(settings or ServiceSettings.for_domain(DOMAIN), clock)
    servicer = MarketingServicer(MarketingRepository(app.db), app.namespace.stream(DOMAIN))
    service_name = marketing_pb2.DESCRIPTOR.services_by_name["MarketingService"].full_name
    app.add_servicer(marketing_pb2_grpc.add_MarketingServiceServicer_to_server, servicer, service_name)
    # Audit, custom fields and code lists (crm.common.v1, crm_core.common): once the service has records, one
    # line here, e.g. register_common(app, audit={"lead": lead_is_visible}, code_lists={"lead_sources": LeadSource}).
    add_consumers(app)
    return app
