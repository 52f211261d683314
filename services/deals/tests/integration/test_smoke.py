"""The service starts, serves health and reflection, and ships the default pipeline and loss reasons."""

from __future__ import annotations

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from crm.common.v1 import common_pb2
from crm.deals.v1 import deals_pb2 as pb


async def test_health_is_serving(channel: grpc.aio.Channel) -> None:
    health = health_pb2_grpc.HealthStub(channel)
    response = await health.Check(health_pb2.HealthCheckRequest(service="crm.deals.v1.DealsService"))
    assert response.status == health_pb2.HealthCheckResponse.SERVING


async def test_default_sales_pipeline_and_loss_reasons_come_with_the_first_migration(alice) -> None:
    pipelines = (await alice.ListPipelines(pb.ListPipelinesRequest())).pipelines
    sales = next(p for p in pipelines if p.name_en == "Sales")
    assert [(s.name_en, s.probability, s.category) for s in sales.stages] == [
        ("Lead", 10, "open"),
        ("Qualified", 25, "open"),
        ("Proposal", 50, "open"),
        ("Negotiation", 75, "open"),
        ("Won", 100, "won"),
        ("Lost", 0, "lost"),
    ]
    reasons = (await alice.ListCodes(common_pb2.ListCodesRequest(list="loss_reasons"))).codes
    assert [r.code for r in reasons] == ["price", "competitor", "no_budget", "timing", "no_response", "other"]
    assert all(r.builtin for r in reasons)
    assert (reasons[0].label_ru, reasons[0].label_en) == ("Дорого", "Price too high")
