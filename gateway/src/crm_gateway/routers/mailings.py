"""/api/v1/segments, /api/v1/mail-templates, /api/v1/mailings, /api/v1/mail-suppressions: HTTP <-> the
marketing service's segment and mailing RPCs. The public mail links (open pixel, click, unsubscribe) are
crm_gateway.public_mail."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import grpc
from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse

from crm.marketing.v1 import marketing_pb2 as pb
from crm_gateway import rest
from crm_gateway.deps import Call, Cursor, IfMatch, Limit
from crm_gateway.problems import problem_from_grpc
from crm_gateway.schemas.common import Count, Page
from crm_gateway.schemas.mailings import (
    MailingCreate,
    MailingOut,
    MailTemplateCreate,
    MailTemplateOut,
    MemberOut,
    RecipientOut,
    SegmentCreate,
    SegmentMembers,
    SegmentOut,
    SuppressionCreate,
    SuppressionOut,
    TestSend,
    TestSendOut,
)

router = APIRouter(prefix="/api/v1", tags=["mailings"])


# --- segments ---------------------------------------------------------------------------------


@router.get("/segments", response_model=Page[SegmentOut], summary="Segments you can see")
async def list_segments(
    call: Call, q: Annotated[str, Query(max_length=200)] = "", limit: Limit = 50, cursor: Cursor = ""
) -> Page[SegmentOut]:
    result = await call.marketing.ListSegments(pb.ListSegmentsRequest(query=q, limit=limit, cursor=cursor))
    return Page[SegmentOut](items=[rest.out(s, SegmentOut) for s in result.segments], next_cursor=result.next_cursor)


@router.post("/segments", response_model=SegmentOut, status_code=201, summary="Save a segment (dynamic or static)")
async def create_segment(body: SegmentCreate, call: Call, response: Response) -> SegmentOut:
    message = await call.marketing.CreateSegment(pb.CreateSegmentRequest(segment=rest.body_message(body, pb.Segment)))
    response.headers["Location"] = f"/api/v1/segments/{message.id}"
    return rest.versioned(message, SegmentOut, response)


@router.get("/segments/{segment_id}", response_model=SegmentOut, summary="A segment (ETag)")
async def get_segment(segment_id: str, call: Call, response: Response) -> SegmentOut:
    return rest.versioned(await call.marketing.GetSegment(pb.GetSegmentRequest(id=segment_id)), SegmentOut, response)


@router.get("/segments/{segment_id}/count", response_model=Count, summary="How many members you see")
async def count_segment(segment_id: str, call: Call) -> Count:
    result = await call.marketing.CountSegment(pb.CountSegmentRequest(segment_id=segment_id))
    return Count(count=result.count, capped=result.capped)


@router.get("/segments/{segment_id}/members", response_model=Page[MemberOut], summary="The members you see")
async def list_members(segment_id: str, call: Call, limit: Limit = 50, cursor: Cursor = "") -> Page[MemberOut]:
    result = await call.marketing.ListSegmentMembers(
        pb.ListSegmentMembersRequest(segment_id=segment_id, limit=limit, cursor=cursor)
    )
    return Page[MemberOut](items=[rest.out(m, MemberOut) for m in result.members], next_cursor=result.next_cursor)


async def _members(
    segment_id: str, body: SegmentMembers, call: Call, response: Response, if_match: str | None, add: bool
) -> SegmentOut:
    version = rest.expected_version(if_match)
    if not version:
        version = int((await call.marketing.GetSegment(pb.GetSegmentRequest(id=segment_id))).version)
    request = pb.SegmentMembersRequest(
        segment_id=segment_id,
        members=[pb.MemberRef(kind=m.kind, id=m.id) for m in body.members],
        expected_version=version,
    )
    method = call.marketing.AddSegmentMembers if add else call.marketing.RemoveSegmentMembers
    return rest.versioned(await method(request), SegmentOut, response)


@router.post("/segments/{segment_id}/members", response_model=SegmentOut, summary="Add parties or leads (static)")
async def add_members(
    segment_id: str, body: SegmentMembers, call: Call, response: Response, if_match: IfMatch = None
) -> SegmentOut:
    return await _members(segment_id, body, call, response, if_match, True)


@router.post(
    "/segments/{segment_id}/members/remove", response_model=SegmentOut, summary="Remove members (static segment)"
)
async def remove_members(
    segment_id: str, body: SegmentMembers, call: Call, response: Response, if_match: IfMatch = None
) -> SegmentOut:
    return await _members(segment_id, body, call, response, if_match, False)


@router.get(
    "/segments/{segment_id}/export",
    summary="The members you see as CSV (UTF-8 with BOM, ';') or XLSX, streamed",
    response_class=StreamingResponse,
)
async def export_segment(
    segment_id: str, call: Call, file_format: Annotated[str, Query(alias="format", pattern="^(csv|xlsx)$")] = "csv"
) -> StreamingResponse:
    stub: Any = call.clients.stubs["marketing"]
    stream = stub.ExportSegment(
        pb.ExportSegmentRequest(segment_id=segment_id, format=file_format), metadata=call.metadata, timeout=300
    )
    chunks = stream.__aiter__()
    try:
        first = await chunks.__anext__()  # errors (a hidden segment: 404) come before the first chunk
    except grpc.aio.AioRpcError as error:
        raise problem_from_grpc(error, "marketing") from error
    except StopAsyncIteration:
        first = pb.FileChunk()

    async def body() -> AsyncIterator[bytes]:
        yield first.data
        async for chunk in chunks:
            yield chunk.data

    filename = first.filename or f"segment.{file_format}"
    return StreamingResponse(
        body(),
        media_type=first.content_type or "application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- mail templates ------------------------------------------------------------------------------


@router.get("/mail-templates", response_model=Page[MailTemplateOut], summary="Mail templates you can see")
async def list_templates(call: Call, limit: Limit = 50, cursor: Cursor = "") -> Page[MailTemplateOut]:
    result = await call.marketing.ListMailTemplates(pb.ListMailTemplatesRequest(limit=limit, cursor=cursor))
    return Page[MailTemplateOut](
        items=[rest.out(t, MailTemplateOut) for t in result.templates], next_cursor=result.next_cursor
    )


@router.post(
    "/mail-templates",
    response_model=MailTemplateOut,
    status_code=201,
    summary="Save a template (merge fields: first_name, last_name, name, company, position, email, unsubscribe_url)",
)
async def create_template(body: MailTemplateCreate, call: Call, response: Response) -> MailTemplateOut:
    message = await call.marketing.CreateMailTemplate(
        pb.CreateMailTemplateRequest(template=rest.body_message(body, pb.MailTemplate))
    )
    response.headers["Location"] = f"/api/v1/mail-templates/{message.id}"
    return rest.versioned(message, MailTemplateOut, response)


@router.get("/mail-templates/{template_id}", response_model=MailTemplateOut, summary="A mail template")
async def get_template(template_id: str, call: Call, response: Response) -> MailTemplateOut:
    message = await call.marketing.GetMailTemplate(pb.GetMailTemplateRequest(id=template_id))
    return rest.versioned(message, MailTemplateOut, response)


# --- mailings ----------------------------------------------------------------------------------------


@router.get("/mailings", response_model=Page[MailingOut], summary="Mailings you can see")
async def list_mailings(
    call: Call,
    campaign_id: Annotated[str, Query(max_length=64)] = "",
    limit: Limit = 50,
    cursor: Cursor = "",
) -> Page[MailingOut]:
    result = await call.marketing.ListMailings(
        pb.ListMailingsRequest(campaign_id=campaign_id, limit=limit, cursor=cursor)
    )
    return Page[MailingOut](items=[rest.out(m, MailingOut) for m in result.mailings], next_cursor=result.next_cursor)


@router.post("/mailings", response_model=MailingOut, status_code=201, summary="A draft mailing")
async def create_mailing(body: MailingCreate, call: Call, response: Response) -> MailingOut:
    message = await call.marketing.CreateMailing(pb.CreateMailingRequest(mailing=rest.body_message(body, pb.Mailing)))
    response.headers["Location"] = f"/api/v1/mailings/{message.id}"
    return rest.versioned(message, MailingOut, response)


@router.get("/mailings/{mailing_id}", response_model=MailingOut, summary="A mailing with its counts (ETag)")
async def get_mailing(mailing_id: str, call: Call, response: Response) -> MailingOut:
    return rest.versioned(await call.marketing.GetMailing(pb.GetMailingRequest(id=mailing_id)), MailingOut, response)


@router.post("/mailings/{mailing_id}/test-send", response_model=TestSendOut, summary="Send to one address now")
async def test_send(mailing_id: str, body: TestSend, call: Call) -> TestSendOut:
    result = await call.marketing.TestSendMailing(pb.TestSendMailingRequest(id=mailing_id, email=body.email))
    return TestSendOut(message_id=result.message_id)


@router.post(
    "/mailings/{mailing_id}/send",
    response_model=MailingOut,
    status_code=202,
    summary="Send: recipients resolved as you, queued for the sender (If-Match optional)",
)
async def send_mailing(mailing_id: str, call: Call, response: Response, if_match: IfMatch = None) -> MailingOut:
    request = pb.SendMailingRequest(id=mailing_id, expected_version=rest.expected_version(if_match))
    return rest.versioned(await call.marketing.SendMailing(request), MailingOut, response)


@router.get(
    "/mailings/{mailing_id}/recipients", response_model=Page[RecipientOut], summary="Recipients with their statuses"
)
async def list_recipients(
    mailing_id: str,
    call: Call,
    status: Annotated[str, Query(max_length=30, description="queued, sent, failed, suppressed, ...")] = "",
    limit: Limit = 50,
    cursor: Cursor = "",
) -> Page[RecipientOut]:
    result = await call.marketing.ListMailingRecipients(
        pb.ListMailingRecipientsRequest(mailing_id=mailing_id, status=status, limit=limit, cursor=cursor)
    )
    return Page[RecipientOut](
        items=[rest.out(r, RecipientOut) for r in result.recipients], next_cursor=result.next_cursor
    )


# --- the suppression list -------------------------------------------------------------------------


@router.get("/mail-suppressions", response_model=Page[SuppressionOut], summary="Addresses no mailing goes to")
async def list_suppressions(call: Call, limit: Limit = 50, cursor: Cursor = "") -> Page[SuppressionOut]:
    result = await call.marketing.ListSuppressions(pb.ListSuppressionsRequest(limit=limit, cursor=cursor))
    return Page[SuppressionOut](
        items=[rest.out(s, SuppressionOut) for s in result.suppressions], next_cursor=result.next_cursor
    )


@router.post("/mail-suppressions", response_model=SuppressionOut, status_code=201, summary="Never mail an address")
async def add_suppression(body: SuppressionCreate, call: Call) -> SuppressionOut:
    return rest.out(await call.marketing.AddSuppression(pb.SuppressionRequest(email=body.email)), SuppressionOut)


@router.delete("/mail-suppressions/{email}", status_code=204, summary="Mail an address again (admins, audited)")
async def remove_suppression(email: str, call: Call) -> Response:
    await call.marketing.RemoveSuppression(pb.SuppressionRequest(email=email))
    return Response(status_code=204)
