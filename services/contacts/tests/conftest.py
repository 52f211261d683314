"""Fixtures of the contacts tests: a migrated database, a running service, callers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest

import crm_contacts
from crm.contacts.v1 import contacts_pb2_grpc
from crm_contacts.main import build
from crm_core.events import Namespace
from crm_core.service import ServiceApp
from crm_core.settings import ServiceSettings
from crm_core.testing import COMMON_STUBS, TestDatabases, caller_stub_fixtures, nats_test_url

MIGRATIONS = Path(crm_contacts.__file__).parent / "migrations"


@pytest.fixture(scope="session")
def contacts_db_url(test_databases: TestDatabases) -> str:
    return test_databases.create("contacts", MIGRATIONS)


def contacts_settings(database_url: str, namespace: Namespace, nats_url: str | None = None) -> ServiceSettings:
    return ServiceSettings.for_domain(
        "contacts",
        database_url=database_url,
        grpc_port=0,
        metrics_port=0,
        events_namespace=namespace.root,
        nats_url=nats_url or nats_test_url(),
        shutdown_grace=1.0,
    )


@pytest.fixture(scope="session")
async def contacts_app(contacts_db_url: str, event_namespace: Namespace) -> AsyncIterator[ServiceApp]:
    app = build(contacts_settings(contacts_db_url, event_namespace))
    await app.start()
    yield app
    await app.stop()


@pytest.fixture(scope="session")
async def channel(contacts_app: ServiceApp) -> AsyncIterator[grpc.aio.Channel]:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{contacts_app.grpc.port}") as ch:
        yield ch


admin, alice, bob, carol = caller_stub_fixtures(contacts_pb2_grpc.ContactsServiceStub, *COMMON_STUBS)
