"""Working time for process deadlines and timers: "due in 1 working day" skips weekends and public holidays."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from crm_core.business_hours import BusinessCalendar
from crm_tasks.processes.definition import Duration


class WorkCalendar(BusinessCalendar):
    """The business calendar (crm_core.business_hours) with process durations: whole working days."""

    def add(self, start: datetime, duration: Duration) -> datetime:
        """`start` moved by `duration`: working days keep the local time of day on the n-th next working day."""
        moved = start + timedelta(minutes=duration.minutes)
        if not duration.working_days:
            return moved
        local = moved.astimezone(self.zone)
        day, left = local.date(), duration.working_days
        while left:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return datetime.combine(day, local.time(), self.zone)

    def start_of_day(self, day: date, hour: int = 9) -> datetime:
        """A timer "until <date>" wakes at the start of that working day."""
        return datetime.combine(day, datetime.min.time(), self.zone) + timedelta(hours=hour)
