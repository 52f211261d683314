"""Contacts events end to end: outbox through NATS outages, redelivery, two processes on one database."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest
from faker import Faker
from google.protobuf import wrappers_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from nats.js.errors import NotFoundError
from prometheus_client import REGISTRY
from sqlalchemy import func, select

import crm_contacts
from crm.contacts.v1 import contacts_pb2 as pb
from crm.contacts.v1 import contacts_pb2_grpc
from crm_contacts.main import build
from crm_contacts.models import TimelineEntry
from crm_core.db import Database
from crm_core.events import EventBus, Namespace
from crm_core.events.envelope import build_envelope
from crm_core.events.inbox import InboxRow
from crm_core.events.outbox import OutboxRow
from crm_core.service import ServiceApp
from crm_core.testing import (
    ADMIN,
    CallerStub,
    NatsServer,
    TestDatabases,
    eventually,
    free_port,
    service_settings,
    stream_messages,
)

MIGRATIONS = Path(crm_contacts.__file__).parent / "migrations"
TIMELINE = "contacts-timeline"


@pytest.fixture
def own_db_url(test_databases: TestDatabases) -> str:
    """A migrated contacts database for this test alone (dropped with the run's databases)."""
    return test_databases.create(f"events_{uuid.uuid4().hex[:8]}", MIGRATIONS)


@pytest.fixture
def namespace(event_namespace: Namespace) -> Namespace:
    """A namespace for this test alone; the run's cleanup deletes its streams (same prefix)."""
    return Namespace(f"{event_namespace.root}_{uuid.uuid4().hex[:6]}")


@pytest.fixture
async def private_app(own_db_url: str, namespace: Namespace, private_nats: NatsServer) -> AsyncIterator[ServiceApp]:
    """The contacts service on its own database and a private NATS the test can stop."""
    app = build(service_settings("contacts", own_db_url, namespace, private_nats.url))
    await app.start()
    yield app
    await app.stop()


def company(fake: Faker) -> pb.CreatePartyRequest:
    return pb.CreatePartyRequest(
        party=pb.Party(kind="company", company=pb.CompanyDetails(legal_name=fake.company(), inn=fake.businesses_inn())),
        allow_duplicate=True,  # Faker may repeat an INN among many companies
    )


async def timeline_consumer_ready(bus: EventBus) -> bool:
    try:
        await bus.js.consumer_info(bus.namespace.stream("contacts"), TIMELINE)
    except (NotFoundError, ConnectionError):
        return False
    return True


async def settled(bus: EventBus, domain: str, seq: int) -> bool:
    """The timeline consumer acked everything up to `seq` in `domain`'s stream."""
    try:
        info = await bus.js.consumer_info(bus.namespace.stream(domain), TIMELINE)
    except NotFoundError:
        return False
    return info.ack_floor.stream_seq >= seq and info.num_ack_pending == 0 and info.num_pending == 0


async def outbox_event_ids(db: Database) -> list[str]:
    async with db.sessions() as session:
        return list((await session.scalars(select(OutboxRow.event_id).order_by(OutboxRow.id))).all())


async def test_parties_created_while_nats_is_down_reach_the_stream_and_the_timeline(
    private_app: ServiceApp, private_nats: NatsServer, fake: Faker
):
    bus = private_app.bus
    await eventually(lambda: timeline_consumer_ready(bus))
    private_nats.stop()

    async with grpc.aio.insecure_channel(f"127.0.0.1:{private_app.grpc.port}") as channel:
        admin = CallerStub(contacts_pb2_grpc.ContactsServiceStub(channel), ADMIN)
        parties = [(await admin.CreateParty(company(fake))).party for _ in range(5)]
        async with private_app.db.sessions() as session:
            pending = await session.scalar(select(func.count()).where(OutboxRow.sent_at.is_(None)))
        assert pending == 5, "the events wait in the outbox while NATS is down"

        private_nats.start()
        event_ids = await outbox_event_ids(private_app.db)

        async def published() -> list:
            messages = await stream_messages(bus.js, bus.namespace.stream("contacts"))
            return messages if len(messages) >= 5 else []

        messages = await eventually(published, timeout=15)
        assert [m.headers["Nats-Msg-Id"] for m in messages] == event_ids
        assert {m.subject for m in messages} == {f"{bus.namespace.root}.contacts.party.created"}

        async def on_timelines() -> list[pb.TimelineEntry]:
            entries = []
            for party in parties:
                response = await admin.ListTimeline(pb.ListTimelineRequest(party_id=party.id))
                entries += list(response.entries)
            return entries if len(entries) >= len(parties) else []

        entries = await eventually(on_timelines)
    assert sorted(e.event_id for e in entries) == sorted(event_ids)
    assert {e.type for e in entries} == {"party.created"}


async def test_redelivered_event_has_no_double_effect_on_the_timeline(
    contacts_app: ServiceApp, admin: CallerStub, fake: Faker
):
    party = (await admin.CreateParty(company(fake))).party

    async def created_on_timeline() -> bool:
        response = await admin.ListTimeline(pb.ListTimelineRequest(party_id=party.id))
        return any(e.type == "party.created" for e in response.entries)

    await eventually(created_on_timeline)  # the timeline consumer is running

    bus = contacts_app.bus
    envelope = build_envelope(
        "deals",
        "deal.won",
        subject_id=str(uuid.uuid4()),
        payload=wrappers_pb2.StringValue(value="Поставка оборудования"),
        actor=ADMIN,
        party_ids=[party.id],
        summary="Deal won: Поставка оборудования",
    )
    await bus.ensure_stream("deals")
    duplicates = {"service": "contacts", "consumer": "timeline", "outcome": "duplicate"}
    duplicates_before = REGISTRY.get_sample_value("crm_inbox_handled_total", duplicates) or 0
    seq = 0
    for copy in ("first", "second"):  # distinct Nats-Msg-Ids: JetStream stores and delivers both
        ack = await bus.js.publish(
            bus.namespace.subject("deals", "deal.won"),
            envelope.SerializeToString(),
            headers={"Nats-Msg-Id": f"{envelope.event_id}-{copy}"},
        )
        seq = ack.seq
    await eventually(lambda: settled(bus, "deals", seq))

    response = await admin.ListTimeline(pb.ListTimelineRequest(party_id=party.id))
    won = [e for e in response.entries if e.event_id == envelope.event_id]
    assert len(won) == 1
    assert (won[0].type, won[0].summary) == ("deal.won", "Deal won: Поставка оборудования")
    async with contacts_app.db.sessions() as session:
        inbox = await session.scalar(
            select(func.count()).where(InboxRow.consumer == TIMELINE, InboxRow.event_id == envelope.event_id)
        )
    assert inbox == 1
    # The second copy reached the consumer and was recognised by the inbox.
    assert (REGISTRY.get_sample_value("crm_inbox_handled_total", duplicates) or 0) - duplicates_before == 1


async def serving(channel: grpc.aio.Channel) -> bool:
    try:
        response = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=1)
    except grpc.aio.AioRpcError:
        return False
    return response.status == health_pb2.HealthCheckResponse.SERVING


async def test_two_processes_on_one_database_publish_and_apply_each_event_exactly_once(
    private_app: ServiceApp, own_db_url: str, namespace: Namespace, private_nats: NatsServer, fake: Faker, tmp_path
):
    port = free_port()
    env = {
        **os.environ,
        "CRM_CONTACTS_DATABASE_URL": own_db_url,
        "CRM_CONTACTS_GRPC_PORT": str(port),
        "CRM_CONTACTS_METRICS_PORT": "0",
        "CRM_EVENTS_NAMESPACE": namespace.root,
        "CRM_NATS_URL": private_nats.url,
        "CRM_SHUTDOWN_DRAIN_SECONDS": "0",  # no load balancer to wait for
    }
    log_path = tmp_path / "contacts.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "crm_contacts"], env=env, stdout=log, stderr=log)
    try:
        count = 40
        async with (
            grpc.aio.insecure_channel(f"127.0.0.1:{private_app.grpc.port}") as here,
            grpc.aio.insecure_channel(f"127.0.0.1:{port}") as there,
        ):
            await eventually(lambda: serving(there), timeout=20)
            stubs = [CallerStub(contacts_pb2_grpc.ContactsServiceStub(ch), ADMIN) for ch in (here, there)]
            created = await asyncio.gather(*(stubs[i % 2].CreateParty(company(fake)) for i in range(count)))
        party_ids = {c.party.id for c in created}
        assert len(party_ids) == count

        bus = private_app.bus
        event_ids = await outbox_event_ids(private_app.db)
        assert len(event_ids) == count

        async def all_published() -> list:
            messages = await stream_messages(bus.js, bus.namespace.stream("contacts"))
            return messages if len(messages) >= count else []

        messages = await eventually(all_published, timeout=15)
        await eventually(lambda: settled(bus, "contacts", messages[-1].seq), timeout=15)

        msg_ids = [m.headers["Nats-Msg-Id"] for m in messages]
        assert len(msg_ids) == count and set(msg_ids) == set(event_ids)
        async with private_app.db.sessions() as session:
            entries = (await session.execute(select(TimelineEntry.event_id, TimelineEntry.party_id))).all()
            inbox = await session.scalar(select(func.count()).where(InboxRow.consumer == TIMELINE))
            pending = await session.scalar(select(func.count()).where(OutboxRow.sent_at.is_(None)))
        assert sorted(e.event_id for e in entries) == sorted(event_ids)  # one entry per event
        assert {e.party_id for e in entries} == party_ids
        assert inbox == count
        assert pending == 0
        assert process.poll() is None, log_path.read_text()

        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(process.wait, 10)
        assert code == 0, log_path.read_text()
        assert time.monotonic() - started < 5, "graceful shutdown took too long"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
