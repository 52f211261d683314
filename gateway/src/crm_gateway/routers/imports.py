"""/api/v1/imports: upload a CSV or XLSX of leads or parties, map and preview it, run, follow, download errors.

The upload is streamed: the multipart body is parsed as it arrives (crm_gateway.multipart) and the file goes to the
marketing service in chunks of at most 1 MB (UploadImportChunk), so the gateway never holds a
whole file. Send the form fields (`target`, `campaign_id`, `party_kind`) before the file, or as
query parameters. Everything else is a plain call of the service's import RPCs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from crm.marketing.v1 import marketing_pb2 as pb
from crm_gateway import rest
from crm_gateway.clients import ServiceCall
from crm_gateway.deps import Call, Cursor, Limit
from crm_gateway.downloads import stream_file
from crm_gateway.multipart import (
    ENVELOPE,
    Event,
    FileData,
    FileStarted,
    FormField,
    MalformedMultipart,
    content_length,
    multipart_boundary,
    multipart_events,
)
from crm_gateway.problems import Problem
from crm_gateway.schemas.common import Page
from crm_gateway.schemas.imports import ImportOut, ImportRowOut, PresetOut, PreviewIn, PreviewOut

router = APIRouter(prefix="/api/v1", tags=["imports"])

CHUNK = 1024 * 1024
# The service's file limit (crm_marketing.imports.files.MAX_BYTES), for refusing a body before reading it.
MAX_FILE = 20 * 1024 * 1024
FIELDS = ("target", "campaign_id", "party_kind")


def _import(message: pb.Import) -> ImportOut:
    return rest.out(message, ImportOut)


class _Upload:
    """The multipart body's events acted on: fields remembered, the file's bytes sent on in chunks as they come."""

    def __init__(self, call: ServiceCall, fields: dict[str, str], declared: int) -> None:
        self.call = call
        self.fields = fields
        self.declared = declared
        self.import_id = ""
        self.seq = 0
        self.buffer = bytearray()
        self.filename = ""

    async def handle(self, event: Event) -> None:
        if isinstance(event, FormField):
            self.fields[event.name] = event.value
        elif isinstance(event, FileStarted):
            if self.import_id:
                raise Problem(422, "too_many_files", "send one file")
            self.filename = event.filename or "import"
            await self._create()
        elif isinstance(event, FileData):
            self.buffer += event.data
            while len(self.buffer) >= CHUNK:
                await self._send(bytes(self.buffer[:CHUNK]))
                del self.buffer[:CHUNK]

    async def _create(self) -> None:
        request = pb.CreateImportRequest(
            target=self.fields.get("target", ""),
            filename=self.filename,
            campaign_id=self.fields.get("campaign_id", ""),
            party_kind=self.fields.get("party_kind", ""),
            size_bytes=self.declared,
        )
        self.import_id = (await self.call.marketing.CreateImport(request)).id

    async def _send(self, data: bytes) -> None:
        request = pb.UploadImportChunkRequest(import_id=self.import_id, seq=self.seq, data=data)
        await self.call.marketing.UploadImportChunk(request)
        self.seq += 1

    async def finish(self) -> pb.Import:
        if not self.import_id:
            raise Problem(422, "file_required", "send the file as the multipart field `file`")
        if self.buffer:
            await self._send(bytes(self.buffer))
            self.buffer.clear()
        return await self.call.marketing.FinishImportUpload(pb.FinishImportUploadRequest(import_id=self.import_id))


@router.post(
    "/imports",
    response_model=ImportOut,
    status_code=201,
    summary="Upload a CSV or XLSX of leads or parties (multipart: target, campaign_id, party_kind, then file)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {
                            "target": {"type": "string", "enum": ["leads", "parties"]},
                            "campaign_id": {"type": "string"},
                            "party_kind": {"type": "string", "enum": ["person", "company"]},
                            "file": {"type": "string", "format": "binary"},
                        },
                    }
                }
            },
        }
    },
)
async def create_import(
    request: Request,
    call: Call,
    target: Annotated[str, Query(max_length=16, description="leads or parties (or the form field)")] = "",
    campaign_id: Annotated[str, Query(max_length=64)] = "",
    party_kind: Annotated[str, Query(max_length=16)] = "",
) -> ImportOut:
    multipart_boundary(request)
    length = content_length(request)
    if length > MAX_FILE + ENVELOPE:
        raise Problem(413, "file_too_large", f"the file is larger than {MAX_FILE // (1024 * 1024)} MB")
    fields = {k: v for k, v in (("target", target), ("campaign_id", campaign_id), ("party_kind", party_kind)) if v}
    upload = _Upload(call, fields, max(0, length - ENVELOPE))
    try:
        async for event in multipart_events(request, FIELDS):
            await upload.handle(event)
    except MalformedMultipart:
        if upload.import_id:  # what arrived of the file is dropped with its upload
            await call.marketing.CancelImport(pb.CancelImportRequest(import_id=upload.import_id))
        raise
    return _import(await upload.finish())


@router.get(
    "/imports/presets", response_model=list[PresetOut], summary="Column presets for amoCRM and Bitrix24 exports"
)
async def list_presets(
    call: Call, target: Annotated[str, Query(max_length=16, description="leads or parties")] = "leads"
) -> list[PresetOut]:
    result = await call.marketing.ListImportPresets(pb.ListImportPresetsRequest(target=target))
    return [rest.out(p, PresetOut) for p in result.presets]


@router.get("/imports", response_model=Page[ImportOut], summary="Your imports (admins: all), newest first")
async def list_imports(call: Call, limit: Limit = 50, cursor: Cursor = "") -> Page[ImportOut]:
    result = await call.marketing.ListImports(pb.ListImportsRequest(limit=limit, cursor=cursor))
    return Page[ImportOut](items=[_import(i) for i in result.imports], next_cursor=result.next_cursor)


@router.get("/imports/{import_id}", response_model=ImportOut, summary="An import with its progress")
async def get_import(import_id: str, call: Call) -> ImportOut:
    return _import(await call.marketing.GetImport(pb.GetImportRequest(import_id=import_id)))


@router.post("/imports/{import_id}/preview", response_model=PreviewOut, summary="Set the mapping; the first rows")
async def preview_import(import_id: str, body: PreviewIn, call: Call) -> PreviewOut:
    request = pb.PreviewImportRequest(
        import_id=import_id, mapping=body.mapping, preset=body.preset, on_duplicate=body.on_duplicate, rows=body.rows
    )
    return rest.out(await call.marketing.PreviewImport(request), PreviewOut)


@router.post("/imports/{import_id}/start", response_model=ImportOut, summary="Queue the import for the job")
async def start_import(import_id: str, call: Call) -> ImportOut:
    return _import(await call.marketing.StartImport(pb.StartImportRequest(import_id=import_id)))


@router.post("/imports/{import_id}/cancel", response_model=ImportOut, summary="Stop after the current batch")
async def cancel_import(import_id: str, call: Call) -> ImportOut:
    return _import(await call.marketing.CancelImport(pb.CancelImportRequest(import_id=import_id)))


@router.get("/imports/{import_id}/rows", response_model=Page[ImportRowOut], summary="Per-row results in file order")
async def list_import_rows(
    import_id: str,
    call: Call,
    outcome: Annotated[str, Query(max_length=16, description="created, duplicate or error; empty: all")] = "",
    limit: Limit = 50,
    cursor: Cursor = "",
) -> Page[ImportRowOut]:
    request = pb.ListImportRowsRequest(import_id=import_id, outcome=outcome, limit=limit, cursor=cursor)
    result = await call.marketing.ListImportRows(request)
    return Page[ImportRowOut](items=[rest.out(r, ImportRowOut) for r in result.rows], next_cursor=result.next_cursor)


@router.get(
    "/imports/{import_id}/errors",
    summary="The refused rows as a file to fix and upload again (original columns plus «Ошибка»)",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}
    },
)
async def download_errors(
    import_id: str,
    call: Call,
    format: Annotated[str, Query(max_length=8, description="csv or xlsx")] = "csv",
) -> Response:
    request = pb.DownloadImportErrorsRequest(import_id=import_id, format=format)
    return await stream_file(call, "marketing", "DownloadImportErrors", request)
