"""Who asks: the requester of a ticket as contacts knows them, and the organisation portal access follows.

A ticket's requester is a person or a company in contacts, or only an e-mail address (an unknown sender,
linked to a party later). A person's organisation is their first company (contacts' links); a company is its
own. Staff name a requester they can see (contacts answers as them: a hidden party is NOT_FOUND); the e-mail
intake and the portal look requesters up as the system, since the sender is who they are whoever reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm.contacts.v1 import contacts_pb2, contacts_pb2_grpc
from crm.deals.v1 import deals_pb2, deals_pb2_grpc
from crm_core.auth import SYSTEM, Caller
from crm_core.errors import InvalidArgument, NotFound, invalid
from crm_core.peers import PeerChannels


@dataclass(frozen=True)
class Requester:
    party_id: str
    name: str
    email: str
    organisation_id: str | None


def requester_of(party: contacts_pb2.Party) -> Requester:
    """A party as a requester: its name, first e-mail and organisation."""
    if party.kind == "company":
        organisation: str | None = party.id
    else:
        organisation = next((link.company_id for link in party.links if link.company_id), None)
    email = party.emails[0].value.lower() if party.emails else ""
    return Requester(party.id, party.display_name, email, organisation)


class Requesters:
    """Requesters looked up in contacts, and the deals tickets link to in deals."""

    def __init__(self, peers: PeerChannels) -> None:
        self.peers = peers

    def _stub(self) -> contacts_pb2_grpc.ContactsServiceStub:
        return contacts_pb2_grpc.ContactsServiceStub(self.peers.channel("contacts"))

    async def by_party(self, caller: Caller, party_id: str) -> Requester:
        """The party as `caller` sees it; INVALID_ARGUMENT `requester_not_found` when hidden or missing."""
        try:
            party = await self.peers.call(
                "contacts", self._stub().GetParty, contacts_pb2.GetPartyRequest(id=party_id), caller
            )
        except (NotFound, InvalidArgument) as exc:
            raise invalid("requester_party_id", "requester_not_found", "no such client in contacts") from exc
        return requester_of(party)

    async def by_email(self, email: str) -> Requester | None:
        """The live party holding this e-mail (a person before a company), or None for an unknown sender."""
        if not email:
            return None
        request = contacts_pb2.FindPartiesByKeysRequest(emails=[email])
        found = await self.peers.call("contacts", self._stub().FindPartiesByKeys, request, SYSTEM)
        parties = sorted((m.party for m in found.matches), key=lambda p: (p.kind != "person", p.display_name))
        if not parties:
            return None
        party = parties[0]
        if party.kind == "person" and not party.links:
            # FindPartiesByKeys answers without links; the person's company comes from the party itself.
            party = await self.peers.call(
                "contacts", self._stub().GetParty, contacts_pb2.GetPartyRequest(id=party.id), SYSTEM
            )
        found_email = requester_of(party)
        return Requester(found_email.party_id, found_email.name, email, found_email.organisation_id)

    async def check_deal(self, caller: Caller, deal_id: str) -> None:
        """A ticket links only to a deal the caller sees (INVALID_ARGUMENT `deal_not_found` otherwise)."""
        stub = deals_pb2_grpc.DealsServiceStub(self.peers.channel("deals"))
        try:
            await self.peers.call("deals", stub.GetDeal, deals_pb2.GetDealRequest(id=deal_id), caller)
        except (NotFound, InvalidArgument) as exc:
            raise invalid("deal_id", "deal_not_found", "no such deal") from exc
