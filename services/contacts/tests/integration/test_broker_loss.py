"""The contacts service, on a broker that lost everything: it refills its stream and its timeline goes on, alone."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest
from faker import Faker
from grpc_health.v1 import health_pb2, health_pb2_grpc

import crm_contacts
from crm.contacts.v1 import contacts_pb2 as pb
from crm.contacts.v1 import contacts_pb2_grpc
from crm_contacts.main import build
from crm_core.events import Namespace
from crm_core.service import CONSUMERS_HEALTH, ServiceApp
from crm_core.testing import ADMIN, CallerStub, NatsServer, TestDatabases, eventually, service_settings

MIGRATIONS = Path(crm_contacts.__file__).parent / "migrations"


@pytest.fixture
def loss_db_url(test_databases: TestDatabases) -> str:
    return test_databases.create(f"loss_{uuid.uuid4().hex[:8]}", MIGRATIONS)


@pytest.fixture
async def wiped_app(
    loss_db_url: str, event_namespace: Namespace, private_nats: NatsServer
) -> AsyncIterator[ServiceApp]:
    """Contacts on its own database and a private NATS, with a short stall threshold and quick stream checks."""
    url = loss_db_url
    namespace = Namespace(f"{event_namespace.root}_{uuid.uuid4().hex[:6]}")
    settings = service_settings("contacts", url, namespace, private_nats.url)
    settings.consumer_stall_seconds = 2.0
    app = build(settings)
    app.relay.check_interval = 0.5
    await app.start()
    yield app
    await app.stop()


async def consumers_health(channel: grpc.aio.Channel) -> int:
    request = health_pb2.HealthCheckRequest(service=CONSUMERS_HEALTH)
    return (await health_pb2_grpc.HealthStub(channel).Check(request, timeout=2)).status


async def test_after_the_broker_lost_its_store_the_timeline_is_complete_without_a_restart(
    wiped_app: ServiceApp, private_nats: NatsServer, fake: Faker
) -> None:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{wiped_app.grpc.port}") as channel:
        admin = CallerStub(contacts_pb2_grpc.ContactsServiceStub(channel), ADMIN)

        async def on_timeline(party_id: str, types: set[str]) -> bool:
            entries = (await admin.ListTimeline(pb.ListTimelineRequest(party_id=party_id))).entries
            return types <= {e.type for e in entries}

        def company() -> pb.CreatePartyRequest:
            return pb.CreatePartyRequest(
                party=pb.Party(kind="company", company=pb.CompanyDetails(legal_name=fake.company())),
            )

        before = (await admin.CreateParty(company())).party
        await eventually(lambda: on_timeline(before.id, {"party.created"}))
        assert await consumers_health(channel) == health_pb2.HealthCheckResponse.SERVING

        private_nats.kill()
        # Written while the broker is away: the outbox keeps it; the consumers stall and say so.
        during = (await admin.CreateParty(company())).party
        await admin.AddNote(pb.AddNoteRequest(party_id=before.id, text="Позвонить после праздников"))

        async def stalled() -> bool:
            return await consumers_health(channel) == health_pb2.HealthCheckResponse.NOT_SERVING

        await eventually(stalled, timeout=15)
        # The API itself stays up: it works without the broker.
        serving = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=2)
        assert serving.status == health_pb2.HealthCheckResponse.SERVING

        private_nats.wipe()
        private_nats.start()
        after = (await admin.CreateParty(company())).party

        for party_id, types in (
            (before.id, {"party.created", "note.added"}),
            (during.id, {"party.created"}),
            (after.id, {"party.created"}),
        ):
            await eventually(lambda p=party_id, t=types: on_timeline(p, t), timeout=30)

        async def recovered() -> bool:
            return await consumers_health(channel) == health_pb2.HealthCheckResponse.SERVING

        await eventually(recovered, timeout=15)
        # Each entry once: the refilled stream's copies of handled events are dropped by the inbox.
        entries = (await admin.ListTimeline(pb.ListTimelineRequest(party_id=before.id))).entries
        assert sorted(e.type for e in entries) == ["note.added", "party.created"]
