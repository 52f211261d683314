"""The definitions trigger events start are cached per replica and forgotten when any replica changes one."""

from __future__ import annotations

import asyncio
import contextlib
import uuid

from crm_core.auth import SYSTEM
from crm_core.clock import Clock
from crm_core.db import Database
from crm_core.events import Namespace
from crm_core.testing import eventually
from crm_tasks.processes.calendar import WorkCalendar
from crm_tasks.processes.commands import Processes, publish_definition
from crm_tasks.processes.engine import ProcessEngine
from crm_tasks.processes.trigger_cache import TriggerCache


async def test_a_definition_published_or_turned_off_elsewhere_reaches_the_cached_triggers(tasks_db_url) -> None:
    db, cache = Database(tasks_db_url), TriggerCache()
    key = f"p-{uuid.uuid4().hex[:10]}"
    source = f"key: {key}\nname: Paid\ntrigger:\n  event: payment.received\nsteps:\n  - {{id: done, type: end}}\n"
    # Another replica: its own engine and cache, the same database.
    elsewhere = Processes(db, ProcessEngine(Namespace("t"), Clock(), WorkCalendar("Europe/Moscow", "RU")), Clock())

    async def cached_keys() -> set[str]:
        async with db.transaction() as session:
            return {row.key for row in await cache.triggered(session, "payment.received")}

    async def cached(present: bool) -> bool:
        return (key in await cached_keys()) is present

    listener = asyncio.create_task(cache.listen(db))
    try:
        await eventually(lambda: cache.listening)
        assert await cached(False)  # read once, then kept
        await publish_definition(db, SYSTEM, source, "yaml", Clock().now())
        await eventually(lambda: cached(True))
        await elsewhere.set_active(SYSTEM, key, False)
        await eventually(lambda: cached(False))
    finally:
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listener
        await db.dispose()
