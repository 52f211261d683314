"""Wiring of the documents service."""

from __future__ import annotations

from crm.documents.v1 import documents_pb2, documents_pb2_grpc
from crm_core.clock import Clock
from crm_core.service import ServiceApp
from crm_documents import DOMAIN
from crm_documents.attachments_api import add_attachments
from crm_documents.consumers import add_consumers
from crm_documents.grpc_api import DocumentsServicer
from crm_documents.repository import DocumentsRepository
from crm_documents.settings import DocumentsSettings


def build(settings: DocumentsSettings | None = None, clock: Clock | None = None) -> ServiceApp:
    """The documents service: its gRPC API (with health and reflection), the outbox relay, its consumers."""
    settings = settings or DocumentsSettings.for_domain(DOMAIN)
    app = ServiceApp(settings, clock)
    servicer = DocumentsServicer(DocumentsRepository(app.db), app.namespace.stream(DOMAIN))
    service_name = documents_pb2.DESCRIPTOR.services_by_name["DocumentsService"].full_name
    app.add_servicer(documents_pb2_grpc.add_DocumentsServiceServicer_to_server, servicer, service_name)
    # Audit, custom fields and code lists (crm.common.v1, crm_core.common): once the service has records, one
    # line here, e.g. register_common(app, audit={"lead": lead_is_visible}, code_lists={"lead_sources": LeadSource}).
    add_attachments(app, settings)
    add_consumers(app)
    return app
