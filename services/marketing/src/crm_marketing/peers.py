"""The services marketing calls: contacts (duplicates, parties) and deals (deals), always as a named caller.

A lead is converted, and its duplicates are looked up, as the user who asked:
contacts and deals apply that user's access, so nothing the user may not see is
found or attached. A write that must happen once whatever the retries carries
an idempotency key (crm_core.answered): the same caller sending the same
request with the same key gets the first answer back, never a second record.
"""

from __future__ import annotations

from typing import Any

import grpc

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2, contacts_pb2_grpc
from crm.deals.v1 import deals_pb2, deals_pb2_grpc
from crm_core.auth import Caller
from crm_core.peers import PeerChannels


class Peers(PeerChannels):
    """Channels to contacts and deals, opened once (crm_core.peers)."""

    def __init__(self, contacts_target: str, deals_target: str, internal_secret: str) -> None:
        super().__init__({"contacts": contacts_target, "deals": deals_target}, internal_secret)

    def _channel(self, service: str) -> grpc.aio.Channel:
        return self.channel(service)

    async def _call(self, service: str, method: Any, request: Any, caller: Caller, key: str = "") -> Any:
        return await self.call(service, method, request, caller, key)

    # contacts -------------------------------------------------------------------------

    async def find_party_duplicates(self, caller: Caller, candidate: contacts_pb2.Party) -> list[Any]:
        stub = contacts_pb2_grpc.ContactsServiceStub(self._channel("contacts"))
        request = contacts_pb2.FindDuplicatesRequest(candidate=candidate, limit=5)
        response = await self._call("contacts", stub.FindDuplicates, request, caller)
        return list(response.candidates)

    async def find_parties_by_keys(
        self, caller: Caller, *, inns: list[str], emails: list[str], phones: list[str]
    ) -> contacts_pb2.FindPartiesByKeysResponse:
        """Parties the caller sees holding any of the keys (an import batch's duplicate check)."""
        stub = contacts_pb2_grpc.ContactsServiceStub(self._channel("contacts"))
        request = contacts_pb2.FindPartiesByKeysRequest(inns=inns, emails=emails, phones=phones)
        return await self._call("contacts", stub.FindPartiesByKeys, request, caller)

    async def create_party(self, caller: Caller, party: contacts_pb2.Party, key: str) -> contacts_pb2.Party:
        stub = contacts_pb2_grpc.ContactsServiceStub(self._channel("contacts"))
        request = contacts_pb2.CreatePartyRequest(party=party, allow_duplicate=True)
        return (await self._call("contacts", stub.CreateParty, request, caller, key)).party

    async def get_party(self, caller: Caller, party_id: str) -> contacts_pb2.Party:
        stub = contacts_pb2_grpc.ContactsServiceStub(self._channel("contacts"))
        return await self._call("contacts", stub.GetParty, contacts_pb2.GetPartyRequest(id=party_id), caller)

    async def link_person(self, caller: Caller, company_id: str, person_id: str, key: str) -> None:
        stub = contacts_pb2_grpc.ContactsServiceStub(self._channel("contacts"))
        request = contacts_pb2.LinkPersonRequest(company_id=company_id, person_id=person_id)
        await self._call("contacts", stub.LinkPerson, request, caller, key)

    async def bulk_create_parties(
        self, caller: Caller, request: contacts_pb2.BulkCreatePartiesRequest, key: str
    ) -> contacts_pb2.BulkCreatePartiesResponse:
        stub = contacts_pb2_grpc.ContactsServiceStub(self._channel("contacts"))
        return await self._call("contacts", stub.BulkCreateParties, request, caller, key)

    # deals --------------------------------------------------------------------------------

    async def create_deal(self, caller: Caller, deal: deals_pb2.Deal, key: str) -> deals_pb2.Deal:
        stub = deals_pb2_grpc.DealsServiceStub(self._channel("deals"))
        return await self._call("deals", stub.CreateDeal, deals_pb2.CreateDealRequest(deal=deal), caller, key)

    # contacts: segments ----------------------------------------------------------------

    async def list_parties(
        self, caller: Caller, query: str, filters: list[tuple[str, str, str]], limit: int, cursor: str
    ) -> contacts_pb2.ListPartiesResponse:
        """A page of the parties the caller sees that match (a dynamic segment over parties)."""
        stub = contacts_pb2_grpc.ContactsServiceStub(self._channel("contacts"))
        request = contacts_pb2.ListPartiesRequest(
            query=query, filters=[_filter(f) for f in filters], limit=limit, cursor=cursor
        )
        return await self._call("contacts", stub.ListParties, request, caller)

    async def count_parties(
        self, caller: Caller, query: str, filters: list[tuple[str, str, str]]
    ) -> contacts_pb2.CountPartiesResponse:
        """How many parties the caller sees match (contacts counts exactly up to its cap)."""
        stub = contacts_pb2_grpc.ContactsServiceStub(self._channel("contacts"))
        request = contacts_pb2.CountPartiesRequest(query=query, filters=[_filter(f) for f in filters])
        return await self._call("contacts", stub.CountParties, request, caller)


def _filter(item: tuple[str, str, str]) -> common_pb2.Filter:
    return common_pb2.Filter(field=item[0], op=item[1], value=item[2])
