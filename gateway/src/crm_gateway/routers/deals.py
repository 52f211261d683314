"""/api/v1/deals: deals, stage moves, history, audit, payments, forecast, loss reasons, custom fields.

The client and contact persons of a deal live in contacts: before a deal
names them (create, or a change of client or contacts) they are fetched
from contacts as the caller, so a party the caller cannot see cannot be
attached (422, and nothing about it is revealed).
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from google.protobuf import field_mask_pb2

from crm.contacts.v1 import contacts_pb2
from crm.deals.v1 import deals_pb2 as pb
from crm_gateway import rest
from crm_gateway.clients import ServiceCall
from crm_gateway.deps import Call, Cursor, IfMatch, Limit
from crm_gateway.directory import check_user_refs
from crm_gateway.problems import Problem
from crm_gateway.records import visible_record
from crm_gateway.schemas.common import Page
from crm_gateway.schemas.deals import (
    DealCreate,
    DealOut,
    DealPatch,
    ForecastOut,
    MoveRequest,
    PaymentCreate,
    PaymentOut,
    PaymentReceive,
    PaymentSummaryOut,
    StageChangeOut,
)

router = APIRouter(prefix="/api/v1/deals", tags=["deals"])
# The payment record of a party, for its card (the party is checked in contacts first).
party_router = APIRouter(prefix="/api/v1/parties", tags=["deals"])

DEAL_FILTER_HELP = (
    "field:op:value, e.g. stage_id:eq:<id>, owner_id:eq:<user>, stalled:eq:true, regressing:eq:true, "
    "amount:gte:100000, distance:lte:50000, expected_close_date:lt:2026-07-01, cf.tender:eq:A-17, "
    "has_next_step:eq:false (open deals without an open task)"
)
DealFilters = Annotated[list[str], Query(alias="filter", description=DEAL_FILTER_HELP)]


def _deal(message: pb.Deal, response: Response) -> DealOut:
    return rest.versioned(message, DealOut, response)


async def _check_parties(call: ServiceCall, client_id: str | None, contact_ids: list[str] | None) -> str:
    """Check the client and contact persons in contacts; returns the client's display name."""
    contact_ids = contact_ids or []
    found = await asyncio.gather(
        *([visible_record(call, "party", client_id, "client_id")] if client_id else []),
        *[visible_record(call, "party", pid, f"contact_ids[{i}]") for i, pid in enumerate(contact_ids)],
    )
    contacts = found[1:] if client_id else found
    for i, party in enumerate(contacts):
        if party.kind != "person":
            message = f"contact person {party.id} is a company, not a person"
            raise Problem(
                422,
                "validation_failed",
                message,
                [{"field": f"contact_ids[{i}]", "code": "not_a_person", "message": message}],
            )
    return found[0].display_name if client_id else ""


async def _check_source(call: ServiceCall, source: dict[str, str] | None) -> None:
    """A deal's source names a campaign (and lead) the caller can see in marketing, not free text."""
    source = source or {}
    await asyncio.gather(
        *(
            visible_record(call, kind, source[key], f"source.{key}")
            for kind, key in (("campaign", "campaign_id"), ("lead", "lead_id"))
            if source.get(key)
        )
    )


# --- fixed paths (before /{deal_id}, which would otherwise match) ---------------------------------


@router.get(
    "/forecast",
    response_model=ForecastOut,
    summary="Weighted pipeline (amount x stage probability) of open deals per month, owner and/or team",
)
async def forecast(
    call: Call,
    pipeline_id: Annotated[str, Query(max_length=64, description="Empty: every pipeline")] = "",
    group_by: Annotated[list[str], Query(description="month, owner, team (repeat or comma-separate)")] = [],
    from_month: Annotated[str, Query(alias="from", max_length=7, description="YYYY-MM, inclusive")] = "",
    to_month: Annotated[str, Query(alias="to", max_length=7, description="YYYY-MM, inclusive")] = "",
    filters: DealFilters = [],
) -> ForecastOut:
    request = pb.GetForecastRequest(
        pipeline_id=pipeline_id,
        group_by=[g.strip() for item in group_by for g in item.split(",") if g.strip()],
        from_month=from_month,
        to_month=to_month,
        filters=rest.parse_filters(filters),
    )
    return rest.out(await call.deals.GetForecast(request), ForecastOut)


# --- deals -----------------------------------------------------------------------------------------


@router.get("", response_model=Page[DealOut], summary="List deals")
async def list_deals(
    call: Call,
    q: Annotated[str, Query(max_length=200, description="Words of the title or client name")] = "",
    filters: DealFilters = [],
    sort: Annotated[
        str,
        Query(
            max_length=100,
            description="Comma-separated: created_at, updated_at, amount, expected_close_date, stage_entered_at, "
            "distance, expected_amount, title; '-' for descending (default -updated_at)",
        ),
    ] = "",
    limit: Limit = 50,
    cursor: Cursor = "",
) -> Page[DealOut]:
    result = await call.deals.ListDeals(
        pb.ListDealsRequest(query=q, filters=rest.parse_filters(filters), sort=sort, limit=limit, cursor=cursor)
    )
    return Page[DealOut](items=[rest.out(d, DealOut) for d in result.deals], next_cursor=result.next_cursor)


@router.post("", response_model=DealOut, status_code=201, summary="Open a deal for a client you can see")
async def create_deal(body: DealCreate, call: Call, request: Request, response: Response) -> DealOut:
    await check_user_refs(request, body.owner_id, body.team_id, body.shared_with)
    client_name = await _check_parties(call, body.client_id, body.contact_ids)
    await _check_source(call, body.source.model_dump(exclude_none=True) if body.source else None)
    deal = rest.body_message(body, pb.Deal)
    deal.client_name = client_name
    message = await call.deals.CreateDeal(pb.CreateDealRequest(deal=deal))
    response.headers["Location"] = f"/api/v1/deals/{message.id}"
    return _deal(message, response)


@router.get("/{deal_id}", response_model=DealOut, summary="A deal with its distance to money (ETag = version)")
async def get_deal(deal_id: str, call: Call, response: Response) -> DealOut:
    return _deal(await call.deals.GetDeal(pb.GetDealRequest(id=deal_id)), response)


@router.patch(
    "/{deal_id}", response_model=DealOut, summary="Change a deal (JSON merge patch; If-Match); stages move by /move"
)
async def update_deal(
    deal_id: str, body: DealPatch, call: Call, request: Request, response: Response, if_match: IfMatch = None
) -> DealOut:
    patch, paths = rest.merge_patch(body.model_dump(mode="json", exclude_unset=True))
    await check_user_refs(request, patch.get("owner_id"), patch.get("team_id"), patch.get("shared_with"))
    checks_client = "client_id" in paths and patch.get("client_id")
    client_name = await _check_parties(
        call,
        patch.get("client_id") if checks_client else None,
        patch.get("contact_ids") if "contact_ids" in paths else None,
    )
    await _check_source(call, patch.get("source") if any(p.startswith("source") for p in paths) else None)
    deal = rest.body_message(DealPatch.model_validate(patch), pb.Deal)
    deal.id = deal_id
    if checks_client:
        deal.client_name = client_name
        paths.append("client_name")
    message = await call.deals.UpdateDeal(
        pb.UpdateDealRequest(
            deal=deal,
            update_mask=field_mask_pb2.FieldMask(paths=paths),
            expected_version=rest.expected_version(if_match),
        )
    )
    return _deal(message, response)


@router.post(
    "/{deal_id}/move",
    response_model=DealOut,
    summary="Move a deal to another stage of its pipeline (lost needs loss_reason; won needs an amount)",
)
async def move_deal(
    deal_id: str, body: MoveRequest, call: Call, response: Response, if_match: IfMatch = None
) -> DealOut:
    request = pb.MoveDealStageRequest(
        deal_id=deal_id,
        stage_id=body.stage_id,
        loss_reason=body.loss_reason or "",
        comment=body.comment or "",
        expected_version=rest.expected_version(if_match),
    )
    return _deal(await call.deals.MoveDealStage(request), response)


@router.get("/{deal_id}/stage-history", response_model=list[StageChangeOut], summary="Every stage move, oldest first")
async def stage_history(deal_id: str, call: Call) -> list[StageChangeOut]:
    result = await call.deals.ListStageHistory(pb.ListStageHistoryRequest(deal_id=deal_id))
    return [rest.out(c, StageChangeOut) for c in result.changes]


@router.get("/{deal_id}/payments", response_model=list[PaymentOut], summary="Expected and received payments")
async def list_payments(deal_id: str, call: Call) -> list[PaymentOut]:
    result = await call.deals.ListPayments(pb.ListPaymentsRequest(deal_id=deal_id))
    return [rest.out(p, PaymentOut) for p in result.payments]


@router.post(
    "/{deal_id}/payments", response_model=PaymentOut, status_code=201, summary="Add an expected or received payment"
)
async def add_payment(deal_id: str, body: PaymentCreate, call: Call) -> PaymentOut:
    request = pb.AddPaymentRequest(
        deal_id=deal_id,
        status=body.status,
        amount=body.amount,
        currency=body.currency or "",
        due_date=body.due_date or "",
        received_on=body.received_on or "",
        note=body.note or "",
    )
    return rest.out(await call.deals.AddPayment(request), PaymentOut)


@router.post(
    "/{deal_id}/payments/{payment_id}/receive",
    response_model=PaymentOut,
    summary="Mark an expected payment as received",
)
async def receive_payment(deal_id: str, payment_id: str, body: PaymentReceive, call: Call) -> PaymentOut:
    request = pb.ReceivePaymentRequest(
        deal_id=deal_id, payment_id=payment_id, received_on=body.received_on, amount=body.amount or ""
    )
    return rest.out(await call.deals.ReceivePayment(request), PaymentOut)


@party_router.get(
    "/{party_id}/payment-summary",
    response_model=PaymentSummaryOut,
    summary="Payment history and discipline of a party over the deals you can see",
)
async def payment_summary(party_id: str, call: Call) -> PaymentSummaryOut:
    party = await call.contacts.GetParty(contacts_pb2.GetPartyRequest(id=party_id))
    summary = await call.deals.GetPartyPaymentSummary(pb.GetPartyPaymentSummaryRequest(party_id=party.id))
    return rest.out(summary, PaymentSummaryOut)
