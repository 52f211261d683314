"""Fixtures of the helpdesk tests: a migrated database, the service beside contacts (requesters are looked up
there), callers on both services, and the SLA pass to run by hand."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import grpc
import pytest

from crm.contacts.v1 import contacts_pb2_grpc
from crm.helpdesk.v1 import helpdesk_pb2_grpc, portal_pb2_grpc
from crm.marketing.v1 import marketing_pb2_grpc
from crm_contacts.main import build as build_contacts
from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.events import Namespace
from crm_core.service import ServiceApp
from crm_core.testing import (
    ALICE,
    COMMON_STUBS,
    CallerStub,
    SmtpServer,
    caller_stub_fixtures,
    service_fixtures,
    settings_for_tests,
)
from crm_helpdesk.main import build
from crm_helpdesk.portal_settings import PortalSettings
from crm_helpdesk.settings import HelpdeskSettings
from crm_helpdesk.sla import SlaWatch
from crm_helpdesk.sla_clock import SlaClock
from crm_marketing.main import build as build_marketing
from crm_marketing.settings import MarketingSettings

contacts_db_url, contacts_app = service_fixtures("contacts", build_contacts)[:2]
helpdesk_db_url, channel = service_fixtures("helpdesk", build)[::2]
admin, alice, bob, carol = caller_stub_fixtures(helpdesk_pb2_grpc.HelpdeskServiceStub, *COMMON_STUBS)


@pytest.fixture(scope="session")
async def contacts(contacts_app: ServiceApp) -> AsyncIterator[CallerStub]:
    """Contacts as alice (the tests' clients are hers, in team-north)."""
    async with grpc.aio.insecure_channel(f"127.0.0.1:{contacts_app.grpc.port}") as opened:
        yield CallerStub(contacts_pb2_grpc.ContactsServiceStub(opened), ALICE)


@pytest.fixture(scope="session")
def helpdesk_mail() -> Iterator[SmtpServer]:
    """The SMTP server the service mails replies to e-mail requesters through (tests read `.messages`)."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def helpdesk_settings(
    db_url: str, namespace: Namespace, contacts: ServiceApp, mail: SmtpServer | None = None
) -> HelpdeskSettings:
    # The SLA pass runs when a test says (sla_watch), not in the background. Documents does not run here: files
    # of e-mails go to a port nothing listens on (refused, noted in the message).
    return settings_for_tests(
        HelpdeskSettings,
        "helpdesk",
        db_url,
        namespace,
        contacts_grpc_target=f"127.0.0.1:{contacts.grpc.port}",
        documents_grpc_target="127.0.0.1:9",
        sla_interval=3600.0,
        file_retry_seconds=3600.0,
        **({"mail": mail.settings(mail_from="Поддержка <support@helpdesk.test>")} if mail else {}),
    )


@pytest.fixture(scope="session", name="helpdesk_app")
async def helpdesk_app_with_contacts(
    helpdesk_db_url: str, event_namespace: Namespace, clock: Clock, contacts_app: ServiceApp, helpdesk_mail: SmtpServer
) -> AsyncIterator[ServiceApp]:
    app = build(helpdesk_settings(helpdesk_db_url, event_namespace, contacts_app, helpdesk_mail), clock)
    await app.start()
    yield app
    await app.stop()


@pytest.fixture(scope="session")
def sla_watch(helpdesk_app: ServiceApp, helpdesk_db_url: str, event_namespace: Namespace, clock: Clock) -> SlaWatch:
    """An SLA pass on the service's database and clock (what every replica runs in the background)."""
    settings = HelpdeskSettings.for_domain("helpdesk")
    return SlaWatch(helpdesk_app.db, helpdesk_app.namespace, clock, SlaClock(settings.calendar()))


# --- the portal and NPS: helpdesk beside contacts and marketing, mailing to a local SMTP server ---------------
marketing_db_url = service_fixtures("marketing", build_marketing)[0]


@pytest.fixture(scope="session")
def portal_mail() -> Iterator[SmtpServer]:
    """The SMTP server the portal's invitations and NPS surveys go to."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
async def marketing_app(
    marketing_db_url: str, event_namespace: Namespace, clock: Clock, contacts_app: ServiceApp
) -> AsyncIterator[ServiceApp]:
    settings = settings_for_tests(
        MarketingSettings,
        "marketing",
        marketing_db_url,
        event_namespace,
        contacts_grpc_target=f"127.0.0.1:{contacts_app.grpc.port}",
        # It shares the marketing tests' database: its own background work (sending mailings, running imports)
        # must never take their rows, so it waits an hour after its first (empty) pass.
        mail_interval=3600.0,
        import_interval=3600.0,
    )
    app = build_marketing(settings, clock)
    await app.start()
    yield app
    await app.stop()


@pytest.fixture(scope="session")
async def portal_app(
    helpdesk_db_url: str,
    event_namespace: Namespace,
    clock: Clock,
    contacts_app: ServiceApp,
    marketing_app: ServiceApp,
    portal_mail: SmtpServer,
) -> AsyncIterator[ServiceApp]:
    """A helpdesk replica on the session's database whose portal asks the in-process contacts and marketing
    and mails to `portal_mail` (tests/portal/ runs after tests/integration/, whose smoke test finds the audit
    trail empty)."""
    settings = helpdesk_settings(helpdesk_db_url, event_namespace, contacts_app).model_copy(
        update={
            "marketing_grpc_target": f"127.0.0.1:{marketing_app.grpc.port}",
            "mail": portal_mail.settings(),
        }
    )
    app = build(settings, clock, PortalSettings(public_url="https://crm.example.ru"))
    await app.start()
    yield app
    await app.stop()


class PortalStubs:
    """Stubs as a caller: `stubs.portal(ADMIN)`, `stubs.nps(...)`, `stubs.helpdesk(...)`, `stubs.contacts(...)`,
    `stubs.marketing(...)`."""

    def __init__(self, portal_app: ServiceApp, contacts_app: ServiceApp, marketing_app: ServiceApp) -> None:
        self._helpdesk = grpc.aio.insecure_channel(f"127.0.0.1:{portal_app.grpc.port}")
        self._contacts = grpc.aio.insecure_channel(f"127.0.0.1:{contacts_app.grpc.port}")
        self._marketing = grpc.aio.insecure_channel(f"127.0.0.1:{marketing_app.grpc.port}")

    def portal(self, caller: Caller) -> CallerStub:
        return CallerStub(portal_pb2_grpc.PortalServiceStub(self._helpdesk), caller)

    def nps(self, caller: Caller) -> CallerStub:
        return CallerStub(portal_pb2_grpc.NpsServiceStub(self._helpdesk), caller)

    def helpdesk(self, caller: Caller) -> CallerStub:
        return CallerStub(helpdesk_pb2_grpc.HelpdeskServiceStub(self._helpdesk), caller)

    def contacts(self, caller: Caller) -> CallerStub:
        return CallerStub(contacts_pb2_grpc.ContactsServiceStub(self._contacts), caller)

    def marketing(self, caller: Caller) -> CallerStub:
        return CallerStub(marketing_pb2_grpc.MarketingServiceStub(self._marketing), caller)

    async def close(self) -> None:
        for channel in (self._helpdesk, self._contacts, self._marketing):
            await channel.close()


@pytest.fixture(scope="session")
async def stubs(
    portal_app: ServiceApp, contacts_app: ServiceApp, marketing_app: ServiceApp
) -> AsyncIterator[PortalStubs]:
    opened = PortalStubs(portal_app, contacts_app, marketing_app)
    yield opened
    await opened.close()
