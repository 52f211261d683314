"""Numbers from requests: money a numeric(18, 2) column holds, filter numbers and whole numbers SQL can compare."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crm_core.errors import Validator
from crm_core.numbers import INT32, INT64, MAX_MONEY, parse_decimal, parse_int, parse_number


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("-1", "negative_amount"),
        ("abc", "invalid_decimal"),
        ("NaN", "invalid_decimal"),
        ("-Infinity", "invalid_decimal"),
        (float("inf"), "invalid_decimal"),
        ("1e30", "out_of_range"),
        ("1e999999999", "out_of_range"),  # abs() of it overflows Decimal's context
        ("10000000000000000", "out_of_range"),
        ("1.001", "too_precise"),
        ("1e-999999999", "too_precise"),
        (True, "invalid_decimal"),
    ],
)
def test_money_the_column_cannot_hold_is_named_with_its_code(value: object, code: str) -> None:
    v = Validator()
    assert parse_decimal(v, value, "lines[0].price") is None
    assert [(p.field, p.code) for p in v.problems] == [("lines[0].price", code)]


def test_money_up_to_the_column_s_largest_value_is_accepted() -> None:
    v = Validator()
    assert parse_decimal(v, "9999999999999999.99", "amount") == MAX_MONEY
    assert parse_decimal(v, " 1500.5 ", "amount") == Decimal("1500.5")
    assert parse_decimal(v, "", "amount") is None
    assert v.problems == []


@pytest.mark.parametrize("text", ["1e999", "-Infinity", "NaN", "sNaN", "1e31", "0.00000000001", "12,5", ""])
def test_a_number_sql_cannot_compare_sensibly_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_filter_numbers_within_bounds_are_decimals() -> None:
    assert parse_number("100000.25") == Decimal("100000.25")
    assert parse_number("-1e20") == Decimal("-1e20")


@pytest.mark.parametrize(("text", "bounds"), [(str(2**31), INT32), (str(2**63), INT64), ("1.5", INT64), ("x", INT32)])
def test_whole_numbers_outside_their_type_are_a_value_error(text: str, bounds: tuple[int, int]) -> None:
    with pytest.raises(ValueError):
        parse_int(text, bounds)


def test_whole_numbers_at_the_edges_of_their_type_are_accepted() -> None:
    assert parse_int(str(-(2**31)), INT32) == -(2**31)
    assert parse_int(str(2**63 - 1)) == 2**63 - 1
