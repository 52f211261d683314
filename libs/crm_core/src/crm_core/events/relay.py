"""Outbox relay: publishes committed outbox rows to JetStream, at least once.

Rows are claimed with SELECT ... FOR UPDATE SKIP LOCKED so several replicas
share the work without publishing a row twice; Nats-Msg-Id = event_id lets
JetStream drop the duplicate a crash between publish and commit could cause.
A row is marked sent only after JetStream acknowledged it; while NATS is down
rows wait and are retried with back-off, never dropped. The relay also owns
its domain's stream: it creates it on start and again when a publish finds
no stream (a broker that lost its storage), so re-published rows have
somewhere to go.

A broker can also come back empty (its store lost) or with the stream
recreated. The relay keeps a checkpoint of its stream (when it was created,
the last sequence JetStream acknowledged) next to the outbox, and checks the
stream against it on start, after every reconnection, every few seconds and
whenever an acknowledged sequence goes backwards: a stream created after the
checkpoint's, or holding fewer messages than were acknowledged, was reset, and
every retained outbox row is published again, in order, with its original
Nats-Msg-Id (consumers' inboxes drop what they already handled). No one has to
run the replay command (which remains, for an admin).
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta
from typing import Any

from nats.js.errors import NoStreamResponseError, NotFoundError
from opentelemetry import trace
from sqlalchemy import BigInteger, Text, delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.db import Base, Database, listen, rows_affected, utcnow
from crm_core.events.bus import EventBus
from crm_core.events.outbox import NOTIFY_CHANNEL, OutboxRow
from crm_core.logging import get_logger
from crm_core.metrics import OUTBOX_OLDEST_SECONDS, OUTBOX_PENDING, OUTBOX_PUBLISHED, STREAM_RESETS
from crm_core.telemetry import extract_context, inject_headers, messaging_attributes, tracer

log = get_logger("crm.outbox")


class RelayCheckpoint(Base):
    """How far JetStream acknowledged a stream: the stream's creation time and its last sequence."""

    __tablename__ = "relay_checkpoint"

    stream: Mapped[str] = mapped_column(Text, primary_key=True)
    stream_created: Mapped[datetime]
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboxRelay:
    """Background task publishing one service's outbox to its domain's stream.

    `service` is the domain name (the outbox holds `<namespace>.<service>.*`
    subjects, stored in the `<NAMESPACE>_<SERVICE>` stream).
    """

    def __init__(
        self,
        db: Database,
        bus: EventBus,
        service: str,
        *,
        batch_size: int = 200,
        poll_interval: float = 1.0,
        retention_days: int = 7,
        publish_timeout: float = 5.0,
        check_interval: float = 10.0,
    ) -> None:
        self.db = db
        self.bus = bus
        self.service = service
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.retention = timedelta(days=retention_days)
        self.publish_timeout = publish_timeout
        # Seconds between checks of the stream against the checkpoint.
        self.check_interval = check_interval
        self.stream = bus.namespace.stream(service)
        self._wake = asyncio.Event()
        self._next_check = 0.0
        self._reconnects_seen = -1

    async def run(self) -> None:
        """Publish until cancelled."""
        listener = asyncio.create_task(self._listen())
        delay = 0.2
        next_purge = 0.0
        loop = asyncio.get_running_loop()
        try:
            await self.bus.ready.wait()
            await self._ensure_stream()
            while True:
                if loop.time() >= self._next_check or self.bus.reconnects != self._reconnects_seen:
                    try:
                        await self.check_stream()
                    except Exception as exc:  # noqa: BLE001 - broker or database away: checked again later
                        log.warning("stream_check_failed", stream=self.stream, error=str(exc))
                    self._next_check = loop.time() + self.check_interval
                if loop.time() >= next_purge:
                    next_purge = loop.time() + 3600
                    try:
                        log.info("outbox_purged", rows=await self.purge_sent())
                    except Exception as exc:  # noqa: BLE001 - retried next hour
                        log.warning("outbox_purge_failed", error=str(exc))
                try:
                    published = await self.publish_batch()
                    delay = 0.2
                except NoStreamResponseError:
                    log.warning("outbox_stream_missing", stream=self.stream)
                    await self._ensure_stream()
                    self._next_check = 0.0  # a new stream: whatever the old one held must be published again
                    continue
                except Exception as exc:  # noqa: BLE001 - broker or database trouble: rows stay pending
                    log.warning("outbox_publish_failed", error=str(exc), retry_in=delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 5.0)
                    continue
                if published < self.batch_size:
                    await self._wait()
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener

    async def flush(self, timeout: float) -> int:
        """Publish what is pending in the outbox now, for at most `timeout` seconds; returns how many.

        A stopping service calls this after its last write (gRPC drained, consumers stopped) and
        after cancelling run(), so events committed just before SIGTERM reach the stream before the
        process exits instead of waiting for another replica or a restart. Whatever cannot be
        published in time (NATS away) stays pending: the next relay to run publishes it.
        """
        sent = 0
        try:
            async with asyncio.timeout(timeout):
                while True:
                    published = await self.publish_batch()
                    sent += published
                    if published < self.batch_size:
                        break
        except TimeoutError:
            log.warning("outbox_flush_incomplete", published=sent, timeout=timeout)
        except Exception as exc:  # noqa: BLE001 - rows stay pending for the next relay
            log.warning("outbox_flush_failed", published=sent, error=str(exc))
        else:
            log.info("outbox_flushed", published=sent)
        return sent

    async def publish_batch(self) -> int:
        """Claim and publish up to batch_size pending rows; returns how many were sent.

        The rows are marked sent and the checkpoint moved to the last acknowledged
        sequence in one transaction.
        """
        sent = 0
        last_seq = 0
        failure: Exception | None = None
        async with self.db.transaction() as session:
            rows = (
                await session.scalars(
                    select(OutboxRow)
                    .where(OutboxRow.sent_at.is_(None))
                    .order_by(OutboxRow.id)
                    .limit(self.batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            for row in rows:
                try:
                    # While disconnected nats-py would buffer the publish and
                    # time out; fail fast instead so the row simply stays pending.
                    if not self.bus.connected:
                        raise ConnectionError("not connected to NATS")
                    ack = await self._publish(row)
                except Exception as exc:  # noqa: BLE001 - kept on the row, re-raised below
                    row.attempts += 1
                    row.last_error = (str(exc) or type(exc).__name__)[:500]
                    failure = exc
                    break
                row.sent_at = utcnow()
                last_seq = max(last_seq, ack.seq)
                sent += 1
            if last_seq and not await self._advance_checkpoint(session, last_seq):
                self._next_check = 0.0  # the stream holds fewer messages than it acknowledged before
        if sent:
            OUTBOX_PUBLISHED.labels(self.service).inc(sent)
        await self.update_lag_metrics()
        if failure is not None and sent == 0:
            raise failure
        return sent

    async def _publish(self, row: OutboxRow) -> Any:
        """Publish one row in a PRODUCER span, child of (and linked to) the span that wrote the row; the message's
        headers carry the publish's context to the consumers."""
        created = extract_context(row.headers or {})
        link = trace.get_current_span(created).get_span_context()
        with tracer("crm.events").start_as_current_span(
            f"send {row.subject}",
            context=created,
            kind=trace.SpanKind.PRODUCER,
            links=[trace.Link(link)] if link.is_valid else [],
            attributes=messaging_attributes(row.subject, row.event_id, "send"),
        ) as span:
            ack = await self.bus.js.publish(
                row.subject,
                row.payload,
                timeout=self.publish_timeout,
                headers={**inject_headers(dict(row.headers or {})), "Nats-Msg-Id": row.event_id},
            )
            span.set_attribute("messaging.nats.stream_sequence", ack.seq)
            return ack

    async def _advance_checkpoint(self, session: AsyncSession, seq: int) -> bool:
        """Move the checkpoint to `seq`; False when `seq` is behind it (the stream went backwards)."""
        checkpoint = await session.get(RelayCheckpoint, self.stream, with_for_update=True)
        if checkpoint is None:
            return True  # the first check_stream records where the stream stands
        if seq < checkpoint.last_seq:
            return False
        checkpoint.last_seq, checkpoint.updated_at = seq, utcnow()
        return True

    async def check_stream(self) -> int:
        """Compare the stream with the checkpoint; when it was reset, publish every retained row again.

        Returns how many rows were marked for publishing again (0 when the stream is as it was).
        """
        self._reconnects_seen = self.bus.reconnects
        try:
            info = await self.bus.js.stream_info(self.stream)
        except NotFoundError:
            await self._ensure_stream()
            info = await self.bus.js.stream_info(self.stream)
        created = info.created or utcnow()
        last_seq = info.state.last_seq if info.state else 0
        async with self.db.transaction() as session:
            checkpoint = await session.get(RelayCheckpoint, self.stream, with_for_update=True)
            if checkpoint is None:
                session.add(RelayCheckpoint(stream=self.stream, stream_created=created, last_seq=last_seq))
                return 0
            if created <= checkpoint.stream_created and last_seq >= checkpoint.last_seq:
                return 0
            prefix = self.bus.namespace.stream_subjects(self.service)[0].removesuffix(">")
            replayed = await session.execute(
                update(OutboxRow)
                .where(OutboxRow.sent_at.is_not(None), OutboxRow.subject.startswith(prefix, autoescape=True))
                .values(sent_at=None)
            )
            checkpoint.stream_created, checkpoint.last_seq, checkpoint.updated_at = created, last_seq, utcnow()
            await session.execute(text(f"NOTIFY {NOTIFY_CHANNEL}"))
        count = rows_affected(replayed)
        STREAM_RESETS.labels(self.service).inc()
        log.warning("stream_reset_detected", stream=self.stream, republishing=count, stream_last_seq=last_seq)
        return count

    async def _ensure_stream(self) -> None:
        """Create or update the domain's stream, retrying while NATS is unavailable."""
        delay = 0.2
        while True:
            try:
                await self.bus.ensure_stream(self.service)
                return
            except Exception as exc:  # noqa: BLE001 - NATS not ready yet: retry
                log.warning("stream_setup_failed", error=str(exc), retry_in=delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def update_lag_metrics(self) -> None:
        """Set the pending-rows and oldest-pending-age gauges."""
        async with self.db.sessions() as session:
            count, oldest = (
                await session.execute(
                    select(func.count(), func.min(OutboxRow.created_at)).where(OutboxRow.sent_at.is_(None))
                )
            ).one()
        OUTBOX_PENDING.labels(self.service).set(count)
        OUTBOX_OLDEST_SECONDS.labels(self.service).set((utcnow() - oldest).total_seconds() if oldest else 0)

    async def purge_sent(self) -> int:
        """Delete sent rows older than the retention period; returns how many."""
        async with self.db.transaction() as session:
            result = await session.execute(delete(OutboxRow).where(OutboxRow.sent_at < utcnow() - self.retention))
        return rows_affected(result)

    async def _wait(self) -> None:
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a
        # cancellation that lands as the wake-up arrives, and stop() then hangs.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.poll_interval):
                await self._wake.wait()
        self._wake.clear()

    async def _listen(self) -> None:
        """Wake the loop on NOTIFY from committed transactions (polling covers lost notifies)."""
        await listen(self.db.url, NOTIFY_CHANNEL, self._wake.set)


async def republish_since(db: Database, since_minutes: int) -> int:
    """Mark rows sent in the last `since_minutes` as pending again (broker-loss recovery).

    The relays publish them again with their original Nats-Msg-Id: a stream
    that still holds them (within its duplicate window) drops the copies, a
    stream rebuilt after a broker loss stores them, and consumers' inbox makes
    a replayed event harmless. Returns how many rows were marked.
    """
    async with db.transaction() as session:
        result = await session.execute(
            update(OutboxRow)
            .where(OutboxRow.sent_at >= utcnow() - timedelta(minutes=since_minutes))
            .values(sent_at=None)
        )
        await session.execute(text(f"NOTIFY {NOTIFY_CHANNEL}"))
    return rows_affected(result)
