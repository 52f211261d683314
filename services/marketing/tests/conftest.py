"""Fixtures of the marketing tests: a migrated database, the running service on the shared clock, callers."""

from __future__ import annotations

from crm.marketing.v1 import marketing_pb2_grpc
from crm_core.testing import caller_stub_fixtures, service_fixtures
from crm_marketing.main import build

marketing_db_url, marketing_app, channel = service_fixtures("marketing", build)
admin, alice, bob, carol = caller_stub_fixtures(marketing_pb2_grpc.MarketingServiceStub)
