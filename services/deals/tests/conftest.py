"""Fixtures of the deals tests: a migrated database, a running service with a shiftable clock, callers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest

import crm_deals
from crm.deals.v1 import deals_pb2_grpc
from crm_core.events import Namespace
from crm_core.service import ServiceApp
from crm_core.testing import COMMON_STUBS, TestDatabases, caller_stub_fixtures, nats_test_url
from crm_deals.clock import Clock, DealsSettings
from crm_deals.main import build

MIGRATIONS = Path(crm_deals.__file__).parent / "migrations"


@pytest.fixture(scope="session")
def deals_db_url(test_databases: TestDatabases) -> str:
    return test_databases.create("deals", MIGRATIONS)


def deals_settings(database_url: str, namespace: Namespace, nats_url: str | None = None) -> DealsSettings:
    settings = DealsSettings.for_domain(
        "deals",
        database_url=database_url,
        grpc_port=0,
        metrics_port=0,
        events_namespace=namespace.root,
        nats_url=nats_url or nats_test_url(),
        shutdown_grace=1.0,
    )
    assert isinstance(settings, DealsSettings)
    return settings


@pytest.fixture(scope="session")
async def deals_app(deals_db_url: str, event_namespace: Namespace, clock: Clock) -> AsyncIterator[ServiceApp]:
    app = build(deals_settings(deals_db_url, event_namespace), clock)
    await app.start()
    yield app
    await app.stop()


@pytest.fixture(scope="session")
async def channel(deals_app: ServiceApp) -> AsyncIterator[grpc.aio.Channel]:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{deals_app.grpc.port}") as ch:
        yield ch


admin, alice, bob, carol = caller_stub_fixtures(deals_pb2_grpc.DealsServiceStub, *COMMON_STUBS)
