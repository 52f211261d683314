"""Idempotent consumers (inbox, redelivery, dead letters) against real PostgreSQL and JetStream."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import asyncpg
import pytest
from google.protobuf import wrappers_pb2
from nats.js.api import AckPolicy, ConsumerConfig, ConsumerInfo, RawStreamMsg
from nats.js.errors import NotFoundError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession
from structlog.testing import capture_logs

from crm.events.v1 import envelope_pb2
from crm_core.audit import AuditEntry, record_audit
from crm_core.auth import Caller
from crm_core.db import Database
from crm_core.events import EventBus, EventConsumer
from crm_core.events.envelope import build_envelope
from crm_core.events.inbox import InboxRow, is_outage
from crm_core.testing import NatsServer, eventually, running

ORDERS = "orders"
SERVICE, NAME = "billing", "ledger"
DURABLE = f"{SERVICE}-{NAME}"


def order_placed(number: int = 1) -> envelope_pb2.EventEnvelope:
    return build_envelope(
        ORDERS,
        "order.placed",
        subject_id=f"order-{number}",
        payload=wrappers_pb2.StringValue(value=f"order {number}"),
        actor=Caller("u-alice"),
    )


class Ledger:
    """A handler whose effect is an audit row per event; `fail(calls)` decides when it raises."""

    def __init__(self, fail: Callable[[int], bool] = lambda _calls: False) -> None:
        self.calls: list[str] = []
        self.fail = fail

    async def __call__(self, session: AsyncSession, envelope: envelope_pb2.EventEnvelope) -> None:
        self.calls.append(envelope.event_id)
        record_audit(session, entity_type="order", entity_id=envelope.event_id, action="billed", actor_id="u-alice")
        await session.flush()  # the effect is really written before a failure rolls it back
        if self.fail(len(self.calls)):
            raise RuntimeError(f"ledger unavailable (call {len(self.calls)})")


def consumer_for(
    db: Database,
    bus: EventBus,
    handler: Callable[..., Any],
    max_deliver: int = 3,
    retry_delay: float = 0.5,
    concurrency: int = 1,
    per_transaction: int = 1,
    ack_wait: float = 10.0,
) -> EventConsumer:
    return EventConsumer(
        db,
        bus,
        service=SERVICE,
        name=NAME,
        domains=[ORDERS],
        handler=handler,
        max_deliver=max_deliver,
        fetch_timeout=0.2,
        retry_delay=retry_delay,
        concurrency=concurrency,
        per_transaction=per_transaction,
        ack_wait=ack_wait,
    )


async def publish(bus: EventBus, data: bytes, msg_id: str) -> int:
    await bus.ensure_stream(ORDERS)
    ack = await bus.js.publish(f"{bus.namespace.root}.orders.order.placed", data, headers={"Nats-Msg-Id": msg_id})
    return ack.seq


async def effects(db: Database, event_id: str) -> tuple[int, int]:
    """(audit rows, inbox rows) recorded for the event."""
    async with db.sessions() as session:
        audit = await session.scalar(select(func.count()).where(AuditEntry.entity_id == event_id))
        inbox = await session.scalar(
            select(func.count()).where(InboxRow.consumer == DURABLE, InboxRow.event_id == event_id)
        )
    return audit or 0, inbox or 0


async def consumer_info(bus: EventBus) -> ConsumerInfo | None:
    try:
        return await bus.js.consumer_info(bus.namespace.stream(ORDERS), DURABLE)
    except NotFoundError:
        return None


async def settled_up_to(bus: EventBus, seq: int) -> bool:
    """Every message up to `seq` was acked, and nothing waits for an ack."""
    info = await consumer_info(bus)
    return info is not None and info.ack_floor.stream_seq >= seq and info.num_ack_pending == 0


async def dead_letter(bus: EventBus) -> RawStreamMsg | None:
    try:
        return await bus.js.get_last_msg(
            bus.namespace.dead_letter_stream, bus.namespace.dead_letter_subject(SERVICE, NAME)
        )
    except NotFoundError:
        return None


async def test_handler_effect_and_inbox_row_commit_together(db, bus):
    ledger = Ledger(fail=lambda calls: calls == 1)  # the first attempt writes, then fails
    envelope = order_placed()
    async with running(consumer_for(db, bus, ledger).run()):
        seq = await publish(bus, envelope.SerializeToString(), envelope.event_id)
        await eventually(lambda: settled_up_to(bus, seq))
    # The failed attempt's audit row went with its rollback, the inbox row with it:
    # one effect, recorded once, after two deliveries.
    assert ledger.calls == [envelope.event_id] * 2
    assert await effects(db, envelope.event_id) == (1, 1)


async def test_same_event_delivered_twice_has_one_effect(db, bus):
    ledger = Ledger()
    envelope = order_placed()
    async with running(consumer_for(db, bus, ledger).run()):
        # Different Nats-Msg-Ids defeat JetStream's dedup: both copies are delivered.
        await publish(bus, envelope.SerializeToString(), "first-copy")
        second = await publish(bus, envelope.SerializeToString(), "second-copy")
        assert second == 2
        await eventually(lambda: settled_up_to(bus, second))
    assert ledger.calls == [envelope.event_id]
    assert await effects(db, envelope.event_id) == (1, 1)


async def test_a_concurrent_consumer_applies_each_of_many_duplicated_events_once(db, bus):
    ledger = Ledger()
    envelopes = [order_placed(n) for n in range(20)]
    async with running(consumer_for(db, bus, ledger, concurrency=8).run()):
        last = 0
        for copy in ("a", "b"):  # every event twice, the copies in the same fetches as others
            for envelope in envelopes:
                last = await publish(bus, envelope.SerializeToString(), f"{copy}-{envelope.event_id}")
        await eventually(lambda: settled_up_to(bus, last))
    for envelope in envelopes:
        assert await effects(db, envelope.event_id) == (1, 1)
    assert sorted(set(ledger.calls)) == sorted(e.event_id for e in envelopes)


async def test_events_applied_together_have_one_effect_each_even_when_duplicated_in_the_group(db, bus):
    ledger = Ledger()
    envelopes = [order_placed(n) for n in range(6)]
    last = 0
    for copy in ("a", "b"):  # published before the consumer starts: one fetch, groups holding both copies
        for envelope in envelopes:
            last = await publish(bus, envelope.SerializeToString(), f"{copy}-{envelope.event_id}")
    async with running(consumer_for(db, bus, ledger, concurrency=2, per_transaction=8).run()):
        await eventually(lambda: settled_up_to(bus, last))
    for envelope in envelopes:
        assert await effects(db, envelope.event_id) == (1, 1)
    assert sorted(ledger.calls) == sorted(e.event_id for e in envelopes)


async def test_a_failing_event_of_a_group_is_dead_lettered_alone_and_the_others_applied_once(db, bus):
    envelopes = [order_placed(n) for n in range(5)]
    bad = envelopes[2].event_id
    ledger = Ledger()
    ledger.fail = lambda _calls: ledger.calls[-1] == bad
    last = 0
    for envelope in envelopes:
        last = await publish(bus, envelope.SerializeToString(), envelope.event_id)
    async with running(consumer_for(db, bus, ledger, max_deliver=2, per_transaction=8).run()):
        parked = await eventually(lambda: dead_letter(bus))
        await eventually(lambda: settled_up_to(bus, last))
    assert envelope_pb2.EventEnvelope.FromString(parked.data).event_id == bad
    assert await effects(db, bad) == (0, 0)
    for envelope in envelopes:
        if envelope.event_id != bad:
            assert await effects(db, envelope.event_id) == (1, 1)
    # Tried together up to the bad one (rolled back whole), then each on its own: the bad one until dead-lettered.
    assert ledger.calls[:3] == [e.event_id for e in envelopes[:3]]
    assert ledger.calls.count(bad) == 3


async def test_failing_handler_is_redelivered_then_dead_lettered_and_never_acked_before(db, bus):
    ledger = Ledger(fail=lambda _calls: True)
    envelope = order_placed()
    data = envelope.SerializeToString()
    async with running(consumer_for(db, bus, ledger, max_deliver=3).run()):
        seq = await publish(bus, data, envelope.event_id)

        await eventually(lambda: len(ledger.calls) >= 2)  # redelivered after the nak
        info = await consumer_info(bus)
        assert info is not None and info.ack_floor.stream_seq == 0, "a failed event must not be acked"
        assert await dead_letter(bus) is None

        parked = await eventually(lambda: dead_letter(bus))
        await eventually(lambda: settled_up_to(bus, seq))
    assert ledger.calls == [envelope.event_id] * 3
    assert parked.data == data
    assert parked.headers is not None
    assert "RuntimeError" in parked.headers["Crm-Error"] and "call 3" in parked.headers["Crm-Error"]
    assert parked.headers["Crm-Original-Subject"] == f"{bus.namespace.root}.orders.order.placed"
    assert await effects(db, envelope.event_id) == (0, 0)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xff\xff\xff\xff", "undecodable envelope"),
        (envelope_pb2.EventEnvelope(type="order.placed").SerializeToString(), "invalid envelope"),
    ],
    ids=["not-protobuf", "no-event-id"],
)
async def test_undecodable_message_goes_to_dead_letter_at_once(db, bus, data, reason):
    ledger = Ledger()
    async with running(consumer_for(db, bus, ledger).run()):
        seq = await publish(bus, data, "garbage")
        parked = await eventually(lambda: dead_letter(bus))
        await eventually(lambda: settled_up_to(bus, seq))
    assert parked.data == data
    assert parked.headers is not None and reason in parked.headers["Crm-Error"]
    assert ledger.calls == []
    async with db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(InboxRow)) == 0


async def test_consumer_set_up_while_nats_is_down_consumes_once_it_is_back(db, namespace, private_nats: NatsServer):
    bus = EventBus(private_nats.url, namespace)
    await bus.connect()
    try:
        private_nats.stop()
        await eventually(lambda: not bus.connected)
        ledger = Ledger()
        with capture_logs() as logs:
            async with running(consumer_for(db, bus, ledger).run()) as task:
                await eventually(lambda: any(e["event"] == "consumer_setup_failed" for e in logs))
                private_nats.start()
                await eventually(lambda: consumer_info(bus))
                envelope = order_placed()
                seq = await publish(bus, envelope.SerializeToString(), envelope.event_id)
                await eventually(lambda: settled_up_to(bus, seq))
                assert not task.done()
        assert ledger.calls == [envelope.event_id]
        assert await effects(db, envelope.event_id) == (1, 1)
    finally:
        await bus.close()


class FlakyDatabase(Ledger):
    """A handler that meets an unreachable database `outages` times before it works."""

    def __init__(self, outages: int) -> None:
        super().__init__()
        self.outages = outages

    async def __call__(self, session: AsyncSession, envelope: envelope_pb2.EventEnvelope) -> None:
        if len(self.calls) < self.outages:
            self.calls.append(envelope.event_id)
            raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))
        await super().__call__(session, envelope)


async def test_database_outage_is_waited_out_not_dead_lettered(db, bus):
    handler = FlakyDatabase(outages=4)
    envelope = order_placed()
    async with running(consumer_for(db, bus, handler, max_deliver=2, retry_delay=0.02).run()):
        seq = await publish(bus, envelope.SerializeToString(), envelope.event_id)
        await eventually(lambda: settled_up_to(bus, seq))
    assert handler.calls == [envelope.event_id] * 5  # four outages, then applied
    assert await dead_letter(bus) is None
    assert await effects(db, envelope.event_id) == (1, 1)


def test_only_connection_failures_count_as_outages():
    refused = OperationalError("SELECT 1", {}, ConnectionRefusedError())
    assert is_outage(refused)
    assert is_outage(ConnectionResetError())
    assert is_outage(asyncpg.TooManyConnectionsError("sorry, too many clients already"))
    try:
        try:
            raise OSError("network unreachable")
        except OSError as cause:
            raise RuntimeError("handler gave up") from cause
    except RuntimeError as wrapped:
        assert is_outage(wrapped)
    assert not is_outage(IntegrityError("INSERT", {}, ValueError("duplicate key")))
    assert not is_outage(RuntimeError("a bug in the handler"))


async def test_a_consumer_goes_on_after_its_server_is_killed_its_store_wiped_and_restarted(
    db, namespace, private_nats: NatsServer
):
    bus = EventBus(private_nats.url, namespace)
    await bus.connect()
    try:
        ledger = Ledger()
        consumer = consumer_for(db, bus, ledger)
        async with running(consumer.run()) as task:
            first = order_placed(1)
            seq = await publish(bus, first.SerializeToString(), first.event_id)
            await eventually(lambda: settled_up_to(bus, seq))

            private_nats.kill()
            private_nats.wipe()
            private_nats.start()  # no stream, no consumer: fetches fail with 503 "no responders"
            second = order_placed(2)

            async def published() -> bool:  # JetStream needs a moment after the server is back
                try:
                    return bool(await publish(bus, second.SerializeToString(), second.event_id))
                except Exception:
                    return False

            await eventually(published, timeout=15)

            async def applied() -> bool:
                return await effects(db, second.event_id) == (1, 1)

            await eventually(applied, timeout=20)
            assert not task.done()
        assert ledger.calls == [first.event_id, second.event_id]
        assert consumer.stalled_for(0) == 0.0
    finally:
        await bus.close()


async def test_drain_finishes_and_acks_the_event_in_hand_and_fetches_no_more(db, bus):
    """A stopping service's consumer: the event being handled commits and is acked, no new one is started."""
    started, release = asyncio.Event(), asyncio.Event()
    ledger = Ledger()

    async def slow(session: AsyncSession, envelope: envelope_pb2.EventEnvelope) -> None:
        started.set()
        await release.wait()
        await ledger(session, envelope)

    consumer = consumer_for(db, bus, slow)
    first, second = order_placed(1), order_placed(2)
    async with running(consumer.run()):
        seq = await publish(bus, first.SerializeToString(), first.event_id)
        await asyncio.wait_for(started.wait(), 10)
        draining = asyncio.create_task(consumer.drain(timeout=10))
        await asyncio.sleep(0.3)
        assert not draining.done()  # waits for the event in hand
        release.set()
        assert await draining
        await eventually(lambda: settled_up_to(bus, seq))
        await publish(bus, second.SerializeToString(), second.event_id)
        await asyncio.sleep(1)  # several fetch timeouts: a consumer still fetching would have taken it
    assert ledger.calls == [first.event_id]
    assert await effects(db, first.event_id) == (1, 1)


async def test_a_handler_slower_than_ack_wait_is_kept_in_progress_not_redelivered(db, bus):
    """A batch in hand longer than ack_wait is not handed out again: the consumer reports progress."""
    ledger = Ledger()

    async def slow(session: AsyncSession, envelope: envelope_pb2.EventEnvelope) -> None:
        await asyncio.sleep(2.5)  # five times ack_wait
        await ledger(session, envelope)

    envelope = order_placed()
    async with running(consumer_for(db, bus, slow, ack_wait=0.5).run()):
        seq = await publish(bus, envelope.SerializeToString(), envelope.event_id)
        await eventually(lambda: settled_up_to(bus, seq), timeout=15)
        info = await consumer_info(bus)
    assert info is not None and info.num_redelivered == 0
    assert ledger.calls == [envelope.event_id]


async def test_an_event_a_killed_consumer_held_is_handled_by_the_next_one_within_ack_wait(db, bus):
    """A process killed with a fetched, unacked event: the next process gets it after ack_wait (here 1 s)."""
    started = asyncio.Event()

    async def hangs(session: AsyncSession, envelope: envelope_pb2.EventEnvelope) -> None:
        started.set()
        await asyncio.Event().wait()

    envelope = order_placed()
    ledger = Ledger()
    async with running(consumer_for(db, bus, hangs, ack_wait=1.0).run()):
        seq = await publish(bus, envelope.SerializeToString(), envelope.event_id)
        await asyncio.wait_for(started.wait(), 10)
    # Cancelled in the middle of the handler: no ack, no nak, no more heartbeats (as after SIGKILL).
    loop = asyncio.get_running_loop()
    began = loop.time()
    async with running(consumer_for(db, bus, ledger, ack_wait=1.0).run()):
        await eventually(lambda: settled_up_to(bus, seq), timeout=15)
    assert loop.time() - began < 5
    assert ledger.calls == [envelope.event_id]


async def test_a_durable_consumer_of_an_earlier_release_gets_the_current_ack_wait(db, bus):
    await bus.ensure_stream(ORDERS)
    await bus.js.pull_subscribe(
        f"{bus.namespace.root}.orders.>",
        durable=DURABLE,
        stream=bus.namespace.stream(ORDERS),
        config=ConsumerConfig(ack_policy=AckPolicy.EXPLICIT, max_deliver=-1, ack_wait=30.0),
    )
    async with running(consumer_for(db, bus, Ledger(), ack_wait=2.0).run()):
        info = await eventually(lambda: _with_ack_wait(bus, 2.0))
    assert info.config.ack_wait == 2.0


async def _with_ack_wait(bus: EventBus, seconds: float) -> ConsumerInfo | None:
    info = await consumer_info(bus)
    return info if info is not None and info.config.ack_wait == seconds else None
