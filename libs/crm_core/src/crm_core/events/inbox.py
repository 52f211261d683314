"""Idempotent event consumers: durable pull consumers with an inbox table.

A handler's effect and the inbox row recording the event id commit in one
transaction, and the message is acked only after that commit: redelivery
never doubles an effect, and a failed handler is never acked. After
`max_deliver` failed attempts the event goes to the dead-letter subject.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from google.protobuf.message import DecodeError
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from opentelemetry import context as otel_context
from sqlalchemy import Text
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from crm.events.v1 import envelope_pb2
from crm_core.db import Base, Database, utcnow
from crm_core.events.bus import EventBus
from crm_core.logging import get_logger
from crm_core.metrics import CONSUMER_FAILURES, INBOX_HANDLED
from crm_core.telemetry import extract_context, tracer

log = get_logger("crm.inbox")

Handler = Callable[[AsyncSession, envelope_pb2.EventEnvelope], Awaitable[None]]


class InboxRow(Base):
    __tablename__ = "inbox"

    consumer: Mapped[str] = mapped_column(Text, primary_key=True)
    event_id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True)
    handled_at: Mapped[datetime] = mapped_column(default=utcnow)


async def claim_event(session: AsyncSession, consumer: str, event_id: str) -> bool:
    """Record the event in the inbox; False when it was handled before."""
    result = await session.execute(
        insert(InboxRow)
        .values(consumer=consumer, event_id=event_id, handled_at=utcnow())
        .on_conflict_do_nothing()
        .returning(InboxRow.event_id)
    )
    return result.first() is not None


class EventConsumer:
    """A durable consumer over the streams of some domains, calling one handler."""

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
        ack_wait: float = 30.0,
        batch_size: int = 50,
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

    async def run(self) -> None:
        """Consume every configured stream until cancelled."""
        await self.bus.ready.wait()
        await self.bus.ensure_dead_letter_stream()
        async with asyncio.TaskGroup() as group:
            for domain in self.domains:
                group.create_task(self._consume(domain))

    async def _consume(self, domain: str) -> None:
        namespace = self.bus.namespace
        await self.bus.ensure_stream(domain)
        subscription = await self.bus.js.pull_subscribe(
            namespace.stream_subjects(domain)[0],
            durable=self.durable,
            stream=namespace.stream(domain),
            config=ConsumerConfig(
                ack_policy=AckPolicy.EXPLICIT,
                deliver_policy=DeliverPolicy.ALL,
                max_deliver=self.max_deliver,
                ack_wait=self.ack_wait,
            ),
        )
        while True:
            try:
                messages = await subscription.fetch(self.batch_size, timeout=2)
            except NatsTimeout:
                continue
            except Exception as exc:  # noqa: BLE001 - broker trouble: wait and fetch again
                log.warning("consumer_fetch_failed", consumer=self.durable, error=str(exc))
                await asyncio.sleep(1)
                continue
            for message in messages:
                await self.handle_message(message)

    async def handle_message(self, message: Msg) -> None:
        """Apply one message exactly once, then ack; nak or dead-letter on failure."""
        try:
            envelope = envelope_pb2.EventEnvelope.FromString(message.data)
        except DecodeError as exc:
            await self._dead_letter(message, f"undecodable envelope: {exc}")
            return
        token = otel_context.attach(extract_context(message.headers or {}))
        try:
            with tracer().start_as_current_span(f"consume {envelope.type}"):
                async with self.db.transaction() as session:
                    fresh = await claim_event(session, self.durable, envelope.event_id)
                    if fresh:
                        await self.handler(session, envelope)
            INBOX_HANDLED.labels(self.service, self.name, "applied" if fresh else "duplicate").inc()
            await message.ack()
        except Exception as exc:  # noqa: BLE001 - the event is redelivered or dead-lettered, never dropped
            CONSUMER_FAILURES.labels(self.service, self.name).inc()
            delivered = message.metadata.num_delivered if message.metadata else 1
            log.error(
                "event_handler_failed",
                consumer=self.durable,
                event_id=envelope.event_id,
                type=envelope.type,
                delivered=delivered,
                error=repr(exc),
            )
            if delivered >= self.max_deliver:
                await self._dead_letter(message, repr(exc))
            else:
                await message.nak(delay=min(2**delivered * 0.5, 30))
        finally:
            otel_context.detach(token)

    async def _dead_letter(self, message: Msg, error: str) -> None:
        """Park the message on the dead-letter subject, then ack the original."""
        headers = dict(message.headers or {})
        headers.update({"Crm-Original-Subject": message.subject, "Crm-Error": error[:500]})
        headers.pop("Nats-Msg-Id", None)
        await self.bus.js.publish(
            self.bus.namespace.dead_letter_subject(self.service, self.name), message.data, headers=headers
        )
        INBOX_HANDLED.labels(self.service, self.name, "dead_lettered").inc()
        await message.ack()
