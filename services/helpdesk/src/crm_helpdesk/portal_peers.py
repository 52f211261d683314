"""What the portal and NPS ask other services, always as the caller: a person (contacts), a segment (marketing).

Whether the caller may see a party or a segment is its own service's rule: a
hidden one answers NOT_FOUND, which reaches the caller unchanged (crm_core.peers).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from crm.contacts.v1 import contacts_pb2, contacts_pb2_grpc
from crm.marketing.v1 import marketing_pb2, marketing_pb2_grpc
from crm_core.auth import Caller
from crm_core.peers import PeerChannels


@dataclass(frozen=True)
class Person:
    """A person in contacts as the portal and NPS need them."""

    id: str
    kind: str
    name: str
    emails: tuple[str, ...]
    # Their first company ("" none).
    organisation_id: str


class PortalPeers:
    """Reads on the helpdesk's channels to contacts and marketing (crm_core.peers)."""

    def __init__(self, channels: PeerChannels) -> None:
        self.channels = channels

    async def person(self, caller: Caller, party_id: str) -> Person:
        """The party as the caller sees it (NotFound from contacts when hidden or missing)."""
        stub = contacts_pb2_grpc.ContactsServiceStub(self.channels.channel("contacts"))
        party = await self.channels.call("contacts", stub.GetParty, contacts_pb2.GetPartyRequest(id=party_id), caller)
        companies = [link.company_id for link in party.links if link.company_id and link.company_id != party.id]
        return Person(
            party.id,
            party.kind,
            party.display_name,
            tuple(point.value for point in party.emails if point.value),
            companies[0] if companies else "",
        )

    async def segment_people(self, caller: Caller, segment_id: str) -> AsyncIterator[marketing_pb2.SegmentMember]:
        """Every member of the segment the caller sees, page by page."""
        stub = marketing_pb2_grpc.MarketingServiceStub(self.channels.channel("marketing"))
        cursor = ""
        while True:
            request = marketing_pb2.ListSegmentMembersRequest(segment_id=segment_id, limit=200, cursor=cursor)
            page = await self.channels.call("marketing", stub.ListSegmentMembers, request, caller)
            for member in page.members:
                yield member
            cursor = page.next_cursor
            if not cursor:
                return
