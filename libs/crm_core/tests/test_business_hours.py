"""The business calendar: business minutes added and counted across evenings, weekends and holidays."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crm_core.business_hours import BusinessCalendar

MSK = BusinessCalendar()  # Europe/Moscow, Russian holidays, 9:00-18:00


def msk(*args: int) -> datetime:
    return datetime(*args, tzinfo=MSK.zone)


def test_minutes_within_one_working_day() -> None:
    assert MSK.add_minutes(msk(2026, 12, 7, 10, 0), 30) == msk(2026, 12, 7, 10, 30)
    assert MSK.minutes_between(msk(2026, 12, 7, 10, 0), msk(2026, 12, 7, 12, 15)) == 135


def test_a_ticket_opened_at_night_starts_counting_at_nine() -> None:
    assert MSK.add_minutes(msk(2026, 12, 7, 23, 0), 60) == msk(2026, 12, 8, 10, 0)
    assert MSK.minutes_between(msk(2026, 12, 7, 19, 0), msk(2026, 12, 8, 9, 0)) == 0


def test_friday_evening_runs_into_monday() -> None:
    # Friday 11 December 2026, 17:00 + 2 business hours -> Monday 14 December, 10:00.
    assert MSK.add_minutes(msk(2026, 12, 11, 17, 0), 120) == msk(2026, 12, 14, 10, 0)
    assert MSK.minutes_between(msk(2026, 12, 11, 17, 0), msk(2026, 12, 14, 10, 0)) == 120


def test_new_year_holidays_are_not_working_time() -> None:
    # 30 December 2026 (Wednesday) 17:00 + 2 hours: 31 December (a transferred day off) and 1-8 January are
    # holidays, 9-10 January a weekend, so Monday 11 January 2027, 10:00.
    due = MSK.add_minutes(msk(2026, 12, 30, 17, 0), 120)
    assert due == msk(2027, 1, 11, 10, 0)
    assert not MSK.is_working_day(msk(2027, 1, 5).date())


def test_counting_back_is_negative_and_results_are_utc() -> None:
    start = msk(2026, 12, 7, 12, 0)
    assert MSK.minutes_between(msk(2026, 12, 7, 13, 0), start) == -60
    assert MSK.add_minutes(start, 0).tzinfo == UTC
    assert MSK.add_minutes(start, -5) == start


def test_adding_then_counting_gives_the_minutes_back() -> None:
    start = msk(2026, 12, 4, 16, 20)
    for minutes in (1, 59, 540, 541, 1620, 2700):
        assert MSK.minutes_between(start, MSK.add_minutes(start, minutes)) == pytest.approx(minutes)


def test_a_working_day_must_end_after_it_starts() -> None:
    from datetime import time

    with pytest.raises(ValueError):
        BusinessCalendar(day_start=time(18), day_end=time(9))


def _walked(calendar: BusinessCalendar, start: datetime, end: datetime) -> float:
    """Business minutes counted day by day: the plain definition the calendar's counting must agree with."""
    first, last = start.astimezone(calendar.zone), end.astimezone(calendar.zone)
    total, day = 0.0, first.date()
    while day <= last.date():
        if calendar.is_working_day(day):
            opens = datetime.combine(day, calendar.day_start, calendar.zone)
            closes = datetime.combine(day, calendar.day_end, calendar.zone)
            total += max((min(closes, last) - max(opens, first)).total_seconds() / 60, 0.0)
        day += timedelta(days=1)
    return total


@settings(max_examples=300, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2024, 11, 1), max_value=datetime(2027, 2, 1)),
    length=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=800)),
)
def test_counting_agrees_with_walking_the_days(start: datetime, length: timedelta) -> None:
    begin = start.replace(tzinfo=UTC)
    assert MSK.minutes_between(begin, begin + length) == pytest.approx(_walked(MSK, begin, begin + length))


def test_a_year_open_ticket_is_counted_in_whole_working_days() -> None:
    # 2025 in Russia's production calendar: 247 working days of 9 hours, Saturday 1 November among them (worked in
    # place of Monday 3 November); Friday 2 May was a day off moved from Saturday 4 January.
    assert MSK.minutes_between(msk(2025, 1, 1), msk(2026, 1, 1)) == 247 * 9 * 60
    assert MSK.minutes_between(msk(2025, 11, 1, 10), msk(2025, 11, 1, 12)) == 120
    assert MSK.minutes_between(msk(2025, 11, 3, 10), msk(2025, 11, 3, 12)) == 0
    assert not MSK.is_working_day(msk(2025, 5, 2).date())
