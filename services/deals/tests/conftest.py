"""Fixtures of the deals tests: a migrated database, a running service with a shiftable clock, callers."""

from __future__ import annotations

from crm.deals.v1 import deals_pb2_grpc
from crm_core.testing import COMMON_STUBS, caller_stub_fixtures, service_fixtures
from crm_deals.main import build

deals_db_url, deals_app, channel = service_fixtures("deals", build)
admin, alice, bob, carol = caller_stub_fixtures(deals_pb2_grpc.DealsServiceStub, *COMMON_STUBS)
