"""Deal lines from the catalogue and VAT on deals: modes, per-line rounding, archived products, events."""

from __future__ import annotations

import uuid

import grpc
from google.protobuf import field_mask_pb2

from crm.deals.v1 import deals_pb2 as pb


async def _product(admin, **fields) -> pb.Product:  # type: ignore[no-untyped-def]
    prices = fields.pop("prices", [pb.ProductPrice(price_list="base", currency="RUB", price="1000.00")])
    data = {"name": f"Стеллаж {uuid.uuid4().hex[:8]}", "unit_code": "796", "vat_rate": "20", **fields}
    return await admin.CreateProduct(pb.CreateProductRequest(product=pb.Product(**data, prices=prices)))


def update(deal: pb.Deal, paths: list[str]) -> pb.UpdateDealRequest:
    return pb.UpdateDealRequest(deal=deal, update_mask=field_mask_pb2.FieldMask(paths=paths))


async def test_a_line_naming_a_product_takes_its_name_unit_rate_and_base_price(admin, alice, board) -> None:
    shelf = await _product(admin, article=f"ST-{uuid.uuid4().hex[:6]}", unit_code="839")
    deal = await board.open(alice, amount="", lines=[{"product_id": shelf.id, "quantity": "3"}])
    (line,) = deal.lines
    assert (line.product, line.article, line.unit_code, line.vat_rate) == (
        shelf.name,
        shelf.article,
        "839",
        "20",
    )
    assert (line.price, line.total) == ("1000.00", "3000.00")
    # Prices include VAT by default: 3000 x 20 / 120.
    assert (deal.vat_mode, line.vat_amount, deal.vat_amount, deal.total_with_vat) == (
        "included",
        "500.00",
        "500.00",
        "3000.00",
    )
    assert [(r.rate, r.net, r.vat, r.gross) for r in deal.vat_by_rate] == [("20", "2500.00", "500.00", "3000.00")]


async def test_given_values_win_over_the_product_s(admin, alice, board) -> None:
    shelf = await _product(admin)
    line = {"product_id": shelf.id, "product": "Стеллаж (под заказ)", "quantity": "1", "price": "900", "vat_rate": "10"}
    deal = await board.open(alice, amount="", lines=[line])
    assert (deal.lines[0].product, deal.lines[0].price, deal.lines[0].vat_rate) == (
        "Стеллаж (под заказ)",
        "900.00",
        "10",
    )


async def test_vat_on_top_is_added_per_line_rounded_and_per_rate(alice, board) -> None:
    lines = [
        {"product": "Кабель", "quantity": "1", "price": "0.10", "vat_rate": "5"},
        {"product": "Кабель", "quantity": "1", "price": "0.10", "vat_rate": "5"},
        {"product": "Кабель", "quantity": "1", "price": "0.10", "vat_rate": "5"},
        {"product": "Монтаж", "quantity": "2", "price": "1000", "vat_rate": "22", "unit_code": "356"},
    ]
    deal = await board.open(alice, amount="", lines=lines, vat_mode="on_top")
    assert [line.vat_amount for line in deal.lines] == ["0.01", "0.01", "0.01", "440.00"]
    assert (deal.amount, deal.vat_amount, deal.total_with_vat) == ("2000.30", "440.03", "2440.33")
    assert [(r.rate, r.vat) for r in deal.vat_by_rate] == [("5", "0.03"), ("22", "440.00")]
    exempt = await alice.UpdateDeal(update(pb.Deal(id=deal.id, vat_mode="exempt"), ["vat_mode"]))
    assert (exempt.vat_amount, exempt.total_with_vat, exempt.amount) == ("0.00", "2000.30", "2000.30")


async def test_free_text_lines_default_to_pieces_and_no_vat(alice, board) -> None:
    deal = await board.open(alice, amount="", lines=[{"product": "Доставка", "quantity": "1", "price": "500"}])
    assert (deal.lines[0].unit_code, deal.lines[0].vat_rate, deal.lines[0].product_id) == ("796", "none", "")
    assert deal.vat_amount == "0.00"


async def test_an_archived_product_is_refused_on_new_lines_but_kept_on_existing_ones(
    admin, alice, board, rejected
) -> None:
    shelf = await _product(admin)
    deal = await board.open(alice, amount="", lines=[{"product_id": shelf.id, "quantity": "1"}])
    await admin.UpdateProduct(
        pb.UpdateProductRequest(
            product=pb.Product(id=shelf.id, archived=True), update_mask=field_mask_pb2.FieldMask(paths=["archived"])
        )
    )
    detail = await rejected(
        board.open(alice, amount="", lines=[{"product_id": shelf.id, "quantity": "1"}]),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    assert detail.code == "product_archived"
    lines = [
        pb.DealLine(product_id=shelf.id, quantity="2", price="1000"),
        pb.DealLine(product="Монтаж", quantity="1", price="10"),
    ]
    kept = await alice.UpdateDeal(update(pb.Deal(id=deal.id, lines=lines), ["lines"]))
    assert (kept.lines[0].product, kept.lines[0].quantity, kept.amount) == (shelf.name, "2", "2010.00")


async def test_bad_line_input_names_unit_rate_product_and_mode(alice, board, rejected) -> None:
    lines = [
        {"product": "X", "quantity": "1", "price": "1", "unit_code": "штука", "vat_rate": "18"},
        {"product_id": str(uuid.uuid4()), "quantity": "1", "price": "1", "product": "Y"},
        {"product": "Z", "quantity": "1", "price": "1", "unit_code": "999"},
    ]
    detail = await rejected(
        board.open(alice, amount="", lines=lines[:2], vat_mode="gross"), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert {(f.field, f.code) for f in detail.field_violations} == {
        ("vat_mode", "unknown_vat_mode"),
        ("lines[0].unit_code", "unknown_unit"),
        ("lines[0].vat_rate", "unknown_vat_rate"),
        ("lines[1].product_id", "unknown_product"),
    }
    unlisted = await rejected(board.open(alice, amount="", lines=lines[2:]), grpc.StatusCode.INVALID_ARGUMENT)
    assert [(f.field, f.code) for f in unlisted.field_violations] == [("lines[0].unit_code", "unknown_unit")]
