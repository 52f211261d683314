"""The routers' helpers: request data on its way to protobuf (numbers that do not fit, If-Match values, filters,
merge patches, custom-field masks) and responses on their way back (ETags, response models)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import Response
from google.protobuf import struct_pb2, timestamp_pb2

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2
from crm.deals.v1 import deals_pb2
from crm.tasks.v1 import processes_pb2, tasks_pb2
from crm_gateway import rest
from crm_gateway.problems import Problem
from crm_gateway.schemas.common import CustomFieldPatch
from crm_gateway.schemas.deals import DealOut, DealPatch


def refused(data: dict, message_type: type) -> tuple[int, str, list[tuple[str, str]]]:  # type: ignore[type-arg]
    with pytest.raises(Problem) as info:
        rest.to_message(data, message_type)
    return info.value.status, info.value.code, [(e["field"], e["code"]) for e in info.value.errors]


def test_an_int32_field_past_its_range_is_out_of_range_naming_it() -> None:
    assert refused({"position": 2**40, "stage": {"name": "X"}}, deals_pb2.AddStageRequest) == (
        422,
        "validation_failed",
        [("position", "out_of_range")],
    )


def test_nested_repeated_and_int64_fields_are_checked_too() -> None:
    party = {"kind": "company", "knowledge": {"season_months": [1, 2**31, -(2**31) - 1]}}
    assert refused(party, contacts_pb2.Party)[2] == [
        ("knowledge.season_months[1]", "out_of_range"),
        ("knowledge.season_months[2]", "out_of_range"),
    ]
    assert refused({"version": 2**63}, contacts_pb2.Party)[2] == [("version", "out_of_range")]
    assert refused({"stages": [{"name": "A"}, {"probability": 2**33}]}, deals_pb2.CreatePipelineRequest)[2] == [
        ("stages[1].probability", "out_of_range")
    ]


def test_numbers_a_double_cannot_hold_in_json_objects_are_refused() -> None:
    assert refused({"key": "k", "variables": {"n": 10**400, "ok": 1}}, processes_pb2.StartProcessRequest)[2] == [
        ("variables.n", "invalid_number")
    ]
    assert refused({"kind": "person", "custom_fields": {"x": [1, float("inf")]}}, contacts_pb2.Party)[2] == [
        ("custom_fields.x[1]", "invalid_number")
    ]


def test_numbers_at_the_edges_of_their_types_convert() -> None:
    request = rest.to_message({"position": 2**31 - 1, "expected_version": 2**63 - 1}, deals_pb2.AddStageRequest)
    assert (request.position, request.expected_version) == (2**31 - 1, 2**63 - 1)
    started = rest.to_message({"key": "k", "variables": {"n": 2**60, "s": "x"}}, processes_pb2.StartProcessRequest)
    assert started.variables["s"] == "x"


def test_times_without_an_offset_or_outside_a_timestamp_s_years_are_named() -> None:
    party = {"knowledge": {"refusal_reasons": [{"code": "x", "occurred_at": "2026-01-01T00:00:00"}]}}
    assert refused(party, contacts_pb2.Party)[2] == [("knowledge.refusal_reasons[0].occurred_at", "invalid_datetime")]
    for due in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-14:00"):
        assert refused({"due_at": due}, tasks_pb2.Task)[2] == [("due_at", "out_of_range")]
    assert rest.to_message({"due_at": "2026-12-01T10:00:00+03:00"}, tasks_pb2.Task).due_at.seconds > 0


def test_a_value_protobuf_cannot_parse_is_422_not_an_exception() -> None:
    assert refused({"position": "many"}, deals_pb2.AddStageRequest)[:2] == (422, "validation_failed")


@pytest.mark.parametrize("value", ['"1"', "1", 'W/"42"', f'"{2**63 - 1}"'])
def test_if_match_takes_versions_this_api_returns(value: str) -> None:
    assert rest.expected_version(value) == int(value.removeprefix("W/").strip('"'))


@pytest.mark.parametrize("value", [None, "", "*", " * "])
def test_absent_or_star_if_match_means_no_check(value: str | None) -> None:
    assert rest.expected_version(value) == 0


@pytest.mark.parametrize(
    "value", ['"' + "9" * 30 + '"', f'"{2**63}"', '"-1"', '"0"', '"³"', '"1.0"', "yesterday", '"1", "2"']
)
def test_if_match_no_version_could_have_is_400_invalid_if_match(value: str) -> None:
    with pytest.raises(Problem) as info:
        rest.expected_version(value)
    assert (info.value.status, info.value.code) == (400, "invalid_if_match")


def test_filters_are_field_op_value_and_the_value_may_hold_colons() -> None:
    filters = rest.parse_filters(["industry:eq:Retail", "tags:in:vip,key", "note:contains:10:30", "company.inn:exists"])
    assert [(f.field, f.op, f.value) for f in filters] == [
        ("industry", "eq", "Retail"),
        ("tags", "in", "vip,key"),
        ("note", "contains", "10:30"),
        ("company.inn", "exists", "true"),
    ]


@pytest.mark.parametrize("bad", ["industry", "industry:eq", ":eq:Retail", "industry::Retail", ""])
def test_a_filter_without_field_op_and_value_is_422_naming_its_position(bad: str) -> None:
    with pytest.raises(Problem) as info:
        rest.parse_filters(["industry:eq:Retail", bad])
    assert (info.value.status, info.value.code) == (422, "invalid_filter")
    assert info.value.errors == [{"field": "filter[1]", "code": "invalid_filter", "message": bad}]


def _timestamp(text: str) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(datetime.fromisoformat(text))
    return stamp


def _deal() -> deals_pb2.Deal:
    at = _timestamp("2026-03-01T09:30:00+00:00")
    custom = struct_pb2.Struct()
    custom.update({"budget": 150000, "region": "Казань"})
    return deals_pb2.Deal(
        id="d-1",
        title="Поставка",
        pipeline_id="p-1",
        stage_id="s-1",
        status="open",
        client_id="c-1",
        owner_id="u-1",
        currency="RUB",
        amount="1500.00",
        custom_fields=custom,
        stage_entered_at=at,
        last_activity_at=at,
        created_at=at,
        updated_at=at,
        version=7,
    )


def test_a_versioned_resource_carries_its_version_as_the_etag() -> None:
    response = Response()
    deal = rest.versioned(_deal(), DealOut, response)
    assert response.headers["ETag"] == '"7"'
    assert (deal.id, deal.version, deal.amount) == ("d-1", 7, "1500.00")


def test_a_response_model_gets_every_field_defaults_and_json_objects_included() -> None:
    deal = rest.out(_deal(), DealOut)
    assert deal.contact_ids == [] and deal.loss_reason == ""
    assert deal.custom_fields == {"budget": 150000, "region": "Казань"}
    assert deal.created_at == datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def test_a_body_leaves_fields_it_does_not_send_unset() -> None:
    deal = rest.body_message(DealPatch(title="Поставка", amount=None), deals_pb2.Deal)
    assert deal.title == "Поставка"
    assert [field.name for field, _ in deal.ListFields()] == ["title"]


def test_merge_patch_replaces_fields_clears_nulls_and_merges_named_objects() -> None:
    patch, paths = rest.merge_patch(
        {
            "title": "Новая",
            "owner_id": None,
            "source": {"channel": "web"},
            "custom_fields": {"budget": 1, "old": None},
            "company": {"legal_name": "ООО Ромашка", "inn": None},
        }
    )
    assert patch == {
        "title": "Новая",
        "source": {"channel": "web"},
        "custom_fields": {"budget": 1},
        "company": {"legal_name": "ООО Ромашка"},
    }
    assert sorted(paths) == [
        "company.inn",
        "company.legal_name",
        "custom_fields.budget",
        "custom_fields.old",
        "owner_id",
        "source",
        "title",
    ]


def test_merge_patch_goes_as_deep_as_the_named_objects() -> None:
    patch, paths = rest.merge_patch({"knowledge": {"purchase_volume": {"amount": "10", "period": None}}})
    assert patch == {"knowledge": {"purchase_volume": {"amount": "10"}}}
    assert sorted(paths) == ["knowledge.purchase_volume.amount", "knowledge.purchase_volume.period"]


def test_merge_patch_of_an_empty_object_changes_nothing_and_null_clears_the_whole_object() -> None:
    assert rest.merge_patch({"company": {}}) == ({}, [])
    assert rest.merge_patch({"custom_fields": {}}) == ({"custom_fields": {}}, [])
    assert rest.merge_patch({"company": None}) == ({}, ["company"])


def test_a_custom_field_patch_is_masked_to_the_fields_it_sends() -> None:
    request = rest.custom_field_update("f-1", CustomFieldPatch(label="Бюджет", required=True))
    assert isinstance(request, common_pb2.UpdateCustomFieldRequest)
    assert (request.field.id, request.field.label, request.field.required) == ("f-1", "Бюджет", True)
    assert list(request.update_mask.paths) == ["label", "required"]
