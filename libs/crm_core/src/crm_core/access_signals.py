"""Access changes announced to every process at once: "the access of user X changed".

Gateways cache a session's user for a few seconds and services cache verified
partner keys likewise, so that a request does not cost a database or identity
look-up. When an admin deactivates a user, changes their roles or teams, or a
session or key is revoked, the change is announced on
`<namespace>.identity.access_changed` and every replica drops its cached copies
at once. Core NATS rather than JetStream: a replica that misses the message
(NATS down) still drops its copies when they expire, which is why they are short.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import nats
from nats.aio.msg import Msg

from crm_core.events.bus import EventBus
from crm_core.logging import get_logger

log = get_logger("crm.access")

Listener = Callable[[str], None]


class AccessSignals:
    """Announces access changes and tells local listeners about every change announced anywhere."""

    def __init__(self, bus: EventBus) -> None:
        self.bus = bus
        self.subject = f"{bus.namespace.root}.identity.access_changed"
        self._listeners: list[Listener] = []

    def on_change(self, listener: Listener) -> None:
        """Call `listener(user_id)` on every change (from this process or another)."""
        self._listeners.append(listener)

    def _notify(self, user_id: str) -> None:
        for listener in self._listeners:
            listener(user_id)

    async def run(self) -> None:
        """Listen once NATS answers (nats-py renews the subscription after reconnects); runs until cancelled."""
        await self.bus.ready.wait()
        assert self.bus.nc is not None

        async def received(message: Msg) -> None:
            self._notify(message.data.decode(errors="replace"))

        await self.bus.nc.subscribe(self.subject, cb=received)
        await asyncio.Event().wait()

    async def announce(self, user_id: str) -> None:
        """Drop local copies now and tell every other replica (best effort: their copies expire anyway)."""
        self._notify(user_id)
        if not self.bus.connected or self.bus.nc is None:
            log.warning("access_change_not_announced", user_id=user_id, reason="NATS unreachable")
            return
        try:
            await self.bus.nc.publish(self.subject, user_id.encode())
            # The server has it before the change is answered: the other processes hear of it within
            # milliseconds of the admin's 200, not whenever the client's buffer is next written.
            await self.bus.nc.flush(timeout=1)
        except (nats.errors.Error, TimeoutError) as exc:
            log.warning("access_change_not_announced", user_id=user_id, reason=str(exc))
