"""Fixtures of the contacts tests: a migrated database, a running service, callers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest

import crm_contacts
from crm.contacts.v1 import contacts_pb2_grpc
from crm_contacts.main import build
from crm_core.clock import Clock
from crm_core.events import Namespace
from crm_core.service import ServiceApp
from crm_core.testing import TestDatabases, caller_stub_fixtures, service_settings

MIGRATIONS = Path(crm_contacts.__file__).parent / "migrations"


@pytest.fixture(scope="session")
def contacts_db_url(test_databases: TestDatabases) -> str:
    return test_databases.create("contacts", MIGRATIONS)


@pytest.fixture(scope="session")
async def contacts_app(contacts_db_url: str, event_namespace: Namespace, clock: Clock) -> AsyncIterator[ServiceApp]:
    app = build(service_settings("contacts", contacts_db_url, event_namespace), clock)
    await app.start()
    yield app
    await app.stop()


@pytest.fixture(scope="session")
async def channel(contacts_app: ServiceApp) -> AsyncIterator[grpc.aio.Channel]:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{contacts_app.grpc.port}") as ch:
        yield ch


admin, alice, bob, carol = caller_stub_fixtures(contacts_pb2_grpc.ContactsServiceStub)
