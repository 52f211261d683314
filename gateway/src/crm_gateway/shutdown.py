"""Graceful shutdown of the gateway: readiness turns 503 before uvicorn stops accepting.

uvicorn, on SIGTERM, stops accepting at once; a Kubernetes Service still routes new
connections to the pod until its endpoints catch up, and those would be refused. So the
signal first runs `begin_drain` (/readyz answers 503, the identity module's gRPC health
NOT_SERVING), the server keeps serving for CRM_SHUTDOWN_DRAIN_SECONDS, and only then does
uvicorn's own graceful shutdown run: stop accepting, let in-flight requests finish (at most
CRM_GATEWAY_SHUTDOWN_GRACE), then the app's lifespan shutdown. The process exits 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable, Iterator

import uvicorn

from crm_core.logging import get_logger

log = get_logger("crm.gateway")

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class DrainingServer(uvicorn.Server):
    """uvicorn.Server whose first SIGTERM/SIGINT drains before the graceful shutdown; a second one skips the wait."""

    def __init__(self, config: uvicorn.Config, begin_drain: Callable[[], Awaitable[None]], drain: float) -> None:
        super().__init__(config)
        self.begin_drain = begin_drain
        self.drain = drain
        self._draining: asyncio.Task[None] | None = None

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Handle the signals in the event loop (uvicorn's own handler stops accepting at once and re-raises
        the signal after its shutdown, which made the exit code -15)."""
        loop = asyncio.get_running_loop()
        for sig in SIGNALS:
            loop.add_signal_handler(sig, self._on_signal)
        try:
            yield
        finally:
            for sig in SIGNALS:
                loop.remove_signal_handler(sig)

    def _on_signal(self) -> None:
        if self._draining is None:
            self._draining = asyncio.ensure_future(self._drain_then_exit())
        else:
            self.should_exit = True

    async def _drain_then_exit(self) -> None:
        log.info("gateway_draining", seconds=self.drain)
        try:
            await self.begin_drain()
            await asyncio.sleep(self.drain)
        finally:
            self.should_exit = True
