"""Idempotent event consumers: durable pull consumers with an inbox table.

A handler's effect and the inbox row recording the event id commit in one
transaction, and the message is acked only after that commit: redelivery
never doubles an effect, and a failed handler is never acked. After
`max_deliver` failed attempts the event goes to the dead-letter subject.

A consumer may apply several messages of a fetch in one transaction (one
commit, one multi-row INSERT per table for all of them). If any of them
fails, that transaction is rolled back whole and each message is applied
again in a transaction of its own, so the failing one is retried or
dead-lettered alone and the others are applied once.

Messages in hand are kept "in progress" (a heartbeat to JetStream every third of
`ack_wait`), so a long batch is never redelivered while it is being handled, and
`ack_wait` can stay short: the messages a killed process held come back to
another process (or the restarted one) within seconds, not half a minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from google.protobuf.message import DecodeError
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NoStreamResponseError, NotFoundError
from opentelemetry import context as otel_context
from opentelemetry import trace
from sqlalchemy import Text
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from crm.events.v1 import envelope_pb2
from crm_core.db import Base, Database, is_outage, is_uuid, utcnow
from crm_core.events.bus import EventBus
from crm_core.logging import get_logger
from crm_core.metrics import (
    CONSUMER_ACK_PENDING,
    CONSUMER_FAILURES,
    CONSUMER_PENDING,
    CONSUMER_REDELIVERED,
    CONSUMER_RESUBSCRIBES,
    DEAD_LETTERS,
    HANDLER_DURATION,
    INBOX_HANDLED,
)
from crm_core.telemetry import extract_context, messaging_attributes, tracer

log = get_logger("crm.inbox")

Handler = Callable[[AsyncSession, envelope_pb2.EventEnvelope], Awaitable[None]]


class InboxRow(Base):
    __tablename__ = "inbox"

    consumer: Mapped[str] = mapped_column(Text, primary_key=True)
    event_id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True)
    handled_at: Mapped[datetime] = mapped_column(default=utcnow)


async def claim_event(session: AsyncSession, consumer: str, event_id: str) -> bool:
    """Record the event in the inbox; False when it was handled before."""
    return bool(await claim_events(session, consumer, [event_id]))


async def claim_events(session: AsyncSession, consumer: str, event_ids: Sequence[str]) -> set[str]:
    """Record the events in the inbox (one statement); the ids of those not handled before, in canonical
    form (`str(uuid.UUID(event_id))`)."""
    now = utcnow()
    rows = [{"consumer": consumer, "event_id": event_id, "handled_at": now} for event_id in event_ids]
    # Without autoflush: rows other events of the transaction left pending go out with the rest at commit.
    with session.no_autoflush:
        result = await session.execute(
            insert(InboxRow).values(rows).on_conflict_do_nothing().returning(InboxRow.event_id)
        )
    return {str(event_id) for event_id in result.scalars()}


class EventConsumer:
    """A durable consumer over the streams of some domains, calling one handler.

    Setting up (streams, dead-letter stream, durable consumer) is retried
    while NATS is unavailable, and redone whenever a fetch fails for any reason
    other than "nothing yet": a deleted consumer or stream, a broker that lost
    its storage (fetches then fail with 503 "no responders"), a server that
    restarted or another one the client moved to. Declaring again is harmless
    when nothing was lost. `last_progress` says when a fetch last worked (the
    service reports a consumer stalled past a threshold).
    """

    def __init__(
        self,
        db: Database,
        bus: EventBus,
        *,
        service: str,
        name: str,
        domains: Sequence[str],
        handler: Handler,
        max_deliver: int = 5,
        ack_wait: float = 10.0,
        batch_size: int = 50,
        fetch_timeout: float = 2.0,
        retry_delay: float = 0.5,
        check_interval: float = 10.0,
        concurrency: int = 1,
        per_transaction: int = 1,
    ) -> None:
        self.db = db
        self.bus = bus
        self.service = service
        self.name = name
        self.durable = f"{service}-{name}"
        self.domains = list(domains)
        self.handler = handler
        self.max_deliver = max_deliver
        self.ack_wait = ack_wait
        self.batch_size = batch_size
        self.fetch_timeout = fetch_timeout
        # First redelivery delay; it doubles per delivery up to 30 s.
        self.retry_delay = retry_delay
        # Seconds of idling after which the durable consumer's existence is checked.
        self.check_interval = check_interval
        # Messages of one fetch handled at once; above 1 only for handlers to which the order
        # of events about different records does not matter.
        self.concurrency = concurrency
        # Messages of one fetch applied in one transaction (a group); groups run `concurrency` at once.
        self.per_transaction = per_transaction
        # Monotonic time of the last fetch that worked, per domain (messages or none).
        self.last_progress: dict[str, float] = {}
        # The bound durable consumer of each domain's stream, while bound (sample() asks about them).
        self.subscriptions: dict[str, JetStreamContext.PullSubscription] = {}
        # Set by drain(): no new fetch starts, messages in hand are finished (or handed back).
        self._draining = False
        self._in_hand = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def stalled_for(self, now: float) -> float:
        """Seconds since the least recently working of this consumer's streams last fetched (0 before start)."""
        if not self.last_progress:
            return 0.0
        return max(now - min(self.last_progress.values()), 0.0)

    async def drain(self, timeout: float) -> bool:
        """Start no new fetch and wait (at most `timeout` s) for the messages in hand to be settled.

        A stopping service calls this before cancelling the consumer, so the event being handled
        commits and is acked instead of waiting out ack_wait to be redelivered. Messages of the batch
        not yet started are nak'ed for another replica at once. True when nothing was left in hand.
        """
        self._draining = True
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._idle.wait()
        return self._idle.is_set()

    async def run(self) -> None:
        """Consume every configured stream until cancelled."""
        await self.bus.ready.wait()
        async with asyncio.TaskGroup() as group:
            for domain in self.domains:
                group.create_task(self._consume(domain))

    async def _subscribe(self, domain: str) -> JetStreamContext.PullSubscription:
        """Ensure the streams and bind the durable pull consumer on `domain`'s stream."""
        namespace = self.bus.namespace
        await self.bus.ensure_dead_letter_stream()
        await self.bus.ensure_stream(domain)
        subject, stream = namespace.stream_subjects(domain)[0], namespace.stream(domain)
        config = ConsumerConfig(
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            # The consumer itself dead-letters at self.max_deliver. The
            # server keeps redelivering past it, so an event whose
            # dead-letter publish failed comes back instead of vanishing.
            max_deliver=-1,
            ack_wait=self.ack_wait,
        )
        subscription = await self.bus.js.pull_subscribe(subject, durable=self.durable, stream=stream, config=config)
        # A durable consumer made by an earlier release keeps its ack_wait unless it is updated.
        info = await subscription.consumer_info()
        if info.config.ack_wait != self.ack_wait:
            config.durable_name = config.name = self.durable
            config.filter_subject = subject
            await self.bus.js.add_consumer(stream, config=config)
        return subscription

    async def _consume(self, domain: str) -> None:
        loop = asyncio.get_running_loop()
        self.last_progress[domain] = loop.time()
        delay = 0.2
        while True:
            try:
                subscription = await self._subscribe(domain)
            except Exception as exc:  # noqa: BLE001 - NATS not ready: retry the setup
                log.warning("consumer_setup_failed", consumer=self.durable, domain=domain, error=str(exc))
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            self.subscriptions[domain] = subscription
            try:
                if await self._fetch_until_lost(subscription, domain):
                    delay = 0.2  # it worked for a while: the next loss is a new one
            finally:
                self.subscriptions.pop(domain, None)
                with contextlib.suppress(Exception):
                    await subscription.unsubscribe()
            CONSUMER_RESUBSCRIBES.labels(self.service, self.name).inc()
            log.warning("consumer_lost", consumer=self.durable, domain=domain, redeclare_in=delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    async def _fetch_until_lost(self, subscription: JetStreamContext.PullSubscription, domain: str) -> bool:
        """Fetch and handle messages until a fetch fails or the durable consumer is gone.

        Returns whether any fetch worked before (a consumer that never works backs off longer).
        """
        loop = asyncio.get_running_loop()
        idle_since = loop.time()
        worked = False
        while not self._draining:
            try:
                messages = await subscription.fetch(self.batch_size, timeout=self.fetch_timeout)
            except TimeoutError:  # nats.errors.TimeoutError and a bare one both mean "no messages yet"
                self.last_progress[domain] = loop.time()
                worked = True
                # A deleted consumer (or stream) also looks like silence: check now and then.
                if loop.time() - idle_since >= self.check_interval:
                    idle_since = loop.time()
                    if not await self._consumer_exists(subscription):
                        return worked
                continue
            except Exception as exc:  # noqa: BLE001 - the consumer, its stream or the server is not what it was
                log.warning("consumer_fetch_failed", consumer=self.durable, domain=domain, error=repr(exc))
                return worked
            self.last_progress[domain] = idle_since = loop.time()
            worked = True
            self._in_hand += 1
            self._idle.clear()
            size = self.per_transaction
            groups = [messages[i : i + size] for i in range(0, len(messages), size)]
            heartbeat = asyncio.create_task(self._keep_in_progress(messages))
            try:
                if self.concurrency == 1:
                    for group in groups:
                        await self._settle(group)
                else:
                    slots = asyncio.Semaphore(self.concurrency)
                    await asyncio.gather(*(self._settle(g, slots) for g in groups))
            finally:
                heartbeat.cancel()
                self._in_hand -= 1
                if not self._in_hand:
                    self._idle.set()
        # Draining: park here until the service cancels the consumer (no new fetch).
        await asyncio.Event().wait()
        return worked

    async def _keep_in_progress(self, messages: list[Msg]) -> None:
        """Tell JetStream every third of ack_wait that the messages not settled yet are still being handled."""
        while True:
            await asyncio.sleep(self.ack_wait / 3)
            for message in messages:
                if not message.is_acked:
                    with contextlib.suppress(Exception):  # a lost heartbeat only risks a redelivery
                        await message.in_progress()

    async def _settle(self, group: list[Msg], slots: asyncio.Semaphore | None = None) -> None:
        async with slots if slots is not None else contextlib.nullcontext():
            if len(group) > 1 and not self._draining and await self.handle_together(group):
                return
            for message in group:
                if self._draining:
                    # Not started before the service began stopping: hand it back for another replica now.
                    with contextlib.suppress(Exception):
                        await message.nak()
                    continue
                try:
                    await self.handle_message(message)
                except Exception as exc:  # noqa: BLE001 - left unacked: redelivered after ack_wait
                    log.error("event_settle_failed", consumer=self.durable, error=repr(exc))

    async def sample(self) -> None:
        """Set the JetStream figures of this consumer: per stream, messages not delivered yet (pending),
        delivered and not acked (ack pending), redelivered and not acked; and its dead letters.

        One request per bound stream and one for the dead-letter subject; a stream that does not
        answer keeps its last figures until the next sample.
        """
        for domain, subscription in list(self.subscriptions.items()):
            stream = self.bus.namespace.stream(domain)
            try:
                info = await subscription.consumer_info()
            except Exception as exc:  # noqa: BLE001 - a figure is not worth a failure; the fetch loop redeclares
                log.debug("consumer_sample_failed", consumer=self.durable, domain=domain, error=repr(exc))
                continue
            CONSUMER_PENDING.labels(self.service, self.name, stream).set(info.num_pending or 0)
            CONSUMER_ACK_PENDING.labels(self.service, self.name, stream).set(info.num_ack_pending or 0)
            CONSUMER_REDELIVERED.labels(self.service, self.name, stream).set(info.num_redelivered or 0)
        subject = self.bus.namespace.dead_letter_subject(self.service, self.name)
        try:
            parked = await self.bus.js.stream_info(self.bus.namespace.dead_letter_stream, subjects_filter=subject)
        except NotFoundError:  # no dead-letter stream yet: nothing was parked
            DEAD_LETTERS.labels(self.service, self.name).set(0)
            return
        except Exception as exc:  # noqa: BLE001 - as above
            log.debug("dead_letter_sample_failed", consumer=self.durable, error=repr(exc))
            return
        DEAD_LETTERS.labels(self.service, self.name).set(sum((parked.state.subjects or {}).values()))

    async def _consumer_exists(self, subscription: JetStreamContext.PullSubscription) -> bool:
        try:
            await subscription.consumer_info()
        except NotFoundError:
            return False
        except Exception:  # noqa: BLE001 - cannot tell (NATS down): assume it still exists
            return True
        return True

    async def handle_message(self, message: Msg) -> None:
        """Apply one message exactly once, then ack; nak or dead-letter on failure.

        Raises only when settling the message with NATS fails; the message is
        then left unacked and JetStream redelivers it after ack_wait.
        """
        try:
            envelope = envelope_pb2.EventEnvelope.FromString(message.data)
        except DecodeError as exc:
            await self._dead_letter(message, f"undecodable envelope: {exc}")
            return
        if not is_uuid(envelope.event_id):
            # Retrying cannot fix it, and the inbox needs the id: park it at once.
            await self._dead_letter(message, f"invalid envelope: event_id {envelope.event_id!r} is not a UUID")
            return
        token = otel_context.attach(extract_context(message.headers or {}))
        started = time.perf_counter()
        delivered = message.metadata.num_delivered if message.metadata else 1
        try:
            with self._span(message, envelope):
                async with self.db.transaction() as session:
                    fresh = await claim_event(session, self.durable, envelope.event_id)
                    if fresh:
                        await self.handler(session, envelope)
        except Exception as exc:  # noqa: BLE001 - the event is redelivered or dead-lettered, never dropped
            CONSUMER_FAILURES.labels(self.service, self.name).inc()
            log.error(
                "event_handler_failed",
                consumer=self.durable,
                event_id=envelope.event_id,
                type=envelope.type,
                delivered=delivered,
                error=repr(exc),
            )
            if delivered >= self.max_deliver and not is_outage(exc):
                await self._dead_letter(message, repr(exc))
                outcome = "dead_lettered"
            else:
                # An outage (database unreachable) is waited out however long it lasts:
                # the event is not at fault, so it is never dead-lettered for it.
                await message.nak(delay=min(2**delivered * self.retry_delay, 30))
                outcome = "retried"
            self._log_handled(envelope, outcome, started)
            return
        finally:
            otel_context.detach(token)
            HANDLER_DURATION.labels(self.service, self.name, envelope.type).observe(time.perf_counter() - started)
        # Outside the try: the effect is committed, so a failed ack must not
        # count as a handler failure (the redelivery is a harmless duplicate).
        outcome = "applied" if fresh else "duplicate"
        INBOX_HANDLED.labels(self.service, self.name, outcome).inc()
        await message.ack()
        self._log_handled(envelope, outcome, started)

    async def handle_together(self, messages: list[Msg]) -> bool:
        """Apply the messages in one transaction, then ack them; False when that did not work.

        On False nothing of them was applied or acked (a message could not be decoded, or a handler
        or the commit failed): the caller settles each with handle_message, in a transaction of its own.
        """
        envelopes = []
        for message in messages:
            try:
                envelope = envelope_pb2.EventEnvelope.FromString(message.data)
            except DecodeError:
                return False
            if not is_uuid(envelope.event_id):
                return False
            envelopes.append(envelope)
        started = time.perf_counter()
        fresh: list[bool] = []
        try:
            async with self.db.transaction() as session:
                claimed = await claim_events(session, self.durable, [e.event_id for e in envelopes])
                for message, envelope in zip(messages, envelopes, strict=True):
                    # A second copy of an event in the same group is a duplicate of the first.
                    event_id = str(uuid.UUID(envelope.event_id))
                    fresh.append(event_id in claimed)
                    claimed.discard(event_id)
                    token = otel_context.attach(extract_context(message.headers or {}))
                    handling = time.perf_counter()
                    try:
                        with self._span(message, envelope):
                            if fresh[-1]:
                                await self.handler(session, envelope)
                    finally:
                        otel_context.detach(token)
                        HANDLER_DURATION.labels(self.service, self.name, envelope.type).observe(
                            time.perf_counter() - handling
                        )
        except Exception as exc:  # noqa: BLE001 - rolled back whole: each is applied again on its own
            log.info("events_applied_one_by_one", consumer=self.durable, events=len(messages), error=repr(exc))
            return False
        for message, envelope, new in zip(messages, envelopes, fresh, strict=True):
            outcome = "applied" if new else "duplicate"
            INBOX_HANDLED.labels(self.service, self.name, outcome).inc()
            try:
                await message.ack()
            except Exception as exc:  # noqa: BLE001 - committed: the redelivery is a harmless duplicate
                log.error("event_settle_failed", consumer=self.durable, error=repr(exc))
            self._log_handled(envelope, outcome, started)
        return True

    def _span(self, message: Msg, envelope: envelope_pb2.EventEnvelope) -> contextlib.AbstractContextManager:
        """The CONSUMER span of handling one message (in the trace of the change that published it)."""
        delivered = message.metadata.num_delivered if message.metadata else 1
        attributes: dict[str, str | int] = {
            "messaging.consumer.group.name": self.durable,
            "messaging.nats.delivered": delivered or 1,
            "crm.event_type": envelope.type,
        }
        return tracer("crm.events").start_as_current_span(
            f"process {message.subject}",
            kind=trace.SpanKind.CONSUMER,
            attributes=messaging_attributes(message.subject, envelope.event_id, "process", **attributes),
        )

    def _log_handled(self, envelope: envelope_pb2.EventEnvelope, outcome: str, started: float) -> None:
        """One line per event this consumer settled: applied, duplicate, retried or dead_lettered."""
        log.info(
            "event_handled",
            consumer=self.durable,
            event_type=envelope.type,
            event_id=envelope.event_id,
            outcome=outcome,
            ms=round((time.perf_counter() - started) * 1000, 1),
        )

    async def _dead_letter(self, message: Msg, error: str) -> None:
        """Park the message on the dead-letter subject, then ack the original."""
        headers = dict(message.headers or {})
        headers.update({"Crm-Original-Subject": message.subject, "Crm-Error": error[:500]})
        headers.pop("Nats-Msg-Id", None)
        subject = self.bus.namespace.dead_letter_subject(self.service, self.name)
        try:
            await self.bus.js.publish(subject, message.data, headers=headers)
        except NoStreamResponseError:  # the broker lost the dead-letter stream: recreate it once
            await self.bus.ensure_dead_letter_stream()
            await self.bus.js.publish(subject, message.data, headers=headers)
        INBOX_HANDLED.labels(self.service, self.name, "dead_lettered").inc()
        await message.ack()
