"""Custom fields, relationship types, saved filters and the client-knowledge report."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2 as pb
from crm_gateway import rest
from crm_gateway.deps import Call, Filters
from crm_gateway.schemas.parties import (
    CustomFieldCreate,
    CustomFieldOut,
    CustomFieldPatch,
    KnowledgeReportOut,
    RelationshipTypeCreate,
    RelationshipTypeOut,
    SavedFilterCreate,
    SavedFilterOut,
)

router = APIRouter(prefix="/api/v1", tags=["reference"])


@router.get("/custom-fields", response_model=list[CustomFieldOut], summary="Custom field definitions")
async def list_custom_fields(
    call: Call, entity_type: Literal["", "company", "person"] = "", include_archived: bool = False
) -> list[CustomFieldOut]:
    result = await call.contacts.ListCustomFields(
        pb.ListCustomFieldsRequest(entity_type=entity_type, include_archived=include_archived)
    )
    return [rest.out(f, CustomFieldOut) for f in result.fields]


@router.post("/custom-fields", response_model=CustomFieldOut, status_code=201, summary="Define a custom field (admin)")
async def create_custom_field(body: CustomFieldCreate, call: Call) -> CustomFieldOut:
    return rest.out(
        await call.contacts.CreateCustomField(rest.body_message(body, common_pb2.CustomFieldDefinition)),
        CustomFieldOut,
    )


@router.patch(
    "/custom-fields/{field_id}",
    response_model=CustomFieldOut,
    summary="Relabel, re-option, require or archive a custom field (admin)",
)
async def update_custom_field(field_id: str, body: CustomFieldPatch, call: Call) -> CustomFieldOut:
    request = rest.custom_field_update(field_id, body)
    return rest.out(await call.contacts.UpdateCustomField(request), CustomFieldOut)


@router.get(
    "/relationship-types",
    response_model=list[RelationshipTypeOut],
    summary="Relationship types (client, supplier, partner, ...)",
)
async def list_relationship_types(call: Call) -> list[RelationshipTypeOut]:
    result = await call.contacts.ListRelationshipTypes(pb.ListRelationshipTypesRequest())
    return [rest.out(t, RelationshipTypeOut) for t in result.types]


@router.post(
    "/relationship-types",
    response_model=RelationshipTypeOut,
    status_code=201,
    summary="Add a relationship type (admin)",
)
async def create_relationship_type(body: RelationshipTypeCreate, call: Call) -> RelationshipTypeOut:
    return rest.out(
        await call.contacts.CreateRelationshipType(pb.RelationshipType(code=body.code, label=body.label)),
        RelationshipTypeOut,
    )


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
