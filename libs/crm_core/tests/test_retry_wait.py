"""The wait before retrying a failed call: doubling from the first, capped, at any number of attempts."""

from datetime import timedelta

from crm_core.clock import retry_wait

FIRST, LONGEST = timedelta(seconds=30), timedelta(hours=1)


def test_the_wait_doubles_from_the_first_up_to_the_longest() -> None:
    waits = [retry_wait(n, FIRST, LONGEST).total_seconds() for n in range(0, 10)]
    assert waits == [30, 30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_an_outage_of_days_still_gives_the_longest_wait() -> None:
    # An hourly retry for a week is 168 attempts: 2 ** 167 times 30 s would overflow a timedelta.
    assert retry_wait(168, FIRST, LONGEST) == LONGEST
    assert retry_wait(10_000, timedelta(seconds=1), timedelta(minutes=30)) == timedelta(minutes=30)
