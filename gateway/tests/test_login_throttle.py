"""Failed logins against the gateway's real database: the three counts, the window, a success clearing."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crm_core.db import Database
from crm_core.testing import TestDatabases
from crm_gateway.login_throttle import LoginLimits, LoginThrottle
from crm_gateway.problems import Problem

MIGRATIONS = Path(__file__).resolve().parents[1] / "src" / "crm_gateway" / "migrations"
LIMITS = LoginLimits(per_account_address=3, per_address=5, per_account=7, window=timedelta(minutes=15))


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def db_url(test_databases: TestDatabases) -> str:
    return test_databases.create("gateway_logins", MIGRATIONS)


@pytest.fixture(scope="module")
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url, pool_size=2)
    yield database
    await database.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def throttle(db: Database, clock: Clock) -> LoginThrottle:
    return LoginThrottle(db, LIMITS, now=clock)


def fresh(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def refused(throttle: LoginThrottle, realm: str, account: str, address: str) -> Problem | None:
    try:
        await throttle.check(realm, account, address)
    except Problem as problem:
        return problem
    return None


async def test_one_account_from_one_address_is_refused_at_the_limit_until_its_oldest_failure_ages_out(
    throttle: LoginThrottle, clock: Clock
) -> None:
    account, address = fresh("ivanov"), fresh("10.0.0")
    for _ in range(3):
        assert await refused(throttle, "staff", account, address) is None
        await throttle.failed("staff", account, address)
        clock.now += timedelta(minutes=1)
    problem = await refused(throttle, "staff", account, address)
    assert problem is not None and (problem.status, problem.code) == (429, "too_many_attempts")
    # The first failure (3 minutes ago) leaves the window in 12 minutes.
    assert problem.headers == {"Retry-After": str(12 * 60)}
    # Typed otherwise, the same account; another realm or address is another count.
    assert await refused(throttle, "staff", f"  {account.upper()} ", address) is not None
    assert await refused(throttle, "portal", account, address) is None
    assert await refused(throttle, "staff", account, fresh("10.0.1")) is None
    clock.now += timedelta(minutes=12, seconds=1)
    assert await refused(throttle, "staff", account, address) is None


async def test_one_address_trying_many_accounts_is_refused(throttle: LoginThrottle) -> None:
    address = fresh("10.0.2")
    for _ in range(5):
        await throttle.failed("portal", fresh("client@example.ru"), address)
    assert await refused(throttle, "portal", fresh("another@example.ru"), address) is not None
    assert await refused(throttle, "portal", fresh("another@example.ru"), fresh("10.0.3")) is None


async def test_many_addresses_on_one_account_are_refused_at_the_higher_limit(throttle: LoginThrottle) -> None:
    account = fresh("petrova")
    for _ in range(6):
        await throttle.failed("staff", account, fresh("10.1"))
    assert await refused(throttle, "staff", account, fresh("10.1")) is None
    await throttle.failed("staff", account, fresh("10.1"))
    assert await refused(throttle, "staff", account, fresh("10.1")) is not None


async def test_a_success_clears_its_account_s_failures_from_its_address(throttle: LoginThrottle) -> None:
    account, address = fresh("sidorov"), fresh("10.0.4")
    for _ in range(2):
        await throttle.failed("staff", account, address)
    await throttle.succeeded("staff", account, address)
    for _ in range(2):
        await throttle.failed("staff", account, address)
    assert await refused(throttle, "staff", account, address) is None
