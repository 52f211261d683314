"""A ticket's SLA clocks: targets set when it opens, standing still while it waits, met by the first staff
reply and the resolution; its SLA state and the next moment something falls due, kept on the row.

Due times count business minutes from the opening plus the business minutes the clocks stood still
(domain.due_times), so a pause, a new policy after a priority change and a reopening all give the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from crm_core.business_hours import BusinessCalendar
from crm_helpdesk import domain
from crm_helpdesk.models import NO_DEADLINE, SlaPolicyRow, TicketRow


def first_response(row: TicketRow) -> domain.Target:
    return domain.Target(
        row.first_response_minutes,
        row.first_response_due_at,
        row.first_response_warn_at,
        row.first_response_at,
        row.first_response_warned,
        row.first_response_breached,
    )


def resolution(row: TicketRow) -> domain.Target:
    met = row.resolved_at if row.status in ("resolved", "closed") else None
    return domain.Target(
        row.resolution_minutes,
        row.resolution_due_at,
        row.resolution_warn_at,
        met,
        row.resolution_warned,
        row.resolution_breached,
    )


def target(row: TicketRow, name: str) -> domain.Target:
    return first_response(row) if name == "first_response" else resolution(row)


def sla_state(row: TicketRow, now: datetime) -> str:
    paused = row.sla_paused_at is not None
    return domain.worst([first_response(row).state(now, paused), resolution(row).state(now, paused)])


class SlaClock:
    """The SLA rules applied to ticket rows, on one business calendar."""

    def __init__(self, calendar: BusinessCalendar) -> None:
        self.calendar = calendar

    def _policy(self, row: TicketRow, policies: Sequence[SlaPolicyRow]) -> SlaPolicyRow | None:
        candidates = [domain.Policy(p.id, p.priority, p.category, p.tier, p.position) for p in policies]
        chosen = domain.choose_policy(candidates, row.priority, row.category, row.tier)
        return next((p for p in policies if chosen and p.id == chosen.id), None)

    def start(self, row: TicketRow, policies: Sequence[SlaPolicyRow], now: datetime) -> None:
        """Targets of a new ticket from the policy that matches it (none: no targets)."""
        policy = self._policy(row, policies)
        row.sla_policy_id = policy.id if policy else None
        row.first_response_minutes = policy.first_response_minutes if policy else 0
        row.resolution_minutes = policy.resolution_minutes if policy else 0
        row.warning_percent = policy.warning_percent if policy else 80
        self._schedule(row)
        self.refresh(row, now)

    def rematch(self, row: TicketRow, policies: Sequence[SlaPolicyRow], now: datetime) -> None:
        """A priority or category change: the targets of the policy matching now, counted from the opening."""
        self.start(row, policies, now)

    def _schedule(self, row: TicketRow) -> None:
        """Due and warning times of the targets not met yet."""
        for name in domain.TARGETS:
            minutes = getattr(row, f"{name}_minutes")
            if not minutes:
                due = warn = None
            else:
                times = domain.due_times(
                    self.calendar, row.created_at, minutes, row.sla_paused_minutes, row.warning_percent
                )
                due, warn = times.due_at, times.warn_at
            if name == "first_response" and row.first_response_at is not None:
                continue
            setattr(row, f"{name}_due_at", due)
            setattr(row, f"{name}_warn_at", warn)

    def follow_status(self, row: TicketRow, now: datetime) -> None:
        """Pause when the ticket waits (pending customer, resolved, closed); resume when it is worked again."""
        waiting = row.status in domain.PAUSED
        if waiting and row.sla_paused_at is None:
            row.sla_paused_at = now
        elif not waiting and row.sla_paused_at is not None:
            row.sla_paused_minutes += round(self.calendar.minutes_between(row.sla_paused_at, now))
            row.sla_paused_at = None
            self._schedule(row)
        self.refresh(row, now)

    def first_response(self, row: TicketRow, now: datetime) -> None:
        row.first_response_at = now
        self.refresh(row, now)

    def refresh(self, row: TicketRow, now: datetime) -> None:
        """The row's SLA state at `now` and when the SLA pass must look at it next."""
        row.sla_state = sla_state(row, now)
        running = [t.due_at for t in (first_response(row), resolution(row)) if t.due_at and t.met_at is None]
        row.sla_due_at = min(running, default=NO_DEADLINE)
        pending: list[datetime] = []
        if row.sla_paused_at is None:
            pending = [*first_response(row).pending(), *resolution(row).pending()]
        row.next_due_at = min(pending, default=None)
