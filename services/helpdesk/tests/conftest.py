"""Fixtures of the helpdesk tests: a migrated database, the running service on the shared clock, callers."""

from __future__ import annotations

from crm.helpdesk.v1 import helpdesk_pb2_grpc
from crm_core.testing import caller_stub_fixtures, service_fixtures
from crm_helpdesk.main import build

helpdesk_db_url, helpdesk_app, channel = service_fixtures("helpdesk", build)
admin, alice, bob, carol = caller_stub_fixtures(helpdesk_pb2_grpc.HelpdeskServiceStub)
