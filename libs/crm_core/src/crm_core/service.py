"""ServiceApp: the wiring every domain service shares.

A service's main.py builds a ServiceApp, registers its servicer and
consumers, and calls `run()`. The app owns the clock, the database, the event
bus, the outbox relay, the consumers, the gRPC server and the metrics
endpoint, and shuts them down in order on SIGTERM/SIGINT.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any

from grpc_health.v1 import health_pb2

from crm_core.access_signals import AccessSignals
from crm_core.answered import purge_answers
from crm_core.clock import Clock
from crm_core.db import Database
from crm_core.events import EventBus, EventConsumer, Namespace, OutboxRelay
from crm_core.events.inbox import Handler
from crm_core.grpc_server import GrpcServer, Registrar
from crm_core.logging import configure_logging, get_logger
from crm_core.metrics import (
    BACKGROUND_DONE,
    BACKGROUND_PASSES,
    CONSUMER_STALLED,
    CURRENT_SERVICE,
    declare_build,
    serve_metrics,
)
from crm_core.partner_keys import PartnerKeys
from crm_core.settings import ServiceSettings
from crm_core.telemetry import configure_tracing

log = get_logger("crm.service")

# gRPC health service name of the service's event consumers (see ServiceApp._watch_consumers).
CONSUMERS_HEALTH = "crm.consumers"


class ServiceApp:
    """One running domain service."""

    def __init__(self, settings: ServiceSettings, clock: Clock | None = None) -> None:
        """`clock`: one to share with the caller (tests shift it); by default real time plus the settings' offset."""
        self.settings = settings
        self.name = settings.domain
        # Every time a service stamps or compares comes from this clock, never from the system's.
        self.clock = clock if clock is not None else Clock(settings.clock_offset)
        if self.clock.offset:
            log.warning(
                "clock_offset", offset=str(self.clock.offset), note=f"{self.name} times are shifted (tests only)"
            )
        self.namespace = Namespace(settings.events_namespace)
        self.db = Database(settings.database_url, settings.db_pool_size, service=self.name)
        declare_build(self.name, f"crm-{self.name}")
        self.bus = EventBus(settings.nats_url, self.namespace, name=f"crm-{self.name}")
        self.access_signals = AccessSignals(self.bus)
        self.partner_keys = PartnerKeys(settings.identity_target, settings.internal_secret)
        self.access_signals.on_change(self.partner_keys.forget_user)
        self.grpc = GrpcServer(
            self.name, settings.grpc_port or 0, settings.internal_secret, partner_keys=self.partner_keys, db=self.db
        )
        self.relay = OutboxRelay(self.db, self.bus, self.name, retention_days=settings.outbox_retention_days)
        self.consumers: list[EventConsumer] = []
        self.background: dict[str, Callable[[], Coroutine[Any, Any, None]]] = {}
        self._tasks: list[asyncio.Task[Any]] = []
        self._closers: list[Callable[[], Awaitable[None]]] = []

    def on_stop(self, close: Callable[[], Awaitable[None]]) -> None:
        """Close something of the service's own (channels to other services) with its connections, at stop."""
        self._closers.append(close)

    def add_servicer(self, registrar: Registrar, servicer: Any, full_name: str) -> None:
        self.grpc.add(registrar, servicer, full_name)

    def add_consumer(
        self, name: str, domains: Sequence[str], handler: Handler, concurrency: int = 1, per_transaction: int = 1
    ) -> None:
        """Consume the streams of `domains` with a durable consumer `<service>-<name>`.

        `concurrency` > 1 handles that many messages (or groups) of a fetch at once (handlers indifferent to
        order); `per_transaction` > 1 applies up to that many messages in one transaction (one commit).
        """
        self.consumers.append(
            EventConsumer(
                self.db,
                self.bus,
                service=self.name,
                name=name,
                domains=domains,
                handler=handler,
                max_deliver=self.settings.consumer_max_deliver,
                concurrency=concurrency,
                per_transaction=per_transaction,
            )
        )

    def add_background(self, name: str, run: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run `run()` (a loop until cancelled, e.g. a scheduler) from start() to stop()."""
        self.background[name] = run

    async def start(self) -> None:
        """Start serving; returns once the gRPC port is bound.

        The relay creates the service's own stream once NATS answers, and
        each consumer the streams it reads.
        """
        self.settings.require_secret("the internal secret", self.settings.internal_secret, "CRM_INTERNAL_SECRET")
        configure_tracing(self.name)
        CURRENT_SERVICE.set(self.name)  # background tasks created below label their metrics with it
        await self.grpc.start()
        self._tasks = [asyncio.create_task(self.bus.connect(), name="nats-connect")]
        self._tasks.append(asyncio.create_task(self.access_signals.run(), name="access-signals"))
        self._tasks.append(asyncio.create_task(self.relay.run(), name="outbox-relay"))
        self._tasks += [asyncio.create_task(c.run(), name=f"consumer-{c.name}") for c in self.consumers]
        self._tasks += [asyncio.create_task(run(), name=name) for name, run in self.background.items()]
        if self.consumers:
            self._tasks.append(asyncio.create_task(self._watch_consumers(), name="consumer-watch"))
            self._tasks.append(
                asyncio.create_task(
                    run_passes("consumer-sample", self._sample_consumers, self.settings.consumer_sample_seconds),
                    name="consumer-sample",
                )
            )
        self._tasks.append(
            asyncio.create_task(run_passes("answers-purge", lambda: purge_answers(self.db), 3600), name="answers-purge")
        )
        for task in self._tasks:
            task.add_done_callback(_log_unexpected_exit)
        log.info("service_started", grpc_port=self.grpc.port)

    async def _watch_consumers(self, interval: float = 5.0) -> None:
        """Report consumers that cannot make progress (broker away, stream gone and not coming back).

        Health service CONSUMERS_HEALTH turns NOT_SERVING while any consumer is stalled past
        CRM_CONSUMER_STALL_SECONDS. The API itself stays SERVING: it works without NATS (the
        outbox keeps the events), so this signal is for alerts, not for taking the pod out of service.
        """
        loop = asyncio.get_running_loop()
        stalled_before: set[str] = set()
        await self.grpc.health.set(CONSUMERS_HEALTH, health_pb2.HealthCheckResponse.SERVING)
        while True:
            now = loop.time()
            stalled = set()
            for consumer in self.consumers:
                late = consumer.stalled_for(now) > self.settings.consumer_stall_seconds
                CONSUMER_STALLED.labels(self.name, consumer.name).set(1 if late else 0)
                if late:
                    stalled.add(consumer.name)
            if stalled != stalled_before:
                if stalled:
                    log.warning("consumers_stalled", consumers=sorted(stalled))
                    await self.grpc.health.set(CONSUMERS_HEALTH, health_pb2.HealthCheckResponse.NOT_SERVING)
                else:
                    log.info("consumers_recovered")
                    await self.grpc.health.set(CONSUMERS_HEALTH, health_pb2.HealthCheckResponse.SERVING)
                stalled_before = stalled
            await asyncio.sleep(interval)

    async def _sample_consumers(self) -> int:
        """Ask JetStream how far behind each consumer is (crm_consumer_pending and its siblings, crm_dead_letters)."""
        if not self.bus.connected:
            return 0
        for consumer in self.consumers:
            await consumer.sample()
        return 0

    async def stop(self) -> None:
        """Shut down without losing a call or an event (SIGTERM).

        1. Every gRPC health service name turns NOT_SERVING; calls are still served for
           CRM_SHUTDOWN_DRAIN_SECONDS while probes and load balancers take the pod out.
        2. The server stops accepting; in-flight calls get CRM_<DOMAIN>_SHUTDOWN_GRACE to finish.
        3. Consumers start no new fetch; the messages in hand are handled and acked.
        4. Background work is cancelled, then the relay publishes what is still pending in the
           outbox (at most CRM_SHUTDOWN_FLUSH_SECONDS): the events of the last calls leave with us.
        5. Connections close.
        """
        log.info("service_stopping", drain_seconds=self.settings.shutdown_drain_seconds)
        await self.grpc.stop(self.settings.shutdown_grace, drain=self.settings.shutdown_drain_seconds)
        for consumer in self.consumers:
            if not await consumer.drain(self.settings.shutdown_grace):
                log.warning("consumer_drain_timeout", consumer=consumer.durable)
        for task in self._tasks:
            task.remove_done_callback(_log_unexpected_exit)
        for task in self._tasks:
            # Cancel until it ends: a library awaiting with wait_for (nats-py, Python 3.11) can
            # swallow a cancel that coincides with a reply, and the loop would then run on.
            while not task.done():
                task.cancel()
                await asyncio.wait([task], timeout=0.5)
            with contextlib.suppress(asyncio.CancelledError, Exception):  # crashes were logged when they happened
                await task
        if self._tasks:  # started: a relay ran
            await self.relay.flush(self.settings.shutdown_flush_seconds)
        await self.bus.close()
        await self.partner_keys.close()
        for close in self._closers:
            await close()
        await self.db.dispose()
        log.info("service_stopped")

    async def run(self) -> None:
        """Serve until SIGTERM or SIGINT."""
        configure_logging(self.name, self.settings.log_level, self.settings.log_format)
        serve_metrics(self.settings.metrics_port or 0)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await self.start()
        await stop.wait()
        # A second signal during the shutdown changes nothing: the sequence is bounded by its timeouts.
        await self.stop()


async def run_passes(name: str, one_pass: Callable[[], Awaitable[int]], interval: float) -> None:
    """Call `one_pass` every `interval` seconds until cancelled (background work such as schedulers).

    A pass that fails (the database away) is logged and the next one retries;
    a pass that did something is logged with how much. Each pass is counted
    (crm_background_passes_total by outcome, crm_background_items_total).
    """
    service = CURRENT_SERVICE.get()
    while True:
        try:
            done = await one_pass()
            BACKGROUND_PASSES.labels(service, name, "ok").inc()
            if done:
                BACKGROUND_DONE.labels(service, name).inc(done)
                log.info("pass_done", work=name, count=done)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - nothing of a failed pass was committed; the next one retries
            BACKGROUND_PASSES.labels(service, name, "failed").inc()
            log.warning("pass_failed", work=name, error=repr(exc))
        await asyncio.sleep(interval)


def _log_unexpected_exit(task: asyncio.Task[Any]) -> None:
    """Background work runs until stop(): make a crash visible instead of silent."""
    if not task.cancelled() and task.exception() is not None:
        log.error("background_task_crashed", task=task.get_name(), error=repr(task.exception()))
