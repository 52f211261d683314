"""Fixtures of the crm_core tests: a database holding only the core tables, a namespace and a bus per test.

The database gets exactly what `create_core_tables` gives every service's
first revision (outbox, inbox, audit_entry), run through alembic's
operations without an alembic folder, and is dropped at the end of the run.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import create_async_engine

from crm_core.db import Database, drop_database, ensure_database
from crm_core.events import EventBus, Namespace
from crm_core.migrations import create_core_tables, create_recovery_tables
from crm_core.testing import RUN_ID, nats_test_url, postgres_base


def _create_core_tables(connection: Connection) -> None:
    with Operations.context(MigrationContext.configure(connection)):
        create_core_tables()
        create_recovery_tables()


@pytest.fixture(scope="session")
async def core_db_url() -> AsyncIterator[str]:
    """A database of this run with only the core tables."""
    url = f"{postgres_base()}/crm_t{RUN_ID}_core"
    await ensure_database(url)
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(_create_core_tables)
    await engine.dispose()
    yield url
    await drop_database(url)


@pytest.fixture
async def db(core_db_url: str) -> AsyncIterator[Database]:
    """The core database, emptied first: a relay publishes the whole outbox it finds."""
    database = Database(core_db_url)
    async with database.transaction() as session:
        await session.execute(text("TRUNCATE outbox, inbox, audit_entry"))
    yield database
    await database.dispose()


@pytest.fixture
def namespace(event_namespace: Namespace) -> Namespace:
    """A namespace per test; its streams share the run's prefix, so the run's cleanup deletes them."""
    return Namespace(f"{event_namespace.root}_{uuid.uuid4().hex[:6]}")


@pytest.fixture
async def bus(namespace: Namespace) -> AsyncIterator[EventBus]:
    """A bus connected to the machine's NATS."""
    event_bus = EventBus(nats_test_url(), namespace, name="crm-core-tests")
    await event_bus.connect()
    yield event_bus
    await event_bus.close()
