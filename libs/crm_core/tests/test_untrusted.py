"""Bad text and deep documents, found without recursing: JSON text scans, parsed documents, protobuf messages."""

from __future__ import annotations

import json

import pytest
from google.protobuf import json_format, struct_pb2

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2
from crm.tasks.v1 import processes_pb2
from crm_core.untrusted import (
    MAX_DEPTH,
    TooDeep,
    TooLarge,
    bad_text_paths,
    document_problems,
    has_bad_text,
    message_problems,
    scan_json,
)


@pytest.mark.parametrize("text", ["a\x00b", "\ud800", "x\udfff", "\x00"])
def test_nul_and_lone_surrogates_are_bad_text(text: str) -> None:
    assert has_bad_text(text)


@pytest.mark.parametrize("text", ["", "Ромашка", "😀", "\\u0000", "tab\tnew\nline"])
def test_ordinary_text_is_not_bad(text: str) -> None:
    assert not has_bad_text(text)


def nested(depth: int, opener: str = "[", closer: str = "]") -> str:
    return opener * depth + closer * depth


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 200, 100_000])
def test_json_nested_deeper_than_the_limit_is_too_deep(depth: int) -> None:
    assert scan_json(nested(depth)).too_deep
    assert scan_json('{"a":' * depth + "1" + "}" * depth).too_deep


def test_json_at_the_limit_is_not_too_deep_and_parses() -> None:
    text = nested(MAX_DEPTH)
    assert not scan_json(text).too_deep
    json.loads(text)


def test_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps({"note": "[" * 500, "escaped": '\\"[[[[' + "{" * 100})
    assert not scan_json(text).too_deep


def test_a_quote_escaped_inside_a_string_does_not_end_it() -> None:
    assert not scan_json('["\\"' + "[" * 100 + '"]').too_deep
    assert scan_json('["\\\\", ' + nested(100) + "]").too_deep  # an escaped backslash does end it


def test_unbalanced_closers_never_hide_openers() -> None:
    assert scan_json("]]]]" + nested(MAX_DEPTH + 1)).too_deep


@pytest.mark.parametrize("text", ['{"a": NaN}', "[Infinity]", "[-Infinity]"])
def test_nan_and_infinity_outside_strings_are_not_standard_json(text: str) -> None:
    assert scan_json(text).non_standard


def test_nan_and_infinity_inside_strings_are_text() -> None:
    assert not scan_json('{"a": "NaN", "Infinity": 1}').non_standard


@pytest.mark.parametrize("text", ['"\\u0000"', '"\\ud800"', '"\\uDFFF"', '"\\ud83d\\ude00"'])
def test_escapes_that_may_be_bad_text_ask_for_a_look(text: str) -> None:
    assert scan_json(text).bad_escapes


@pytest.mark.parametrize("text", ['"plain"', '"\\u0041"', '"\\u00e9"'])
def test_other_escapes_need_no_look(text: str) -> None:
    assert not scan_json(text).bad_escapes


def test_bad_text_is_named_by_path_in_values_and_keys_at_any_depth() -> None:
    document = json.loads(
        '{"company": {"legal_name": "a\\u0000"}, "custom_fields": {"x\\u0000": 1, "y": "\\ud800"},'
        ' "items": [{}, {}, {"name": "\\u0000"}], "ok": "\\ud83d\\ude00", "escaped": "\\\\u0000"}'
    )
    assert sorted(bad_text_paths(document)) == [
        "company.legal_name",
        "custom_fields.x\\u0000",
        "custom_fields.y",
        "items[2].name",
    ]


def test_a_parsed_document_deeper_than_the_limit_is_refused() -> None:
    deep: list = []
    inner = deep
    for _ in range(MAX_DEPTH):
        inner.append([])
        inner = inner[0]
    with pytest.raises(TooDeep):
        bad_text_paths(deep)
    assert bad_text_paths(deep[0]) == []


def test_a_document_that_contains_itself_is_too_deep_not_endless() -> None:
    loop: list = []
    loop.append(loop)  # what YAML's `&a [*a]` gives
    with pytest.raises(TooDeep):
        document_problems(loop)


def test_a_document_of_too_many_nodes_is_too_large() -> None:
    layer: list = ["x"] * 10
    for _ in range(5):
        layer = [layer] * 10  # aliases: small text, a million nodes expanded
    with pytest.raises(TooLarge):
        document_problems(layer)


def test_document_problems_name_bad_text_and_numbers_json_cannot_hold() -> None:
    problems = document_problems({"a": float("nan"), "b": [1, 10**400, float("-inf")], "c": "\x00", "d": 1.5})
    assert sorted((p.field, p.code) for p in problems) == [
        ("a", "invalid_number"),
        ("b[1]", "invalid_number"),
        ("b[2]", "invalid_number"),
        ("c", "invalid_text"),
    ]


def test_message_walk_names_strings_in_nested_repeated_map_and_struct_fields() -> None:
    party = json_format.ParseDict(
        {
            "display_name": "ok",
            "company": {"legal_name": "a\x00", "bank_accounts": [{}, {"bank_name": "\x00"}]},
            "tags": ["fine", "b\x00"],
            "custom_fields": {"x": "\x00", "y\x00": 1, "z": [1, {"deep": "\x00"}]},
        },
        contacts_pb2.Party(),
    )
    assert sorted(p.field for p in message_problems(party)) == [
        "company.bank_accounts[1].bank_name",
        "company.legal_name",
        "custom_fields.x",
        "custom_fields.y\\u0000",
        "custom_fields.z[1].deep",
        "tags[1]",
    ]
    assert {p.code for p in message_problems(party)} == {"invalid_text"}


def test_message_walk_reads_map_fields_and_repeated_messages() -> None:
    request = common_pb2.ListAuditRequest(entity_id="\x00")
    assert [p.field for p in message_problems(request)] == ["entity_id"]
    filters = contacts_pb2.ListPartiesRequest(filters=[common_pb2.Filter(field="tags", op="eq", value="a\x00")])
    assert [p.field for p in message_problems(filters)] == ["filters[0].value"]


def test_message_walk_refuses_numbers_json_cannot_hold_in_structs() -> None:
    request = processes_pb2.StartProcessRequest(key="k")
    request.variables.update({"a": 1.0})
    request.variables["b"] = float("nan")
    assert [(p.field, p.code) for p in message_problems(request)] == [("variables.b", "invalid_number")]


def test_clean_messages_have_no_problems() -> None:
    value = struct_pb2.Struct()
    value.update({"name": "Ромашка 😀", "n": 1.5, "list": [True, None, "x"]})
    party = contacts_pb2.Party(display_name="ООО «Ромашка»", tags=["a"], custom_fields=value)
    assert message_problems(party) == []


def test_message_walk_refuses_timestamps_outside_the_years_1_to_9999() -> None:
    from google.protobuf import timestamp_pb2

    from crm.tasks.v1 import tasks_pb2

    far = tasks_pb2.Task(subject="x", due_at=timestamp_pb2.Timestamp(seconds=2**62))
    assert [(p.field, p.code) for p in message_problems(far)] == [("due_at", "out_of_range")]
    odd = tasks_pb2.Task(due_at=timestamp_pb2.Timestamp(seconds=0, nanos=-1))
    assert [p.field for p in message_problems(odd)] == ["due_at"]
    fine = tasks_pb2.Task(due_at=timestamp_pb2.Timestamp(seconds=253_402_300_799, nanos=999_999_999))
    assert message_problems(fine) == []
