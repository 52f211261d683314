"""Typed inputs of the deals commands: each parse function's good values and every refusal, with code and field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from google.protobuf import struct_pb2

from crm.deals.v1 import deals_pb2 as pb
from crm_core.errors import CrmError, InvalidArgument
from crm_deals import inputs

CLIENT = "5b8a1c1e-0e5e-4c1c-9b7a-6f0f3c2a9d11"
OTHER_CLIENT = "0f1d7a3e-5a3b-4d59-8f7d-2f2d9c1e6b11"


def problems(info: pytest.ExceptionInfo[CrmError]) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in info.value.fields}


def deal(**fields: object) -> pb.Deal:
    return pb.Deal(**{"title": "Поставка", "client_id": CLIENT, **fields})  # type: ignore[arg-type]


def line(product: str = "Сервер", quantity: str = "2", price: str = "1000", discount: str = "") -> pb.DealLine:
    return pb.DealLine(product=product, quantity=quantity, price=price, discount_percent=discount)


# --- deals ---------------------------------------------------------------------------------------


def test_a_deal_draft_takes_defaults_and_its_lines_set_the_amount() -> None:
    draft = inputs.parse_deal_draft(
        deal(lines=[line(discount="10")], pipeline_id="p-1", expected_close_date="2026-07-01")
    )
    assert draft.fields.currency == "RUB"
    assert draft.fields.amount == Decimal("1800.00")
    assert draft.fields.lines.discount == Decimal("200.00")
    assert draft.fields.expected_close_date == date(2026, 7, 1)
    assert (draft.pipeline_id, draft.stage_id) == ("p-1", "")
    assert inputs.parse_deal_draft(deal(lines=[line()], amount="2000.00")).fields.amount == Decimal("2000.00")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"title": " "}, {("title", "required")}),
        ({"title": "x" * 301}, {("title", "too_long"), ("title", "required")}),
        ({"client_id": ""}, {("client_id", "required")}),
        ({"client_id": "42"}, {("client_id", "invalid_id")}),
        ({"contact_ids": ["nope"]}, {("contact_ids[0]", "invalid_id")}),
        ({"currency": "руб"}, {("currency", "invalid_currency")}),
        ({"currency": "RUBL"}, {("currency", "too_long")}),
        ({"amount": "-1"}, {("amount", "negative_amount")}),
        ({"amount": "1.005"}, {("amount", "too_precise")}),
        ({"amount": "abc"}, {("amount", "invalid_decimal")}),
        ({"amount": "1e30"}, {("amount", "out_of_range")}),
        ({"amount": "2500", "lines": [line()]}, {("amount", "amount_mismatch")}),
        ({"lines": [line(quantity="0")]}, {("lines[0].quantity", "out_of_range")}),
        (
            {"lines": [line(quantity="1.2345", price="1.001")]},
            {("lines[0].quantity", "too_precise"), ("lines[0].price", "too_precise")},
        ),
        ({"lines": [line(product="")]}, {("lines[0].product", "required")}),
        ({"lines": [line(discount="101")]}, {("lines[0].discount_percent", "out_of_range")}),
        ({"lines": [line(discount="12.345")]}, {("lines[0].discount_percent", "too_precise")}),
        ({"lines": [line()] * 201}, {("lines", "too_many")}),
        ({"expected_close_date": "2026-13-01"}, {("expected_close_date", "invalid_date")}),
        ({"source": pb.DealSource(lead_id="x" * 65)}, {("source.lead_id", "too_long")}),
    ],
)
def test_a_deal_draft_names_each_bad_field_with_its_code(fields: dict, expected: set) -> None:  # type: ignore[type-arg]
    message = deal()
    for key, value in fields.items():
        if isinstance(value, list):
            getattr(message, key).extend(value)
        elif isinstance(value, pb.DealSource):
            message.source.CopyFrom(value)
        else:
            setattr(message, key, value)
    with pytest.raises(InvalidArgument) as info:
        inputs.parse_deal_draft(message)
    assert problems(info) == expected


def test_deal_changes_check_the_mask_first_and_only_the_masked_fields() -> None:
    with pytest.raises(InvalidArgument) as info:
        inputs.parse_deal_changes(deal(), ["stage_id", "version"])
    assert [(p.field, p.code) for p in info.value.fields] == [
        ("update_mask", "use_move_stage"),
        ("update_mask", "unknown_field"),
    ]
    with pytest.raises(InvalidArgument) as info:
        inputs.parse_deal_changes(deal(), [])
    assert problems(info) == {("update_mask", "required")}
    # An unmasked bad value is not looked at; a masked one is, and an owner cannot be cleared.
    changes = inputs.parse_deal_changes(deal(currency="руб", title="Новое"), ["title"])
    assert changes.values.title == "Новое"
    with pytest.raises(InvalidArgument) as info:
        inputs.parse_deal_changes(deal(currency="руб"), ["currency", "owner_id", "source.lead_id"])
    assert problems(info) == {("currency", "invalid_currency"), ("owner_id", "required")}


def stored(**fields: object) -> inputs.DealFields:
    return inputs.parse_deal_draft(deal(owner_id="u-1", **fields)).fields  # type: ignore[arg-type]


def test_changed_lines_rederive_the_amount_and_a_new_client_drops_the_old_name() -> None:
    current = stored(amount="500", client_name="ООО Ромашка")
    patched = inputs.parse_deal_changes(deal(lines=[line(quantity="1", price="700")]), ["lines"]).applied_to(current)
    assert patched.amount == Decimal("700.00")
    moved = inputs.parse_deal_changes(deal(client_id=OTHER_CLIENT), ["client_id"]).applied_to(current)
    assert (moved.client_id, moved.client_name, moved.amount) == (OTHER_CLIENT, "", Decimal("500"))


def test_an_amount_against_stored_lines_must_be_their_total_and_clearing_it_takes_the_total() -> None:
    current = stored(lines=[line()])
    with pytest.raises(InvalidArgument) as info:
        inputs.parse_deal_changes(deal(amount="1"), ["amount"]).applied_to(current)
    assert problems(info) == {("amount", "amount_mismatch")}
    assert inputs.parse_deal_changes(deal(), ["amount"]).applied_to(current).amount == Decimal("2000.00")
    cleared = inputs.parse_deal_changes(deal(), ["lines"]).applied_to(current)
    assert (cleared.lines.lines, cleared.amount) == ([], Decimal("2000.00"))


def test_custom_fields_are_replaced_whole_or_key_by_key() -> None:
    current = stored(custom_fields=struct_pb2.Struct(fields={"a": struct_pb2.Value(string_value="1")}))
    message = deal(custom_fields=struct_pb2.Struct(fields={"b": struct_pb2.Value(number_value=2)}))
    assert inputs.parse_deal_changes(message, ["custom_fields.b"]).applied_to(current).custom_fields == {
        "a": "1",
        "b": 2.0,
    }
    assert inputs.parse_deal_changes(message, ["custom_fields.a"]).applied_to(current).custom_fields == {}
    null = deal(custom_fields=struct_pb2.Struct(fields={"a": struct_pb2.Value(null_value=0)}))
    assert inputs.parse_deal_changes(null, ["custom_fields.a"]).applied_to(current).custom_fields == {}
    assert inputs.parse_deal_changes(message, ["custom_fields"]).applied_to(current).custom_fields == {"b": 2.0}


# --- moves and payments ------------------------------------------------------------------------


def test_a_stage_move_trims_its_comment_and_refuses_a_long_one() -> None:
    move = inputs.parse_stage_move(pb.MoveDealStageRequest(deal_id="d", stage_id="s", comment="  дорого "))
    assert move == inputs.StageMove("d", "s", "", "дорого", 0)
    with pytest.raises(InvalidArgument) as info:
        inputs.parse_stage_move(pb.MoveDealStageRequest(deal_id="d", stage_id="s", comment="x" * 2001))
    assert problems(info) == {("comment", "too_long")}


def test_a_payment_draft_needs_a_status_an_amount_and_the_date_its_status_needs() -> None:
    received = inputs.parse_payment_draft(
        pb.AddPaymentRequest(status="received", amount="10.5", received_on="2026-05-01")
    )
    assert (received.amount, received.currency, received.received_on) == (Decimal("10.5"), None, date(2026, 5, 1))
    assert received.in_currency_of("RUB") == "RUB"
    cases = [
        (pb.AddPaymentRequest(status="maybe", amount="1"), {("status", "not_allowed")}),
        (pb.AddPaymentRequest(status="expected", due_date="2026-05-01"), {("amount", "required")}),
        (pb.AddPaymentRequest(status="expected", amount="0", due_date="2026-05-01"), {("amount", "out_of_range")}),
        (pb.AddPaymentRequest(status="expected", amount="1"), {("due_date", "required")}),
        (pb.AddPaymentRequest(status="expected", amount="1", due_date="31.05.2026"), {("due_date", "invalid_date")}),
        (
            pb.AddPaymentRequest(status="expected", amount="1", due_date="2026-05-01", received_on="2026-05-01"),
            {("received_on", "not_allowed")},
        ),
        (pb.AddPaymentRequest(status="received", amount="1"), {("received_on", "required")}),
        (
            pb.AddPaymentRequest(status="received", amount="1", received_on="2026-05-01", note="x" * 2001),
            {("note", "too_long")},
        ),
    ]
    for request, expected in cases:
        with pytest.raises(InvalidArgument) as info:
            inputs.parse_payment_draft(request)
        assert problems(info) == expected, request
    usd = inputs.parse_payment_draft(
        pb.AddPaymentRequest(status="received", amount="1", received_on="2026-05-01", currency="USD")
    )
    with pytest.raises(InvalidArgument) as info:
        usd.in_currency_of("RUB")
    assert problems(info) == {("currency", "currency_mismatch")}


def test_a_payment_receipt_needs_its_date_and_a_positive_amount_when_given() -> None:
    receipt = inputs.parse_payment_receipt(pb.ReceivePaymentRequest(received_on="2026-05-01"))
    assert receipt == inputs.PaymentReceipt(date(2026, 5, 1), None)
    for request, expected in [
        (pb.ReceivePaymentRequest(), {("received_on", "required")}),
        (pb.ReceivePaymentRequest(received_on="01.05.2026"), {("received_on", "invalid_date")}),
        (pb.ReceivePaymentRequest(received_on="2026-05-01", amount="0"), {("amount", "out_of_range")}),
    ]:
        with pytest.raises(InvalidArgument) as info:
            inputs.parse_payment_receipt(request)
        assert problems(info) == expected
