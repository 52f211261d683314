"""The metrics crm_core gives every process: collectors read at scrape time, counters of committed events,
the consumers' JetStream figures."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from google.protobuf import wrappers_pb2
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest

from crm_core import metrics
from crm_core.auth import Caller
from crm_core.db import Database
from crm_core.events import EventBus, EventConsumer, Namespace
from crm_core.events.envelope import build_envelope
from crm_core.events.outbox import record_event
from crm_core.launcher import PlatformConfig
from crm_core.testing import eventually, running


def sample(name: str, **labels: str) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


class FakePool:
    """What PoolCollector reads of a SQLAlchemy QueuePool."""

    def __init__(self, size: int, checked_out: int, overflow: int) -> None:
        self._size, self._checked_out, self._overflow = size, checked_out, overflow

    def size(self) -> int:
        return self._size

    def checkedout(self) -> int:
        return self._checked_out

    def overflow(self) -> int:
        return self._overflow


def test_pool_collector_reads_the_pool_at_scrape_time_and_forgets_a_pool_that_is_gone() -> None:
    collector = metrics.PoolCollector()
    registry = CollectorRegistry()
    registry.register(collector)
    pool = FakePool(size=10, checked_out=3, overflow=-7)  # SQLAlchemy counts overflow from -size
    collector.register(pool, "deals", "crm_deals", 10)  # type: ignore[arg-type]
    labels = {"service": "deals", "database": "crm_deals"}
    assert registry.get_sample_value("crm_db_pool_size", labels) == 10
    assert registry.get_sample_value("crm_db_pool_checked_out", labels) == 3
    assert registry.get_sample_value("crm_db_pool_overflow", labels) == 0
    assert registry.get_sample_value("crm_db_pool_max_overflow", labels) == 10
    pool._checked_out, pool._overflow = 14, 4  # busier: read again at the next scrape, no loop involved
    assert registry.get_sample_value("crm_db_pool_checked_out", labels) == 14
    assert registry.get_sample_value("crm_db_pool_overflow", labels) == 4
    del pool
    assert registry.get_sample_value("crm_db_pool_size", labels) is None


async def test_a_database_reports_its_pool_by_service_and_database_name(db: Database) -> None:
    database = Database(db.url, pool_size=3, service="pooltest")
    labels = {"service": "pooltest", "database": db.engine.url.database or ""}
    assert sample("crm_db_pool_size", **labels) == 3
    async with database.sessions() as session:
        await session.connection()
        assert sample("crm_db_pool_checked_out", **labels) == 1
    assert sample("crm_db_pool_checked_out", **labels) == 0
    await database.dispose()


def test_build_info_carries_the_package_version_and_the_commit_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CRM_BUILD_COMMIT", "abc1234")
    metrics.declare_build("buildtest", "crm-core")
    assert sample("crm_build_info", service="buildtest", version="0.1.0", commit="abc1234") == 1
    monkeypatch.delenv("CRM_BUILD_COMMIT")
    metrics.declare_build("buildtest", "no-such-distribution")
    assert sample("crm_build_info", service="buildtest", version="unknown", commit="unknown") == 1
    assert b"crm_build_info" in generate_latest(REGISTRY)


def test_business_counter_is_declared_once_however_often_a_service_is_built() -> None:
    first = metrics.business_counter("thing.done", "crm_things_done_total", "Things done")
    assert metrics.business_counter("thing.done", "crm_things_done_total", "Things done") is first
    metrics.count_recorded_events("things", ["thing.done", "thing.done", "thing.started"])
    assert sample("crm_things_done_total", service="things") == 2
    assert sample("crm_events_recorded_total", service="things", type="thing.started") == 1


async def test_events_are_counted_when_their_transaction_commits_and_not_when_it_rolls_back(db: Database) -> None:
    source = f"count{uuid.uuid4().hex[:6]}"
    namespace = Namespace("counttest")

    async def record(session) -> None:  # type: ignore[no-untyped-def]
        await record_event(
            session,
            namespace,
            source,
            "order.placed",
            subject_id="o-1",
            payload=wrappers_pb2.StringValue(),
            actor=Caller("u"),
        )

    with pytest.raises(RuntimeError):
        async with db.transaction() as session:
            await record(session)
            assert sample("crm_events_recorded_total", service=source, type="order.placed") is None
            raise RuntimeError("rolled back")
    assert sample("crm_events_recorded_total", service=source, type="order.placed") is None
    async with db.transaction() as session:
        await record(session)
        await record(session)
    assert sample("crm_events_recorded_total", service=source, type="order.placed") == 2


async def test_consumer_sample_reports_pending_messages_and_dead_letters(db: Database, bus: EventBus) -> None:
    """Pending counts what the consumer was not given yet; it falls to zero once handled, and a parked event
    shows as a dead letter."""
    held = asyncio.Event()

    async def handler(session, envelope) -> None:  # type: ignore[no-untyped-def]
        await held.wait()
        if envelope.subject_id == "poison":
            raise ValueError("cannot be handled")

    consumer = EventConsumer(
        db,
        bus,
        service="sampled",
        name="orders",
        domains=["orders"],
        handler=handler,
        max_deliver=1,
        batch_size=1,
        fetch_timeout=0.2,
    )
    stream = bus.namespace.stream("orders")
    labels = {"service": "sampled", "consumer": "orders", "stream": stream}

    async def publish(subject_id: str) -> None:
        envelope = build_envelope(
            "orders", "order.placed", subject_id=subject_id, payload=wrappers_pb2.StringValue(), actor=Caller("u")
        )
        await bus.ensure_stream("orders")
        await bus.js.publish(f"{bus.namespace.root}.orders.order.placed", envelope.SerializeToString())

    async def figures() -> tuple[float | None, float | None]:
        await consumer.sample()
        return sample("crm_consumer_pending", **labels), sample("crm_consumer_ack_pending", **labels)

    async with running(consumer.run()):
        await publish("first")
        # The first event is in the handler, held; the next ones wait in the stream.
        await eventually(lambda: consumer.subscriptions)
        await eventually(lambda: _equals(figures(), (0, 1)))
        for n in range(3):
            await publish(f"next-{n}")
        await publish("poison")
        await eventually(lambda: _equals(figures(), (4, 1)))
        held.set()
        await eventually(lambda: _equals(figures(), (0, 0)))
        assert sample("crm_dead_letters", service="sampled", consumer="orders") == 1
    assert (
        sample("crm_consumer_handler_duration_seconds_count", service="sampled", consumer="orders", type="order.placed")
        == 5
    )


async def _equals(figures, expected) -> bool:  # type: ignore[no-untyped-def]
    return await figures == expected


def test_the_launcher_gives_every_process_a_metrics_port_and_the_gateway_one_beside_its_public_port() -> None:
    local = PlatformConfig()
    env = local.env()
    assert env["CRM_GATEWAY_METRICS_PORT"] == "9000"
    assert env["CRM_CONTACTS_METRICS_PORT"] == "51051"
    isolated = PlatformConfig.isolated("met", "pw", metrics=True, replicas={"contacts": 2})
    ports = isolated.metrics_ports()
    assert set(ports) == {*isolated.services, "contacts-2", "gateway"}
    assert len(set(ports.values())) == len(ports) and isolated.gateway_port not in ports.values()
    assert isolated.env()["CRM_GATEWAY_METRICS_PORT"] == str(ports["gateway"])
    second = isolated.replica_ports["contacts"][1]
    assert isolated.replica_env("contacts", second)["CRM_CONTACTS_METRICS_PORT"] == str(ports["contacts-2"])
    quiet = PlatformConfig.isolated("met", "pw")
    assert quiet.metrics_ports() == {} and quiet.env()["CRM_GATEWAY_METRICS_PORT"] == "0"
