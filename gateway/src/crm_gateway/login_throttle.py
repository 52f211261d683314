"""Failed logins slow a password guesser down, for staff and portal logins alike.

Every failed login is a row in the gateway's database (so all replicas count the same). Before a password is
checked, the failures of the last window are counted three ways: this account from this address, this address
for any account (one guesser trying many accounts), and this account from any address (many guessers on one
account, a higher bar so that somebody else cannot easily lock a user out). Over any limit the login answers
429 `too_many_attempts` with Retry-After, without looking at the password. A successful login clears its
account's failures from its address.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, Index, Text, and_, delete, func, or_, select
from sqlalchemy.orm import Mapped, mapped_column
from starlette.requests import Request

from crm_core.db import Base, Database, utcnow
from crm_gateway.client_address import client_address
from crm_gateway.problems import PROBLEM_CONTENT, Problem

# The answers of a login route besides its tokens, for the API document.
LOGIN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Wrong credentials, or a deactivated user (invalid_credentials)", "content": PROBLEM_CONTENT},
    429: {"description": "Too many failed logins; see Retry-After (too_many_attempts)", "content": PROBLEM_CONTENT},
}


class LoginFailure(Base):
    __tablename__ = "login_failure"
    __table_args__ = (
        Index("ix_login_failure_account", "realm", "account", "at"),
        Index("ix_login_failure_address", "realm", "address", "at"),
        Index("ix_login_failure_at", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    realm: Mapped[str] = mapped_column(Text)  # "staff" or "portal"
    account: Mapped[str] = mapped_column(Text)  # the username or e-mail as typed, lower-cased
    address: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)


@dataclass(frozen=True)
class LoginLimits:
    """Failures allowed within `window` before logins are refused."""

    per_account_address: int = 10
    per_address: int = 50
    per_account: int = 100
    window: timedelta = timedelta(minutes=15)


class LoginThrottle:
    def __init__(self, db: Database, limits: LoginLimits, now: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.limits = limits
        self.now = now

    async def check(self, realm: str, account: str, address: str) -> None:
        """Raise 429 too_many_attempts when the failures of the window reach a limit."""
        account = _normal(account)
        now = self.now()
        since = now - self.limits.window
        same_account = LoginFailure.account == account
        same_address = LoginFailure.address == address
        both = and_(same_account, same_address)
        counts = [
            (self.limits.per_account_address, both),
            (self.limits.per_address, same_address),
            (self.limits.per_account, same_account),
        ]
        query = select(
            *(func.count().filter(condition) for _, condition in counts),
            *(func.min(LoginFailure.at).filter(condition) for _, condition in counts),
        ).where(LoginFailure.realm == realm, LoginFailure.at > since, or_(same_account, same_address))
        async with self.db.sessions() as session:
            row = tuple((await session.execute(query)).one())
        tallies: list[int] = list(row[: len(counts)])
        oldest: list[datetime | None] = list(row[len(counts) :])
        waits = [
            first + self.limits.window - now
            for (limit, _), tally, first in zip(counts, tallies, oldest, strict=True)
            if tally >= limit and first is not None
        ]
        if waits:
            seconds = max(1, math.ceil(max(waits).total_seconds()))
            raise Problem(
                429,
                "too_many_attempts",
                f"Too many failed logins; try again in {math.ceil(seconds / 60)} min.",
                headers={"Retry-After": str(seconds)},
            )

    async def failed(self, realm: str, account: str, address: str) -> None:
        """Count a failure; failures older than the window are dropped on the way."""
        now = self.now()
        async with self.db.transaction() as session:
            await session.execute(delete(LoginFailure).where(LoginFailure.at < now - self.limits.window))
            session.add(LoginFailure(realm=realm, account=_normal(account), address=address, at=now))

    async def succeeded(self, realm: str, account: str, address: str) -> None:
        async with self.db.transaction() as session:
            await session.execute(
                delete(LoginFailure).where(
                    LoginFailure.realm == realm,
                    LoginFailure.account == _normal(account),
                    LoginFailure.address == address,
                )
            )


def _normal(account: str) -> str:
    return account.strip().casefold()[:320]


@asynccontextmanager
async def guarded_login(request: Request, realm: str, account: str) -> AsyncIterator[None]:
    """Around a login route's work: refused while throttled, a 401 invalid_credentials counted, a success clearing."""
    throttle: LoginThrottle = request.app.state.login_throttle
    address = client_address(request, request.app.state.settings.trusted_proxies)
    await throttle.check(realm, account, address)
    try:
        yield
    except Problem as problem:
        if problem.code == "invalid_credentials":
            await throttle.failed(realm, account, address)
        raise
    await throttle.succeeded(realm, account, address)
