"""The crm.common.v1 services on the contacts port: the audit of a hidden party, the relationship_types list."""

from __future__ import annotations

import uuid

import grpc
from google.protobuf import field_mask_pb2

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2 as pb


async def test_audit_of_a_hidden_party_is_not_found_even_once_deleted(alice, bob, parties, rejected) -> None:
    company = await parties.new_company(alice)
    request = common_pb2.ListAuditRequest(entity_type="party", entity_id=company.id)
    assert [e.action for e in (await alice.ListAudit(request)).entries] == ["created"]
    assert (await rejected(bob.ListAudit(request), grpc.StatusCode.NOT_FOUND)).code == "party_not_found"
    await alice.DeleteParty(pb.DeletePartyRequest(id=company.id))
    assert [e.action for e in (await alice.ListAudit(request)).entries][1:] == ["created"]
    assert (await rejected(bob.ListAudit(request), grpc.StatusCode.NOT_FOUND)).code == "party_not_found"


async def test_relationship_type_round_trip_keeps_shipped_labels_in_both_languages(admin, alice, rejected) -> None:
    listed = (await alice.ListCodes(common_pb2.ListCodesRequest(list="relationship_types"))).codes
    shipped = {c.code: (c.label_ru, c.label_en) for c in listed if c.builtin}
    assert shipped["supplier"] == ("Поставщик", "Supplier / contractor")
    code = f"distributor_{uuid.uuid4().hex[:6]}"
    request = common_pb2.CreateCodeRequest(
        list="relationship_types", code=common_pb2.Code(code=code, label_ru="Дистрибьютор", label_en="Distributor")
    )
    await admin.CreateCode(request)
    assert (
        await rejected(admin.CreateCode(request), grpc.StatusCode.ALREADY_EXISTS)
    ).code == "relationship_type_exists"
    relabeled = await admin.UpdateCode(
        common_pb2.UpdateCodeRequest(
            list="relationship_types",
            code=common_pb2.Code(code=code, label_ru="Дилер"),
            update_mask=field_mask_pb2.FieldMask(paths=["label_ru"]),
        )
    )
    assert (relabeled.label_ru, relabeled.label_en) == ("Дилер", "Distributor")


async def test_an_archived_relationship_type_stays_on_its_parties_but_is_not_given_anew(
    admin, alice, parties, rejected
) -> None:
    code = f"reseller_{uuid.uuid4().hex[:6]}"
    await admin.CreateCode(
        common_pb2.CreateCodeRequest(list="relationship_types", code=common_pb2.Code(code=code, label_en="Reseller"))
    )
    holder = await parties.create(alice, parties.company(relationship_types=[code]))
    await admin.UpdateCode(
        common_pb2.UpdateCodeRequest(
            list="relationship_types",
            code=common_pb2.Code(code=code, archived=True),
            update_mask=field_mask_pb2.FieldMask(paths=["archived"]),
        )
    )
    kept = await alice.UpdateParty(
        pb.UpdatePartyRequest(
            party=pb.Party(id=holder.id, relationship_types=[code, "client"]),
            update_mask=field_mask_pb2.FieldMask(paths=["relationship_types"]),
        )
    )
    assert list(kept.relationship_types) == [code, "client"]
    refused = alice.CreateParty(pb.CreatePartyRequest(party=parties.company(relationship_types=[code])))
    detail = await rejected(refused, grpc.StatusCode.INVALID_ARGUMENT)
    assert detail.field_violations[0].code == "unknown_relationship_type"
