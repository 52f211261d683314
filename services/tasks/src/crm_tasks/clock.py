"""The tasks service's clock and settings.

Overdue tasks and reminders depend on time passing; tests shift the clock
(`Clock.shift` in process, CRM_TASKS_CLOCK_OFFSET for a whole process, an
ISO 8601 duration such as PT2H) instead of waiting.
"""

from __future__ import annotations

from datetime import timedelta

from crm_core.clock import Clock
from crm_core.settings import ServiceSettings

__all__ = ["Clock", "TasksSettings"]


class TasksSettings(ServiceSettings):
    """ServiceSettings plus CRM_TASKS_CLOCK_OFFSET and the scheduler's pace."""

    clock_offset: timedelta = timedelta(0)
    # Seconds between two passes of the overdue/reminder scheduler.
    scheduler_interval: float = 5.0
    # Tasks one pass claims per transaction.
    scheduler_batch: int = 100
