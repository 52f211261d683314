"""Deal lines taking what they leave out from the catalogue, and product inputs (no server)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from google.protobuf import field_mask_pb2

from crm.deals.v1 import deals_pb2 as pb
from crm_core.errors import FailedPrecondition, InvalidArgument, Validator
from crm_deals import domain
from crm_deals.catalogue import ProductRef
from crm_deals.catalogue_inputs import parse_product, parse_product_changes
from crm_deals.inputs import parse_deal_changes, parse_deal_draft, resolve_lines

SHELF = ProductRef(
    id="11111111-1111-1111-1111-111111111111",
    name="Стеллаж",
    article="ST-1",
    unit_code="839",
    vat_rate="20",
    archived=False,
    prices=(("base", "RUB", "1000.00"), ("base", "USD", "12.50"), ("dealers", "RUB", "900.00")),
)
OLD = ProductRef(
    id="22222222-2222-2222-2222-222222222222", name="Старый", article="", unit_code="796", vat_rate="22", archived=True
)
CATALOGUE = {SHELF.id: SHELF, OLD.id: OLD}


def test_a_line_takes_name_article_unit_rate_and_the_base_price_in_the_deal_s_currency() -> None:
    v = Validator()
    (line,) = resolve_lines(v, [{"product_id": SHELF.id, "quantity": "2"}], CATALOGUE, "USD", set())
    assert not v.problems
    assert (line["product"], line["article"], line["unit_code"], line["vat_rate"], line["price"]) == (
        "Стеллаж",
        "ST-1",
        "839",
        "20",
        "12.50",
    )


def test_what_the_line_gives_wins_and_a_currency_without_a_base_price_leaves_the_price_required() -> None:
    given = {"product_id": SHELF.id, "product": "Стеллаж угловой", "quantity": "1", "vat_rate": "10", "price": "5"}
    v = Validator()
    (line,) = resolve_lines(v, [given], CATALOGUE, "EUR", set())
    assert (line["product"], line["vat_rate"], line["price"]) == ("Стеллаж угловой", "10", "5")
    draft_problems = Validator()
    domain.line_totals(
        draft_problems, resolve_lines(v, [{"product_id": SHELF.id, "quantity": "1"}], CATALOGUE, "EUR", set())
    )
    assert [(p.field, p.code) for p in draft_problems.problems] == [("lines[0].price", "required")]


def test_an_archived_product_is_refused_on_a_new_line_and_kept_on_an_old_one() -> None:
    with pytest.raises(FailedPrecondition) as refused:
        resolve_lines(Validator(), [{"product_id": OLD.id, "quantity": "1"}], CATALOGUE, "RUB", set())
    assert refused.value.code == "product_archived"
    v = Validator()
    (line,) = resolve_lines(v, [{"product_id": OLD.id, "quantity": "1", "price": "1"}], CATALOGUE, "RUB", {OLD.id})
    assert line["product"] == "Старый" and not v.problems


def test_a_draft_with_catalogue_lines_totals_them_and_computes_vat_by_mode() -> None:
    message = pb.Deal(
        title="Склад",
        client_id="33333333-3333-3333-3333-333333333333",
        vat_mode="on_top",
        lines=[
            pb.DealLine(product_id=SHELF.id, quantity="3"),
            pb.DealLine(product="Монтаж", quantity="1", price="100"),
        ],
    )
    draft = parse_deal_draft(message, CATALOGUE)
    assert draft.fields.amount == Decimal("3100.00")
    assert [line["unit_code"] for line in draft.fields.lines.lines] == ["839", "796"]
    totals = domain.deal_vat(draft.fields.lines.lines, draft.fields.vat_mode)
    assert (totals.vat, domain.total_with_vat(draft.fields.amount, totals)) == (Decimal("600.00"), Decimal("3700.00"))


def test_changed_lines_are_priced_in_the_stored_currency_when_the_change_keeps_it() -> None:
    stored = parse_deal_draft(
        pb.Deal(title="Склад", client_id="33333333-3333-3333-3333-333333333333", currency="USD")
    ).fields
    changes = parse_deal_changes(pb.Deal(lines=[pb.DealLine(product_id=SHELF.id, quantity="2")]), ["lines"], CATALOGUE)
    applied = changes.applied_to(stored)
    assert (applied.lines.lines[0]["price"], applied.amount) == ("12.50", Decimal("25.00"))


def test_bad_product_input_names_every_field_and_the_mask_is_checked() -> None:
    with pytest.raises(InvalidArgument) as bad:
        parse_product(
            pb.Product(
                name="",
                kind="thing",
                unit_code="pcs",
                vat_rate="18",
                prices=[pb.ProductPrice(price="-1"), pb.ProductPrice(price_list="base", price="2")],
            )
        )
    assert {(p.field, p.code) for p in bad.value.fields} == {
        ("name", "required"),
        ("kind", "unknown_kind"),
        ("unit_code", "unknown_unit"),
        ("vat_rate", "unknown_vat_rate"),
        ("prices[0].price", "negative_amount"),
        ("prices[1]", "duplicate_price"),
    }
    with pytest.raises(InvalidArgument):
        parse_product_changes(pb.Product(), field_mask_pb2.FieldMask(paths=["version"]).paths)
    defaults = parse_product(pb.Product(name="Услуга"))
    assert (defaults.kind, defaults.unit_code, defaults.vat_rate, defaults.archived) == ("product", "796", "22", False)
