"""Sales plans: the money a user or a team should win in a month (set by admins, and managers for their teams).

Who sees a plan follows who sees the deals it is measured against: admins see
every plan; others the plans of their teams (the team's and its members') and
their own. Who sets one: an admin for anyone; a manager (role "manager") for a
team they are in and its members (a member's plan names the team it counts
for). A plan the caller may not see is NOT_FOUND; one they see but may not
change is PERMISSION_DENIED. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from crm.deals.v1 import deals_pb2 as pb
from crm_core import fields
from crm_core.audit import diff, record_audit
from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.db import Database, is_uuid, new_id
from crm_core.errors import PermissionDenied, Validator, not_found
from crm_core.numbers import parse_decimal
from crm_deals import domain
from crm_deals.models import SalesPlan

MANAGER_ROLE = "manager"
MAX_ID = 64


@dataclass(frozen=True)
class PlanInput:
    """PutSalesPlan, checked: a month, a user and/or a team, a positive amount in a currency."""

    month: date
    user_id: str
    team_id: str
    amount: Decimal
    currency: str


def parse_plan(request: pb.PutSalesPlanRequest) -> PlanInput:
    """Every problem at once: month (invalid_month/required), user or team (required), amount, currency."""
    v = Validator()
    month = None
    if not request.month:
        v.add("month", "required", "a plan is for a month YYYY-MM")
    elif not domain.MONTH.match(request.month):
        v.add("month", "invalid_month", "month must be a month YYYY-MM")
    else:
        month = domain.month_start(request.month, "month")
    user_id = fields.text(v, request.user_id, "user_id", MAX_ID) or ""
    team_id = fields.text(v, request.team_id, "team_id", MAX_ID) or ""
    if not user_id and not team_id:
        v.add("team_id", "required", "a plan is for a user or a team")
    amount = parse_decimal(v, request.amount, "amount")
    if amount is None and not any(p.field == "amount" for p in v.problems):
        v.add("amount", "required", "a plan needs an amount")
    currency = request.currency or domain.DEFAULT_CURRENCY
    if not domain.CURRENCY.match(currency):
        v.add("currency", "invalid_currency", "currency must be an ISO 4217 code like RUB")
    v.raise_if_any()
    assert month is not None and amount is not None
    return PlanInput(month, user_id, team_id, amount, currency)


def plans_visible_to(caller: Caller) -> ColumnElement[bool]:
    """SQL: the plans the caller may see (their teams' and their own; admins every one)."""
    if caller.is_admin:
        return true()
    clauses: list[ColumnElement[bool]] = [SalesPlan.user_id == caller.user_id]
    if caller.team_ids:
        clauses.append(SalesPlan.team_id.in_(sorted(caller.team_ids)))
    return or_(*clauses)


def may_set(caller: Caller, team_id: str) -> bool:
    """An admin sets any plan; a manager those counting for a team they are in."""
    return caller.is_admin or (MANAGER_ROLE in caller.roles and bool(team_id) and team_id in caller.team_ids)


def _check_may_set(caller: Caller, team_id: str) -> None:
    if not may_set(caller, team_id):
        raise PermissionDenied(
            "plan_not_allowed", "only an admin, or a manager for their team and its members, can set plans"
        )


def _audit_view(plan: SalesPlan) -> dict[str, str]:
    return {
        "month": plan.month.isoformat()[:7],
        "user_id": plan.user_id,
        "team_id": plan.team_id,
        "amount": domain.money_text(plan.amount),
        "currency": plan.currency,
    }


class SalesPlans:
    """Commands and reads of sales plans."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def put(self, caller: Caller, plan_input: PlanInput) -> SalesPlan:
        """Set the month's plan of the user/team (replacing the one there is), audited."""
        _check_may_set(caller, plan_input.team_id)
        now = self.clock.now()
        async with self.db.transaction() as session:
            plan = await session.scalar(
                select(SalesPlan)
                .where(
                    SalesPlan.month == plan_input.month,
                    SalesPlan.user_id == plan_input.user_id,
                    SalesPlan.team_id == plan_input.team_id,
                )
                .with_for_update()
            )
            old = _audit_view(plan) if plan is not None else {}
            if plan is None:
                plan = SalesPlan(
                    id=new_id(),
                    month=plan_input.month,
                    user_id=plan_input.user_id,
                    team_id=plan_input.team_id,
                    version=0,
                )
                session.add(plan)
            plan.amount, plan.currency = plan_input.amount, plan_input.currency
            plan.version += 1
            plan.updated_at, plan.updated_by = now, caller.user_id
            changes = diff(old, _audit_view(plan))
            record_audit(
                session,
                entity_type="sales_plan",
                entity_id=plan.id,
                action="updated" if old else "created",
                actor_id=caller.user_id,
                changes=changes,
            )
        return plan

    async def delete(self, caller: Caller, plan_id: str) -> SalesPlan:
        """Remove a plan the caller may see (else NOT_FOUND) and set (else PERMISSION_DENIED), audited."""
        async with self.db.transaction() as session:
            plan = await visible_plan(session, caller, plan_id, lock=True)
            _check_may_set(caller, plan.team_id)
            record_audit(
                session,
                entity_type="sales_plan",
                entity_id=plan.id,
                action="deleted",
                actor_id=caller.user_id,
                changes=diff(_audit_view(plan), {}),
            )
            await session.delete(plan)
        return plan


async def visible_plan(session: AsyncSession, caller: Caller, plan_id: str, *, lock: bool = False) -> SalesPlan:
    query = select(SalesPlan).where(SalesPlan.id == plan_id, plans_visible_to(caller)) if is_uuid(plan_id) else None
    plan = await session.scalar(query.with_for_update() if lock else query) if query is not None else None
    if plan is None:
        raise not_found("sales_plan", plan_id)
    return plan


async def list_plans(
    session: AsyncSession,
    caller: Caller,
    first: date | None,
    last: date | None,
    team_id: str = "",
    user_id: str = "",
) -> list[SalesPlan]:
    """Visible plans of the months first..last (inclusive, month starts), optionally of a team or a user."""
    query = select(SalesPlan).where(plans_visible_to(caller))
    if first is not None:
        query = query.where(SalesPlan.month >= first)
    if last is not None:
        query = query.where(SalesPlan.month <= last)
    if team_id:
        query = query.where(SalesPlan.team_id == team_id)
    if user_id:
        query = query.where(SalesPlan.user_id == user_id)
    query = query.order_by(SalesPlan.month, SalesPlan.team_id, SalesPlan.user_id)
    return list((await session.scalars(query)).all())


def plan_of(plans: Iterable[SalesPlan], team_id: str, owner_id: str) -> dict[tuple[date, str], Decimal]:
    """The plan per (month, currency) for a dashboard's filter.

    An owner: their plans (in the team when one is named). A team: the team's
    plan of a month, or else the sum of its members' plans. Neither: per team,
    the same, plus the plans of users outside any team.
    """
    plans = list(plans)
    if owner_id:
        chosen = [p for p in plans if p.user_id == owner_id and (not team_id or p.team_id == team_id)]
    else:
        teams = [team_id] if team_id else sorted({p.team_id for p in plans if p.team_id})
        chosen = [p for p in plans if not team_id and not p.team_id]
        for team in teams:
            in_team = [p for p in plans if p.team_id == team]
            team_months = {p.month for p in in_team if not p.user_id}
            chosen += [p for p in in_team if not p.user_id or p.month not in team_months]
    result: dict[tuple[date, str], Decimal] = {}
    for p in chosen:
        key = (p.month, p.currency)
        result[key] = result.get(key, Decimal(0)) + p.amount
    return result


def plan_message(plan: SalesPlan) -> pb.SalesPlan:
    message = pb.SalesPlan(
        id=plan.id,
        month=plan.month.isoformat()[:7],
        user_id=plan.user_id,
        team_id=plan.team_id,
        amount=domain.money_text(plan.amount),
        currency=plan.currency,
        version=plan.version,
        updated_by=plan.updated_by,
    )
    message.updated_at.FromDatetime(plan.updated_at)
    return message
