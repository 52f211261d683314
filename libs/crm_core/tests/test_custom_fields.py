"""Custom fields: definitions, values against definitions, and `cf.<key>` filters (on real PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, select
from sqlalchemy.dialects.postgresql import JSONB

from crm_core import custom_fields
from crm_core.errors import InvalidArgument, Validator

DEFS = {
    "budget": {"type": "number", "options": [], "required": True, "archived": False},
    "region": {"type": "enum", "options": ["north", "south"], "required": False, "archived": False},
    "signed": {"type": "date", "options": [], "required": False, "archived": False},
    "legacy": {"type": "string", "options": [], "required": False, "archived": True},
}


def test_values_fit_their_definitions_and_whole_numbers_are_ints():
    v = Validator()
    values = custom_fields.validate_values(v, {"budget": 1500.0, "region": "north", "signed": "2026-05-01"}, DEFS)
    assert v.problems == []
    assert values == {"budget": 1500, "region": "north", "signed": "2026-05-01"}
    assert isinstance(values["budget"], int)


def test_every_bad_value_is_reported_once():
    v = Validator()
    custom_fields.validate_values(
        v, {"region": "west", "signed": "31.12.2026", "legacy": "x", "nope": 1}, DEFS, entity="deals"
    )
    assert {(p.field, p.code) for p in v.problems} == {
        ("custom_fields.region", "invalid_custom_field"),
        ("custom_fields.signed", "invalid_custom_field"),
        ("custom_fields.legacy", "archived_custom_field"),
        ("custom_fields.nope", "unknown_custom_field"),
        ("custom_fields.budget", "required"),
    }
    assert "for deals" in next(p.message for p in v.problems if p.code == "unknown_custom_field")


def test_a_stored_archived_value_survives_when_unchanged():
    v = Validator()
    values = custom_fields.validate_values(v, {"budget": 1, "legacy": "old"}, DEFS, changed_keys=["budget"])
    assert v.problems == [] and values["legacy"] == "old"


def test_definitions_are_checked_and_only_some_fields_change():
    fields = custom_fields.definition_fields(
        {"entity_type": "deal", "key": "tender_no", "label": " Тендер ", "type": "enum", "options": ["a", " "]},
        ("deal",),
    )
    assert fields == {
        "entity_type": "deal",
        "key": "tender_no",
        "label": "Тендер",
        "type": "enum",
        "options": ["a"],
        "required": False,
        "archived": False,
    }
    with pytest.raises(InvalidArgument) as info:
        custom_fields.definition_fields({"entity_type": "party", "key": "1x", "type": "enum", "label": ""}, ("deal",))
    assert {p.field for p in info.value.fields} == {"entity_type", "key", "options", "label"}
    assert custom_fields.check_update_paths(["label", "archived"]) == ["label", "archived"]
    with pytest.raises(InvalidArgument):
        custom_fields.check_update_paths(["type"])


RECORDS = Table("cf_records", MetaData(), Column("id", Integer), Column("custom_fields", JSONB))
TYPES = {key: d["type"] for key, d in DEFS.items()}


@pytest.mark.parametrize(
    ("key", "op", "value", "expected"),
    [
        ("budget", "gte", "1000", {1, 2}),
        ("region", "eq", "north", {1}),
        ("region", "in", "north,south", {1, 3}),
        ("signed", "lt", "2026-06-01", {2}),
        ("budget", "exists", "false", {3}),
    ],
)
async def test_filters_are_typed_by_the_definition(db, key, op, value, expected):
    rows = [
        {"id": 1, "custom_fields": {"budget": 5000, "region": "north"}},
        {"id": 2, "custom_fields": {"budget": 1000, "signed": "2026-05-01"}},
        {"id": 3, "custom_fields": {"region": "south"}},
    ]
    async with db.engine.begin() as conn:
        await conn.run_sync(RECORDS.metadata.create_all)
        try:
            await conn.execute(RECORDS.insert(), rows)
            where = custom_fields.filter_condition(RECORDS.c.custom_fields, key, op, value, "filters[0]", TYPES)
            found = set((await conn.execute(select(RECORDS.c.id).where(where))).scalars())
        finally:
            await conn.run_sync(RECORDS.metadata.drop_all)
    assert found == expected


def test_filter_on_an_undefined_field_is_invalid():
    with pytest.raises(InvalidArgument) as info:
        custom_fields.filter_condition(RECORDS.c.custom_fields, "nope", "eq", "1", "filters[2]", TYPES)
    assert (info.value.fields[0].field, info.value.fields[0].code) == ("filters[2]", "unknown_filter_field")
