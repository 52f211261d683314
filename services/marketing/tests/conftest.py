"""Fixtures of the marketing tests: migrated databases, the service with contacts and deals beside it, callers.

Marketing asks contacts (duplicates, parties) and deals (deals) over gRPC, so
its tests run both in process too, on databases of their own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import grpc
import pytest

from crm.contacts.v1 import contacts_pb2_grpc
from crm.deals.v1 import deals_pb2_grpc
from crm.marketing.v1 import marketing_pb2_grpc
from crm_contacts.main import build as build_contacts
from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.events import Namespace
from crm_core.service import ServiceApp
from crm_core.testing import (
    COMMON_STUBS,
    CallerStub,
    SmtpServer,
    caller_stub_fixtures,
    service_fixtures,
    settings_for_tests,
)
from crm_deals.main import build as build_deals
from crm_marketing.main import build
from crm_marketing.settings import MarketingSettings

# Only the database and app fixtures of the peers (their `channel` fixtures would shadow marketing's), and
# marketing's database and channel (its app is built below, pointed at the peers).
contacts_db_url, contacts_app = service_fixtures("contacts", build_contacts)[:2]
deals_db_url, deals_app = service_fixtures("deals", build_deals)[:2]
marketing_db_url, channel = service_fixtures("marketing", build)[::2]
admin, alice, bob, carol = caller_stub_fixtures(marketing_pb2_grpc.MarketingServiceStub, *COMMON_STUBS)


@pytest.fixture(scope="session")
def mail_server() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) the marketing service of this session sends its mail to."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session", name="marketing_app")
async def marketing_app_with_peers(
    marketing_db_url: str,
    event_namespace: Namespace,
    clock: Clock,
    contacts_app: ServiceApp,
    deals_app: ServiceApp,
    mail_server: SmtpServer,
) -> AsyncIterator[ServiceApp]:
    """The marketing service, its peers being the in-process contacts and deals; quick import passes; mail to
    `mail_server`, sent at once, retried after a tenth of a second."""
    settings = settings_for_tests(
        MarketingSettings,
        "marketing",
        marketing_db_url,
        event_namespace,
        contacts_grpc_target=f"127.0.0.1:{contacts_app.grpc.port}",
        deals_grpc_target=f"127.0.0.1:{deals_app.grpc.port}",
        import_interval=0.05,
        mail=mail_server.settings(mail_from="Отдел маркетинга <news@zavod.example.ru>"),
        public_url="https://crm.example.ru",
        mail_interval=0.05,
        mail_messages_per_second=0,
        mail_retry_seconds=0.1,
        mail_max_attempts=3,
    )
    app = build(settings, clock)
    await app.start()
    yield app
    await app.stop()


@pytest.fixture
async def another_marketing_app(
    marketing_db_url: str, event_namespace: Namespace, clock: Clock, contacts_app: ServiceApp, deals_app: ServiceApp
) -> AsyncIterator[ServiceApp]:
    """A second marketing replica on the same database (its own gRPC port and import job)."""
    settings = settings_for_tests(
        MarketingSettings,
        "marketing",
        marketing_db_url,
        event_namespace,
        contacts_grpc_target=f"127.0.0.1:{contacts_app.grpc.port}",
        deals_grpc_target=f"127.0.0.1:{deals_app.grpc.port}",
        import_interval=0.05,
    )
    app = build(settings, clock)
    await app.start()
    yield app
    await app.stop()


@pytest.fixture
async def peers(contacts_app: ServiceApp, deals_app: ServiceApp) -> AsyncIterator[Peers]:
    """Stubs of contacts and deals as a given caller: `peers.contacts(ALICE).GetParty(...)`."""
    opened = Peers(contacts_app, deals_app)
    yield opened
    await opened.close()


class Peers:
    def __init__(self, contacts_app: ServiceApp, deals_app: ServiceApp) -> None:
        self._contacts = grpc.aio.insecure_channel(f"127.0.0.1:{contacts_app.grpc.port}")
        self._deals = grpc.aio.insecure_channel(f"127.0.0.1:{deals_app.grpc.port}")

    def contacts(self, caller: Caller) -> CallerStub:
        return CallerStub(contacts_pb2_grpc.ContactsServiceStub(self._contacts), caller)

    def deals(self, caller: Caller) -> CallerStub:
        return CallerStub(deals_pb2_grpc.DealsServiceStub(self._deals), caller)

    async def close(self) -> None:
        await self._contacts.close()
        await self._deals.close()
