"""The money dashboard: won against plan, pipeline, overdue deals and payments, no next step; as the caller sees."""

from __future__ import annotations

import uuid
from datetime import timedelta

import grpc
import pytest

from crm.deals.v1 import deals_pb2 as pb
from crm.deals.v1 import deals_pb2_grpc
from crm_core.auth import Caller
from crm_core.testing import CallerStub


@pytest.fixture
def people(channel):
    """A manager and a salesman of a team of their own, and an outsider."""
    team = f"team-{uuid.uuid4().hex[:8]}"

    def stub(user: str, role: str, teams: set[str]) -> CallerStub:
        caller = Caller(f"u-{user}-{team}", frozenset({role}), frozenset(teams))
        return CallerStub(deals_pb2_grpc.DealsServiceStub(channel), caller)

    return team, stub("head", "manager", {team}), stub("sam", "sales", set()), stub("out", "sales", set())


async def test_the_dashboard_counts_what_the_caller_sees(people, board, admin, clock) -> None:
    team, head, sam, _ = people
    today = clock.today()
    won = await board.open(head, amount="100000", team_id=team)
    await head.MoveDealStage(pb.MoveDealStageRequest(deal_id=won.id, stage_id=board.stage("Won")))
    await head.AddPayment(
        pb.AddPaymentRequest(
            deal_id=won.id, status="expected", amount="60000", due_date=(today - timedelta(days=3)).isoformat()
        )
    )
    ahead = (today + timedelta(days=40)).isoformat()
    proposal = await board.open(head, amount="200000", team_id=team, expected_close_date=ahead)
    await head.MoveDealStage(pb.MoveDealStageRequest(deal_id=proposal.id, stage_id=board.stage("Proposal")))
    late = await board.open(
        head, amount="50000", team_id=team, expected_close_date=(today - timedelta(days=10)).isoformat()
    )
    await board.open(sam, amount="30000")  # sam's own, outside the team: the head does not see it
    hidden = f"team-{uuid.uuid4().hex[:8]}"
    await board.open(admin, amount="999999", team_id=hidden, owner_id="u-nobody")
    await head.PutSalesPlan(pb.PutSalesPlanRequest(month=today.isoformat()[:7], team_id=team, amount="500000"))

    figures = await head.GetSalesDashboard(pb.GetSalesDashboardRequest(team_id=team))
    assert [(w.currency, w.deals, w.amount, w.plan) for w in figures.month.won] == [
        ("RUB", 1, "100000.00", "500000.00")
    ]
    assert figures.month.start == today.replace(day=1).isoformat()
    assert [(w.deals, w.amount) for w in figures.quarter.won] == [(1, "100000.00")]
    # Proposal 50% of 200 000 + Lead 10% of 50 000.
    assert [(p.count, p.amount, p.weighted_amount) for p in figures.pipeline] == [(2, "250000.00", "105000.00")]
    assert [(p.count, p.amount) for p in figures.overdue_deals] == [(1, "50000.00")]
    assert [(p.count, p.amount) for p in figures.overdue_payments] == [(1, "60000.00")]
    assert figures.no_next_step_count == 2
    assert {d.id for d in figures.no_next_step} == {proposal.id, late.id}
    this_month = [m for m in figures.months if m.month == today.isoformat()[:7]]
    assert [(m.won, m.plan) for m in this_month] == [("100000.00", "500000.00")]
    expected = {m.month: m.expected for m in figures.months if m.expected != "0.00"}
    assert expected == {ahead[:7]: "200000.00"}  # the overdue deal is not in its month's money

    everything = await head.GetSalesDashboard(pb.GetSalesDashboardRequest())
    assert [(p.count, p.amount) for p in everything.pipeline] == [(2, "250000.00")]
    own = await sam.GetSalesDashboard(pb.GetSalesDashboardRequest(period="quarter"))
    assert [(p.count, p.amount) for p in own.pipeline] == [(1, "30000.00")]
    assert list(own.month.won) == [] and own.no_next_step_count == 1


async def test_the_dashboard_refuses_a_bad_period_and_date(alice, rejected) -> None:
    detail = await rejected(
        alice.GetSalesDashboard(pb.GetSalesDashboardRequest(period="year", date="2027-02-30")),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert sorted((v.field, v.code) for v in detail.field_violations) == [
        ("date", "invalid_date"),
        ("period", "not_allowed"),
    ]
