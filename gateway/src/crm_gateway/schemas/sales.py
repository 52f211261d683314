"""Bodies of /api/v1/sales-plans and /api/v1/dashboard/sales."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from crm_gateway.schemas.common import Out, Strict

ID = 64


class SalesPlanPut(Strict):
    month: str = Field(max_length=7, description="YYYY-MM")
    user_id: str = Field("", max_length=ID, description="A user's plan (with team_id: the team it counts for)")
    team_id: str = Field("", max_length=ID, description="A team's plan (without user_id), or the member's team")
    amount: str = Field(max_length=40, description="Decimal as text, >= 0, up to 2 places")
    currency: str = Field("", max_length=3, description="ISO 4217; default RUB")


class SalesPlanOut(Out):
    id: str
    month: str
    user_id: str = ""
    team_id: str = ""
    amount: str
    currency: str
    version: int
    updated_at: datetime
    updated_by: str = ""


class SalesPlansOut(Out):
    items: list[SalesPlanOut] = []


class WonOut(Out):
    currency: str
    deals: int = 0
    amount: str
    plan: str = Field("", description="The plan of the period in this currency; empty when none is set")


class PeriodOut(Out):
    period: str
    start: str
    end: str
    won: list[WonOut] = []


class MoneySumOut(Out):
    currency: str
    count: int = 0
    amount: str
    weighted_amount: str = ""


class MonthOut(Out):
    month: str
    currency: str
    expected: str = Field(description="Open deals expected to close in the month (not past their date)")
    expected_weighted: str
    won: str
    plan: str = ""


class DealRefOut(Out):
    id: str
    title: str
    owner_id: str = ""


class ManagerTasksOut(Out):
    user_id: str
    open: int = 0
    overdue: int = 0


class SalesDashboardOut(Out):
    month: PeriodOut
    quarter: PeriodOut
    pipeline: list[MoneySumOut] = Field([], description="Open deals, weighted by their stage's probability")
    overdue_deals: list[MoneySumOut] = Field([], description="Open deals past their expected close date")
    months: list[MonthOut] = Field([], description="Forecast against fact by month")
    overdue_payments: list[MoneySumOut] = []
    no_next_step_count: int = 0
    no_next_step: list[DealRefOut] = Field([], description="The oldest few open deals without an open task")
    overdue_tasks: list[ManagerTasksOut] = Field(
        [], description="Open and overdue tasks per assignee (tasks you may see), most overdue first"
    )
