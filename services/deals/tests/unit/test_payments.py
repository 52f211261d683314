"""Payment rules: what a payment needs, late days, discipline, a party's payment record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from crm_deals import payments


def test_late_days_and_payment_discipline() -> None:
    today = date(2026, 6, 1)
    assert payments.late_days(date(2026, 5, 1), date(2026, 5, 11), today) == 10
    assert payments.late_days(date(2026, 5, 20), date(2026, 5, 11), today) == 0
    assert payments.late_days(date(2026, 5, 25), None, today) == 7  # still expected: overdue so far
    assert payments.late_days(None, date(2026, 5, 11), today) == 0
    assert payments.payment_discipline([], []) == "unknown"
    assert payments.payment_discipline([0, 0], []) == "punctual"
    assert payments.payment_discipline([0, 15], []) == "minor_delays"
    assert payments.payment_discipline([0], [16]) == "chronic_delays"
    assert payments.payment_discipline([0], [91]) == "defaulted"


@dataclass
class Row:
    status: str
    amount: Decimal
    currency: str
    due_date: date | None
    received_on: date | None


def test_payment_summary_counts_on_time_late_overdue_and_sums_per_currency() -> None:
    today = date(2026, 6, 1)
    rows = [
        Row("received", Decimal("100.00"), "RUB", None, date(2026, 1, 10)),  # unscheduled: on time
        Row("received", Decimal("200.00"), "RUB", date(2026, 2, 1), date(2026, 1, 30)),  # early
        Row("received", Decimal("50.00"), "USD", date(2026, 3, 1), date(2026, 3, 21)),  # 20 days late
        Row("expected", Decimal("70.00"), "RUB", date(2026, 5, 27), None),  # 5 days overdue
        Row("expected", Decimal("30.00"), "RUB", date(2026, 7, 1), None),  # not due yet
    ]
    summary = payments.payment_summary(rows, today)
    assert (summary.received_count, summary.on_time, summary.late, summary.overdue) == (3, 2, 1, 1)
    assert (summary.average_late_days, summary.max_late_days) == (10.0, 20)
    assert summary.received == {"RUB": Decimal("300.00"), "USD": Decimal("50.00")}
    assert summary.outstanding == {"RUB": Decimal("100.00")}
    assert summary.discipline == "chronic_delays"
    assert payments.payment_summary([], today).discipline == "unknown"
