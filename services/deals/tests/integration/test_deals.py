"""Deals over gRPC: create, read, update with versions, product lines, custom fields, bad input."""

from __future__ import annotations

import grpc
from google.protobuf import field_mask_pb2, json_format

from crm.common.v1 import common_pb2
from crm.deals.v1 import deals_pb2 as pb


def update(deal: pb.Deal, paths: list[str], version: int = 0) -> pb.UpdateDealRequest:
    return pb.UpdateDealRequest(deal=deal, update_mask=field_mask_pb2.FieldMask(paths=paths), expected_version=version)


async def test_deal_opens_in_the_first_open_stage_with_owner_team_and_distance(alice, board) -> None:
    deal = await board.open(alice, amount="200000.00", expected_close_date="2026-09-30")
    assert deal.stage_id == board.stage("Lead") and deal.stage_name == "Lead"
    assert (deal.status, deal.owner_id, deal.team_id, deal.version) == ("open", "u-alice", "team-north", 1)
    assert deal.distance.probability == 10
    assert deal.distance.expected_amount == "20000.00"
    assert deal.distance.distance == "180000.00"
    assert not deal.distance.stalled
    assert deal.expected_close_date == "2026-09-30"
    again = await alice.GetDeal(pb.GetDealRequest(id=deal.id))
    assert again == deal


async def test_lines_make_the_amount_with_discounts_in_decimal(alice, board) -> None:
    lines = [
        {"product": "Стеллаж складской", "quantity": "3", "price": "19999.99", "discount_percent": "12.5"},
        {"product": "Монтаж", "quantity": "1.5", "price": "1000.10"},
    ]
    deal = await board.open(alice, amount="", lines=lines)
    first, second = deal.lines
    assert (first.subtotal, first.total) == ("59999.97", "52499.97")  # discount 7500.00 (7499.99625 rounded)
    assert (second.subtotal, second.total, second.discount_percent) == ("1500.15", "1500.15", "0")
    assert deal.amount == "54000.12"
    assert deal.discount_amount == "7500.00"


async def test_amount_different_from_the_lines_total_is_refused(alice, board, rejected) -> None:
    lines = [{"product": "Лицензия", "quantity": "2", "price": "500"}]
    detail = await rejected(board.open(alice, amount="999.00", lines=lines), grpc.StatusCode.INVALID_ARGUMENT)
    assert [(f.field, f.code) for f in detail.field_violations] == [("amount", "amount_mismatch")]


async def test_bad_deal_input_names_every_field(alice, board, rejected) -> None:
    bad = board.deal(
        title="",
        amount="-5",
        currency="rub",
        client_id="not-a-party",
        expected_close_date="31.12.2026",
        lines=[{"product": "", "quantity": "0", "price": "abc", "discount_percent": "120"}],
    )
    detail = await rejected(alice.CreateDeal(pb.CreateDealRequest(deal=bad)), grpc.StatusCode.INVALID_ARGUMENT)
    assert detail.code == "validation_failed"
    assert {(f.field, f.code) for f in detail.field_violations} == {
        ("title", "required"),
        ("client_id", "invalid_id"),
        ("currency", "invalid_currency"),
        ("amount", "negative_amount"),
        ("expected_close_date", "invalid_date"),
        ("lines[0].product", "required"),
        ("lines[0].quantity", "out_of_range"),
        ("lines[0].price", "invalid_decimal"),
        ("lines[0].discount_percent", "out_of_range"),
    }


async def test_unknown_stage_and_stage_of_another_pipeline_are_refused_at_creation(alice, board, rejected) -> None:
    sales = next(p for p in (await alice.ListPipelines(pb.ListPipelinesRequest())).pipelines if p.name_en == "Sales")
    detail = await rejected(
        board.open(alice, stage_id="00000000-0000-0000-0000-000000000000"), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert detail.field_violations[0].code == "unknown_stage"
    detail = await rejected(board.open(alice, stage_id=sales.stages[1].id), grpc.StatusCode.INVALID_ARGUMENT)
    assert detail.field_violations[0].code == "stage_not_in_pipeline"
    detail = await rejected(board.open(alice, stage_id=board.stage("Won")), grpc.StatusCode.INVALID_ARGUMENT)
    assert detail.field_violations[0].code == "stage_not_open"


async def test_update_checks_the_version_and_records_the_audit(alice, board, rejected) -> None:
    deal = await board.open(alice)
    changed = await alice.UpdateDeal(
        update(pb.Deal(id=deal.id, title="Поставка стеллажей", amount="175000.50"), ["title", "amount"], 1)
    )
    assert (changed.title, changed.amount, changed.version) == ("Поставка стеллажей", "175000.50", 2)
    detail = await rejected(
        alice.UpdateDeal(update(pb.Deal(id=deal.id, title="Другое"), ["title"], 1)), grpc.StatusCode.ABORTED
    )
    assert detail.code == "version_conflict"
    audit = (await alice.ListAudit(common_pb2.ListAuditRequest(entity_id=deal.id))).entries
    assert [e.action for e in audit] == ["updated", "created"]
    assert json_format.MessageToDict(audit[0].changes)["amount"] == {"old": "150000.00", "new": "175000.50"}


async def test_changing_lines_rederives_the_amount_and_the_stage_only_moves_explicitly(alice, board, rejected) -> None:
    deal = await board.open(alice)
    lines = [pb.DealLine(product="Сервер", quantity="2", price="300000", discount_percent="10")]
    changed = await alice.UpdateDeal(update(pb.Deal(id=deal.id, lines=lines), ["lines"]))
    assert changed.amount == "540000.00"
    detail = await rejected(
        alice.UpdateDeal(update(pb.Deal(id=deal.id, stage_id=board.stage("Proposal")), ["stage_id"])),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert detail.field_violations[0].code == "use_move_stage"


async def test_custom_fields_are_validated_against_their_definitions(admin, alice, board, rejected) -> None:
    key = f"tender_{board.id[:6]}"
    await admin.CreateCustomField(common_pb2.CustomFieldDefinition(key=key, label="Номер тендера", type="number"))
    deal = await board.open(alice, custom_fields={key: 12345})
    assert json_format.MessageToDict(deal.custom_fields) == {key: 12345.0}
    detail = await rejected(board.open(alice, custom_fields={key: "abc"}), grpc.StatusCode.INVALID_ARGUMENT)
    assert detail.field_violations[0].code == "invalid_custom_field"
    detail = await rejected(board.open(alice, custom_fields={"nope": 1}), grpc.StatusCode.INVALID_ARGUMENT)
    assert detail.field_violations[0].code == "unknown_custom_field"
    found = await alice.ListDeals(
        pb.ListDealsRequest(filters=[*board.by_pipeline(), {"field": f"cf.{key}", "op": "gte", "value": "12000"}])
    )
    assert [d.id for d in found.deals] == [deal.id]
