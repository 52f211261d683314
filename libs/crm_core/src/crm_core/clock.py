"""A service's clock: "now" is real time plus an explicit offset.

Rules that depend on time passing (overdue tasks, stalled deals) read the
clock instead of the system time, so tests shift it: in process with
`Clock.shift`, and a whole service process with CRM_<DOMAIN>_CLOCK_OFFSET
(an ISO 8601 duration such as P30D or PT36H). Production leaves it at zero.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from crm_core.db import utcnow


class Clock:
    """Real time plus `offset`; every time-dependent rule of a service reads it."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def now(self) -> datetime:
        """The current time (UTC, aware) as the service sees it."""
        return utcnow() + self.offset

    def today(self) -> date:
        """Today's date (UTC) as the service sees it."""
        return self.now().date()

    def shift(self, delta: timedelta) -> None:
        """Move the clock (tests: "a month passes")."""
        self.offset += delta


def as_utc(value: datetime) -> datetime:
    """A datetime from a request as UTC, for timestamptz columns; ValueError when UTC is out of its range.

    A value without an offset is read as UTC (asyncpg would read it in the
    server's local zone), and one like 0001-01-01T00:00+14:00 has no UTC
    equivalent (OverflowError, made a ValueError so callers report it).
    """
    try:
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    except OverflowError as exc:
        raise ValueError(f"{value.isoformat()} is out of range in UTC") from exc


# Past this many doublings every wait is the longest one (and 2 ** attempts would overflow a timedelta).
_MAX_DOUBLINGS = 60


def retry_wait(attempts: int, first: timedelta, longest: timedelta) -> timedelta:
    """How long to wait after `attempts` failed tries before the next: `first`, then doubling with each further
    failure, never more than `longest` (outbound mail, process calls, e-mail files)."""
    doublings = min(max(attempts - 1, 0), _MAX_DOUBLINGS)
    return timedelta(seconds=min(first.total_seconds() * 2.0**doublings, longest.total_seconds()))
