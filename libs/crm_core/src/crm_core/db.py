"""Async SQLAlchemy engine, sessions, declarative bases (crm_core's and each service's) and database creation."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg
from sqlalchemy import DateTime, MetaData
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, registry

from crm_core.logging import get_logger
from crm_core.metrics import POOLS
from crm_core.telemetry import trace_statements

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


TYPE_ANNOTATION_MAP: dict[Any, Any] = {datetime: DateTime(timezone=True)}


class Base(DeclarativeBase):
    """Declarative base of the tables crm_core itself reads and writes in every service's database.

    The outbox, inbox, relay checkpoint, answered requests, audit trail and access
    scopes are declared here once; a service's metadata holds copies of them next
    to its own tables (`service_registry`). The gateway declares its tables here too.
    """

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = TYPE_ANNOTATION_MAP


# Tables of crm_core every service's database has (migrations.create_core_tables, create_recovery_tables).
CORE_TABLES = ("outbox", "inbox", "audit_entry", "relay_checkpoint", "answered_request")


def service_registry(domain: str, *, access_scopes: bool = False) -> registry:
    """The declarative registry of one service: its own metadata, holding crm_core's tables of its database.

    Each service's database is its own, so its table names need only be unique
    within it: a service declares its tables on
    `class Base(DeclarativeBase): registry = service_registry(DOMAIN)` and its
    alembic env migrates `Base.metadata`, which lists the core tables too.
    `access_scopes`: the service keeps copies of other domains' records (crm_core.scopes).
    """
    # The modules that declare the core tables, so that they are in Base.metadata (imported here: they import this).
    from crm_core import answered, audit, scopes  # noqa: F401
    from crm_core.events import inbox, outbox, relay  # noqa: F401

    metadata = MetaData(naming_convention=NAMING, info={"domain": domain})
    for name in (*CORE_TABLES, *(("access_scope",) if access_scopes else ())):
        Base.metadata.tables[name].to_metadata(metadata)
    return registry(metadata=metadata, type_annotation_map=TYPE_ANNOTATION_MAP)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid4())


def is_uuid(value: str) -> bool:
    """True for a well-formed UUID (ids that are not are simply not found)."""
    try:
        UUID(value)
    except (ValueError, AttributeError, TypeError):
        return False
    return True


class Database:
    """An engine and a session factory for one service database.

    `unit_of_work()` makes everything a block does through this database one
    transaction: the sessions that `sessions()`, `readers()` and `transaction()`
    give inside it are that transaction's (a `transaction()` becomes a savepoint).
    A request answered once, whatever the retries (crm_core.answered), commits its
    change and its stored answer together this way.
    """

    def __init__(self, url: str, pool_size: int = 10, *, service: str = "") -> None:
        """`service`: the process it serves, labelling its pool's metrics (crm_db_pool_*)."""
        self.url = url
        # Connections are recycled rather than pinged on every checkout (a round trip per request).
        self.engine: AsyncEngine = create_async_engine(
            url, pool_size=pool_size, max_overflow=pool_size, pool_recycle=300
        )
        # Read at scrape time (crm_core.metrics.PoolCollector): no loop copies the figures.
        POOLS.register(self.engine.sync_engine.pool, service, make_url(url).database or "", pool_size)
        trace_statements(self.engine.sync_engine, make_url(url).database or "")
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # Reads need no BEGIN/ROLLBACK round trips: each statement sees committed data.
        self._readers = async_sessionmaker(
            self.engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False
        )

    def _ambient(self) -> AsyncSession | None:
        unit = _unit_of_work.get()
        return unit[1] if unit is not None and unit[0] is self else None

    def sessions(self) -> AbstractAsyncContextManager[AsyncSession]:
        """A session (in the unit of work when one is open)."""
        ambient = self._ambient()
        return _borrowed(ambient) if ambient is not None else self._sessions()

    def readers(self) -> AbstractAsyncContextManager[AsyncSession]:
        """A session for reads, each statement on its own (in the unit of work when one is open)."""
        ambient = self._ambient()
        return _borrowed(ambient) if ambient is not None else self._readers()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction: committed on success, rolled back on error."""
        ambient = self._ambient()
        if ambient is not None:
            async with ambient.begin_nested():
                yield ambient
            return
        async with self._sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """One transaction around all the block does through this database; committed when the block ends."""
        async with self._sessions() as session, session.begin():
            token = _unit_of_work.set((self, session))
            try:
                yield session
            finally:
                _unit_of_work.reset(token)

    async def dispose(self) -> None:
        await self.engine.dispose()


_unit_of_work: ContextVar[tuple[Database, AsyncSession] | None] = ContextVar("crm_unit_of_work", default=None)


@asynccontextmanager
async def _borrowed(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """The unit of work's session, not closed at the end of the block (its owner ends it)."""
    yield session


def asyncpg_connect_params(url: str, database: str) -> dict:
    u = make_url(url)
    params: dict = {"user": u.username or "postgres", "database": database}
    if u.password:
        params["password"] = u.password
    host = u.host or u.query.get("host")
    if host:
        params["host"] = host
    if u.port:
        params["port"] = u.port
    return params


async def listen(
    url: str, channel: str, notified: Callable[[], None], connected: Callable[[bool], None] = lambda _: None
) -> None:
    """Call `notified()` on every NOTIFY on `channel` (sent by committed transactions) until cancelled.

    A lost connection is opened again; `connected(False)` tells that notifications may have been missed
    meanwhile, `connected(True)` that they arrive again (whoever caches on them starts afresh).
    """
    params = asyncpg_connect_params(url, make_url(url).database or "")
    while True:
        try:
            conn = await asyncpg.connect(**params)
            try:
                await conn.add_listener(channel, lambda *_: notified())
                connected(True)
                while not conn.is_closed():
                    await asyncio.sleep(5)
            finally:
                connected(False)
                await conn.close()
        except (OSError, asyncpg.PostgresError) as exc:
            get_logger("crm.db").warning("listen_failed", channel=channel, error=str(exc))
            await asyncio.sleep(2)


async def ensure_database(url: str) -> bool:
    """Create the database named in `url` if it does not exist; True when created."""
    name = make_url(url).database
    if not name:
        raise ValueError(f"no database name in {url}")
    conn = await asyncpg.connect(**asyncpg_connect_params(url, "postgres"))
    try:
        if await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            return False
        await conn.execute(f'CREATE DATABASE "{name}"')
        return True
    finally:
        await conn.close()


async def drop_database(url: str) -> None:
    """Drop the database named in `url` (tests clean up with this)."""
    name = make_url(url).database
    conn = await asyncpg.connect(**asyncpg_connect_params(url, "postgres"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def is_outage(exc: BaseException) -> bool:
    """True when the failure is the database being unreachable, not the request or the event (a server that
    refuses new connections because it has too many is unreachable too, for now)."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, InterfaceError | OperationalError) and not is_concurrent_change(exc):
        return True
    cause = exc.__cause__ or exc.__context__
    unreachable = (
        OSError | asyncpg.PostgresConnectionError | asyncpg.CannotConnectNowError | asyncpg.TooManyConnectionsError
    )
    return isinstance(exc, unreachable) or (cause is not None and cause is not exc and is_outage(cause))


# Deadlock, serialization failure, lock not available: two transactions collided.
_CONCURRENT_CHANGE_STATES = ("40P01", "40001", "55P03")


def is_concurrent_change(exc: BaseException) -> bool:
    """True when PostgreSQL aborted the transaction for colliding with another one (worth a retry)."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in _CONCURRENT_CHANGE_STATES or (
        getattr(exc, "sqlstate", None) in _CONCURRENT_CHANGE_STATES
    )


def rows_affected(result: Any) -> int:
    """How many rows an UPDATE or DELETE touched (session.execute types its result as a plain Result)."""
    return int(getattr(result, "rowcount", 0) or 0)
