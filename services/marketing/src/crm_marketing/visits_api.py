"""The site-visit RPCs of MarketingService (a part of the servicer, grpc_api.MarketingServicer)."""

from __future__ import annotations

from typing import TypeAlias

import grpc

from crm.marketing.v1 import marketing_pb2 as pb
from crm_core.auth import current_caller
from crm_core.pagination import clamp_limit
from crm_core.protojson import timestamp
from crm_marketing.models import Visit
from crm_marketing.visits import UTM_KEYS, Visits, page_view

Context: TypeAlias = grpc.aio.ServicerContext


def visit_message(visit: Visit) -> pb.Visit:
    return pb.Visit(
        id=visit.id,
        visitor_id=visit.visitor_id,
        url=visit.url,
        title=visit.title,
        referrer=visit.referrer,
        utm=pb.Utm(**{k: v for k, v in (visit.utm or {}).items() if k in UTM_KEYS}),
        visited_at=timestamp(visit.at),
        lead_id=visit.lead_id or "",
        party_id=visit.party_id or "",
    )


class VisitsApi:
    """RecordVisit, ListVisits."""

    visits: Visits

    async def RecordVisit(self, request: pb.RecordVisitRequest, context: Context) -> pb.RecordVisitResponse:
        """A page view of the tracking snippet: checked, limited, stored; visit.recorded once the visitor is known."""
        view = page_view(request.visitor_id, request.url, request.title, request.referrer)
        visit = await self.visits.record(view, request.client_ip[:64])
        return pb.RecordVisitResponse(visit_id=visit.id, identified=visit.lead_id is not None)

    async def ListVisits(self, request: pb.ListVisitsRequest, context: Context) -> pb.ListVisitsResponse:
        """A lead's visits or a party's (through the leads the caller may see), newest first."""
        page = await self.visits.list_visits(
            current_caller(), request.lead_id, request.party_id, clamp_limit(request.limit), request.cursor
        )
        return pb.ListVisitsResponse(visits=[visit_message(v) for v in page.items], next_cursor=page.next_cursor)
