"""Stage move rules, distance to money, stalled deals, pipelines' stage sets, forecast groups."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from crm_core.errors import FailedPrecondition, InvalidArgument
from crm_deals import domain

P = "pipeline-1"
LEAD = domain.StageRef("s-lead", P, "Lead", 0, "open")
PROPOSAL = domain.StageRef("s-proposal", P, "Proposal", 2, "open")
NEGOTIATION = domain.StageRef("s-negotiation", P, "Negotiation", 3, "open")
WON = domain.StageRef("s-won", P, "Won", 4, "won")
LOST = domain.StageRef("s-lost", P, "Lost", 5, "lost")
ARCHIVED = domain.StageRef("s-old", P, "Old", 6, "open", archived=True)
ELSEWHERE = domain.StageRef("s-other", "pipeline-2", "Lead", 0, "open")
REASONS = ["price", "competitor"]


def plan(current: domain.StageRef, target: domain.StageRef | None, **kw: object) -> domain.Move:
    args: dict = {"amount": Decimal("1000"), "loss_reason": "", "comment": ""}  # type: ignore[type-arg]
    args.update(kw)
    return domain.plan_move(
        pipeline_id=P,
        current=current,
        target=target,
        target_id=target.id if target else "s-missing",
        active_loss_reasons=REASONS,
        **args,
    )


def test_forward_backward_won_lost_and_reopen_moves_say_what_they_mean() -> None:
    assert plan(LEAD, PROPOSAL) == domain.Move("deal.stage_changed", False, None, None)
    assert plan(NEGOTIATION, PROPOSAL).regression
    assert plan(NEGOTIATION, WON).event_type == "deal.won"
    lost = plan(PROPOSAL, LOST, loss_reason="price", comment="дорого")
    assert (lost.event_type, lost.loss_reason, lost.comment, lost.regression) == ("deal.lost", "price", "дорого", False)
    reopened = plan(LOST, NEGOTIATION)
    assert (reopened.event_type, reopened.regression) == ("deal.reopened", True)
    assert plan(WON, LOST, loss_reason="competitor").event_type == "deal.lost"


@pytest.mark.parametrize(
    ("target", "kw", "error", "code"),
    [
        (None, {}, InvalidArgument, "unknown_stage"),
        (ELSEWHERE, {}, InvalidArgument, "stage_not_in_pipeline"),
        (LEAD, {}, FailedPrecondition, "already_in_stage"),
        (ARCHIVED, {}, FailedPrecondition, "stage_archived"),
        (WON, {"amount": None}, FailedPrecondition, "won_requires_amount"),
        (WON, {"amount": Decimal(0)}, FailedPrecondition, "won_requires_amount"),
        (LOST, {}, InvalidArgument, "loss_reason_required"),
        (LOST, {"loss_reason": "weather"}, InvalidArgument, "unknown_loss_reason"),
        (PROPOSAL, {"loss_reason": "price"}, InvalidArgument, "loss_reason_not_allowed"),
    ],
)
def test_moves_that_break_a_rule_are_refused(target, kw, error, code) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as info:
        plan(LEAD, target, **kw)
    assert code in (info.value.code, *[f.code for f in info.value.fields])


NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def distance(**kw: object) -> domain.Distance:
    args: dict = {  # type: ignore[type-arg]
        "amount": Decimal("100000.00"),
        "probability": 50,
        "stage_entered_at": NOW - timedelta(days=3),
        "time_limit_days": 10,
        "last_activity_at": NOW - timedelta(days=1),
        "stale_days": 14,
        "now": NOW,
    }
    args.update(kw)
    return domain.distance_to_money(**args)


def test_distance_within_the_time_limit_is_the_unweighted_part_of_the_amount() -> None:
    d = distance()
    assert (d.expected_amount, d.distance, d.time_factor, d.stalled) == (
        Decimal("50000.00"),
        Decimal("50000.00"),
        Decimal(1),
        False,
    )
    assert d.days_in_stage == 3.0


def test_time_beyond_the_stage_limit_shrinks_the_expected_amount_and_stalls_the_deal() -> None:
    d = distance(stage_entered_at=NOW - timedelta(days=40))
    assert d.time_factor == Decimal("0.2500")
    assert d.expected_amount == Decimal("12500.00")
    assert d.distance == Decimal("87500.00")
    assert d.stalled_reasons == ["stage_time_limit"]


def test_no_activity_for_stale_days_stalls_a_deal_without_touching_its_money() -> None:
    d = distance(last_activity_at=NOW - timedelta(days=14, seconds=1), time_limit_days=None)
    assert d.stalled_reasons == ["no_activity"] and d.expected_amount == Decimal("50000.00")
    assert not distance(last_activity_at=NOW - timedelta(days=14)).stalled  # exactly N days is not yet stale


def test_a_deal_without_amount_is_all_distance_zero() -> None:
    d = distance(amount=None)
    assert (d.expected_amount, d.distance) == (Decimal("0.00"), Decimal("0.00"))


def test_weighted_amount_rounds_half_up() -> None:
    assert domain.weighted(Decimal("0.05"), 50) == Decimal("0.03")
    assert domain.weighted(None, 75) == Decimal("0.00")


def test_forecast_groups_and_months() -> None:
    assert domain.forecast_groups([]) == ["month"]
    assert domain.forecast_groups(["owner", "month", "owner"]) == ["owner", "month"]
    assert domain.month_start("2026-12", "from_month") == date(2026, 12, 1)
    assert domain.next_month(date(2026, 12, 1)) == date(2027, 1, 1)
    with pytest.raises(InvalidArgument):
        domain.forecast_groups(["quarter"])
    with pytest.raises(InvalidArgument):
        domain.month_start("2026-1", "to_month")
