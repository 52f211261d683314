"""Fixtures of the helpdesk tests: a migrated database, the service beside contacts (requesters are looked up
there), callers on both services, and the SLA pass to run by hand."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import grpc
import pytest

from crm.contacts.v1 import contacts_pb2_grpc
from crm.helpdesk.v1 import helpdesk_pb2_grpc
from crm_contacts.main import build as build_contacts
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
from crm_helpdesk.settings import HelpdeskSettings
from crm_helpdesk.sla import SlaWatch
from crm_helpdesk.sla_clock import SlaClock

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
