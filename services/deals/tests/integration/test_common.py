"""The crm.common.v1 services on the deals port: the audit of a hidden deal, the loss_reasons code list."""

from __future__ import annotations

import uuid

import grpc
from google.protobuf import field_mask_pb2

from crm.common.v1 import common_pb2

LIST = "loss_reasons"


async def test_audit_of_a_hidden_deal_is_not_found_not_an_empty_list(alice, bob, board, rejected) -> None:
    deal = await board.open(alice)
    own = await alice.ListAudit(common_pb2.ListAuditRequest(entity_type="deal", entity_id=deal.id))
    assert [e.action for e in own.entries] == ["created"]
    for request in (
        common_pb2.ListAuditRequest(entity_type="deal", entity_id=deal.id),
        common_pb2.ListAuditRequest(entity_id=deal.id),
        common_pb2.ListAuditRequest(entity_id=str(uuid.uuid4())),
    ):
        assert (await rejected(bob.ListAudit(request), grpc.StatusCode.NOT_FOUND)).code == "deal_not_found"
    other_kind = common_pb2.ListAuditRequest(entity_type="pipeline", entity_id=board.id)
    detail = await rejected(alice.ListAudit(other_kind), grpc.StatusCode.INVALID_ARGUMENT)
    assert detail.field_violations[0].field == "entity_type"


async def test_loss_reason_round_trip_through_the_code_list_service(admin, alice, rejected) -> None:
    code = f"distributor_{uuid.uuid4().hex[:6]}"
    created = await admin.CreateCode(
        common_pb2.CreateCodeRequest(list=LIST, code=common_pb2.Code(code=code, label_ru="Ушли к дистрибьютору"))
    )
    assert (created.label_ru, created.label_en, created.builtin, created.archived) == (
        "Ушли к дистрибьютору",
        "Ушли к дистрибьютору",
        False,
        False,
    )
    updated = await admin.UpdateCode(
        common_pb2.UpdateCodeRequest(
            list=LIST,
            code=common_pb2.Code(code=code, label_en="Went to a distributor", order=1000),
            update_mask=field_mask_pb2.FieldMask(paths=["label_en", "order"]),
        )
    )
    assert (updated.label_ru, updated.label_en, updated.order) == (
        "Ушли к дистрибьютору",
        "Went to a distributor",
        1000,
    )
    listed = (await alice.ListCodes(common_pb2.ListCodesRequest(list=LIST))).codes
    assert listed[-1].code == code and {"price", "other"} <= {c.code for c in listed}
    # Archived, it stays readable but leaves the pick list (and the lists other tests compare).
    await admin.UpdateCode(
        common_pb2.UpdateCodeRequest(
            list=LIST,
            code=common_pb2.Code(code=code, archived=True),
            update_mask=field_mask_pb2.FieldMask(paths=["archived"]),
        )
    )
    assert code not in [c.code for c in (await alice.ListCodes(common_pb2.ListCodesRequest(list=LIST))).codes]
    unknown = common_pb2.ListCodesRequest(list="no_such_list")
    assert (await rejected(alice.ListCodes(unknown), grpc.StatusCode.NOT_FOUND)).code == "code_list_not_found"
    missing = common_pb2.UpdateCodeRequest(
        list=LIST,
        code=common_pb2.Code(code="nope", archived=True),
        update_mask=field_mask_pb2.FieldMask(paths=["archived"]),
    )
    assert (await rejected(admin.UpdateCode(missing), grpc.StatusCode.NOT_FOUND)).code == "loss_reason_not_found"
