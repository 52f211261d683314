"""Fixtures of the contacts tests: a migrated database, a running service, callers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest
from faker import Faker

import crm_contacts
from crm.contacts.v1 import contacts_pb2_grpc
from crm_contacts.main import build
from crm_core.auth import Caller
from crm_core.events import Namespace
from crm_core.service import ServiceApp
from crm_core.settings import ServiceSettings
from crm_core.testing import CallerStub, TestDatabases, nats_test_url

MIGRATIONS = Path(crm_contacts.__file__).parent / "migrations"

ADMIN = Caller("u-admin", frozenset({"admin"}))
ALICE = Caller("u-alice", frozenset({"manager"}), frozenset({"team-north"}))
BOB = Caller("u-bob", frozenset({"manager"}), frozenset({"team-south"}))
CAROL = Caller("u-carol", frozenset({"manager"}), frozenset({"team-north"}))


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


def stub_for(channel: grpc.aio.Channel, caller: Caller) -> CallerStub:
    return CallerStub(contacts_pb2_grpc.ContactsServiceStub(channel), caller)


@pytest.fixture(scope="session")
def admin(channel: grpc.aio.Channel) -> CallerStub:
    return stub_for(channel, ADMIN)


@pytest.fixture(scope="session")
def alice(channel: grpc.aio.Channel) -> CallerStub:
    return stub_for(channel, ALICE)


@pytest.fixture(scope="session")
def bob(channel: grpc.aio.Channel) -> CallerStub:
    return stub_for(channel, BOB)


@pytest.fixture(scope="session")
def carol(channel: grpc.aio.Channel) -> CallerStub:
    return stub_for(channel, CAROL)


@pytest.fixture
def fake() -> Faker:
    return Faker("ru_RU")
