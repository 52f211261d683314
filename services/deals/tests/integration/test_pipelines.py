"""Admins shape pipelines (add, rename, reorder, archive stages) without breaking the deals in them."""

from __future__ import annotations

import uuid

import grpc
from google.protobuf import field_mask_pb2

from crm.common.v1 import common_pb2
from crm.deals.v1 import deals_pb2 as pb


def mask(*paths: str) -> field_mask_pb2.FieldMask:
    return field_mask_pb2.FieldMask(paths=list(paths))


async def test_a_pipeline_without_stages_gets_the_default_ones(admin) -> None:
    pipeline = await admin.CreatePipeline(pb.CreatePipelineRequest(name=f"Повторные продажи {uuid.uuid4().hex[:4]}"))
    assert [s.name_en for s in pipeline.stages] == ["Lead", "Qualified", "Proposal", "Negotiation", "Won", "Lost"]
    assert [s.name for s in pipeline.stages][:3] == ["Новая", "Квалификация", "Коммерческое предложение"]  # ru install
    assert [s.name_ru for s in pipeline.stages] == [s.name for s in pipeline.stages]
    assert (pipeline.stale_days, pipeline.version) == (14, 1)


async def test_the_shipped_pipeline_is_named_in_both_languages_and_in_the_installation_language(alice) -> None:
    sales = next(p for p in (await alice.ListPipelines(pb.ListPipelinesRequest())).pipelines if p.name_en == "Sales")
    assert (sales.name, sales.name_ru) == ("Продажи", "Продажи")
    assert [(s.name, s.name_en) for s in sales.stages][-2:] == [("Выиграна", "Won"), ("Проиграна", "Lost")]


async def test_pipelines_and_stages_are_named_and_renamed_per_language(admin, board) -> None:
    created = await admin.CreatePipeline(
        pb.CreatePipelineRequest(
            name_ru=f"Тендеры {uuid.uuid4().hex[:4]}",
            name_en="Tenders",
            stages=[
                pb.StageSpec(name_ru="Заявка", name_en="Bid"),
                pb.StageSpec(name="Won", category="won"),
                pb.StageSpec(name_en="Lost", category="lost"),
            ],
        )
    )
    assert (created.name, created.name_en) == (created.name_ru, "Tenders")
    assert [(s.name_ru, s.name_en) for s in created.stages] == [("Заявка", "Bid"), ("Won", "Won"), ("Lost", "Lost")]
    renamed = await admin.UpdateStage(
        pb.UpdateStageRequest(
            pipeline_id=created.id,
            stage=pb.Stage(id=created.stages[1].id, name_ru="Выиграна"),
            update_mask=mask("name_ru"),
            expected_version=created.version,
        )
    )
    assert (renamed.stages[1].name, renamed.stages[1].name_ru, renamed.stages[1].name_en) == (
        "Выиграна",
        "Выиграна",
        "Won",
    )
    renamed = await admin.UpdatePipeline(
        pb.UpdatePipelineRequest(
            pipeline=pb.Pipeline(id=created.id, name_en="Public tenders"),
            update_mask=mask("name_en"),
            expected_version=renamed.version,
        )
    )
    assert (renamed.name, renamed.name_en) == (created.name_ru, "Public tenders")


async def test_stages_are_added_renamed_reordered_and_archived_while_deals_keep_their_stage(
    admin, alice, board
) -> None:
    deal = await board.open(alice)
    deal = await alice.MoveDealStage(pb.MoveDealStageRequest(deal_id=deal.id, stage_id=board.stage("Qualified")))
    pipeline = await admin.AddStage(
        pb.AddStageRequest(
            pipeline_id=board.id,
            stage=pb.StageSpec(name="Demo", probability=40, time_limit_days=5),
            position=2,
            expected_version=1,
        )
    )
    assert [s.name for s in pipeline.stages][:4] == ["Lead", "Qualified", "Demo", "Proposal"]
    assert pipeline.version == 2
    pipeline = await admin.UpdateStage(
        pb.UpdateStageRequest(
            pipeline_id=board.id,
            stage=pb.Stage(id=board.stage("Qualified"), name="Квалификация", probability=30),
            update_mask=mask("name", "probability"),
        )
    )
    stages = {s.name: s for s in pipeline.stages}
    order = [stages[n].id for n in ("Lead", "Demo", "Квалификация", "Proposal", "Negotiation", "Won", "Lost")]
    pipeline = await admin.ReorderStages(pb.ReorderStagesRequest(pipeline_id=board.id, stage_ids=order))
    assert [s.id for s in pipeline.stages] == order
    pipeline = await admin.UpdateStage(
        pb.UpdateStageRequest(
            pipeline_id=board.id,
            stage=pb.Stage(id=stages["Квалификация"].id, archived=True),
            update_mask=mask("archived"),
        )
    )
    assert [s.name for s in pipeline.stages][-1] == "Квалификация" and pipeline.stages[-1].archived
    kept = await alice.GetDeal(pb.GetDealRequest(id=deal.id))
    assert (kept.stage_name, kept.distance.probability, kept.version) == ("Квалификация", 30, deal.version)
    moved = await alice.MoveDealStage(pb.MoveDealStageRequest(deal_id=deal.id, stage_id=stages["Demo"].id))
    assert moved.stage_name == "Demo"


async def test_moving_into_an_archived_stage_is_refused(admin, alice, board, rejected) -> None:
    deal = await board.open(alice)
    await admin.UpdateStage(
        pb.UpdateStageRequest(
            pipeline_id=board.id,
            stage=pb.Stage(id=board.stage("Negotiation"), archived=True),
            update_mask=mask("archived"),
        )
    )
    detail = await rejected(
        alice.MoveDealStage(pb.MoveDealStageRequest(deal_id=deal.id, stage_id=board.stage("Negotiation"))),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    assert detail.code == "stage_archived"


async def test_bad_pipeline_changes_are_clear_4xx(admin, board, rejected) -> None:
    cases = [
        (
            admin.CreatePipeline(
                pb.CreatePipelineRequest(
                    name="Без проигрыша", stages=[pb.StageSpec(name="A"), pb.StageSpec(name="W", category="won")]
                )
            ),
            grpc.StatusCode.FAILED_PRECONDITION,
            "stages_incomplete",
        ),
        (
            admin.CreatePipeline(pb.CreatePipelineRequest(name="", stages=[])),
            grpc.StatusCode.INVALID_ARGUMENT,
            "validation_failed",
        ),
        (
            admin.CreatePipeline(
                pb.CreatePipelineRequest(
                    name="P",
                    stages=[
                        pb.StageSpec(name="A", probability=120),
                        pb.StageSpec(name="W", category="won", probability=50),
                        pb.StageSpec(name="L", category="lost"),
                    ],
                )
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
            "validation_failed",
        ),
        (
            admin.UpdateStage(
                pb.UpdateStageRequest(
                    pipeline_id=board.id,
                    stage=pb.Stage(id=board.stage("Won"), archived=True),
                    update_mask=mask("archived"),
                )
            ),
            grpc.StatusCode.FAILED_PRECONDITION,
            "stages_incomplete",
        ),
        (
            admin.UpdateStage(
                pb.UpdateStageRequest(
                    pipeline_id=board.id,
                    stage=pb.Stage(id=board.stage("Won"), probability=90),
                    update_mask=mask("probability"),
                )
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
            "validation_failed",
        ),
        (
            admin.UpdateStage(
                pb.UpdateStageRequest(
                    pipeline_id=board.id,
                    stage=pb.Stage(id=board.stage("Won"), category="lost"),
                    update_mask=mask("category"),
                )
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
            "validation_failed",
        ),
        (
            admin.ReorderStages(pb.ReorderStagesRequest(pipeline_id=board.id, stage_ids=[board.stage("Lead")])),
            grpc.StatusCode.INVALID_ARGUMENT,
            "validation_failed",
        ),
        (
            admin.UpdatePipeline(
                pb.UpdatePipelineRequest(
                    pipeline=pb.Pipeline(id=board.id, name="x"), update_mask=mask("name"), expected_version=99
                )
            ),
            grpc.StatusCode.ABORTED,
            "version_conflict",
        ),
        (
            admin.UpdatePipeline(
                pb.UpdatePipelineRequest(
                    pipeline=pb.Pipeline(id=board.id, stale_days=0), update_mask=mask("stale_days")
                )
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
            "validation_failed",
        ),
        (
            admin.GetPipeline(pb.GetPipelineRequest(id=str(uuid.uuid4()))),
            grpc.StatusCode.NOT_FOUND,
            "pipeline_not_found",
        ),
    ]
    for call, status, code in cases:
        assert (await rejected(call, status)).code == code


async def test_an_archived_pipeline_takes_no_new_deals(admin, alice, board, rejected) -> None:
    await admin.UpdatePipeline(
        pb.UpdatePipelineRequest(pipeline=pb.Pipeline(id=board.id, archived=True), update_mask=mask("archived"))
    )
    detail = await rejected(board.open(alice), grpc.StatusCode.FAILED_PRECONDITION)
    assert detail.code == "pipeline_archived"
    active = [p.id for p in (await alice.ListPipelines(pb.ListPipelinesRequest())).pipelines]
    assert board.id not in active


async def test_loss_reasons_are_managed_by_admins(admin, alice, board, rejected) -> None:
    code = f"r{uuid.uuid4().hex[:8]}"
    reason = await admin.CreateCode(
        common_pb2.CreateCodeRequest(
            list="loss_reasons", code=common_pb2.Code(code=code, label_ru="Ушли к дистрибьютору")
        )
    )
    assert (reason.code, reason.builtin, reason.label_en) == (code, False, "Ушли к дистрибьютору")
    assert (
        await rejected(
            admin.CreateCode(
                common_pb2.CreateCodeRequest(list="loss_reasons", code=common_pb2.Code(code=code, label_en="x"))
            ),
            grpc.StatusCode.ALREADY_EXISTS,
        )
    ).code == "loss_reason_exists"
    await admin.UpdateCode(
        common_pb2.UpdateCodeRequest(
            list="loss_reasons", code=common_pb2.Code(code=code, archived=True), update_mask=mask("archived")
        )
    )
    deal = await board.open(alice)
    detail = await rejected(
        alice.MoveDealStage(pb.MoveDealStageRequest(deal_id=deal.id, stage_id=board.stage("Lost"), loss_reason=code)),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert detail.field_violations[0].code == "unknown_loss_reason"
    listed = (await alice.ListCodes(common_pb2.ListCodesRequest(list="loss_reasons", include_archived=True))).codes
    assert [r.archived for r in listed if r.code == code] == [True]
