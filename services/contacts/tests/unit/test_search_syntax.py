"""Search building blocks that need no database: sort keys, prefix queries, filter errors, cursors."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.dialects import postgresql

from crm_contacts import search
from crm_contacts.models import Party
from crm_core import pagination
from crm_core.errors import InvalidArgument
from crm_core.filtering import FieldSpec, condition


def violation(exc: pytest.ExceptionInfo[InvalidArgument]) -> tuple[str, str]:
    (problem,) = exc.value.fields
    return problem.field, problem.code


def params(clause: Any) -> dict[str, Any]:
    return clause.compile(dialect=postgresql.dialect()).params


# Sort ---------------------------------------------------------------------


def test_sort_keys_parse_directions_in_order() -> None:
    assert search.SORT.parse("-created_at, display_name").terms == [("created_at", True), ("display_name", False)]


def test_a_query_ranks_by_relevance_unless_another_sort_is_asked_for() -> None:
    assert not search.ranked("", "")
    assert search.ranked("", "ромашка")
    assert search.ranked("relevance", "ромашка") and search.ranked("-relevance", "ромашка")
    assert not search.ranked("-created_at", "ромашка")


def test_unknown_sort_key_is_rejected() -> None:
    with pytest.raises(InvalidArgument) as info:
        search.check_sort("display_name,-inn", "")
    assert violation(info) == ("sort", "unknown_sort_key")


@pytest.mark.parametrize(
    ("sort", "query", "code"),
    [("-relevance", "", "relevance_needs_query"), ("relevance,-created_at", "ром", "relevance_alone")],
)
def test_relevance_stands_alone_and_needs_a_query(sort: str, query: str, code: str) -> None:
    with pytest.raises(InvalidArgument) as info:
        search.check_sort(sort, query)
    assert violation(info) == ("sort", code)


def test_a_query_is_matched_in_bands_only_where_it_can_match() -> None:
    digits = search.match("45-67")
    assert digits.exact is not None and digits.words is not None
    assert search.match("%_").exact is None and search.match("%_").words is None
    assert search.match("ООО «Ромашка»").key == "ромашка"


# Prefix query -------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "tsquery"),
    [
        ("Ром", "ром:*"),
        ("ром  КОТ", "ром:* & кот:*"),
        ("Ромашка!", "ромашка:*"),
        ("ООО «Ромашка» & | !", "ооо:* & ромашка:*"),
        ("   ", ""),
        ("!!!", ""),
    ],
)
def test_prefix_tsquery_makes_every_word_a_prefix(query: str, tsquery: str) -> None:
    assert search.prefix_tsquery(query) == tsquery


# Filters ------------------------------------------------------------------


def test_unknown_filter_field_is_rejected_with_its_position() -> None:
    with pytest.raises(InvalidArgument) as info:
        search.filter_conditions([("industry", "eq", "x"), ("password", "eq", "x")], {})
    assert violation(info) == ("filters[1]", "unknown_filter_field")


def test_filter_on_an_undefined_custom_field_is_rejected() -> None:
    with pytest.raises(InvalidArgument) as info:
        search.filter_conditions([("cf.budget", "gte", "5")], {"tier": "enum"})
    assert violation(info) == ("filters[0]", "unknown_filter_field")


def test_knowledge_list_filters_take_only_eq_or_in() -> None:
    for field in ("need", "unmet_need", "refusal_reason"):
        with pytest.raises(InvalidArgument) as info:
            search.filter_conditions([(field, "gte", "price")], {})
        assert violation(info) == ("filters[0]", "unsupported_operator")


def test_custom_number_filter_rejects_a_non_number() -> None:
    with pytest.raises(InvalidArgument) as info:
        search.filter_conditions([("cf.budget", "gte", "много")], {"budget": "number"})
    assert violation(info) == ("filters[0]", "invalid_filter_value")


def test_phone_filter_compares_normalized_numbers() -> None:
    clause = search.filter_condition("phone", "in", "8 (495) 123-45-67,+7 912 345 67 89", "filters[0]", {})
    assert list(params(clause).values()) == [["74951234567", "79123456789"]]


# crm_core.filtering -------------------------------------------------------


TEXT = FieldSpec(Party.industry)
NUMBER = FieldSpec(Party.purchase_amount, "number")
WHEN = FieldSpec(Party.created_at, "datetime")
TAGS = FieldSpec(Party.tags, "text_array")


@pytest.mark.parametrize(
    ("spec", "op", "value", "code"),
    [
        (TEXT, "like", "x", "unknown_operator"),
        (NUMBER, "gte", "сто", "invalid_filter_value"),
        (WHEN, "gte", "вчера", "invalid_filter_value"),
        (WHEN, "in", "2026-01-01,soon", "invalid_filter_value"),
        (TEXT, "exists", "maybe", "invalid_filter_value"),
        (NUMBER, "contains", "1", "unsupported_operator"),
        (TAGS, "lt", "vip", "unsupported_operator"),
        (FieldSpec(Party.season_months, "int_array"), "in", "3,март", "invalid_filter_value"),
    ],
)
def test_bad_filter_names_the_filter_and_a_stable_code(spec: FieldSpec, op: str, value: str, code: str) -> None:
    with pytest.raises(InvalidArgument) as info:
        condition(spec, op, value, "filters[2]")
    assert violation(info) == ("filters[2]", code)


def test_filter_values_are_parsed_to_their_type() -> None:
    assert list(params(condition(WHEN, "gte", "2026-01-01T00:00:00+00:00", "f")).values()) == [
        datetime(2026, 1, 1, tzinfo=UTC)
    ]
    assert [str(v) for v in params(condition(NUMBER, "lt", "99.5", "f")).values()] == ["99.5"]
    assert list(params(condition(TAGS, "in", "vip, key ,", "f")).values()) == [["vip", "key"]]


def test_contains_filter_escapes_like_wildcards() -> None:
    assert list(params(condition(TEXT, "contains", "100%_off", "f")).values()) == ["%100\\%\\_off%"]


# crm_core.pagination ------------------------------------------------------


def test_cursor_round_trips_datetimes_strings_and_numbers() -> None:
    values = [datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC), "Ромашка", 42, "0.512345", None]
    cursor = pagination.encode_cursor(values)
    assert cursor.isascii() and "=" not in cursor
    assert pagination.decode_cursor(cursor, len(values)) == values


@pytest.mark.parametrize("cursor", ["not a cursor!", "%%%", pagination.encode_cursor(["a"])[:-2] + "@@", "eyJ"])
def test_malformed_cursor_is_invalid_argument(cursor: str) -> None:
    with pytest.raises(InvalidArgument) as info:
        pagination.decode_cursor(cursor, 1)
    assert violation(info) == ("cursor", "invalid_cursor")


def test_cursor_of_another_query_shape_is_invalid_argument() -> None:
    cursor = pagination.encode_cursor(["Ромашка", "id-1"])
    with pytest.raises(InvalidArgument) as info:
        pagination.decode_cursor(cursor, 3)
    assert violation(info) == ("cursor", "invalid_cursor")
    not_a_list = base64.urlsafe_b64encode(b'{"k0": 1}').decode()
    with pytest.raises(InvalidArgument):
        pagination.decode_cursor(not_a_list, 1)


def test_page_of_gives_a_cursor_only_when_more_rows_follow() -> None:
    rows = [("a", 1), ("b", 2), ("c", 3)]
    page = pagination.page_of(rows, 2, lambda row: list(row))
    assert page.items == rows[:2]
    assert pagination.decode_cursor(page.next_cursor, 2) == ["b", 2]
    assert pagination.page_of(rows, 3, lambda row: list(row)).next_cursor == ""


@pytest.mark.parametrize(("limit", "effective"), [(0, pagination.DEFAULT_LIMIT), (1, 1), (200, 200)])
def test_limit_zero_means_the_default(limit: int, effective: int) -> None:
    assert pagination.clamp_limit(limit) == effective


@pytest.mark.parametrize("limit", [-1, 201])
def test_limit_out_of_range_is_rejected(limit: int) -> None:
    with pytest.raises(InvalidArgument) as info:
        pagination.clamp_limit(limit)
    assert violation(info) == ("limit", "out_of_range")
