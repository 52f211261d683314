"""Transactional outbox and relay against real PostgreSQL and JetStream."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from google.protobuf import wrappers_pb2
from sqlalchemy import func, select, update

from crm.events.v1 import envelope_pb2
from crm_core.auth import Caller
from crm_core.db import Database, utcnow
from crm_core.events import EventBus, EventConsumer, Namespace, OutboxRelay, record_event
from crm_core.events.inbox import InboxRow
from crm_core.events.outbox import OutboxRow
from crm_core.events.relay import republish_since
from crm_core.telemetry import configure_tracing, tracer
from crm_core.testing import NatsServer, eventually, running, stream_messages

ORDERS = "orders"
ALICE = Caller("u-alice", frozenset({"manager"}), frozenset({"team-north"}))


async def record_orders(db: Database, namespace: Namespace, count: int, first: int = 0) -> list[str]:
    """Record `count` order.placed events in one committed transaction; their ids in order."""
    async with db.transaction() as session:
        return [
            await record_event(
                session,
                namespace,
                ORDERS,
                "order.placed",
                subject_id=f"order-{i}",
                payload=wrappers_pb2.StringValue(value=f"order {i}"),
                actor=ALICE,
                version=1,
                party_ids=[f"party-{i}"],
                summary=f"Order {i} placed",
            )
            for i in range(first, first + count)
        ]


async def outbox_rows(db: Database) -> list[OutboxRow]:
    async with db.sessions() as session:
        return list((await session.scalars(select(OutboxRow).order_by(OutboxRow.id))).all())


async def pending_count(db: Database) -> int:
    async with db.sessions() as session:
        return await session.scalar(select(func.count()).where(OutboxRow.sent_at.is_(None))) or 0


async def nothing_pending(db: Database) -> bool:
    return await pending_count(db) == 0


def relay_for(db: Database, bus: EventBus, **options: object) -> OutboxRelay:
    return OutboxRelay(db, bus, ORDERS, poll_interval=0.1, publish_timeout=1.0, **options)  # type: ignore[arg-type]


async def stored(bus: EventBus, count: int) -> list:
    """The stream's messages once it holds at least `count` (else a falsy empty list)."""
    messages = await stream_messages(bus.js, bus.namespace.stream(ORDERS))
    return messages if len(messages) >= count else []


async def test_committed_events_are_published_once_with_event_id_as_msg_id(db, bus, namespace):
    configure_tracing("crm-core-tests")
    with tracer().start_as_current_span("place orders") as span:
        ids = await record_orders(db, namespace, 3)
    trace_id = format(span.get_span_context().trace_id, "032x")
    with pytest.raises(RuntimeError):
        async with db.transaction() as session:
            await record_event(
                session,
                namespace,
                ORDERS,
                "order.placed",
                subject_id="order-rolled-back",
                payload=wrappers_pb2.StringValue(value="never"),
                actor=ALICE,
            )
            raise RuntimeError("the change failed, so its event must not exist")

    relay = relay_for(db, bus)
    async with running(relay.run()):
        await eventually(lambda: stored(bus, 3))
        await eventually(lambda: nothing_pending(db))
    assert await relay.publish_batch() == 0  # nothing left to send, nothing sent again

    messages = await stream_messages(bus.js, namespace.stream(ORDERS))
    assert [m.headers["Nats-Msg-Id"] for m in messages] == ids
    rows = await outbox_rows(db)
    assert [r.event_id for r in rows] == ids
    for i, (message, row) in enumerate(zip(messages, rows, strict=True)):
        assert message.subject == f"{namespace.root}.orders.order.placed"
        assert message.data == row.payload
        envelope = envelope_pb2.EventEnvelope.FromString(message.data)
        assert envelope.event_id == ids[i]
        assert envelope.type == "order.placed"
        assert envelope.source == ORDERS
        assert envelope.subject_id == f"order-{i}"
        assert envelope.actor.user_id == "u-alice"
        assert envelope.version == 1
        assert list(envelope.party_ids) == [f"party-{i}"]
        assert envelope.summary == f"Order {i} placed"
        payload = wrappers_pb2.StringValue()
        assert envelope.payload.Unpack(payload) and payload.value == f"order {i}"
        assert abs(envelope.occurred_at.ToDatetime().timestamp() - row.created_at.timestamp()) < 5
        assert trace_id in message.headers["traceparent"]
        assert row.sent_at is not None and row.attempts == 0


async def test_relay_keeps_rows_pending_while_nats_is_down_then_publishes_them_in_order_once(
    db, namespace, private_nats: NatsServer
):
    bus = EventBus(private_nats.url, namespace)
    await bus.connect()
    try:
        async with running(relay_for(db, bus).run()):
            before = await record_orders(db, namespace, 1)
            await eventually(lambda: stored(bus, 1))

            private_nats.stop()
            during = await record_orders(db, namespace, 5, first=1)

            async def retried_twice() -> list[OutboxRow]:
                rows = [r for r in await outbox_rows(db) if r.event_id in during]
                return rows if rows[0].attempts >= 2 else []

            rows = await eventually(retried_twice)
            assert all(r.sent_at is None for r in rows)
            assert rows[0].last_error

            private_nats.start()
            await eventually(lambda: nothing_pending(db), timeout=15)
        messages = await stream_messages(bus.js, namespace.stream(ORDERS))
        assert [m.headers["Nats-Msg-Id"] for m in messages] == before + during
    finally:
        await bus.close()


async def test_bus_closes_promptly_while_nats_is_down(namespace, private_nats: NatsServer):
    bus = EventBus(private_nats.url, namespace)
    await bus.connect()
    private_nats.stop()
    await eventually(lambda: not bus.connected)
    await asyncio.wait_for(bus.close(), 5)
    assert bus.nc is not None and bus.nc.is_closed


async def test_two_relays_on_one_database_publish_each_event_exactly_once(db, bus, namespace):
    ids = await record_orders(db, namespace, 200)
    await bus.ensure_stream(ORDERS)
    others = [EventBus(bus.url, namespace, name=f"relay-{i}") for i in range(2)]
    databases = [Database(db.url) for _ in range(2)]
    for other in others:
        await other.connect()

    async def publish_all(relay: OutboxRelay) -> int:
        sent = 0
        while True:
            batch = await relay.publish_batch()
            sent += batch
            if batch == 0 and await pending_count(db) == 0:
                return sent

    try:
        relays = [OutboxRelay(d, b, ORDERS, batch_size=10) for d, b in zip(databases, others, strict=True)]
        counts = await asyncio.gather(*(publish_all(r) for r in relays))
    finally:
        for other, database in zip(others, databases, strict=True):
            await other.close()
            await database.dispose()

    # JetStream would hide a double publish (same Nats-Msg-Id), so count what the relays sent.
    assert sum(counts) == len(ids)
    assert all(counts), f"both relays should have taken part: {counts}"
    messages = await stream_messages(bus.js, namespace.stream(ORDERS))
    msg_ids = [m.headers["Nats-Msg-Id"] for m in messages]
    assert len(msg_ids) == len(set(msg_ids)) == len(ids)
    assert set(msg_ids) == set(ids)


async def test_purge_sent_deletes_only_sent_rows_older_than_retention(db, bus, namespace):
    old_sent, recent_sent, old_pending = await record_orders(db, namespace, 3)
    now = utcnow()
    async with db.transaction() as session:
        for event_id, created, sent in (
            (old_sent, now - timedelta(days=9), now - timedelta(days=8)),
            (recent_sent, now - timedelta(days=7), now - timedelta(days=6)),
            (old_pending, now - timedelta(days=30), None),
        ):
            await session.execute(
                update(OutboxRow).where(OutboxRow.event_id == event_id).values(created_at=created, sent_at=sent)
            )

    assert await relay_for(db, bus, retention_days=7).purge_sent() == 1
    assert [r.event_id for r in await outbox_rows(db)] == [recent_sent, old_pending]


async def test_the_replay_command_republishes_its_window_harmlessly(db, bus, namespace):
    """An admin's replay (the relay refills a reset stream by itself; the command remains for other cases)."""
    applied: list[str] = []

    async def remember(_session, envelope: envelope_pb2.EventEnvelope) -> None:
        applied.append(envelope.event_id)

    consumer = EventConsumer(
        db,
        bus,
        service="billing",
        name="ledger",
        domains=[ORDERS],
        handler=remember,
        fetch_timeout=0.2,
        check_interval=0.3,
    )
    ids = await record_orders(db, namespace, 3)
    async with running(relay_for(db, bus).run()), running(consumer.run()):
        await eventually(lambda: len(applied) == 3)
        async with db.transaction() as session:  # sent long ago: outside the replay window
            await session.execute(
                update(OutboxRow).where(OutboxRow.event_id == ids[0]).values(sent_at=utcnow() - timedelta(hours=2))
            )
        assert await republish_since(db, since_minutes=60) == 2
        await eventually(lambda: nothing_pending(db))
        # Published again with their original Nats-Msg-Ids: the stream keeps one copy of each.
        messages = await stream_messages(bus.js, namespace.stream(ORDERS))
        assert [m.headers["Nats-Msg-Id"] for m in messages] == ids
    assert applied == ids
    async with db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(InboxRow)) == 3


async def test_the_relay_publishes_its_outbox_again_by_itself_after_the_broker_lost_its_store(
    db, namespace, private_nats: NatsServer
):
    bus = EventBus(private_nats.url, namespace)
    await bus.connect()
    try:
        relay = relay_for(db, bus, check_interval=0.5)
        async with running(relay.run()):
            before = await record_orders(db, namespace, 3)
            await eventually(lambda: stored(bus, 3))

            private_nats.kill()
            private_nats.wipe()
            private_nats.start()
            after = await record_orders(db, namespace, 2, first=3)

            async def all_there() -> list:
                messages = await stream_messages(bus.js, namespace.stream(ORDERS))
                ids = [m.headers["Nats-Msg-Id"] for m in messages]
                return ids if set(ids) >= set(before + after) else []

            ids = await eventually(all_there, timeout=20)
        assert sorted(ids) == sorted(before + after)  # each once: what the new stream had already is not doubled
    finally:
        await bus.close()


async def test_a_deleted_stream_is_refilled_from_the_outbox(db, bus, namespace):
    relay = relay_for(db, bus, check_interval=0.5)
    async with running(relay.run()):
        before = await record_orders(db, namespace, 3)
        await eventually(lambda: stored(bus, 3))
        await bus.js.delete_stream(namespace.stream(ORDERS))
        after = await record_orders(db, namespace, 1, first=3)

        async def refilled() -> list:
            messages = await stream_messages(bus.js, namespace.stream(ORDERS))
            ids = [m.headers["Nats-Msg-Id"] for m in messages]
            return ids if set(ids) >= set(before + after) else []

        ids = await eventually(refilled, timeout=20)
    assert sorted(ids) == sorted(before + after)


async def test_flush_publishes_what_is_pending_without_a_running_relay(db, bus, namespace):
    """A stopping service's last events leave with it: flush() publishes them though run() was cancelled."""
    relay = relay_for(db, bus, batch_size=2)  # several batches
    await bus.ensure_stream(ORDERS)
    ids = await record_orders(db, namespace, 5)
    assert await relay.flush(timeout=10) == 5
    assert await pending_count(db) == 0
    messages = await stream_messages(bus.js, bus.namespace.stream(ORDERS))
    assert [m.headers["Nats-Msg-Id"] for m in messages] == ids


async def test_flush_leaves_rows_pending_when_nats_is_away(db, namespace, private_nats: NatsServer):
    bus = EventBus(private_nats.url, namespace, name="crm-core-flush")
    await bus.connect()
    try:
        await bus.ensure_stream(ORDERS)
        private_nats.stop()
        await eventually(lambda: not bus.connected)
        await record_orders(db, namespace, 2)
        assert await relay_for(db, bus).flush(timeout=2) == 0
        assert await pending_count(db) == 2  # waiting for the next relay, not lost
    finally:
        await bus.close()
