"""Sales plans: admins set anyone's, managers their teams' and members'; others see theirs and change none."""

from __future__ import annotations

import uuid

import grpc
import pytest
from sqlalchemy import select

from crm.deals.v1 import deals_pb2 as pb
from crm.deals.v1 import deals_pb2_grpc
from crm_core.audit import AuditEntry
from crm_core.auth import Caller
from crm_core.testing import CallerStub


@pytest.fixture
def month() -> str:
    """A month of its own per test (plans are per month, user and team; the database lives for the session)."""
    return f"{2100 + uuid.uuid4().int % 800}-{uuid.uuid4().int % 12 + 1:02d}"


@pytest.fixture
def dan(channel) -> CallerStub:
    """A salesman of team-north (no manager role)."""
    return CallerStub(
        deals_pb2_grpc.DealsServiceStub(channel), Caller("u-dan", frozenset({"sales"}), frozenset({"team-north"}))
    )


def put(month: str, amount: str, *, user: str = "", team: str = "", currency: str = "") -> pb.PutSalesPlanRequest:
    return pb.PutSalesPlanRequest(month=month, user_id=user, team_id=team, amount=amount, currency=currency)


async def test_a_manager_sets_their_team_and_its_members_plans_and_the_team_sees_them(
    alice, bob, dan, month, deals_app
) -> None:
    team = await alice.PutSalesPlan(put(month, "1000000", team="team-north"))
    member = await alice.PutSalesPlan(put(month, "400000.50", user="u-dan", team="team-north"))
    assert (team.month, team.amount, team.currency, team.version) == (month, "1000000.00", "RUB", 1)
    again = await alice.PutSalesPlan(put(month, "1200000", team="team-north"))
    assert (again.id, again.amount, again.version) == (team.id, "1200000.00", 2)

    listed = await dan.ListSalesPlans(pb.ListSalesPlansRequest(from_month=month, to_month=month))
    assert [(p.user_id, p.team_id, p.amount) for p in listed.plans] == [
        ("", "team-north", "1200000.00"),
        ("u-dan", "team-north", "400000.50"),
    ]
    assert list((await bob.ListSalesPlans(pb.ListSalesPlansRequest(from_month=month, to_month=month))).plans) == []
    async with deals_app.db.readers() as session:
        actions = (
            await session.scalars(
                select(AuditEntry.action).where(AuditEntry.entity_id == team.id).order_by(AuditEntry.id)
            )
        ).all()
    assert list(actions) == ["created", "updated"]
    assert member.id


async def test_who_may_not_set_a_plan_is_refused_and_a_hidden_plan_is_not_found(
    alice, bob, dan, admin, month, rejected
) -> None:
    detail = await rejected(dan.PutSalesPlan(put(month, "1", team="team-north")), grpc.StatusCode.PERMISSION_DENIED)
    assert detail.code == "plan_not_allowed"
    await rejected(alice.PutSalesPlan(put(month, "1", team="team-south")), grpc.StatusCode.PERMISSION_DENIED)
    await rejected(alice.PutSalesPlan(put(month, "1", user="u-bob")), grpc.StatusCode.PERMISSION_DENIED)
    north = await alice.PutSalesPlan(put(month, "5", team="team-north"))
    await rejected(dan.DeleteSalesPlan(pb.DeleteSalesPlanRequest(id=north.id)), grpc.StatusCode.PERMISSION_DENIED)
    detail = await rejected(bob.DeleteSalesPlan(pb.DeleteSalesPlanRequest(id=north.id)), grpc.StatusCode.NOT_FOUND)
    assert detail.code == "sales_plan_not_found"
    anyone = await admin.PutSalesPlan(put(month, "7", user="u-erin"))
    assert anyone.team_id == ""
    gone = await alice.DeleteSalesPlan(pb.DeleteSalesPlanRequest(id=north.id))
    assert gone.id == north.id
    await rejected(alice.DeleteSalesPlan(pb.DeleteSalesPlanRequest(id=north.id)), grpc.StatusCode.NOT_FOUND)


async def test_a_plan_reports_every_bad_field_at_once(alice, rejected) -> None:
    detail = await rejected(
        alice.PutSalesPlan(pb.PutSalesPlanRequest(month="2027-13", amount="-5", currency="rub")),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert sorted((v.field, v.code) for v in detail.field_violations) == [
        ("amount", "negative_amount"),
        ("currency", "invalid_currency"),
        ("month", "invalid_month"),
        ("team_id", "required"),
    ]
