"""Payment rules: late days, and a party's payment record and discipline (what a payment needs: inputs.py).

Works on plain values and on objects with status, amount, currency, due_date
and received_on (the payment rows); no database and no gRPC here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

STATUSES = ("expected", "received")


def late_days(due_date: date | None, received_on: date | None, today: date) -> int:
    """Days a payment was (received) or is (still expected) past its due date; 0 when on time or unscheduled."""
    if due_date is None:
        return 0
    return max(0, ((received_on or today) - due_date).days)


MINOR_DELAY_DAYS = 15
DEFAULT_AFTER_DAYS = 90


def payment_discipline(received_late_days: Sequence[int], overdue_days: Sequence[int]) -> str:
    """The contacts vocabulary, from the late days of received and of overdue expected payments.

    defaulted: an expected payment is more than 90 days overdue; punctual: all
    paid on time and nothing overdue; minor_delays: no delay over 15 days;
    chronic_delays: otherwise; unknown: nothing received or due yet.
    """
    if any(d > DEFAULT_AFTER_DAYS for d in overdue_days):
        return "defaulted"
    delays = [*received_late_days, *overdue_days]
    if not received_late_days and not overdue_days:
        return "unknown"
    if all(d == 0 for d in delays):
        return "punctual"
    if max(delays) <= MINOR_DELAY_DAYS:
        return "minor_delays"
    return "chronic_delays"


@dataclass
class PaymentSummary:
    """A party's payment record (see crm.deals.v1.PartyPaymentSummary)."""

    received_count: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    average_late_days: float = 0.0
    max_late_days: int = 0
    received: dict[str, Decimal] = field(default_factory=dict)
    outstanding: dict[str, Decimal] = field(default_factory=dict)
    discipline: str = "unknown"


def payment_summary(payments: Iterable[Any], today: date) -> PaymentSummary:
    """Sum up payments (objects with status, amount, currency, due_date, received_on) as of `today`.

    Received payments are on time when paid by their due date (or had none);
    the average late days is over received payments that had a due date.
    """
    summary = PaymentSummary()
    scheduled_delays: list[int] = []
    overdue_days: list[int] = []
    for p in payments:
        if p.status == "received":
            summary.received_count += 1
            summary.received[p.currency] = summary.received.get(p.currency, Decimal(0)) + p.amount
            late = late_days(p.due_date, p.received_on, today)
            summary.late += late > 0
            summary.on_time += late == 0
            if p.due_date is not None:
                scheduled_delays.append(late)
        else:
            summary.outstanding[p.currency] = summary.outstanding.get(p.currency, Decimal(0)) + p.amount
            late = late_days(p.due_date, None, today)
            if late:
                summary.overdue += 1
                overdue_days.append(late)
    if scheduled_delays:
        summary.average_late_days = round(sum(scheduled_delays) / len(scheduled_delays), 1)
    summary.max_late_days = max([*scheduled_delays, *overdue_days], default=0)
    summary.discipline = payment_discipline(scheduled_delays, overdue_days)
    return summary
