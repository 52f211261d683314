"""Money rules: decimal parsing, line totals with discounts, amount against the lines."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crm_core.errors import InvalidArgument, Validator
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


def deal(**fields: object) -> dict:  # type: ignore[type-arg]
    return {"title": "Поставка", "client_id": "5b8a1c1e-0e5e-4c1c-9b7a-6f0f3c2a9d11", **fields}


def test_lines_set_the_amount_and_a_different_amount_is_a_mismatch() -> None:
    lines = [{"product": "Сервер", "quantity": "2", "price": "1000", "discount_percent": "10"}]
    assert domain.deal_columns(deal(lines=lines), {})["amount"] == Decimal("1800.00")
    assert domain.deal_columns(deal(lines=lines, amount="1800"), {})["amount"] == Decimal("1800.00")
    with pytest.raises(InvalidArgument) as info:
        domain.deal_columns(deal(lines=lines, amount="2000"), {})
    assert [p.code for p in info.value.fields] == ["amount_mismatch"]


def test_currency_defaults_to_rub_and_must_be_iso() -> None:
    assert domain.deal_columns(deal(), {})["currency"] == "RUB"
    with pytest.raises(InvalidArgument) as info:
        domain.deal_columns(deal(currency="руб"), {})
    assert [p.code for p in info.value.fields] == ["invalid_currency"]


def test_update_of_lines_rederives_the_amount_and_a_new_client_drops_the_old_name() -> None:
    current = domain.deal_dict(
        {**domain.deal_columns(deal(amount="500", client_name="ООО Ромашка"), {}), "expected_close_date": None}
    )
    patched = domain.apply_update(current, {"lines": [{"product": "A", "quantity": "1", "price": "700"}]}, ["lines"])
    assert "amount" not in patched
    assert domain.deal_columns(patched, {})["amount"] == Decimal("700.00")
    moved = domain.apply_update(current, {"client_id": "0f1d7a3e-5a3b-4d59-8f7d-2f2d9c1e6b11"}, ["client_id"])
    assert "client_name" not in moved
    with pytest.raises(InvalidArgument) as info:
        domain.apply_update(current, {}, ["stage_id", "version"])
    assert [p.code for p in info.value.fields] == ["use_move_stage", "unknown_field"]


def test_one_custom_field_can_be_set_or_cleared_by_its_path() -> None:
    current = {"title": "x", "custom_fields": {"budget": 10, "region": "north"}}
    patched = domain.apply_update(
        current, {"custom_fields": {"budget": 20}}, ["custom_fields.budget", "custom_fields.region"]
    )
    assert patched["custom_fields"] == {"budget": 20}


def test_forecast_totals_sum_rows_per_currency_in_currency_order() -> None:
    rows = [
        {"currency": "RUB", "deals": 2, "amount": Decimal("1000.50"), "weighted": Decimal("500.25")},
        {"currency": "EUR", "deals": 1, "amount": Decimal("10"), "weighted": Decimal("1")},
        {"currency": "RUB", "deals": 1, "amount": Decimal("0.50"), "weighted": Decimal("0.25")},
    ]
    assert domain.forecast_totals(rows) == [
        {"currency": "EUR", "deals": 1, "amount": Decimal("10"), "weighted": Decimal("1")},
        {"currency": "RUB", "deals": 3, "amount": Decimal("1001.00"), "weighted": Decimal("500.50")},
    ]
    assert domain.forecast_totals([]) == []
