"""The business calendar: working days (Monday to Friday less public holidays) and working hours.

Process deadlines ("due in 1 working day", crm_tasks) and SLA targets ("first response within 4 business
hours", crm_helpdesk) count time on it. Public holidays come from the `holidays` package for a country
(Russia by default: New Year holidays, 23 February, 8 March, 1 and 9 May, 12 June, 4 November), with the days
off the government moves each year and the Saturdays worked in their place.
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
        self._years: dict[int, list[int]] = {}
        base = date(2000, 1, 1)
        self._day_minutes = (datetime.combine(base, day_end) - datetime.combine(base, day_start)).total_seconds() / 60

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday less public holidays and the days off moved onto weekdays, plus the weekend days
        worked in their place (Saturday 1 November 2025 in Russia): the country's production calendar."""
        if self.holidays is None:
            return day.weekday() < 5
        return bool(self.holidays.is_working_day(day))

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
        """Business minutes from `start` to `end` (negative when `end` is before `start`): the parts of the first
        and the last day, and the days between counted as whole working days (per-year counts, kept)."""
        if end < start:
            return -self.minutes_between(end, start)
        first, last = start.astimezone(self.zone), end.astimezone(self.zone)
        if first.date() == last.date():
            return self._within(first, last)
        total = self._within(first, self._hours(first.date())[1]) + self._within(self._hours(last.date())[0], last)
        whole = self._working_days(first.date() + timedelta(days=1), last.date())
        return total + whole * self._day_minutes

    def _within(self, begin: datetime, finish: datetime) -> float:
        """Business minutes from `begin` to `finish`, both on one local day."""
        day = begin.date()
        if not self.is_working_day(day):
            return 0.0
        opens, closes = self._hours(day)
        begin, finish = max(opens, begin), min(closes, finish)
        return max((finish - begin).total_seconds() / 60, 0.0)

    def _working_days(self, first: date, last: date) -> int:
        """Working days from `first` up to `last` (not counting it)."""
        if last <= first:
            return 0
        if first.year == last.year:
            counts = self._year(first.year)
            return counts[last.timetuple().tm_yday - 1] - counts[first.timetuple().tm_yday - 1]
        total = self._year(first.year)[-1] - self._year(first.year)[first.timetuple().tm_yday - 1]
        total += sum(self._year(year)[-1] for year in range(first.year + 1, last.year))
        return total + self._year(last.year)[last.timetuple().tm_yday - 1]

    def _year(self, year: int) -> list[int]:
        """Working days of `year` before each of its days (by day of the year, from 0), the year's total last."""
        counts = self._years.get(year)
        if counts is None:
            counts, total, day = [], 0, date(year, 1, 1)
            while day.year == year:
                counts.append(total)
                total += self.is_working_day(day)
                day += timedelta(days=1)
            counts.append(total)
            self._years[year] = counts
        return counts
