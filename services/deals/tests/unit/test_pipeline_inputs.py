"""Typed inputs of the pipeline and stage commands: each parse function's good values and every refusal."""

from __future__ import annotations

import pytest
from google.protobuf import field_mask_pb2

from crm.deals.v1 import deals_pb2 as pb
from crm_core.errors import CrmError, FailedPrecondition, InvalidArgument
from crm_deals import pipeline_inputs


def problems(info: pytest.ExceptionInfo[CrmError]) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in info.value.fields}


def test_a_pipeline_draft_takes_the_default_stages_and_stale_days() -> None:
    draft = pipeline_inputs.parse_pipeline_draft(pb.CreatePipelineRequest(name=" Продажи "))
    assert (draft.name, draft.stale_days) == ("Продажи", 14)
    assert [s.category for s in draft.stages] == ["open"] * 4 + ["won", "lost"]
    won = pipeline_inputs.parse_stage_draft(pb.StageSpec(name="Won", category="won"))
    assert (won.probability, won.time_limit_days) == (100, None)


def test_stage_specs_fix_won_and_lost_probabilities_and_bound_time_limits() -> None:
    request = pb.CreatePipelineRequest(
        name="",
        stale_days=3651,
        stages=[
            pb.StageSpec(name="Lost", category="lost", probability=20),
            pb.StageSpec(name="", category="maybe", time_limit_days=-1),
            pb.StageSpec(name="Open", probability=101),
        ],
    )
    with pytest.raises(InvalidArgument) as info:
        pipeline_inputs.parse_pipeline_draft(request)
    assert problems(info) == {
        ("name", "required"),
        ("stale_days", "out_of_range"),
        ("stages[0].probability", "fixed_probability"),
        ("stages[1].name", "required"),
        ("stages[1].category", "not_allowed"),
        ("stages[1].time_limit_days", "out_of_range"),
        ("stages[2].probability", "out_of_range"),
    }
    with pytest.raises(FailedPrecondition) as failed:
        pipeline_inputs.parse_pipeline_draft(pb.CreatePipelineRequest(name="P", stages=[pb.StageSpec(name="Only")]))
    assert failed.value.code == "stages_incomplete"


def test_pipeline_and_stage_changes_check_their_mask_and_values() -> None:
    changes = pipeline_inputs.parse_pipeline_changes(
        pb.UpdatePipelineRequest(
            pipeline=pb.Pipeline(stale_days=30), update_mask=field_mask_pb2.FieldMask(paths=["stale_days"])
        )
    )
    assert (changes.paths, changes.stale_days) == (("stale_days",), 30)
    for request, expected in [
        (
            pb.UpdatePipelineRequest(update_mask=field_mask_pb2.FieldMask(paths=["version"])),
            ("update_mask", "unknown_field"),
        ),
        (
            pb.UpdatePipelineRequest(update_mask=field_mask_pb2.FieldMask(paths=["stale_days"])),
            ("stale_days", "out_of_range"),
        ),
        (pb.UpdatePipelineRequest(update_mask=field_mask_pb2.FieldMask(paths=["name"])), ("name", "required")),
    ]:
        with pytest.raises(InvalidArgument) as info:
            pipeline_inputs.parse_pipeline_changes(request)
        assert problems(info) == {expected}
    limit = pipeline_inputs.parse_stage_changes(
        pb.UpdateStageRequest(stage=pb.Stage(), update_mask=field_mask_pb2.FieldMask(paths=["time_limit_days"]))
    )
    assert limit.time_limit_days is None  # 0 removes the limit
    for request, expected in [
        (
            pb.UpdateStageRequest(update_mask=field_mask_pb2.FieldMask(paths=["category"])),
            ("update_mask", "unknown_field"),
        ),
        (pb.UpdateStageRequest(update_mask=field_mask_pb2.FieldMask(paths=["name"])), ("stage.name", "required")),
        (
            pb.UpdateStageRequest(
                stage=pb.Stage(time_limit_days=3651), update_mask=field_mask_pb2.FieldMask(paths=["time_limit_days"])
            ),
            ("stage.time_limit_days", "out_of_range"),
        ),
    ]:
        with pytest.raises(InvalidArgument) as info:
            pipeline_inputs.parse_stage_changes(request)
        assert problems(info) == {expected}


def test_a_won_or_lost_stage_keeps_its_probability_and_an_open_one_takes_0_to_100() -> None:
    def probability(value: int) -> pipeline_inputs.StageChanges:
        return pipeline_inputs.parse_stage_changes(
            pb.UpdateStageRequest(
                stage=pb.Stage(probability=value), update_mask=field_mask_pb2.FieldMask(paths=["probability"])
            )
        )

    won = {"name": "Won", "probability": 100, "category": "won", "time_limit_days": None, "archived": False}
    lead = {**won, "name": "Lead", "probability": 10, "category": "open"}
    assert probability(40).applied_to(lead)["probability"] == 40
    for current, value, code in [
        (won, 150, "fixed_probability"),
        (won, 90, "fixed_probability"),
        (lead, 101, "out_of_range"),
    ]:
        with pytest.raises(InvalidArgument) as info:
            probability(value).applied_to(current)
        assert problems(info) == {("stage.probability", code)}
