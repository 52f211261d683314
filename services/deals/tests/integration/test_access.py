"""Record-level access: a deal the caller may not see is NOT_FOUND and left out of every list, sum and summary."""

from __future__ import annotations

import grpc
from google.protobuf import field_mask_pb2

from crm.common.v1 import common_pb2
from crm.deals.v1 import deals_pb2 as pb


async def test_hidden_deal_is_not_found_everywhere(alice, bob, board, rejected) -> None:
    deal = await board.open(alice, amount="70000")
    payment = await alice.AddPayment(
        pb.AddPaymentRequest(deal_id=deal.id, status="received", amount="10", received_on="2026-01-01")
    )
    calls = [
        bob.GetDeal(pb.GetDealRequest(id=deal.id)),
        bob.UpdateDeal(
            pb.UpdateDealRequest(
                deal=pb.Deal(id=deal.id, title="x"), update_mask=field_mask_pb2.FieldMask(paths=["title"])
            )
        ),
        bob.MoveDealStage(pb.MoveDealStageRequest(deal_id=deal.id, stage_id=board.stage("Qualified"))),
        bob.ListStageHistory(pb.ListStageHistoryRequest(deal_id=deal.id)),
        bob.ListAudit(common_pb2.ListAuditRequest(entity_id=deal.id)),
        bob.AddPayment(pb.AddPaymentRequest(deal_id=deal.id, status="received", amount="1", received_on="2026-01-01")),
        bob.ReceivePayment(pb.ReceivePaymentRequest(deal_id=deal.id, payment_id=payment.id, received_on="2026-01-01")),
        bob.ListPayments(pb.ListPaymentsRequest(deal_id=deal.id)),
    ]
    for call in calls:
        detail = await rejected(call, grpc.StatusCode.NOT_FOUND)
        assert detail.code == "deal_not_found"


async def test_hidden_deals_are_absent_from_lists_kanban_forecast_and_payment_summary(alice, bob, carol, board) -> None:
    mine = await board.open(alice, amount="1000", expected_close_date="2027-05-05")
    theirs = await board.open(bob, amount="5000", expected_close_date="2027-05-06", client_id=mine.client_id)
    await bob.AddPayment(
        pb.AddPaymentRequest(deal_id=theirs.id, status="received", amount="5000", received_on="2026-01-01")
    )
    listed = await alice.ListDeals(pb.ListDealsRequest(filters=board.by_pipeline()))
    assert [d.id for d in listed.deals] == [mine.id]
    kanban = await alice.GetKanban(pb.GetKanbanRequest(pipeline_id=board.id))
    assert (kanban.count, [c.id for c in kanban.columns[0].cards]) == (1, [mine.id])
    assert [(s.amount, s.weighted_amount) for s in kanban.sums] == [("1000.00", "100.00")]
    forecast = await alice.GetForecast(pb.GetForecastRequest(pipeline_id=board.id))
    assert [(r.deals, r.amount) for r in forecast.rows] == [(1, "1000.00")]
    summary = await alice.GetPartyPaymentSummary(pb.GetPartyPaymentSummaryRequest(party_id=mine.client_id))
    assert (summary.deals, summary.payments_received, list(summary.received)) == (1, 0, [])
    # Carol shares Alice's team: she sees Alice's deal, not Bob's.
    assert [d.id for d in (await carol.ListDeals(pb.ListDealsRequest(filters=board.by_pipeline()))).deals] == [mine.id]


async def test_sharing_a_deal_grants_access_and_admins_see_everything(admin, alice, bob, board) -> None:
    deal = await board.open(alice)
    shared = await alice.UpdateDeal(
        pb.UpdateDealRequest(
            deal=pb.Deal(id=deal.id, shared_with=["u-bob"]), update_mask=field_mask_pb2.FieldMask(paths=["shared_with"])
        )
    )
    assert (await bob.GetDeal(pb.GetDealRequest(id=deal.id))).version == shared.version
    assert (await admin.GetDeal(pb.GetDealRequest(id=deal.id))).id == deal.id


async def test_putting_a_deal_into_a_foreign_team_is_denied(alice, board, rejected) -> None:
    detail = await rejected(board.open(alice, team_id="team-south"), grpc.StatusCode.PERMISSION_DENIED)
    assert detail.code == "team_not_allowed"


async def test_only_admins_change_pipelines_loss_reasons_and_custom_fields(alice, board, rejected) -> None:
    calls = [
        alice.CreatePipeline(pb.CreatePipelineRequest(name="Мой")),
        alice.UpdatePipeline(
            pb.UpdatePipelineRequest(pipeline=pb.Pipeline(id=board.id, name="x"), update_mask={"paths": ["name"]})
        ),
        alice.AddStage(pb.AddStageRequest(pipeline_id=board.id, stage=pb.StageSpec(name="x"))),
        alice.ReorderStages(pb.ReorderStagesRequest(pipeline_id=board.id)),
        alice.CreateCode(
            common_pb2.CreateCodeRequest(list="loss_reasons", code=common_pb2.Code(code="weather", label_en="Weather"))
        ),
        alice.CreateCustomField(common_pb2.CustomFieldDefinition(key="x", label="x", type="string")),
    ]
    for call in calls:
        detail = await rejected(call, grpc.StatusCode.PERMISSION_DENIED)
        assert detail.code == "admin_only"
