"""The money dashboard of a manager or head of sales: won against plan, pipeline, forecast against fact,
overdue payments, deals without a next step.

Every figure is over the deals the caller may see (crm_core.acl, as the list
and the board), narrowed by team and owner when asked, and summed per
currency (amounts of different currencies are never added). Periods are
calendar months and quarters in UTC around a given day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm.deals.v1 import deals_pb2 as pb
from crm_core.acl import visible_to
from crm_core.auth import Caller
from crm_core.errors import Validator
from crm_deals import domain, next_steps, plans
from crm_deals.models import Deal, Payment, Stage

PERIODS = ("month", "quarter")
NO_NEXT_STEP_SHOWN = 5
MAX_ID = 64


@dataclass(frozen=True)
class DashboardQuery:
    period: str
    day: date
    team_id: str = ""
    owner_id: str = ""


def parse_dashboard_query(request: pb.GetSalesDashboardRequest, today: date) -> DashboardQuery:
    """period month|quarter (default month), date YYYY-MM-DD (default today), team and owner ids."""
    v = Validator()
    period = request.period or "month"
    if period not in PERIODS:
        v.add("period", "not_allowed", "period must be 'month' or 'quarter'")
    day = domain.parse_date(v, request.date, "date") if request.date else today
    for name in ("team_id", "owner_id"):
        if len(getattr(request, name)) > MAX_ID:
            v.add(name, "too_long", f"{name} must be at most {MAX_ID} characters")
    v.raise_if_any()
    return DashboardQuery(period, day or today, request.team_id.strip(), request.owner_id.strip())


# --- calendar ------------------------------------------------------------------------------------


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after `month`'s (before, when negative)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_of(day: date) -> date:
    return day.replace(day=1)


def quarter_of(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def period_bounds(period: str, day: date) -> tuple[date, date]:
    """First day of the month or quarter holding `day`, and the first day after it."""
    start = month_of(day) if period == "month" else quarter_of(day)
    return start, add_months(start, 1 if period == "month" else 3)


def forecast_window(period: str, day: date) -> list[date]:
    """The months the forecast against fact covers: three either side of the month (month), or the
    quarter before to the quarter after (quarter)."""
    if period == "month":
        first, count = add_months(month_of(day), -3), 7
    else:
        first, count = add_months(quarter_of(day), -3), 9
    return [add_months(first, i) for i in range(count)]


def at_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


# --- sums ----------------------------------------------------------------------------------------


@dataclass
class Money:
    """Count, amount and weighted amount of one currency."""

    count: int = 0
    amount: Decimal = Decimal(0)
    weighted: Decimal = Decimal(0)


@dataclass
class PerCurrency:
    sums: dict[str, Money] = field(default_factory=dict)

    def add(self, currency: str, count: int, amount: Decimal, weighted: Decimal = Decimal(0)) -> None:
        money = self.sums.setdefault(currency, Money())
        money.count += count
        money.amount += amount
        money.weighted += weighted

    def messages(self) -> list[pb.MoneySum]:
        return [
            pb.MoneySum(
                currency=currency,
                count=m.count,
                amount=domain.money_text(m.amount),
                weighted_amount=domain.money_text(m.weighted),
            )
            for currency, m in sorted(self.sums.items())
        ]


def won_against_plan(won: PerCurrency, plan: dict[str, Decimal]) -> list[pb.WonFigures]:
    """Per currency of either the won deals or the plan: deals, amount won, plan ("" when none)."""
    return [
        pb.WonFigures(
            currency=currency,
            deals=won.sums.get(currency, Money()).count,
            amount=domain.money_text(won.sums.get(currency, Money()).amount),
            plan=domain.money_text(plan[currency]) if currency in plan else "",
        )
        for currency in sorted({*won.sums, *plan})
    ]


def plan_between(plan: dict[tuple[date, str], Decimal], start: date, end: date) -> dict[str, Decimal]:
    """The plan of the months in [start, end), per currency."""
    result: dict[str, Decimal] = {}
    for (month, currency), amount in plan.items():
        if start <= month < end:
            result[currency] = result.get(currency, Decimal(0)) + amount
    return result


def month_rows(
    months: Iterable[date],
    expected: dict[tuple[date, str], Money],
    won: dict[tuple[date, str], Decimal],
    plan: dict[tuple[date, str], Decimal],
) -> list[pb.MonthFigures]:
    """One row per month and currency that has any figure (expected, won or plan), months in order."""
    rows = []
    for month in months:
        currencies = {c for (m, c) in (*expected, *won, *plan) if m == month}
        for currency in sorted(currencies):
            key = (month, currency)
            e = expected.get(key, Money())
            rows.append(
                pb.MonthFigures(
                    month=month.isoformat()[:7],
                    currency=currency,
                    expected=domain.money_text(e.amount),
                    expected_weighted=domain.money_text(e.weighted),
                    won=domain.money_text(won.get(key, Decimal(0))),
                    plan=domain.money_text(plan[key]) if key in plan else "",
                )
            )
    return rows


# --- queries -------------------------------------------------------------------------------------


class Dashboard:
    """The figures of one request, read in one session as the caller."""

    def __init__(self, session: AsyncSession, caller: Caller, today: date) -> None:
        self.session = session
        self.caller = caller
        self.today = today

    def deals_of(self, q: DashboardQuery) -> list[ColumnElement[bool]]:
        clauses = [visible_to(self.caller, Deal)]
        if q.team_id:
            clauses.append(Deal.team_id == q.team_id)
        if q.owner_id:
            clauses.append(Deal.owner_id == q.owner_id)
        return clauses

    async def build(self, q: DashboardQuery) -> pb.SalesDashboard:
        months = forecast_window(q.period, q.day)
        month_start, month_end = period_bounds("month", q.day)
        quarter_start, quarter_end = period_bounds("quarter", q.day)
        first = min(months[0], quarter_start)
        last = max(add_months(months[-1], 1), quarter_end)
        visible_plans = await plans.list_plans(self.session, self.caller, first, add_months(last, -1))
        plan = plans.plan_of(visible_plans, q.team_id, q.owner_id)
        won_by_month = await self.won_by_month(q, first, last)
        pipeline, overdue, expected = await self.open_deals(q)
        dashboard = pb.SalesDashboard(
            month=self.period("month", month_start, month_end, won_by_month, plan),
            quarter=self.period("quarter", quarter_start, quarter_end, won_by_month, plan),
            pipeline=pipeline.messages(),
            overdue_deals=overdue.messages(),
            months=month_rows(months, expected, {k: m.amount for k, m in won_by_month.items()}, plan),
            overdue_payments=(await self.overdue_payments(q)).messages(),
        )
        count, first_deals = await self.without_next_step(q)
        dashboard.no_next_step_count = count
        dashboard.no_next_step.extend(first_deals)
        return dashboard

    def period(
        self,
        kind: str,
        start: date,
        end: date,
        won_by_month: dict[tuple[date, str], Money],
        plan: dict[tuple[date, str], Decimal],
    ) -> pb.PeriodFigures:
        won = PerCurrency()
        for (month, currency), money in won_by_month.items():
            if start <= month < end:
                won.add(currency, money.count, money.amount)
        return pb.PeriodFigures(
            period=kind,
            start=start.isoformat(),
            end=date.fromordinal(end.toordinal() - 1).isoformat(),
            won=won_against_plan(won, plan_between(plan, start, end)),
        )

    async def won_by_month(self, q: DashboardQuery, first: date, last: date) -> dict[tuple[date, str], Money]:
        """Won deals per month of closing and currency, over [first, last)."""
        month = func.date_trunc("month", func.timezone("UTC", Deal.closed_at)).label("month")
        query = (
            select(month, Deal.currency, func.count(), func.coalesce(func.sum(Deal.amount), 0))
            .where(
                *self.deals_of(q),
                Deal.status == "won",
                Deal.closed_at >= at_midnight(first),
                Deal.closed_at < at_midnight(last),
            )
            .group_by(month, Deal.currency)
        )
        result: dict[tuple[date, str], Money] = {}
        for at, currency, count, amount in (await self.session.execute(query)).all():
            result[(at.date(), currency)] = Money(int(count), Decimal(amount))
        return result

    async def open_deals(self, q: DashboardQuery) -> tuple[PerCurrency, PerCurrency, dict[tuple[date, str], Money]]:
        """Open deals: all (the pipeline), those past their expected close date, and the rest per close month.

        Summed per stage in SQL and weighted once per stage, as the board and the forecast do."""
        month = func.date_trunc("month", Deal.expected_close_date).label("month")
        late = (Deal.expected_close_date < self.today).label("late")
        query = (
            select(month, late, Deal.currency, Stage.probability, func.count(), func.coalesce(func.sum(Deal.amount), 0))
            .select_from(Deal)
            .join(Stage, Stage.id == Deal.stage_id)
            .where(*self.deals_of(q), Deal.status == "open")
            .group_by(month, late, Deal.currency, Deal.stage_id, Stage.probability)
        )
        pipeline, overdue = PerCurrency(), PerCurrency()
        expected: dict[tuple[date, str], Money] = {}
        for at, is_late, currency, probability, count, amount in (await self.session.execute(query)).all():
            money, weighted = Decimal(amount), domain.weighted(Decimal(amount), probability)
            pipeline.add(currency, int(count), money, weighted)
            if is_late:
                overdue.add(currency, int(count), money, weighted)
            elif at is not None:
                m = expected.setdefault((at.date(), currency), Money())
                m.count += int(count)
                m.amount += money
                m.weighted += weighted
        return pipeline, overdue, expected

    async def overdue_payments(self, q: DashboardQuery) -> PerCurrency:
        """Expected payments of visible deals past their due date, per currency."""
        query = (
            select(Payment.currency, func.count(), func.coalesce(func.sum(Payment.amount), 0))
            .join(Deal, Deal.id == Payment.deal_id)
            .where(*self.deals_of(q), Payment.status == "expected", Payment.due_date < self.today)
            .group_by(Payment.currency)
        )
        result = PerCurrency()
        for currency, count, amount in (await self.session.execute(query)).all():
            result.add(currency, int(count), Decimal(amount))
        return result

    async def without_next_step(self, q: DashboardQuery) -> tuple[int, list[pb.DealRef]]:
        """Open deals with no open task the caller may see: how many, and the oldest few."""
        where = [*self.deals_of(q), Deal.status == "open", ~next_steps.has_next_step(self.caller)]
        count = int(await self.session.scalar(select(func.count()).select_from(Deal).where(*where)) or 0)
        rows = await self.session.execute(
            select(Deal.id, Deal.title, Deal.owner_id)
            .where(*where)
            .order_by(Deal.created_at, Deal.id)
            .limit(NO_NEXT_STEP_SHOWN)
        )
        return count, [pb.DealRef(id=i, title=t, owner_id=o) for i, t, o in rows.all()]
