"""Rules of the helpdesk domain, on plain data: no database, no gRPC.

Tickets move through statuses; their SLA targets (first response, resolution) fall due in business time
(crm_core.business_hours) and stand still while the ticket waits for the customer or is resolved; a queue
chooses the agent of a new ticket.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from crm_core.business_hours import BusinessCalendar

CHANNELS = ("portal", "email", "api", "phone")
PRIORITIES = ("low", "normal", "high", "urgent")
CATEGORIES = ("question", "incident", "problem", "request", "complaint")
TIERS = ("standard", "premium", "vip")
STRATEGIES = ("round_robin", "least_loaded", "manual")
MESSAGE_KINDS = ("reply", "note")
STATUSES = ("new", "open", "pending_customer", "resolved", "closed", "reopened")
# Statuses of tickets still being worked ("open_all" in list filters).
ACTIVE = ("new", "open", "pending_customer", "reopened")
# Statuses whose SLA clocks stand still.
PAUSED = ("pending_customer", "resolved", "closed")
# Where a ticket may go from each status (staff); the requester's reply moves it by REPLY_MOVES.
TRANSITIONS: Mapping[str, tuple[str, ...]] = {
    "new": ("open", "pending_customer", "resolved", "closed"),
    "open": ("pending_customer", "resolved", "closed"),
    "pending_customer": ("open", "resolved", "closed"),
    "resolved": ("reopened", "closed"),
    "closed": ("reopened",),
    "reopened": ("open", "pending_customer", "resolved", "closed"),
}
# A requester's reply: waiting on them ends, a resolved ticket comes back.
REPLY_MOVES: Mapping[str, str] = {"pending_customer": "open", "resolved": "reopened"}
# SLA states from worst to best: a ticket shows the worst of its two targets.
SLA_STATES = ("breached", "warning", "paused", "on_track", "missed", "met", "none")
TARGETS = ("first_response", "resolution")
PRIORITY_RANK = {p: i for i, p in enumerate(PRIORITIES)}


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, ())


def worst(states: Sequence[str]) -> str:
    """The worst of some target states ("none" when there are none)."""
    return min(states, key=SLA_STATES.index, default="none")


@dataclass(frozen=True)
class Target:
    """One SLA target of a ticket as stored: its length, due and warning times, when met, what was published."""

    minutes: int
    due_at: datetime | None
    warn_at: datetime | None
    met_at: datetime | None
    warned: bool
    breached: bool

    def state(self, now: datetime, paused: bool) -> str:
        """on_track, warning, breached, paused, met, missed or none, at `now`."""
        if self.due_at is None:
            return "none"
        if self.met_at is not None:
            return "missed" if self.breached or self.met_at > self.due_at else "met"
        if self.breached or (not paused and now >= self.due_at):
            return "breached"
        if paused:
            return "paused"
        if self.warned or (self.warn_at is not None and now >= self.warn_at):
            return "warning"
        return "on_track"

    def minutes_left(self, calendar: BusinessCalendar, now: datetime, paused_at: datetime | None) -> int:
        """Business minutes until due (from the pause when paused; negative once past)."""
        if self.due_at is None:
            return 0
        since = self.met_at or paused_at or now
        return round(calendar.minutes_between(since, self.due_at))

    def pending(self) -> list[datetime]:
        """Times at which something is still to be published: the warning, the breach."""
        if self.due_at is None or self.met_at is not None:
            return []
        times = [] if self.warned or self.warn_at is None else [self.warn_at]
        return times if self.breached else [*times, self.due_at]


@dataclass(frozen=True)
class Due:
    """A target's due and warning times."""

    due_at: datetime
    warn_at: datetime


def due_times(
    calendar: BusinessCalendar, opened_at: datetime, minutes: int, paused_minutes: float, warning_percent: int
) -> Due:
    """When a target of `minutes` business minutes warns and falls due, for a ticket opened at `opened_at`
    whose clocks stood still for `paused_minutes` business minutes so far."""
    return Due(
        calendar.add_minutes(opened_at, minutes + paused_minutes),
        calendar.add_minutes(opened_at, minutes * warning_percent / 100 + paused_minutes),
    )


@dataclass(frozen=True)
class Policy:
    """An SLA policy as matching needs it."""

    id: str
    priority: str
    category: str
    tier: str
    position: int


def choose_policy(policies: Sequence[Policy], priority: str, category: str, tier: str) -> Policy | None:
    """The most specific policy matching the ticket ("" matches anything): tier counts most, then category,
    then priority; among equals, the lower position."""

    def matches(p: Policy) -> bool:
        return p.priority in ("", priority) and p.category in ("", category) and p.tier in ("", tier)

    def rank(p: Policy) -> tuple[int, int]:
        specificity = 4 * bool(p.tier) + 2 * bool(p.category) + bool(p.priority)
        return (-specificity, p.position)

    candidates = sorted((p for p in policies if matches(p)), key=rank)
    return candidates[0] if candidates else None


def pick_agent(strategy: str, agents: Sequence[str], last_assigned: str, open_counts: Mapping[str, int]) -> str:
    """The agent a new ticket goes to: the one after the last (round robin) or the one with the fewest open
    tickets, earliest in the list on a tie (least loaded); "" for manual queues or no agents."""
    if not agents or strategy == "manual":
        return ""
    if strategy == "least_loaded":
        return min(agents, key=lambda a: (open_counts.get(a, 0), agents.index(a)))
    if last_assigned in agents:
        return agents[(agents.index(last_assigned) + 1) % len(agents)]
    return agents[0]


@dataclass(frozen=True)
class ServiceState:
    """What a running instance reports about itself (GetServiceInfo)."""

    schema_revision: str
    pending_events: int
