"""custom_fields.validate_values: values checked against admin-defined fields."""

from __future__ import annotations

from typing import Any

import pytest

from crm_core import custom_fields
from crm_core.errors import Validator


def definition(kind: str, *, options: tuple[str, ...] = (), required: bool = False, archived: bool = False) -> dict:
    return {"type": kind, "options": list(options), "required": required, "archived": archived}


DEFS = {
    "note": definition("string"),
    "budget": definition("number"),
    "since": definition("date"),
    "tier": definition("enum", options=("gold", "silver")),
    "vat": definition("bool"),
}


def check(values: Any, defs: dict = DEFS, changed: Any = None) -> tuple[dict, set[tuple[str, str]]]:
    v = Validator()
    result = custom_fields.validate_values(v, values, defs, changed)
    return result, {(p.field, p.code) for p in v.problems}


def test_values_of_every_type_are_accepted() -> None:
    values = {"note": "Звонить после 15:00", "budget": 1500.5, "since": "2024-02-29", "tier": "gold", "vat": True}
    assert check(values) == (values, set())


def test_whole_numbers_are_stored_as_integers() -> None:
    result, problems = check({"budget": 250000.0})
    assert not problems
    assert result == {"budget": 250000} and isinstance(result["budget"], int)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("note", 5),
        ("note", "x" * (custom_fields.MAX_TEXT + 1)),
        ("budget", "100"),
        ("budget", True),
        ("budget", float("nan")),
        ("budget", float("inf")),
        ("budget", 10**400),
        ("since", "29.02.2024"),
        ("since", "2023-02-29"),
        ("tier", "bronze"),
        ("tier", "Gold"),
        ("vat", "true"),
        ("vat", 1),
    ],
)
def test_value_of_the_wrong_type_or_outside_the_options_is_invalid(key: str, value: Any) -> None:
    result, problems = check({key: value})
    assert problems == {(f"custom_fields.{key}", "invalid_custom_field")}
    assert key not in result


def test_enum_error_lists_the_options() -> None:
    v = Validator()
    custom_fields.validate_values(v, {"tier": "bronze"}, DEFS)
    assert "gold, silver" in v.problems[0].message


def test_unknown_key_is_reported() -> None:
    assert check({"colour": "red"})[1] == {("custom_fields.colour", "unknown_custom_field")}


def test_custom_fields_must_be_an_object() -> None:
    assert check(["budget"])[1] == {("custom_fields", "wrong_type")}


def test_required_field_must_have_a_value() -> None:
    defs = {**DEFS, "region": definition("string", required=True)}
    assert check({"budget": 1}, defs)[1] == {("custom_fields.region", "required")}
    assert check({"region": ""}, defs)[1] == {("custom_fields.region", "required")}
    assert check({"region": "Москва"}, defs)[1] == set()


def test_required_bool_accepts_false() -> None:
    defs = {"vat": definition("bool", required=True)}
    assert check({"vat": False}, defs) == ({"vat": False}, set())


def test_archived_field_is_rejected_in_new_values_but_kept_when_unchanged() -> None:
    defs = {**DEFS, "old_code": definition("string", archived=True)}
    assert check({"old_code": "A1"}, defs)[1] == {("custom_fields.old_code", "archived_custom_field")}
    result, problems = check({"old_code": "A1", "budget": 3}, defs, changed=["budget"])
    assert problems == set()
    assert result == {"old_code": "A1", "budget": 3}


def test_archived_required_field_is_no_longer_required() -> None:
    defs = {"region": definition("string", required=True, archived=True)}
    assert check({}, defs) == ({}, set())
