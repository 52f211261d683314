"""/api/v1/attachments: files on parties, deals, tasks and tickets, streamed both ways through the gateway.

An upload is multipart/form-data (`record_type`, `record_id`, then `file`; or the two as
query parameters) read as it arrives (crm_gateway.multipart) and sent to the documents
service as a client stream of 256 KiB chunks and an end message with the size and SHA-256
(without it the service keeps nothing): the gateway never holds the file. A body
whose Content-Length is over the limit is refused before it is read (413). A download is
the service's stream sent on as it comes, with the headers that keep a browser from
running what it fetched: nosniff, a sandboxing Content-Security-Policy, and inline
display only for images and PDFs (preview), everything else as a download.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from datetime import UTC
from typing import Annotated, Any

import grpc
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from crm.documents.v1 import attachments_pb2 as pb
from crm_gateway.clients import ServiceCall
from crm_gateway.deps import Call
from crm_gateway.downloads import INLINE_TYPES, content_disposition
from crm_gateway.multipart import (
    ENVELOPE,
    FileData,
    FileEnded,
    FileStarted,
    FormField,
    content_length,
    multipart_boundary,
    multipart_events,
)
from crm_gateway.problems import Problem, problem_from_grpc
from crm_gateway.schemas.attachments import AttachmentOut, AttachmentVersionOut
from crm_gateway.schemas.common import Page

router = APIRouter(prefix="/api/v1", tags=["attachments"])

CHUNK = 256 * 1024
# An upload may take as long as a slow connection needs; a download too.
STREAM_DEADLINE = 600.0
RECORD_TYPES = {
    "party": pb.RECORD_TYPE_PARTY,
    "deal": pb.RECORD_TYPE_DEAL,
    "task": pb.RECORD_TYPE_TASK,
    "ticket": pb.RECORD_TYPE_TICKET,
}
RECORD_NAMES = {value: name for name, value in RECORD_TYPES.items()}
# Shown in the page when asked (?inline=1): what a browser previews without running anything.
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "record_type": {"type": "string", "enum": sorted(RECORD_TYPES)},
                        "record_id": {"type": "string"},
                        "file": {"type": "string", "format": "binary"},
                    },
                }
            }
        },
    }
}


def _version(message: pb.AttachmentVersion) -> AttachmentVersionOut:
    return AttachmentVersionOut(
        version=message.version,
        filename=message.filename,
        content_type=message.content_type,
        size_bytes=message.size_bytes,
        sha256=message.sha256,
        uploaded_by=message.uploaded_by,
        uploaded_at=message.uploaded_at.ToDatetime(tzinfo=UTC) if message.HasField("uploaded_at") else None,
    )


def _attachment(message: pb.Attachment) -> AttachmentOut:
    return AttachmentOut(
        id=message.id,
        record_type=RECORD_NAMES.get(message.record_type, ""),
        record_id=message.record_id,
        filename=message.filename,
        content_type=message.content_type,
        size_bytes=message.size_bytes,
        latest_version=message.latest_version,
        created_by=message.created_by,
        created_at=message.created_at.ToDatetime(tzinfo=UTC) if message.HasField("created_at") else None,
        versions=[_version(v) for v in message.versions],
    )


def _record_type(value: str) -> Any:
    """The enum value of a record type named in the request; an unknown one goes to the service as unspecified,
    which refuses it with its own field problem."""
    return RECORD_TYPES.get(value, pb.RECORD_TYPE_UNSPECIFIED)


async def _upload(
    request: Request, call: ServiceCall, fields: dict[str, str], attachment_id: str = ""
) -> AttachmentOut:
    """Stream the multipart body's file to UploadAttachment, the start message sent when the file begins."""
    multipart_boundary(request)
    length = content_length(request)
    limit = request.app.state.settings.max_attachment_bytes
    if length > limit + ENVELOPE:
        raise Problem(413, "attachment_too_large", f"the file is larger than {limit // (1024 * 1024)} MB")
    failure: list[Problem] = []
    started: list[bool] = []

    async def messages() -> AsyncIterator[pb.UploadAttachmentRequest]:
        buffer = bytearray()
        size = 0
        digest = hashlib.sha256()
        try:
            async for event in multipart_events(request, ("record_type", "record_id")):
                if isinstance(event, FormField):
                    fields[event.name] = event.value
                elif isinstance(event, FileStarted):
                    if started:
                        raise Problem(422, "too_many_files", "send one file")
                    started.append(True)
                    yield pb.UploadAttachmentRequest(
                        start=pb.UploadAttachmentStart(
                            record_type=_record_type(fields.get("record_type", "")),
                            record_id=fields.get("record_id", ""),
                            filename=event.filename,
                            declared_size=max(0, length - ENVELOPE),
                            attachment_id=attachment_id,
                        )
                    )
                elif isinstance(event, FileData):
                    size += len(event.data)
                    digest.update(event.data)
                    buffer += event.data
                    while len(buffer) >= CHUNK:
                        yield pb.UploadAttachmentRequest(chunk=bytes(buffer[:CHUNK]))
                        del buffer[:CHUNK]
                elif isinstance(event, FileEnded) and buffer:
                    yield pb.UploadAttachmentRequest(chunk=bytes(buffer))
                    buffer.clear()
            if not started:
                raise Problem(422, "file_required", "send the file as the multipart field `file`")
            # Only this tells the service the file is complete (a cancelled stream ends like a finished one).
            yield pb.UploadAttachmentRequest(end=pb.UploadAttachmentEnd(size=size, sha256=digest.hexdigest()))
        except Problem as problem:
            # Raising here cancels the call: the service drops what it stored of the file.
            failure.append(problem)
            raise

    stub = call.clients.stubs["attachments"]
    try:
        uploaded = await stub.UploadAttachment(  # type: ignore[attr-defined]
            messages(), metadata=call.metadata, timeout=STREAM_DEADLINE
        )
    except grpc.aio.AioRpcError as error:
        if failure:
            raise failure[0] from error
        raise problem_from_grpc(error, "documents") from error
    except BaseException:
        if failure:
            raise failure[0] from None
        raise
    return _attachment(uploaded)


@router.post(
    "/attachments",
    response_model=AttachmentOut,
    status_code=201,
    summary="Attach a file to a party, deal, task or ticket (multipart: record_type, record_id, then file)",
    openapi_extra=UPLOAD_BODY,
)
async def upload_attachment(
    request: Request,
    call: Call,
    record_type: Annotated[
        str, Query(max_length=16, description="party, deal, task or ticket (or the form field)")
    ] = "",
    record_id: Annotated[str, Query(max_length=64, description="The record's id (or the form field)")] = "",
) -> AttachmentOut:
    fields = {k: v for k, v in (("record_type", record_type), ("record_id", record_id)) if v}
    return await _upload(request, call, fields)


@router.post(
    "/attachments/{attachment_id}/versions",
    response_model=AttachmentOut,
    status_code=201,
    summary="Upload a new version of an attachment (multipart: file); the older versions stay",
    openapi_extra=UPLOAD_BODY,
)
async def upload_version(attachment_id: str, request: Request, call: Call) -> AttachmentOut:
    return await _upload(request, call, {}, attachment_id)


@router.get("/attachments", response_model=Page[AttachmentOut], summary="A record's attachments, newest first")
async def list_attachments(
    call: Call,
    record_type: Annotated[str, Query(max_length=16, description="party, deal, task or ticket")],
    record_id: Annotated[str, Query(max_length=64)],
) -> Page[AttachmentOut]:
    request = pb.ListAttachmentsRequest(record_type=_record_type(record_type), record_id=record_id)
    result = await call.attachments.ListAttachments(request)
    return Page[AttachmentOut](items=[_attachment(a) for a in result.attachments], next_cursor="")


@router.get("/attachments/{attachment_id}", response_model=AttachmentOut, summary="An attachment with its versions")
async def get_attachment(attachment_id: str, call: Call) -> AttachmentOut:
    return _attachment(await call.attachments.GetAttachment(pb.GetAttachmentRequest(id=attachment_id)))


@router.get(
    "/attachments/{attachment_id}/content",
    summary="The file (the latest version, or ?version=N); ?inline=1 shows images and PDFs in the browser",
    response_class=StreamingResponse,
    # The file's own (sniffed) type: a PDF, an image, a spreadsheet, any file.
    responses={200: {"content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}},
)
async def download_attachment(
    attachment_id: str,
    call: Call,
    version: Annotated[int, Query(ge=0, le=1_000_000, description="0 or absent: the latest")] = 0,
    inline: Annotated[bool, Query(description="Show an image or a PDF in the page instead of downloading")] = False,
) -> Response:
    stub = call.clients.stubs["attachments"]
    request = pb.DownloadAttachmentRequest(id=attachment_id, version=version)
    stream = stub.DownloadAttachment(request, metadata=call.metadata, timeout=STREAM_DEADLINE)  # type: ignore[attr-defined]
    try:
        first = await stream.read()
    except grpc.aio.AioRpcError as error:
        raise problem_from_grpc(error, "documents") from error
    if first is grpc.aio.EOF:
        raise Problem(500, "internal_error", "The request failed; it has been logged.")
    sent = first.version

    async def body() -> AsyncIterator[bytes]:
        try:
            while (chunk := await stream.read()) is not grpc.aio.EOF:
                yield chunk.data
        finally:
            stream.cancel()  # the client went away: stop reading the store

    shown = inline and sent.content_type in INLINE_TYPES
    headers = {
        "Content-Disposition": content_disposition(sent.filename, shown),
        "Content-Length": str(sent.size_bytes),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'",
        "Cache-Control": "private, no-cache",
        "ETag": f'"{sent.sha256}"',
    }
    return StreamingResponse(body(), media_type=sent.content_type, headers=headers)


@router.delete("/attachments/{attachment_id}", status_code=204, summary="Delete (by the uploader, owner or admin)")
async def delete_attachment(attachment_id: str, call: Call) -> Response:
    await call.attachments.DeleteAttachment(pb.DeleteAttachmentRequest(id=attachment_id))
    return Response(status_code=204)
