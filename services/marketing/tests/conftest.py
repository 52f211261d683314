"""Fixtures of the marketing tests: a migrated database, the running service, callers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest

import crm_marketing
from crm.marketing.v1 import marketing_pb2_grpc
from crm_core.events import Namespace
from crm_core.service import ServiceApp
from crm_core.testing import TestDatabases, caller_stub_fixtures, service_settings
from crm_marketing.main import build

MIGRATIONS = Path(crm_marketing.__file__).parent / "migrations"


@pytest.fixture(scope="session")
def marketing_db_url(test_databases: TestDatabases) -> str:
    return test_databases.create("marketing", MIGRATIONS)


@pytest.fixture(scope="session")
async def marketing_app(marketing_db_url: str, event_namespace: Namespace) -> AsyncIterator[ServiceApp]:
    app = build(service_settings("marketing", marketing_db_url, event_namespace))
    await app.start()
    yield app
    await app.stop()


@pytest.fixture(scope="session")
async def channel(marketing_app: ServiceApp) -> AsyncIterator[grpc.aio.Channel]:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{marketing_app.grpc.port}") as ch:
        yield ch


admin, alice, bob, carol = caller_stub_fixtures(marketing_pb2_grpc.MarketingServiceStub)
