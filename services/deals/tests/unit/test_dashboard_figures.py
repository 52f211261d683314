"""The dashboard's calendar and sums, and the plan a filter is measured against (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crm_core.auth import Caller
from crm_deals import dashboard, next_steps, plans
from crm_deals.models import SalesPlan


def plan(month: str, amount: str, *, user: str = "", team: str = "", currency: str = "RUB") -> SalesPlan:
    return SalesPlan(
        month=date.fromisoformat(f"{month}-01"), user_id=user, team_id=team, amount=Decimal(amount), currency=currency
    )


def test_periods_are_calendar_months_and_quarters() -> None:
    assert dashboard.period_bounds("month", date(2026, 12, 7)) == (date(2026, 12, 1), date(2027, 1, 1))
    assert dashboard.period_bounds("quarter", date(2026, 11, 30)) == (date(2026, 10, 1), date(2027, 1, 1))
    assert dashboard.add_months(date(2027, 1, 1), -2) == date(2026, 11, 1)


def test_the_forecast_window_is_three_months_either_side_or_a_quarter_either_side() -> None:
    months = dashboard.forecast_window("month", date(2027, 2, 14))
    assert (months[0], months[3], months[-1], len(months)) == (
        date(2026, 11, 1),
        date(2027, 2, 1),
        date(2027, 5, 1),
        7,
    )
    quarters = dashboard.forecast_window("quarter", date(2027, 2, 14))
    assert (quarters[0], quarters[-1]) == (date(2026, 10, 1), date(2027, 6, 1))


def test_a_team_is_measured_against_its_plan_or_else_the_sum_of_its_members() -> None:
    plans_ = [
        plan("2027-01", "1000", team="north"),
        plan("2027-01", "300", user="dan", team="north"),
        plan("2027-02", "300", user="dan", team="north"),
        plan("2027-02", "200", user="eve", team="north"),
        plan("2027-01", "50", user="solo"),
        plan("2027-01", "70", team="south", currency="USD"),
    ]
    jan, feb = date(2027, 1, 1), date(2027, 2, 1)
    assert plans.plan_of(plans_, "north", "") == {(jan, "RUB"): Decimal(1000), (feb, "RUB"): Decimal(500)}
    assert plans.plan_of(plans_, "", "dan") == {(jan, "RUB"): Decimal(300), (feb, "RUB"): Decimal(300)}
    assert plans.plan_of(plans_, "", "") == {
        (jan, "RUB"): Decimal(1050),
        (feb, "RUB"): Decimal(500),
        (jan, "USD"): Decimal(70),
    }


def test_won_is_listed_per_currency_of_either_the_deals_or_the_plan() -> None:
    won = dashboard.PerCurrency()
    won.add("RUB", 2, Decimal("1250000"))
    rows = dashboard.won_against_plan(won, {"USD": Decimal("10")})
    assert [(r.currency, r.deals, r.amount, r.plan) for r in rows] == [
        ("RUB", 2, "1250000.00", ""),
        ("USD", 0, "0.00", "10.00"),
    ]


def test_month_rows_keep_the_window_order_and_skip_empty_months() -> None:
    jan, feb, mar = date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1)
    rows = dashboard.month_rows(
        [jan, feb, mar],
        {(mar, "RUB"): dashboard.Money(1, Decimal(100), Decimal(10))},
        {(jan, "RUB"): Decimal(5)},
        {(mar, "RUB"): Decimal(300)},
    )
    assert [(r.month, r.expected, r.expected_weighted, r.won, r.plan) for r in rows] == [
        ("2027-01", "0.00", "0.00", "5.00", ""),
        ("2027-03", "100.00", "10.00", "0.00", "300.00"),
    ]


def test_only_admins_and_managers_of_the_team_set_plans() -> None:
    manager = Caller("u-1", frozenset({"manager"}), frozenset({"north"}))
    seller = Caller("u-2", frozenset({"sales"}), frozenset({"north"}))
    admin = Caller("u-3", frozenset({"admin"}))
    assert plans.may_set(manager, "north") and not plans.may_set(manager, "south") and not plans.may_set(manager, "")
    assert not plans.may_set(seller, "north")
    assert plans.may_set(admin, "")


def test_a_task_names_its_deals_once_among_other_links() -> None:
    assert next_steps.deal_ids_of(["party:p1", "deal:d1", "deal:d2", "deal:d1", "deal:"]) == ["d1", "d2"]
