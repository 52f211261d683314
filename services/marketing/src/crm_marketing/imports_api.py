"""The import RPCs of MarketingService (a part of the servicer, grpc_api.MarketingServicer)."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Iterator
from typing import TypeAlias

import grpc
from sqlalchemy import select

from crm.common.v1 import common_pb2
from crm.marketing.v1 import marketing_pb2 as pb
from crm_core.auth import current_caller
from crm_core.db import Database
from crm_core.errors import FieldProblem, invalid
from crm_core.pagination import clamp_limit
from crm_core.protojson import timestamp
from crm_core.resources import SortKey, SortSpec, keyset_page
from crm_marketing.imports import mapping, report
from crm_marketing.imports.uploads import TARGETS, Imports, PreviewedRow, import_visible
from crm_marketing.models import ImportJob, ImportRow

Context: TypeAlias = grpc.aio.ServicerContext
IMPORT_SORT = SortSpec[None](
    "imports", {"created_at": SortKey("datetime", ImportJob.created_at)}, "-created_at", ImportJob.id
)
# Rows of the error file read per query, and bytes per FileChunk sent.
ERROR_PAGE = 1000
CHUNK = 256 * 1024


def import_message(job: ImportJob) -> pb.Import:
    message = pb.Import(
        id=job.id,
        target=job.target,
        filename=job.filename,
        status=job.status,
        size_bytes=job.size_bytes,
        format=job.format,
        encoding=job.encoding,
        delimiter=job.delimiter,
        preset=job.preset,
        columns=[
            pb.ImportColumn(header=h, target=(job.mapping or {}).get(h) or "", samples=(job.samples or {}).get(h, []))
            for h in job.headers
        ],
        campaign_id=job.campaign_id or "",
        on_duplicate=job.on_duplicate,
        rows_total=job.rows_total,
        rows_done=job.rows_done,
        created=job.created,
        duplicates=job.duplicates,
        errors=job.errors,
        failure=job.failure,
        owner_id=job.owner_id,
        created_at=timestamp(job.created_at),
        party_kind=job.party_kind if job.target == "parties" else "",
        cancel_requested=job.cancel_requested,
    )
    if job.started_at:
        message.started_at.CopyFrom(timestamp(job.started_at))
    if job.finished_at:
        message.finished_at.CopyFrom(timestamp(job.finished_at))
    return message


def _violations(errors: list[dict[str, str]]) -> list[common_pb2.FieldViolation]:
    return [common_pb2.FieldViolation(field=e["field"], code=e["code"], message=e["message"]) for e in errors]


def row_message(row: ImportRow) -> pb.ImportRow:
    return pb.ImportRow(
        row_number=row.row_number,
        outcome=row.outcome,
        record_id=row.record_id,
        duplicate_kind=row.duplicate_kind,
        duplicate_of_row=row.duplicate_of_row,
        errors=_violations(row.errors),
    )


def preview_message(row: PreviewedRow) -> pb.PreviewRow:
    return pb.PreviewRow(
        row_number=row.number,
        values=row.values,
        errors=[common_pb2.FieldViolation(field=e.field, code=e.code, message=e.message) for e in row.errors],
    )


class ImportsApi:
    """CreateImport ... DownloadImportErrors: uploads, mapping, preview, the job's progress and results."""

    db: Database
    imports: Imports

    async def CreateImport(self, request: pb.CreateImportRequest, context: Context) -> pb.Import:
        """A new upload (status uploading) of leads or parties; the declared size is checked against the limit."""
        job = await self.imports.create(
            current_caller(),
            request.target,
            request.filename,
            request.campaign_id,
            request.size_bytes,
            request.party_kind,
        )
        return import_message(job)

    async def UploadImportChunk(self, request: pb.UploadImportChunkRequest, context: Context) -> pb.Import:
        """Stores a chunk in order; a repeated one is ignored; over the size limit the upload is deleted."""
        job = await self.imports.add_chunk(current_caller(), request.import_id, request.seq, request.data)
        return import_message(job)

    async def FinishImportUpload(self, request: pb.FinishImportUploadRequest, context: Context) -> pb.Import:
        """Reads the file (refused and deleted when it cannot be imported), counts rows, suggests the mapping."""
        return import_message(await self.imports.finish_upload(current_caller(), request.import_id))

    async def PreviewImport(self, request: pb.PreviewImportRequest, context: Context) -> pb.ImportPreview:
        """Stores the mapping (preset and/or columns) and on_duplicate; the first rows as they would import."""
        job, previewed = await self.imports.configure(
            current_caller(),
            request.import_id,
            dict(request.mapping),
            request.preset,
            request.on_duplicate,
            request.rows,
        )
        return pb.ImportPreview(**{"import": import_message(job)}, rows=[preview_message(r) for r in previewed])

    async def StartImport(self, request: pb.StartImportRequest, context: Context) -> pb.Import:
        """Queues the import for the background job (a second call changes nothing)."""
        return import_message(await self.imports.start(current_caller(), request.import_id))

    async def CancelImport(self, request: pb.CancelImportRequest, context: Context) -> pb.Import:
        """Cancels now, or after the running batch; what was written stays."""
        return import_message(await self.imports.cancel(current_caller(), request.import_id))

    async def GetImport(self, request: pb.GetImportRequest, context: Context) -> pb.Import:
        """An import of the caller's (admins: any) with its progress."""
        async with self.db.readers() as session:
            return import_message(await Imports.get(session, current_caller(), request.import_id))

    async def ListImports(self, request: pb.ListImportsRequest, context: Context) -> pb.ListImportsResponse:
        """The caller's imports (admins: all), newest first."""
        query = select(ImportJob).where(import_visible(current_caller()))
        async with self.db.readers() as session:
            page = await keyset_page(
                session, query, IMPORT_SORT.parse("").order(None), clamp_limit(request.limit), request.cursor
            )
        return pb.ListImportsResponse(imports=[import_message(j) for j in page.items], next_cursor=page.next_cursor)

    async def ListImportRows(self, request: pb.ListImportRowsRequest, context: Context) -> pb.ListImportRowsResponse:
        """Row results in file order, by outcome."""
        found, cursor = await self.imports.list_rows(
            current_caller(), request.import_id, request.outcome, clamp_limit(request.limit), request.cursor
        )
        return pb.ListImportRowsResponse(rows=[row_message(r) for r in found], next_cursor=cursor)

    async def DownloadImportErrors(
        self, request: pb.DownloadImportErrorsRequest, context: Context
    ) -> AsyncIterator[pb.FileChunk]:
        """The refused rows as CSV (streamed row by row) or XLSX, with the original columns and "Ошибка"."""
        kind = request.format or "csv"
        if kind not in ("csv", "xlsx"):
            raise invalid("format", "not_allowed", "format must be csv or xlsx")
        async with self.db.readers() as session:
            job = await Imports.get(session, current_caller(), request.import_id)
        stem = job.filename.rsplit(".", 1)[0] or "import"
        media = report.CSV_MEDIA_TYPE if kind == "csv" else report.XLSX_MEDIA_TYPE
        first = pb.FileChunk(filename=f"{stem}-errors.{kind}", content_type=media)
        rejected = [r async for r in self._rejected(job.id)] if kind == "xlsx" else None
        if rejected is not None:
            out = io.BytesIO()
            await asyncio.to_thread(report.write_error_xlsx, job.headers, rejected, out)
            data = out.getvalue()
            for start in range(0, len(data), CHUNK):
                if start == 0:
                    first.data = data[:CHUNK]
                    yield first
                else:
                    yield pb.FileChunk(data=data[start : start + CHUNK])
            return
        buffer = b""
        sent_first = False
        async for part in _csv_parts(job.headers, self._rejected(job.id)):
            buffer += part
            if len(buffer) >= CHUNK:
                if not sent_first:
                    first.data, sent_first = buffer, True
                    yield first
                else:
                    yield pb.FileChunk(data=buffer)
                buffer = b""
        if not sent_first:
            first.data = buffer
            yield first
        elif buffer:
            yield pb.FileChunk(data=buffer)

    async def _rejected(self, import_id: str) -> AsyncIterator[report.RejectedRow]:
        """The refused rows in file order, a page at a time."""
        after = 0
        while True:
            async with self.db.readers() as session:
                page = list(
                    await session.scalars(
                        select(ImportRow)
                        .where(
                            ImportRow.import_id == import_id,
                            ImportRow.outcome == "error",
                            ImportRow.row_number > after,
                        )
                        .order_by(ImportRow.row_number)
                        .limit(ERROR_PAGE)
                    )
                )
            for row in page:
                yield report.RejectedRow(row.values, [FieldProblem(**e) for e in row.errors])
            if len(page) < ERROR_PAGE:
                return
            after = page[-1].row_number

    async def ListImportPresets(
        self, request: pb.ListImportPresetsRequest, context: Context
    ) -> pb.ListImportPresetsResponse:
        """The presets for other CRMs' exports, each header with the field of the target it fills."""
        target = TARGETS.get(request.target or "leads")
        if target is None:
            raise invalid("target", "not_allowed", "target must be leads or parties")
        return pb.ListImportPresetsResponse(
            presets=[
                pb.ImportPreset(
                    name=p.name,
                    title=p.title,
                    columns={h: mapping.as_target(f, target) or "" for h, f in p.columns.items()},
                )
                for p in mapping.PRESETS.values()
            ]
        )


async def _csv_parts(headers: list[str], rejected: AsyncIterator[report.RejectedRow]) -> AsyncIterator[bytes]:
    """report.iter_error_csv over an async source: the header, then one part per row."""
    parts: Iterator[bytes] = report.iter_error_csv(headers, [])
    for part in parts:
        yield part
    async for row in rejected:
        # The header part of a one-row file is dropped: only the row's line is wanted.
        yield list(report.iter_error_csv(headers, [row]))[1]
