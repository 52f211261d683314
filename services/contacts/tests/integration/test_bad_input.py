"""Partners call the service directly: undecodable bytes and text PostgreSQL cannot store are INVALID_ARGUMENT."""

from __future__ import annotations

import os

import grpc
import pytest

from crm.contacts.v1 import contacts_pb2 as pb
from crm.contacts.v1 import contacts_pb2_grpc
from crm_core.grpc_client import error_detail
from crm_core.testing import ALICE, CallerStub

INVALID = grpc.StatusCode.INVALID_ARGUMENT
GET_PARTY = "/crm.contacts.v1.ContactsService/GetParty"


async def test_a_nul_in_a_string_field_is_invalid_text_naming_the_field(alice, parties, rejected, row_counts) -> None:
    before = await row_counts()
    party = parties.company(company={"legal_name": "ООО «Ро\x00машка»"})
    detail = await rejected(alice.CreateParty(pb.CreatePartyRequest(party=party)), INVALID)
    assert detail.code == "invalid_text"
    assert [(v.field, v.code) for v in detail.field_violations] == [("party.company.legal_name", "invalid_text")]
    assert await row_counts() == before


async def test_nuls_in_repeated_fields_filters_and_custom_fields_are_each_named(alice, parties, rejected) -> None:
    party = parties.person(tags=["ok", "b\x00"], custom_fields={"note\x00": "x", "size": "big\x00"})
    detail = await rejected(alice.CreateParty(pb.CreatePartyRequest(party=party)), INVALID)
    assert sorted(v.field for v in detail.field_violations) == [
        "party.custom_fields.note\\u0000",
        "party.custom_fields.size",
        "party.tags[1]",
    ]
    search = pb.ListPartiesRequest(filters=[{"field": "industry", "op": "eq", "value": "a\x00"}])
    detail = await rejected(alice.ListParties(search), INVALID)
    assert [v.field for v in detail.field_violations] == ["filters[0].value"]


async def test_a_time_outside_the_years_1_to_9999_is_out_of_range_not_an_internal_error(
    alice, parties, rejected
) -> None:
    party = parties.company(knowledge={"refusal_reasons": [{"code": "price"}]})
    party.knowledge.refusal_reasons[0].occurred_at.seconds = 2**62
    detail = await rejected(alice.CreateParty(pb.CreatePartyRequest(party=party)), INVALID)
    assert [(v.field, v.code) for v in detail.field_violations] == [
        ("party.knowledge.refusal_reasons[0].occurred_at", "out_of_range")
    ]


async def test_invalid_utf8_bytes_are_a_malformed_request_not_an_internal_error(channel) -> None:
    raw = b"\x0a\x02\xff\xfe"  # GetPartyRequest.id (field 1, length-delimited) holding two bytes that are not UTF-8
    get_party = channel.unary_unary(GET_PARTY, request_serializer=None, response_deserializer=pb.Party.FromString)
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await get_party(raw, metadata=ALICE.metadata(os.environ["CRM_INTERNAL_SECRET"]), timeout=10)
    assert info.value.code() == INVALID, info.value.details()
    detail = error_detail(info.value)
    assert detail is not None and detail.code == "malformed_request"


async def test_a_truncated_message_is_a_malformed_request(channel) -> None:
    get_party = channel.unary_unary(GET_PARTY, request_serializer=None, response_deserializer=pb.Party.FromString)
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await get_party(b"\x0a\x10abc", metadata=ALICE.metadata(os.environ["CRM_INTERNAL_SECRET"]), timeout=10)
    assert info.value.code() == INVALID
    assert error_detail(info.value).code == "malformed_request"  # type: ignore[union-attr]


async def test_bad_input_from_an_unauthenticated_caller_is_unauthenticated_first(channel, rejected) -> None:
    stranger = CallerStub(
        contacts_pb2_grpc.ContactsServiceStub(channel), ALICE, secret="a-wrong-secret-of-at-least-32-characters"
    )
    await rejected(stranger.GetParty(pb.GetPartyRequest(id="a\x00")), grpc.StatusCode.UNAUTHENTICATED)
