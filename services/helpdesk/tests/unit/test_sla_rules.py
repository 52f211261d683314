"""The helpdesk's rules on plain data: policy matching, agent choice, target states, due times with pauses."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from crm_core.business_hours import BusinessCalendar
from crm_helpdesk import domain
from crm_helpdesk.domain import Policy, Target, choose_policy, due_times, pick_agent

MSK = BusinessCalendar()
POLICIES = [
    Policy("any-urgent", "urgent", "", "", 10),
    Policy("normal", "normal", "", "", 30),
    Policy("vip", "", "", "vip", 0),
    Policy("complaints", "", "complaint", "", 5),
    Policy("vip-complaints", "", "complaint", "vip", 50),
]


def msk(*args: int) -> datetime:
    return datetime(*args, tzinfo=MSK.zone)


@pytest.mark.parametrize(
    ("priority", "category", "tier", "expected"),
    [
        ("urgent", "question", "standard", "any-urgent"),
        ("normal", "question", "standard", "normal"),
        ("low", "question", "standard", None),
        ("urgent", "question", "vip", "vip"),  # the tier counts most
        ("urgent", "complaint", "standard", "complaints"),  # then the category
        ("low", "complaint", "vip", "vip-complaints"),  # the most specific of all
    ],
)
def test_the_most_specific_matching_policy_wins(priority: str, category: str, tier: str, expected: str | None) -> None:
    chosen = choose_policy(POLICIES, priority, category, tier)
    assert (chosen.id if chosen else None) == expected


def test_round_robin_goes_to_the_agent_after_the_last_and_least_loaded_to_the_least_busy() -> None:
    agents = ["anna", "boris", "vera"]
    assert pick_agent("round_robin", agents, "", {}) == "anna"
    assert pick_agent("round_robin", agents, "anna", {}) == "boris"
    assert pick_agent("round_robin", agents, "vera", {}) == "anna"
    assert pick_agent("round_robin", agents, "left-the-team", {}) == "anna"
    assert pick_agent("least_loaded", agents, "", {"anna": 3, "boris": 1, "vera": 1}) == "boris"
    assert pick_agent("manual", agents, "", {}) == ""
    assert pick_agent("round_robin", [], "", {}) == ""


def test_a_target_s_state_over_time() -> None:
    due, warn = msk(2026, 12, 8, 12, 0), msk(2026, 12, 8, 11, 0)
    target = Target(60, due, warn, None, False, False)
    assert target.state(msk(2026, 12, 8, 10, 0), paused=False) == "on_track"
    assert target.state(msk(2026, 12, 8, 11, 30), paused=False) == "warning"
    assert target.state(msk(2026, 12, 8, 12, 0), paused=False) == "breached"
    assert target.state(msk(2026, 12, 8, 12, 30), paused=True) == "paused"  # not breached while waiting
    assert Target(60, due, warn, msk(2026, 12, 8, 11, 59), False, False).state(msk(2026, 12, 9), False) == "met"
    assert Target(60, due, warn, msk(2026, 12, 8, 12, 1), True, True).state(msk(2026, 12, 9), False) == "missed"
    assert Target(0, None, None, None, False, False).state(msk(2026, 12, 8), False) == "none"
    assert target.pending() == [warn, due]
    assert Target(60, due, warn, None, True, False).pending() == [due]
    assert Target(60, due, warn, None, True, True).pending() == []


def test_a_pause_moves_the_due_time_by_the_business_time_it_lasted() -> None:
    opened = msk(2026, 12, 7, 10, 0)  # Monday
    plain = due_times(MSK, opened, 240, 0, 80)
    assert plain.due_at == msk(2026, 12, 7, 14, 0) and plain.warn_at == msk(2026, 12, 7, 13, 12)
    # Waiting on the customer from 11:00 Monday to 11:00 Tuesday: a whole business day (540 minutes).
    paused = MSK.minutes_between(msk(2026, 12, 7, 11, 0), msk(2026, 12, 8, 11, 0))
    assert paused == 540
    assert due_times(MSK, opened, 240, paused, 80).due_at == msk(2026, 12, 8, 14, 0)


def test_the_worst_state_shows_and_statuses_move_only_along_the_transitions() -> None:
    assert domain.worst(["met", "breached"]) == "breached"
    assert domain.worst(["on_track", "paused"]) == "paused"
    assert domain.worst([]) == "none"
    assert domain.can_move("new", "open") and domain.can_move("resolved", "reopened")
    assert not domain.can_move("closed", "open") and not domain.can_move("resolved", "pending_customer")
    assert all(target in domain.STATUSES for moves in domain.TRANSITIONS.values() for target in moves)


def test_a_friday_evening_ticket_is_due_on_monday() -> None:
    friday = msk(2026, 12, 11, 17, 30)
    assert due_times(MSK, friday, 60, 0, 80).due_at == msk(2026, 12, 14, 9, 30)
    assert due_times(MSK, friday, 60, 0, 80).due_at - friday > timedelta(days=2)
