"""The definitions each trigger event starts, kept in memory while no definition changes.

A trigger event would otherwise query process_definition once more, though
definitions change a few times a month. Every change (a publication, an
activation) sends NOTIFY on CHANNEL in its transaction, which PostgreSQL
delivers on commit; every replica listens and forgets what it knew when one
arrives. While the listening connection is down, or before it is up, nothing
is kept: a notification may have been missed, so each event queries again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.db import Database, listen
from crm_tasks.processes.repository import triggered_definitions

CHANNEL = "crm_process_definitions"


@dataclass(frozen=True)
class TriggeredDefinition:
    """A newest active version an event starts: what starting an instance of it needs."""

    id: str
    key: str
    version: int
    created_at: datetime


async def definitions_changed(session: AsyncSession) -> None:
    """Tell every replica, once the caller's transaction commits, that its cached triggers are stale."""
    await session.execute(text(f"NOTIFY {CHANNEL}"))


class TriggerCache:
    def __init__(self) -> None:
        self._by_event: dict[str, list[TriggeredDefinition]] = {}
        self._listening = False
        # Counts invalidations, so that a lookup overtaken by one does not store what it read before it.
        self._generation = 0

    async def triggered(self, session: AsyncSession, event_type: str) -> list[TriggeredDefinition]:
        """Newest active versions whose trigger is `event_type`."""
        cached = self._by_event.get(event_type)
        if cached is not None:
            return cached
        generation = self._generation
        rows = [
            TriggeredDefinition(r.id, r.key, r.version, r.created_at)
            for r in await triggered_definitions(session, event_type)
        ]
        if self._listening and generation == self._generation:
            self._by_event[event_type] = rows
        return rows

    @property
    def listening(self) -> bool:
        """Whether changes are being notified, so that what was read is kept."""
        return self._listening

    def invalidate(self) -> None:
        """Forget every event's definitions (a definition changed)."""
        self._generation += 1
        self._by_event.clear()

    def _connected(self, listening: bool) -> None:
        self.invalidate()
        self._listening = listening

    async def listen(self, db: Database) -> None:
        """Keep the cache while notified of definition changes (a background task, until cancelled)."""
        await listen(db.url, CHANNEL, self.invalidate, self._connected)
