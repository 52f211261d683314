"""Wiring of the helpdesk service."""

from __future__ import annotations

from crm.helpdesk.v1 import helpdesk_pb2, helpdesk_pb2_grpc
from crm_core.clock import Clock
from crm_core.service import ServiceApp
from crm_core.settings import ServiceSettings
from crm_helpdesk import DOMAIN
from crm_helpdesk.consumers import add_consumers
from crm_helpdesk.grpc_api import HelpdeskServicer
from crm_helpdesk.knowledge_api import add_knowledge
from crm_helpdesk.repository import HelpdeskRepository


def build(settings: ServiceSettings | None = None, clock: Clock | None = None) -> ServiceApp:
    """The helpdesk service: its gRPC API (with health and reflection), the outbox relay, its consumers."""
    app = ServiceApp(settings or ServiceSettings.for_domain(DOMAIN), clock)
    servicer = HelpdeskServicer(HelpdeskRepository(app.db), app.namespace.stream(DOMAIN))
    service_name = helpdesk_pb2.DESCRIPTOR.services_by_name["HelpdeskService"].full_name
    app.add_servicer(helpdesk_pb2_grpc.add_HelpdeskServiceServicer_to_server, servicer, service_name)
    # Audit, custom fields and code lists (crm.common.v1, crm_core.common): once the service has records, one
    # line here, e.g. register_common(app, audit={"lead": lead_is_visible}, code_lists={"lead_sources": LeadSource}).
    add_knowledge(app)
    add_consumers(app)
    return app
