"""/api/v1/sales-plans and /api/v1/dashboard/sales: plans and the money dashboard.

The dashboard's money comes from deals (GetSalesDashboard) and its overdue
tasks per manager from tasks (GetTaskCounters), both asked as the caller, so
every figure is over what the caller may see.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query, Request

from crm.deals.v1 import deals_pb2 as pb
from crm.tasks.v1 import tasks_pb2
from crm_gateway import rest
from crm_gateway.deps import Call
from crm_gateway.directory import check_user_refs, team_member_ids
from crm_gateway.schemas.sales import ManagerTasksOut, SalesDashboardOut, SalesPlanOut, SalesPlanPut, SalesPlansOut

router = APIRouter(prefix="/api/v1", tags=["sales"])
Month = Annotated[str, Query(max_length=7, description="YYYY-MM, inclusive")]
Id = Annotated[str, Query(max_length=64)]


@router.get("/sales-plans", response_model=SalesPlansOut, summary="Sales plans you may see (your teams', yours)")
async def list_plans(
    call: Call,
    from_month: Annotated[str, Query(alias="from", max_length=7, description="YYYY-MM, inclusive")] = "",
    to_month: Annotated[str, Query(alias="to", max_length=7, description="YYYY-MM, inclusive")] = "",
    team_id: Id = "",
    user_id: Id = "",
) -> SalesPlansOut:
    request = pb.ListSalesPlansRequest(from_month=from_month, to_month=to_month, team_id=team_id, user_id=user_id)
    result = await call.deals.ListSalesPlans(request)
    return SalesPlansOut(items=[rest.out(p, SalesPlanOut) for p in result.plans])


@router.put(
    "/sales-plans",
    response_model=SalesPlanOut,
    summary="Set a month's plan of a user or a team (admins: anyone; managers: their teams and members)",
)
async def put_plan(body: SalesPlanPut, call: Call, request: Request) -> SalesPlanOut:
    await check_user_refs(request, body.user_id or None, body.team_id or None, None, owner_field="user_id")
    message = pb.PutSalesPlanRequest(
        month=body.month, user_id=body.user_id, team_id=body.team_id, amount=body.amount, currency=body.currency
    )
    return rest.out(await call.deals.PutSalesPlan(message), SalesPlanOut)


@router.delete("/sales-plans/{plan_id}", response_model=SalesPlanOut, summary="Remove a plan; returns it")
async def delete_plan(plan_id: str, call: Call) -> SalesPlanOut:
    return rest.out(await call.deals.DeleteSalesPlan(pb.DeleteSalesPlanRequest(id=plan_id)), SalesPlanOut)


@router.get(
    "/dashboard/sales",
    response_model=SalesDashboardOut,
    summary="Won against plan, pipeline, forecast against fact, overdue payments and tasks, deals without a next step",
)
async def sales_dashboard(
    call: Call,
    request: Request,
    period: Annotated[str, Query(max_length=16, description="month (default) or quarter: the forecast window")] = "",
    date: Annotated[str, Query(max_length=10, description="YYYY-MM-DD the periods are around; default today")] = "",
    team_id: Id = "",
    owner_id: Id = "",
) -> SalesDashboardOut:
    money, counters = await asyncio.gather(
        call.deals.GetSalesDashboard(
            pb.GetSalesDashboardRequest(period=period, date=date, team_id=team_id, owner_id=owner_id)
        ),
        call.tasks.GetTaskCounters(tasks_pb2.GetTaskCountersRequest()),
    )
    body = rest.out(money, SalesDashboardOut)
    members = await team_member_ids(request, team_id) if team_id else None
    body.overdue_tasks = sorted(
        (
            ManagerTasksOut(user_id=u.user_id, open=u.counts.open, overdue=u.counts.overdue)
            for u in counters.users
            if (not owner_id or u.user_id == owner_id) and (members is None or u.user_id in members)
        ),
        key=lambda m: (-m.overdue, -m.open, m.user_id),
    )
    return body
