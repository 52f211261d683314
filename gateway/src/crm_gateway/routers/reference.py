"""Saved filters and the client-knowledge report (custom fields and relationship types: routers.common)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from crm.contacts.v1 import contacts_pb2 as pb
from crm_gateway import rest
from crm_gateway.deps import Call, Filters
from crm_gateway.schemas.parties import (
    KnowledgeReportOut,
    SavedFilterCreate,
    SavedFilterOut,
)

router = APIRouter(prefix="/api/v1", tags=["reference"])


@router.get("/saved-filters", response_model=list[SavedFilterOut], summary="Your saved filters and the shared ones")
async def list_saved_filters(call: Call) -> list[SavedFilterOut]:
    result = await call.contacts.ListSavedFilters(pb.ListSavedFiltersRequest())
    return [rest.out(f, SavedFilterOut) for f in result.filters]


@router.post("/saved-filters", response_model=SavedFilterOut, status_code=201, summary="Save a party search")
async def create_saved_filter(body: SavedFilterCreate, call: Call) -> SavedFilterOut:
    return rest.out(
        await call.contacts.CreateSavedFilter(rest.body_message(body, pb.SavedFilter)),
        SavedFilterOut,
    )


@router.delete("/saved-filters/{filter_id}", status_code=204, summary="Delete one of your saved filters")
async def delete_saved_filter(filter_id: str, call: Call) -> Response:
    await call.contacts.DeleteSavedFilter(pb.DeleteSavedFilterRequest(id=filter_id))
    return Response(status_code=204)


@router.get(
    "/reports/client-knowledge",
    response_model=KnowledgeReportOut,
    summary="Needs, refusal reasons, payment discipline and seasons over matching parties",
)
async def knowledge_report(
    call: Call, q: Annotated[str, Query(max_length=200)] = "", filters: Filters = []
) -> KnowledgeReportOut:
    result = await call.contacts.GetKnowledgeReport(
        pb.GetKnowledgeReportRequest(query=q, filters=rest.parse_filters(filters))
    )
    return rest.out(result, KnowledgeReportOut)
