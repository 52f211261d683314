"""Request data on its way to protobuf: numbers that do not fit their fields and If-Match values are refused."""

from __future__ import annotations

import pytest

from crm.contacts.v1 import contacts_pb2
from crm.deals.v1 import deals_pb2
from crm.tasks.v1 import processes_pb2, tasks_pb2
from crm_gateway import rest
from crm_gateway.problems import Problem


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
