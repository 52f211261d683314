"""A write sent with an idempotency key is carried out once; retries and racing twins get the first answer."""

from __future__ import annotations

import asyncio
import uuid

import grpc

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2 as pb
from crm_core.answered import IDEMPOTENCY_KEY


async def with_key(stub, key: str):  # type: ignore[no-untyped-def]
    """The stub's CreateParty, sending `key` along with the caller."""

    async def create(request: pb.CreatePartyRequest) -> pb.CreatePartyResponse:
        metadata = [*stub._metadata, (IDEMPOTENCY_KEY, key)]
        return await stub._stub.CreateParty(request, metadata=metadata, timeout=10)

    return create


async def same_tag(alice, tag: str) -> int:  # type: ignore[no-untyped-def]
    filters = [common_pb2.Filter(field="tags", op="eq", value=tag)]
    return (await alice.CountParties(pb.CountPartiesRequest(filters=filters))).count


async def test_a_retried_create_with_the_same_key_gets_the_first_answer_and_makes_one_party(
    alice, parties, tag
) -> None:
    create = await with_key(alice, str(uuid.uuid4()))
    request = pb.CreatePartyRequest(party=parties.company())
    first = await create(request)
    again = await create(request)
    assert again.party.id == first.party.id and again.party.version == first.party.version
    assert await same_tag(alice, tag) == 1


async def test_twins_racing_with_one_key_make_one_party_and_both_get_its_answer(alice, parties, tag) -> None:
    create = await with_key(alice, str(uuid.uuid4()))
    request = pb.CreatePartyRequest(party=parties.company())
    answers = await asyncio.gather(*(create(request) for _ in range(4)))
    assert len({a.party.id for a in answers}) == 1
    assert await same_tag(alice, tag) == 1


async def test_the_same_key_with_another_request_or_caller_is_another_write(alice, bob, parties, tag) -> None:
    key = str(uuid.uuid4())
    first = await (await with_key(alice, key))(pb.CreatePartyRequest(party=parties.company()))
    other_body = await (await with_key(alice, key))(pb.CreatePartyRequest(party=parties.company()))
    other_caller = await (await with_key(bob, key))(pb.CreatePartyRequest(party=parties.company()))
    assert len({first.party.id, other_body.party.id, other_caller.party.id}) == 3


async def test_a_refused_write_is_not_remembered_so_a_corrected_retry_goes_through(alice, parties, rejected) -> None:
    create = await with_key(alice, str(uuid.uuid4()))
    bad = pb.CreatePartyRequest(party=parties.company(company={"inn": "1234567890"}))
    detail = await rejected(create(bad), grpc.StatusCode.INVALID_ARGUMENT)
    assert detail.code == "validation_failed"
    # Nothing was stored for the refused request: sent again it is refused again, not replayed as a success.
    await rejected(create(bad), grpc.StatusCode.INVALID_ARGUMENT)
