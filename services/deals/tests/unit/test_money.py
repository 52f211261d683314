"""Money rules: decimal parsing, line totals with discounts (the amount against the lines: test_inputs.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crm_core.errors import Validator
from crm_core.numbers import parse_decimal
from crm_deals import domain


def totals(*lines: dict) -> domain.LineTotals:  # type: ignore[type-arg]
    v = Validator()
    result = domain.line_totals(v, list(lines))
    assert v.problems == []
    return result


def test_line_totals_round_each_line_half_up_to_cents_and_always_add_up() -> None:
    result = totals(
        {"product": "Стеллаж", "quantity": "3", "price": "19999.99", "discount_percent": "12.5"},
        {"product": "Доставка", "quantity": "1", "price": "0.05", "discount_percent": "50"},
        {"product": "Монтаж", "quantity": "1.5", "price": "1000.10"},
    )
    first, second, third = result.lines
    assert (first["subtotal"], first["total"]) == ("59999.97", "52499.97")  # 7499.99625 -> 7500.00
    assert (second["subtotal"], second["total"]) == ("0.05", "0.02")  # 0.025 -> 0.03 off, half up
    assert (third["subtotal"], third["total"], third["discount_percent"]) == ("1500.15", "1500.15", "0")
    assert result.subtotal == Decimal("61500.17")
    assert result.discount == Decimal("7500.03")
    assert result.total == result.subtotal - result.discount == Decimal("54000.14")


def test_binary_floating_point_never_enters_the_sums() -> None:
    result = totals(*[{"product": "Гайка", "quantity": "1", "price": "0.10"}] * 3)
    assert result.total == Decimal("0.30")  # 0.1 + 0.1 + 0.1 != 0.3 in floats


def test_quantities_take_three_places_and_prices_two() -> None:
    assert totals({"product": "Кабель", "quantity": "12.345", "price": "10"}).total == Decimal("123.45")
    v = Validator()
    domain.line_totals(v, [{"product": "Кабель", "quantity": "1.2345", "price": "10.001"}])
    assert {(p.field, p.code) for p in v.problems} == {
        ("lines[0].quantity", "too_precise"),
        ("lines[0].price", "too_precise"),
    }


@pytest.mark.parametrize(
    ("value", "code"),
    [("-1", "negative_amount"), ("abc", "invalid_decimal"), ("NaN", "invalid_decimal"), ("1e30", "out_of_range")],
)
def test_bad_amounts_are_named(value: str, code: str) -> None:
    v = Validator()
    assert parse_decimal(v, value, "amount") is None
    assert [(p.field, p.code) for p in v.problems] == [("amount", code)]


def test_a_line_whose_quantity_times_price_overflows_is_out_of_range_not_a_crash() -> None:
    v = Validator()
    line = {"product": "Склад", "quantity": "99999999999.999", "price": "9999999999999999.99"}
    assert domain.line_totals(v, [line]).lines == []
    assert [(p.field, p.code) for p in v.problems] == [("lines[0]", "out_of_range")]
