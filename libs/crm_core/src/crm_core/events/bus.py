"""Connection to NATS JetStream that tolerates the broker being down."""

from __future__ import annotations

import asyncio

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

from crm_core.events.envelope import Namespace
from crm_core.logging import get_logger

log = get_logger("crm.events")


class EventBus:
    """One NATS connection per process; `ready` is set once connected.

    Connecting retries forever in the background, so a service starts (and
    keeps writing its outbox) while NATS is down; nats-py reconnects by itself
    after the first connection.
    """

    def __init__(self, url: str, namespace: Namespace, name: str = "crm") -> None:
        self.url = url
        self.namespace = namespace
        self.name = name
        self.nc: Client | None = None
        self.ready = asyncio.Event()
        # Counts reconnections (to this or another server): what was true of the broker may no longer be.
        self.reconnects = 0

    @property
    def js(self) -> JetStreamContext:
        """A JetStream context on the connection (ConnectionError before the first connect)."""
        if self.nc is None:
            raise ConnectionError("not connected to NATS")
        return self.nc.jetstream(timeout=5)

    @property
    def connected(self) -> bool:
        """True while connected (False before the first connect and while reconnecting)."""
        return self.nc is not None and self.nc.is_connected

    async def connect(self) -> None:
        """Connect, retrying with back-off until NATS answers."""
        delay = 0.2
        while self.nc is None:
            try:
                self.nc = await nats.connect(
                    self.url,
                    name=self.name,
                    connect_timeout=2,
                    reconnect_time_wait=0.5,
                    max_reconnect_attempts=-1,
                    allow_reconnect=True,
                    reconnected_cb=self._reconnected,
                )
            except (TimeoutError, OSError, nats.errors.Error) as exc:
                log.warning("nats_connect_failed", url=self.url, error=str(exc), retry_in=delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        self.ready.set()
        log.info("nats_connected", url=self.url)

    async def _reconnected(self) -> None:
        self.reconnects += 1
        log.info("nats_reconnected", url=self.url, reconnects=self.reconnects)

    async def ensure_stream(self, domain: str) -> None:
        """Create or update the domain's stream (idempotent, safe from any service)."""
        await self._ensure(
            StreamConfig(
                name=self.namespace.stream(domain),
                subjects=self.namespace.stream_subjects(domain),
                storage=StorageType.FILE,
                retention=RetentionPolicy.LIMITS,
                max_age=30 * 24 * 3600,
                duplicate_window=300,
            )
        )

    async def ensure_dead_letter_stream(self) -> None:
        """Create or update the namespace's dead-letter stream (holds `<namespace>.dlq.>`)."""
        await self._ensure(
            StreamConfig(
                name=self.namespace.dead_letter_stream,
                subjects=[f"{self.namespace.root}.dlq.>"],
                storage=StorageType.FILE,
                max_age=90 * 24 * 3600,
            )
        )

    async def _ensure(self, config: StreamConfig) -> None:
        if not self.connected:  # nats-py would buffer the request and time out: fail fast, callers retry
            raise ConnectionError("not connected to NATS")
        assert config.name, "a stream config needs a name"
        try:
            await self.js.stream_info(config.name)
        except NotFoundError:
            try:
                await self.js.add_stream(config)
                return
            except BadRequestError:  # created meanwhile by another replica
                pass
        await self.js.update_stream(config)

    async def close(self) -> None:
        """Drain and close the connection; just close it while NATS is unreachable."""
        if self.nc is None or self.nc.is_closed:
            return
        if self.nc.is_connected:
            try:
                await self.nc.drain()
                return
            except nats.errors.Error as exc:  # lost the connection while draining
                log.warning("nats_drain_failed", error=str(exc))
        # Draining needs a connection (nats-py raises while reconnecting): just close.
        await self.nc.close()
