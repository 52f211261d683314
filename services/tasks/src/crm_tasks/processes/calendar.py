"""Working time for process deadlines and timers: "due in 1 working day" skips weekends and public holidays."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays

from crm_tasks.processes.definition import Duration


class WorkCalendar:
    """Monday to Friday except the public holidays of `country` (ISO code; empty: none), in `time_zone`."""

    def __init__(self, time_zone: str = "Europe/Moscow", country: str = "RU") -> None:
        self.zone = ZoneInfo(time_zone)
        self.holidays = holidays.country_holidays(country) if country else None

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and (self.holidays is None or day not in self.holidays)

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
