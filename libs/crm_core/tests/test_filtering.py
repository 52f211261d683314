"""The shared filter syntax: values typed for their column, every bad one a clear INVALID_ARGUMENT."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import DateTime, Integer, Numeric, column, select, values
from sqlalchemy.dialects.postgresql import ARRAY

from crm_core.errors import InvalidArgument
from crm_core.filtering import MAX_IN_ITEMS, FieldSpec, condition

AMOUNT = FieldSpec(column("amount", Numeric(18, 2)), "number")
AT = FieldSpec(column("at", DateTime(timezone=True)), "datetime")
MONTHS = FieldSpec(column("months", ARRAY(Integer)), "int_array")
NAME = FieldSpec(column("name"), "text")


def rejected(spec: FieldSpec, op: str, value: str) -> tuple[str, str]:
    with pytest.raises(InvalidArgument) as info:
        condition(spec, op, value, "filters[0]")
    (problem,) = info.value.fields
    return problem.field, problem.code


def bound_value(clause) -> object:  # type: ignore[no-untyped-def]
    return clause.right.value


@pytest.mark.parametrize("value", ["1e999", "-Infinity", "Infinity", "NaN", "1e999999999", "12,5", "0.12345678901"])
def test_numbers_that_are_not_finite_or_not_bounded_are_invalid_filter_values(value: str) -> None:
    assert rejected(AMOUNT, "gte", value) == ("filters[0]", "invalid_filter_value")


def test_numbers_in_lists_are_checked_one_by_one() -> None:
    assert rejected(AMOUNT, "in", "1,2,NaN") == ("filters[0]", "invalid_filter_value")


@pytest.mark.parametrize("value", [str(2**31), str(2**70), "1.5"])
def test_list_field_integers_outside_int32_are_invalid_filter_values(value: str) -> None:
    assert rejected(MONTHS, "in", f"1,{value}") == ("filters[0]", "invalid_filter_value")


def test_in_lists_are_bounded_in_length() -> None:
    many = ",".join(["a"] * (MAX_IN_ITEMS + 1))
    assert rejected(NAME, "in", many) == ("filters[0]", "too_many_values")
    assert condition(NAME, "in", ",".join(["a"] * MAX_IN_ITEMS), "filters[0]") is not None


def test_a_datetime_without_an_offset_is_read_as_utc() -> None:
    assert bound_value(condition(AT, "gte", "2026-01-01T10:00:00", "filters[0]")) == datetime(
        2026, 1, 1, 10, tzinfo=UTC
    )
    moscow = bound_value(condition(AT, "gte", "2026-01-01T10:00:00+03:00", "filters[0]"))
    assert moscow == datetime(2026, 1, 1, 10, tzinfo=timezone(timedelta(hours=3)))


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "yesterday"])
def test_datetimes_without_a_utc_equivalent_are_invalid_filter_values(value: str) -> None:
    assert rejected(AT, "gte", value) == ("filters[0]", "invalid_filter_value")


async def test_naive_and_aware_datetimes_compare_with_timestamptz_in_postgresql(db) -> None:  # type: ignore[no-untyped-def]
    noon = datetime(2026, 1, 1, 12, tzinfo=UTC)
    rows = values(column("at", DateTime(timezone=True)), name="row").data([(noon,)])
    at = FieldSpec(rows.c.at, "datetime")
    cases = {
        "2026-01-01T11:00:00": 0,
        "2026-01-01T13:00:00": 1,
        "2026-01-01T14:00+03:00": 0,
        "2026-01-01T16:00+03:00": 1,
    }
    async with db.sessions() as session:
        for value, count in cases.items():
            found = await session.execute(select(rows).where(condition(at, "lt", value, "filters[0]")))
            assert len(found.all()) == count, value


def test_valid_numbers_reach_sql_as_decimals() -> None:
    assert bound_value(condition(AMOUNT, "gte", "100000.50", "filters[0]")) == Decimal("100000.50")
