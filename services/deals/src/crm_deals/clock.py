"""The service's clock and settings: "now" is real time plus an explicit offset.

Stalled deals and overdue payments depend on time passing. Rather than
waiting days, tests shift the clock: in process with `Clock.shift`, and a
whole deals process with CRM_DEALS_CLOCK_OFFSET (an ISO 8601 duration such as
P30D or PT36H). Production leaves the offset at zero.
"""

from __future__ import annotations

from datetime import timedelta

from crm_core.clock import Clock
from crm_core.settings import ServiceSettings

__all__ = ["Clock", "DealsSettings"]


class DealsSettings(ServiceSettings):
    """ServiceSettings plus CRM_DEALS_CLOCK_OFFSET."""

    clock_offset: timedelta = timedelta(0)
