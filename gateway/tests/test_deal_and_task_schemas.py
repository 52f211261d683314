"""The deals' and tasks' REST schemas check shape only: the services' rules decide every value.

Links are the exception: the gateway checks that the caller sees what a task links.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from crm_gateway.problems import Problem
from crm_gateway.routers.tasks import _check_link
from crm_gateway.schemas.deals import DealCreate, PaymentCreate, PipelineCreate, PipelinePatch, StageAdd, StagePatch
from crm_gateway.schemas.tasks import TaskCreate, TaskPatch

DEAL = {"title": "Поставка", "client_id": "5b8a1c1e-0e5e-4c1c-9b7a-6f0f3c2a9d11"}
TASK = {"type": "call", "subject": "Перезвонить"}


@pytest.mark.parametrize(
    ("model", "body"),
    [
        # Valid and invalid alike: the service answers with its own code (out_of_range, too_long, ...).
        (StageAdd, {"name": "X", "probability": 101, "category": "maybe", "time_limit_days": 0}),
        (StagePatch, {"probability": -1, "time_limit_days": 3651}),
        (PipelineCreate, {"name": "P", "stale_days": 0}),
        (PipelinePatch, {"stale_days": 0}),
        (DealCreate, {**DEAL, "currency": "RUBL", "amount": "1.005"}),
        (
            DealCreate,
            {**DEAL, "lines": [{"product": "A", "quantity": "1", "price": "1", "discount_percent": "12.3456789"}]},
        ),
        (DealCreate, {**DEAL, "expected_close_date": "2026-07-01T10:00"}),
        (PaymentCreate, {"status": "soon", "amount": "0", "due_date": "31.12.2026"}),
        (TaskCreate, {**TASK, "duration_minutes": 0, "priority": "asap", "remind_before_minutes": 10081}),
        (TaskPatch, {"duration_minutes": -1, "links": [{"kind": "invoice", "id": "x"}]}),
    ],
)
def test_values_reach_the_service_whatever_their_content(model: type[BaseModel], body: dict[str, Any]) -> None:
    model.model_validate(body)


@pytest.mark.parametrize(
    ("model", "body", "where"),
    [
        (DealCreate, {**DEAL, "title": "x" * 301}, ("title",)),
        (DealCreate, {**DEAL, "amount": 1500}, ("amount",)),
        (StageAdd, {"name": "X", "probability": "50"}, ("probability",)),
        (TaskCreate, {**TASK, "priority": 1}, ("priority",)),
        (TaskCreate, {"type": "call"}, ("subject",)),
    ],
)
def test_shape_is_still_checked_with_lengths_as_a_sanity_bound(
    model: type[BaseModel], body: dict[str, Any], where: tuple[str, ...]
) -> None:
    with pytest.raises(ValidationError) as info:
        model.model_validate(body)
    assert [e["loc"] for e in info.value.errors()] == [where]


class _Marketing:
    """marketing.GetLead as a caller sees it: only `visible` is there."""

    def __init__(self, visible: str) -> None:
        self.visible = visible
        self.asked: list[str] = []

    async def GetLead(self, request: Any) -> Any:
        self.asked.append(request.id)
        if request.id != self.visible:
            raise Problem(404, "lead_not_found", "no such lead")
        return request


async def test_a_task_links_only_a_lead_its_caller_sees() -> None:
    call = SimpleNamespace(marketing=_Marketing(visible="lead-seen"))
    await _check_link(call, "lead", "lead-seen", "links[0].id")  # type: ignore[arg-type]
    with pytest.raises(Problem) as refused:
        await _check_link(call, "lead", "lead-hidden", "links[1].id")  # type: ignore[arg-type]
    assert refused.value.status == 422
    assert [(e["field"], e["code"]) for e in refused.value.errors] == [("links[1].id", "lead_not_found")]
    assert call.marketing.asked == ["lead-seen", "lead-hidden"]
    assert TaskCreate.model_validate({**TASK, "links": [{"kind": "lead", "id": "l-1"}]}).links
