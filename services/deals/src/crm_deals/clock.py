"""The service's clock and settings: "now" is real time plus an explicit offset.

Stalled deals and overdue payments depend on time passing. Rather than
waiting days, tests shift the clock: in process with `Clock.shift`, and a
whole deals process with CRM_DEALS_CLOCK_OFFSET (an ISO 8601 duration such as
P30D or PT36H). Production leaves the offset at zero.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from crm_core.db import utcnow
from crm_core.settings import ServiceSettings


class Clock:
    """Real time plus `offset`; every time-dependent rule of the service reads it."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return utcnow() + self.offset

    def today(self) -> date:
        return self.now().date()

    def shift(self, delta: timedelta) -> None:
        """Move the clock (tests: "a month passes")."""
        self.offset += delta


class DealsSettings(ServiceSettings):
    """ServiceSettings plus CRM_DEALS_CLOCK_OFFSET."""

    clock_offset: timedelta = timedelta(0)
