"""Wiring of the documents service."""

from __future__ import annotations

from crm.documents.v1 import documents_pb2, documents_pb2_grpc
from crm_core.clock import Clock
from crm_core.mail import Mailer
from crm_core.service import ServiceApp, run_passes
from crm_documents import DOMAIN
from crm_documents.attachments_api import add_attachments
from crm_documents.blobs import blob_store
from crm_documents.commands import Documents
from crm_documents.consumers import add_consumers
from crm_documents.grpc_api import DocumentsServicer
from crm_documents.legal_entities import LegalEntities
from crm_documents.peers import Peers
from crm_documents.settings import DocumentsSettings
from crm_documents.sources import Sources
from crm_documents.statements import Statements
from crm_documents.templates import Templates


def build(settings: DocumentsSettings | None = None, clock: Clock | None = None) -> ServiceApp:
    """The documents service: its gRPC API (with health and reflection), the outbox relay, its consumers."""
    settings = settings or DocumentsSettings.for_domain(DOMAIN)
    app = ServiceApp(settings, clock)
    peers = Peers(
        settings.contacts_grpc_target,
        settings.deals_grpc_target,
        settings.tasks_grpc_target,
        settings.internal_secret,
        settings.helpdesk_grpc_target,
    )
    store = blob_store(
        blob_dir=settings.blob_dir,
        s3_endpoint=settings.s3_endpoint,
        s3_bucket=settings.s3_bucket,
        s3_access_key=settings.s3_access_key,
        s3_secret_key=settings.s3_secret_key,
        s3_region=settings.s3_region,
    )
    sources = Sources(peers)
    templates = Templates(app.db, app.clock)
    documents = Documents(
        app.db,
        app.namespace,
        app.clock,
        sources,
        templates,
        store,
        Mailer(settings.mail),
        settings.default_language,
    )
    servicer = DocumentsServicer(
        app.db,
        app.namespace.stream(DOMAIN),
        documents,
        templates,
        LegalEntities(app.db, app.clock),
        Statements(app.db, app.clock, documents, peers),
        sources,
        store,
    )
    service_name = documents_pb2.DESCRIPTOR.services_by_name["DocumentsService"].full_name
    app.add_servicer(documents_pb2_grpc.add_DocumentsServiceServicer_to_server, servicer, service_name)
    app.add_background("void-stalled", lambda: run_passes("void-stalled", documents.void_stalled, 60))
    add_attachments(app, settings, store, peers)
    add_consumers(app)
    app.on_stop(peers.close)
    return app
