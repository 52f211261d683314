"""Stage moves: history with time spent, regressions, won needs an amount, lost needs a reason, reopening."""

from __future__ import annotations

from datetime import timedelta

import grpc
from google.protobuf import field_mask_pb2

from crm.common.v1 import common_pb2
from crm.deals.v1 import deals_pb2 as pb


def move(deal: pb.Deal, stage_id: str, **fields) -> pb.MoveDealStageRequest:  # type: ignore[no-untyped-def]
    return pb.MoveDealStageRequest(deal_id=deal.id, stage_id=stage_id, **fields)


async def test_moves_are_recorded_with_who_when_and_time_in_the_previous_stage(
    alice, carol, board, time_travel
) -> None:
    deal = await board.open(alice)
    time_travel(timedelta(days=3))
    deal = await alice.MoveDealStage(move(deal, board.stage("Qualified")))
    time_travel(timedelta(days=2))
    deal = await carol.MoveDealStage(move(deal, board.stage("Proposal"), expected_version=deal.version))
    assert (deal.stage_name, deal.status, deal.version, deal.regressing) == ("Proposal", "open", 3, False)
    assert deal.distance.probability == 50
    history = (await alice.ListStageHistory(pb.ListStageHistoryRequest(deal_id=deal.id))).changes
    assert [(c.from_stage_name, c.to_stage_name, c.moved_by) for c in history] == [
        ("", "Lead", "u-alice"),
        ("Lead", "Qualified", "u-alice"),
        ("Qualified", "Proposal", "u-carol"),
    ]
    assert abs(history[1].seconds_in_previous_stage - 3 * 86400) < 60
    assert abs(history[2].seconds_in_previous_stage - 2 * 86400) < 60
    assert history[2].moved_at.ToDatetime() - history[1].moved_at.ToDatetime() >= timedelta(days=2)


async def test_moving_back_is_allowed_and_marks_a_regression_until_the_next_forward_move(alice, board) -> None:
    deal = await board.open(alice)
    deal = await alice.MoveDealStage(move(deal, board.stage("Negotiation")))
    deal = await alice.MoveDealStage(move(deal, board.stage("Qualified")))
    assert deal.regressing
    history = (await alice.ListStageHistory(pb.ListStageHistoryRequest(deal_id=deal.id))).changes
    assert [c.regression for c in history] == [False, False, True]
    regressing = await alice.ListDeals(
        pb.ListDealsRequest(filters=[*board.by_pipeline(), {"field": "regressing", "op": "eq", "value": "true"}])
    )
    assert [d.id for d in regressing.deals] == [deal.id]
    deal = await alice.MoveDealStage(move(deal, board.stage("Proposal")))
    assert not deal.regressing


async def test_won_needs_an_amount(alice, board, rejected) -> None:
    deal = await board.open(alice, amount="")
    detail = await rejected(alice.MoveDealStage(move(deal, board.stage("Won"))), grpc.StatusCode.FAILED_PRECONDITION)
    assert detail.code == "won_requires_amount"
    update = pb.UpdateDealRequest(
        deal=pb.Deal(id=deal.id, amount="99000"), update_mask=field_mask_pb2.FieldMask(paths=["amount"])
    )
    await alice.UpdateDeal(update)
    won = await alice.MoveDealStage(move(deal, board.stage("Won")))
    assert (won.status, won.amount) == ("won", "99000.00")
    assert won.closed_at.seconds and not won.HasField("distance")


async def test_lost_needs_an_active_loss_reason_and_keeps_the_comment(admin, alice, board, rejected) -> None:
    deal = await board.open(alice)
    lost = board.stage("Lost")
    detail = await rejected(alice.MoveDealStage(move(deal, lost)), grpc.StatusCode.INVALID_ARGUMENT)
    assert detail.field_violations[0].code == "loss_reason_required"
    detail = await rejected(
        alice.MoveDealStage(move(deal, lost, loss_reason="bored")), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert detail.field_violations[0].code == "unknown_loss_reason"
    detail = await rejected(
        alice.MoveDealStage(move(deal, board.stage("Qualified"), loss_reason="price")), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert detail.field_violations[0].code == "loss_reason_not_allowed"
    deal = await alice.MoveDealStage(move(deal, lost, loss_reason="competitor", comment="Выбрали ООО Вектор"))
    assert (deal.status, deal.loss_reason, deal.loss_comment) == ("lost", "competitor", "Выбрали ООО Вектор")
    history = (await alice.ListStageHistory(pb.ListStageHistoryRequest(deal_id=deal.id))).changes
    assert (history[-1].loss_reason, history[-1].comment) == ("competitor", "Выбрали ООО Вектор")


async def test_reopening_a_lost_deal_clears_the_loss_and_counts_as_a_regression(alice, board) -> None:
    deal = await board.open(alice)
    deal = await alice.MoveDealStage(move(deal, board.stage("Lost"), loss_reason="timing"))
    deal = await alice.MoveDealStage(move(deal, board.stage("Proposal")))
    assert (deal.status, deal.loss_reason, deal.regressing) == ("open", "", True)
    assert not deal.HasField("closed_at")
    audit = (await alice.ListAudit(common_pb2.ListAuditRequest(entity_id=deal.id))).entries
    assert [e.action for e in audit] == ["reopened", "lost", "created"]


async def test_bad_moves_are_clear_4xx(alice, board, rejected) -> None:
    deal = await board.open(alice)
    sales = next(p for p in (await alice.ListPipelines(pb.ListPipelinesRequest())).pipelines if p.name_en == "Sales")
    cases = [
        (move(deal, "00000000-0000-0000-0000-000000000000"), grpc.StatusCode.INVALID_ARGUMENT, "unknown_stage"),
        (move(deal, "nonsense"), grpc.StatusCode.INVALID_ARGUMENT, "unknown_stage"),
        (move(deal, sales.stages[2].id), grpc.StatusCode.INVALID_ARGUMENT, "stage_not_in_pipeline"),
        (move(deal, board.stage("Lead")), grpc.StatusCode.FAILED_PRECONDITION, "already_in_stage"),
        (move(deal, board.stage("Proposal"), expected_version=7), grpc.StatusCode.ABORTED, "version_conflict"),
    ]
    for request, status, code in cases:
        detail = await rejected(alice.MoveDealStage(request), status)
        assert code in (detail.code, *[f.code for f in detail.field_violations]), request
    unchanged = await alice.GetDeal(pb.GetDealRequest(id=deal.id))
    assert (unchanged.stage_id, unchanged.version) == (board.stage("Lead"), 1)
