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
    assert (draft.names.ru, draft.names.en, draft.stale_days) == ("Продажи", "Продажи", 14)
    assert [s.category for s in draft.stages] == ["open"] * 4 + ["won", "lost"]
    assert [(s.names.ru, s.names.en) for s in draft.stages][2] == ("Коммерческое предложение", "Proposal")
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

    won = {"name": "Won", "name_ru": "Выиграна", "name_en": "Won", "probability": 100, "category": "won"}
    won |= {"time_limit_days": None, "archived": False}
    lead = {**won, "name": "Lead", "probability": 10, "category": "open"}
    assert probability(40).applied_to(lead, "ru")["probability"] == 40
    for current, value, code in [
        (won, 150, "fixed_probability"),
        (won, 90, "fixed_probability"),
        (lead, 101, "out_of_range"),
    ]:
        with pytest.raises(InvalidArgument) as info:
            probability(value).applied_to(current, "ru")
        assert problems(info) == {("stage.probability", code)}


def test_names_come_in_both_languages_one_given_serves_both_and_name_fills_a_missing_one() -> None:
    both = pipeline_inputs.parse_pipeline_draft(pb.CreatePipelineRequest(name_ru="Тендеры", name_en="Tenders"))
    assert (both.names.ru, both.names.en) == ("Тендеры", "Tenders")
    fallback = pipeline_inputs.parse_stage_draft(pb.StageSpec(name="Аудит", name_en="Audit"))
    assert (fallback.names.ru, fallback.names.en) == ("Аудит", "Audit")
    assert fallback.columns("en") == {"name": "Audit", "name_ru": "Аудит", "name_en": "Audit"} | {
        "category": "open",
        "probability": 0,
        "time_limit_days": None,
    }
    one = pipeline_inputs.parse_stage_draft(pb.StageSpec(name_en=" Audit "))
    assert (one.names.ru, one.names.en) == ("Audit", "Audit")


def test_a_rename_changes_the_languages_its_mask_names_and_name_in_the_installation_language() -> None:
    current = {"name": "Переговоры", "name_ru": "Переговоры", "name_en": "Negotiation"}

    def renamed(paths: list[str], **names: str) -> dict[str, str]:
        changes = pipeline_inputs.parse_stage_changes(
            pb.UpdateStageRequest(stage=pb.Stage(**names), update_mask=field_mask_pb2.FieldMask(paths=paths))
        )
        return changes.names.applied_to(current, "ru")

    assert renamed(["name_en"], name_en="Talks") == {"name": "Переговоры", "name_ru": "Переговоры", "name_en": "Talks"}
    assert renamed(["name"], name="Торг") == {"name": "Торг", "name_ru": "Торг", "name_en": "Торг"}
    assert renamed(["name_ru", "name_en"], name_ru="Торг") == {"name": "Торг", "name_ru": "Торг", "name_en": "Торг"}
    with pytest.raises(InvalidArgument) as info:
        renamed(["name_ru"], name_ru=" ")
    assert problems(info) == {("stage.name_ru", "required")}
