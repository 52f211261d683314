"""/api/v1/leads/{lead_id}/visits and /api/v1/parties/{party_id}/visits: the site visits a reader may see.

The public side (the tracking snippet and its endpoint) is public_visits.
"""

from __future__ import annotations

from fastapi import APIRouter

from crm.contacts.v1 import contacts_pb2
from crm.marketing.v1 import marketing_pb2 as pb
from crm_gateway import rest
from crm_gateway.deps import Call, Cursor, Limit
from crm_gateway.schemas.common import Page
from crm_gateway.schemas.visits import VisitOut

router = APIRouter(prefix="/api/v1", tags=["marketing"])


def _page(result: pb.ListVisitsResponse) -> Page[VisitOut]:
    return Page[VisitOut](items=[rest.out(v, VisitOut) for v in result.visits], next_cursor=result.next_cursor)


@router.get("/leads/{lead_id}/visits", response_model=Page[VisitOut], summary="A lead's site visits, newest first")
async def lead_visits(lead_id: str, call: Call, limit: Limit = 50, cursor: Cursor = "") -> Page[VisitOut]:
    return _page(await call.marketing.ListVisits(pb.ListVisitsRequest(lead_id=lead_id, limit=limit, cursor=cursor)))


@router.get(
    "/parties/{party_id}/visits",
    response_model=Page[VisitOut],
    summary="A party's site visits that came through leads you can see, newest first",
)
async def party_visits(party_id: str, call: Call, limit: Limit = 50, cursor: Cursor = "") -> Page[VisitOut]:
    party = await call.contacts.GetParty(contacts_pb2.GetPartyRequest(id=party_id))  # 404 for a hidden party
    return _page(await call.marketing.ListVisits(pb.ListVisitsRequest(party_id=party.id, limit=limit, cursor=cursor)))
