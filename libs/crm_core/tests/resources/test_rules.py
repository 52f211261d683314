"""crm_core.resources without a database: versions, masks, empty values, declared sorts."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, Text, literal
from sqlalchemy.dialects import postgresql

from crm_core.errors import InvalidArgument, VersionConflict
from crm_core.resources import FieldMask, SortKey, SortSpec, check_version, drop_empty, is_named, with_fields


@dataclass
class Record:
    id: str
    version: int


def test_a_stale_expected_version_is_a_version_conflict_naming_both_versions() -> None:
    with pytest.raises(VersionConflict) as info:
        check_version("deal", Record("d-1", 3), 2)
    assert info.value.code == "version_conflict"
    assert "deal d-1 is at version 3, not 2" in info.value.message


def test_the_current_version_or_none_given_lets_the_write_through() -> None:
    check_version("task", Record("t-1", 3), 3)
    check_version("task", Record("t-1", 3), 0)


def test_empty_values_are_left_out_at_every_depth_and_list_items_stay() -> None:
    value = {"a": "", "b": None, "c": [], "d": {}, "e": {"f": [], "g": 0}, "h": [{"i": ""}, {}], "j": False}
    assert drop_empty(value) == {"e": {"g": 0}, "h": [{}, {}], "j": False}


def test_emptied_nested_dict_is_left_out_too() -> None:
    assert drop_empty({"source": {"campaign_id": None, "lead_id": ""}, "title": "x"}) == {"title": "x"}


MASK = FieldMask(
    {"title", "tags", "company", "company.inn", "company.name"},
    maps={"custom_fields": re.compile(r"^[a-z][a-z0-9_]*$")},
    elsewhere={"stage_id": ("use_move_stage", "'stage_id' changes only through MoveStage")},
)


def test_every_path_the_mask_may_not_name_is_reported_at_once() -> None:
    with pytest.raises(InvalidArgument) as info:
        MASK.check(["stage_id", "version", "title", "custom_fields.Bad-Key", "company.kpp"])
    assert [(p.field, p.code) for p in info.value.fields] == [
        ("update_mask", "use_move_stage"),
        ("update_mask", "unknown_field"),
        ("update_mask", "unknown_field"),
        ("update_mask", "unknown_field"),
    ]
    assert "'version' cannot be updated" in info.value.fields[1].message


@pytest.mark.parametrize(
    ("paths", "name", "named"),
    [
        (["company"], "company.inn", True),
        (["company.inn"], "company", True),
        (["company.inn"], "company.inn", True),
        (["knowledge.purchase_volume"], "knowledge.purchase_volume.currency", True),
        (["company.inn"], "company.kpp", False),
        (["tags"], "phones.value", False),
        (["knowledge.purchase_volume.amount"], "knowledge.needs", False),
    ],
)
def test_a_mask_names_a_field_itself_the_object_it_is_in_or_a_field_inside_it(
    paths: list[str], name: str, named: bool
) -> None:
    assert is_named(paths, name) is named


def test_with_fields_takes_the_named_fields_from_the_new_values_and_keeps_the_rest() -> None:
    @dataclass(frozen=True)
    class Values:
        title: str = ""
        amount: int | None = None

    current, new = Values("old", 5), Values("new", None)
    assert with_fields(current, new, ["amount"]) == Values("old", None)
    assert with_fields(current, new, []) == current


def test_an_update_naming_no_field_is_refused_before_any_work() -> None:
    with pytest.raises(InvalidArgument) as info:
        MASK.check([])
    assert [(p.field, p.code) for p in info.value.fields] == [("update_mask", "required")]
    assert MASK.check(iter(["title", "custom_fields.budget"])) == ["title", "custom_fields.budget"]


ITEMS = Table("items", MetaData(), Column("id", Text), Column("title", Text), Column("rank", Integer))
SORT = SortSpec[int](
    "items",
    {
        "title": SortKey("text", ITEMS.c.title),
        "rank": SortKey("int", ITEMS.c.rank),
        "boosted": SortKey("int", computed=lambda boost: ITEMS.c.rank + literal(boost)),
    },
    default="-rank",
    tie_breaker=ITEMS.c.id,
)


def test_an_empty_sort_is_the_default_and_a_listing_may_choose_another() -> None:
    assert SORT.parse("").terms == [("rank", True)]
    assert SORT.parse(" , ").terms == [("rank", True)]
    assert SORT.parse("", "title").terms == [("title", False)]
    assert SORT.parse("-title, rank").terms == [("title", True), ("rank", False)]


def test_an_undeclared_sort_key_is_invalid_and_names_the_declared_ones() -> None:
    with pytest.raises(InvalidArgument) as info:
        SORT.parse("title,-secret")
    assert [(p.field, p.code) for p in info.value.fields] == [("sort", "unknown_sort_key")]
    assert "use title, rank, boosted" in info.value.fields[0].message


def test_the_order_ends_with_the_id_in_the_last_terms_direction_and_its_signature_names_the_sort() -> None:
    order = SORT.parse("title,-rank").order(0)
    assert order.signature == "items:title,-rank"
    assert [(str(column), descending) for column, descending in order.keys] == [
        ("items.title", False),
        ("items.rank", True),
        ("items.id", True),
    ]
    assert list(order.kinds) == ["text", "int", "uuid"]
    assert SORT.parse("rank").order(0, "board:7").signature == "board:7:rank"


def test_a_computed_key_is_made_from_the_request_context() -> None:
    (column, _), _ = SORT.parse("boosted").order(5).keys
    sql = str(column.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    assert sql == "items.rank + 5"
