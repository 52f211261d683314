"""The business calendar: working days (Monday to Friday less public holidays) and working hours.

Process deadlines ("due in 1 working day", crm_tasks) and SLA targets ("first response within 4 business
hours", crm_helpdesk) count time on it. Public holidays come from the `holidays` package for a country
(Russia by default: New Year holidays, 23 February, 8 March, 1 and 9 May, 12 June, 4 November).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

# Longer than any SLA target: a walk over the calendar stops after this many days (a calendar with no
# working day at all would otherwise never end).
MAX_DAYS = 3660


class BusinessCalendar:
    """Working days of `country` (ISO code; empty: weekends only) in `time_zone`, working `day_start`-`day_end`."""

    def __init__(
        self,
        time_zone: str = "Europe/Moscow",
        country: str = "RU",
        day_start: time = time(9),
        day_end: time = time(18),
    ) -> None:
        if day_end <= day_start:
            raise ValueError("the working day must end after it starts")
        self.zone = ZoneInfo(time_zone)
        self.holidays = holidays.country_holidays(country) if country else None
        self.day_start = day_start
        self.day_end = day_end

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and (self.holidays is None or day not in self.holidays)

    def _hours(self, day: date) -> tuple[datetime, datetime]:
        return datetime.combine(day, self.day_start, self.zone), datetime.combine(day, self.day_end, self.zone)

    def add_minutes(self, start: datetime, minutes: float) -> datetime:
        """The moment `minutes` business minutes after `start` (UTC); `start` itself when `minutes` <= 0."""
        left = timedelta(minutes=max(minutes, 0))
        local = start.astimezone(self.zone)
        day = local.date()
        for _ in range(MAX_DAYS):
            if self.is_working_day(day):
                opens, closes = self._hours(day)
                begin = max(opens, local)
                if begin < closes:
                    if begin + left <= closes:
                        return (begin + left).astimezone(UTC)
                    left -= closes - begin
            day += timedelta(days=1)
        raise ValueError("the business calendar has no working time ahead")

    def minutes_between(self, start: datetime, end: datetime) -> float:
        """Business minutes from `start` to `end` (negative when `end` is before `start`)."""
        if end < start:
            return -self.minutes_between(end, start)
        first, last = start.astimezone(self.zone), end.astimezone(self.zone)
        total = timedelta(0)
        day = first.date()
        while day <= last.date():
            if self.is_working_day(day):
                opens, closes = self._hours(day)
                begin, finish = max(opens, first), min(closes, last)
                if finish > begin:
                    total += finish - begin
            day += timedelta(days=1)
        return total.total_seconds() / 60
