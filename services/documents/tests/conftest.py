"""Fixtures of the documents tests: a migrated database, the running service on the shared clock, callers."""

from __future__ import annotations

from crm.documents.v1 import documents_pb2_grpc
from crm_core.testing import caller_stub_fixtures, service_fixtures
from crm_documents.main import build

documents_db_url, documents_app, channel = service_fixtures("documents", build)
admin, alice, bob, carol = caller_stub_fixtures(documents_pb2_grpc.DocumentsServiceStub)
