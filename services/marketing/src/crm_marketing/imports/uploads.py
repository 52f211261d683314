"""Imports before their job: upload in chunks, header and mapping, preview, start, cancel; who sees one.

An import is the importing user's (and admins'): anyone else gets NOT_FOUND. A file is uploaded
in chunks stored in import_chunk (the size limit checked as they arrive, a repeated chunk
ignored), read once when the upload finishes: a file that cannot be imported is refused with its
ImportFileError and the upload deleted, so nothing of it stays. The mapping (a preset's, the
suggestion, or the user's) is checked against the file's headers before it is stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, delete, func, select, true
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.db import Database, is_uuid
from crm_core.errors import FailedPrecondition, FieldProblem, InvalidArgument, Validator, invalid, not_found
from crm_marketing.imports import files, mapping, rows
from crm_marketing.models import ImportChunk, ImportJob, ImportRow
from crm_marketing.repository import campaign_is_visible

# The API's words for what is imported, and the mapping module's.
TARGETS: dict[str, mapping.Target] = {"leads": "lead", "parties": "party"}
ON_DUPLICATE = ("skip", "create")
PARTY_KINDS = ("person", "company")
# A chunk the gateway sends is at most 1 MB; a little slack for other clients' framing.
MAX_CHUNK = 1024 * 1024 + 64 * 1024
SAMPLES = 3
PREVIEW_ROWS = 20
MAX_PREVIEW_ROWS = 100
FINISHED = ("done", "cancelled", "failed")


def import_visible(caller: Caller) -> ColumnElement[bool]:
    """An import is its owner's; admins see every one."""
    return true() if caller.is_admin else ImportJob.owner_id == caller.user_id


def job_caller(job: ImportJob) -> Caller:
    """The importing user as the job acts for them (their roles and teams when they started the upload)."""
    stored = job.caller or {}
    return Caller(
        str(stored.get("user_id") or job.owner_id),
        frozenset(stored.get("roles") or ()),
        frozenset(stored.get("team_ids") or ()),
    )


def stored_mapping(job: ImportJob) -> mapping.Mapping:
    return {h: (job.mapping or {}).get(h) for h in job.headers}


def target_of(job: ImportJob) -> mapping.Target:
    return TARGETS[job.target]


def parse_row(job: ImportJob, cells: Sequence[str]) -> rows.LeadRow | rows.PartyRow | list[rows.RowError]:
    """One file row under the import's mapping: its typed lead or party, or its errors."""
    if job.target == "leads":
        return rows.parse_lead_row(job.headers, cells, stored_mapping(job))
    kind: rows.PartyKind = "company" if job.party_kind == "company" else "person"
    return rows.parse_party_row(job.headers, cells, stored_mapping(job), kind)


def mapping_gaps(job: ImportJob) -> list[FieldProblem]:
    """Why no row could ever be imported with the mapping: no column gives what a record needs."""
    mapped = {f for f in (job.mapping or {}).values() if f}
    if job.target == "leads":
        need = {"person_name", "first_name", "last_name", "company_name", "email", "phone"}
        what = "a name, a company, an e-mail or a phone"
    elif job.party_kind == "company":
        need = {"name", "company_name"}
        what = "a company name"
    else:
        need = {"name", "first_name", "last_name"}
        what = "a name, a first name or a last name"
    if job.target == "parties" and "kind" in mapped:
        need |= {"name", "first_name", "last_name", "company_name"}
    if mapped & need:
        return []
    return [FieldProblem("mapping", "required", f"map a column to {what}: no row could be imported without it")]


@dataclass(frozen=True)
class PreviewedRow:
    number: int
    values: dict[str, str]
    errors: list[rows.RowError]


def preview_values(parsed: rows.LeadRow | rows.PartyRow) -> dict[str, str]:
    """A typed row as field -> text (lists joined with "; "), what a preview shows."""
    values: dict[str, str] = {}
    for name, value in vars(parsed).items():
        if isinstance(value, tuple):
            text = "; ".join(v.value if isinstance(v, rows.ContactPointValue) else str(v) for v in value)
        else:
            text = "" if value is None else str(value)
        if text:
            values[name] = text
    return values


async def load_file(session: AsyncSession, import_id: str) -> bytes:
    """The uploaded file, its chunks in order."""
    chunks = await session.scalars(
        select(ImportChunk.data).where(ImportChunk.import_id == import_id).order_by(ImportChunk.seq)
    )
    return b"".join(chunks)


class Imports:
    """Commands and reads on imports up to their start; the job (imports.job) does the rest."""

    def __init__(self, db: Database, clock: Clock, max_bytes: int = files.MAX_BYTES) -> None:
        self.db = db
        self.clock = clock
        self.max_bytes = max_bytes

    @staticmethod
    async def get(session: AsyncSession, caller: Caller, import_id: str, *, lock: bool = False) -> ImportJob:
        """An import the caller may see, or NOT_FOUND."""
        if not is_uuid(import_id):
            raise not_found("import", import_id)
        query = select(ImportJob).where(ImportJob.id == import_id, import_visible(caller))
        if lock:
            query = query.with_for_update()
        job = await session.scalar(query)
        if job is None:
            raise not_found("import", import_id)
        return job

    async def create(
        self, caller: Caller, target: str, filename: str, campaign_id: str, size: int, party_kind: str
    ) -> ImportJob:
        v = Validator()
        if target not in TARGETS:
            v.add("target", "not_allowed", "target must be leads or parties")
        name = filename.strip()[:255] or "import"
        kind = party_kind.strip() or "person"
        if kind not in PARTY_KINDS:
            v.add("party_kind", "not_allowed", "party_kind must be person or company")
        campaign = campaign_id.strip() or None
        if campaign and target != "leads":
            v.add("campaign_id", "not_allowed", "only leads come from a campaign")
        if size < 0:
            v.add("size_bytes", "invalid", "size_bytes cannot be negative")
        v.raise_if_any()
        if size > self.max_bytes:
            raise files.ImportFileError(files.FILE_TOO_LARGE, f"the file is larger than {self._limit_text()}")
        now = self.clock.now()
        async with self.db.transaction() as session:
            if campaign and not (is_uuid(campaign) and await campaign_is_visible(session, caller, campaign)):
                raise invalid("campaign_id", "campaign_not_found", f"no campaign {campaign[:64]}")
            job = ImportJob(
                target=target,
                filename=name,
                status="uploading",
                declared_size=size,
                campaign_id=campaign,
                party_kind=kind,
                caller={"user_id": caller.user_id, "roles": sorted(caller.roles), "team_ids": sorted(caller.team_ids)},
                owner_id=caller.user_id,
                team_id=next(iter(caller.team_ids)) if len(caller.team_ids) == 1 else None,
                shared_with=[],
                headers=[],
                mapping={},
                samples={},
                created_at=now,
            )
            session.add(job)
        return job

    def _limit_text(self) -> str:
        return f"{self.max_bytes // (1024 * 1024) or 1} MB"

    async def add_chunk(self, caller: Caller, import_id: str, seq: int, data: bytes) -> ImportJob:
        """Store chunk `seq`; a seq already stored is ignored (a retry). Over the limit: the upload is deleted."""
        if len(data) > MAX_CHUNK:
            raise invalid("data", "too_large", "a chunk holds at most 1 MB")
        too_large = False
        async with self.db.transaction() as session:
            job = await self.get(session, caller, import_id, lock=True)
            if job.status != "uploading":
                raise FailedPrecondition("import_uploaded", "the upload is finished: no more chunks")
            stored = int(await session.scalar(select(func.count()).where(ImportChunk.import_id == job.id)) or 0)
            if seq > stored or seq < 0:
                raise invalid("seq", "out_of_order", f"chunk {stored} is expected next, not {seq}")
            if seq == stored and data:
                if job.size_bytes + len(data) > self.max_bytes:
                    await session.execute(delete(ImportJob).where(ImportJob.id == job.id))
                    too_large = True
                else:
                    table = cast(Table, ImportChunk.__table__)
                    await session.execute(
                        insert(table).values(import_id=job.id, seq=seq, data=data).on_conflict_do_nothing()
                    )
                    job.size_bytes += len(data)
        if too_large:
            raise files.ImportFileError(files.FILE_TOO_LARGE, f"the file is larger than {self._limit_text()}")
        return job

    async def finish_upload(self, caller: Caller, import_id: str) -> ImportJob:
        """Read the header, count the rows, suggest the mapping; a file that cannot be imported is deleted."""
        async with self.db.readers() as session:
            job = await self.get(session, caller, import_id)
            if job.status != "uploading":
                return job
            data = await load_file(session, job.id)
        try:
            table, total, samples = await asyncio.to_thread(_read, data, job.filename, self.max_bytes)
        except files.ImportFileError:
            async with self.db.transaction() as session:
                await session.execute(delete(ImportJob).where(ImportJob.id == job.id))
            raise
        suggested = mapping.suggest_mapping(table.headers, TARGETS[job.target])
        async with self.db.transaction() as session:
            job = await self.get(session, caller, import_id, lock=True)
            if job.status != "uploading":
                return job
            job.status = "uploaded"
            job.format = table.format
            job.encoding = table.encoding or ""
            job.delimiter = table.delimiter or ""
            job.headers = list(table.headers)
            job.mapping = suggested.mapping
            job.preset = suggested.preset or ""
            job.samples = samples
            job.rows_total = total
            job.version += 1
        return job

    async def configure(
        self, caller: Caller, import_id: str, given: dict[str, str], preset: str, on_duplicate: str, count: int
    ) -> tuple[ImportJob, list[PreviewedRow]]:
        """Store the mapping (a preset's, then the given columns over it) and on_duplicate; the first rows parsed."""
        count = count or PREVIEW_ROWS
        v = Validator()
        if preset and preset not in mapping.PRESETS:
            v.add("preset", "not_allowed", f"preset must be one of: {', '.join(mapping.PRESETS)}")
        if on_duplicate and on_duplicate not in ON_DUPLICATE:
            v.add("on_duplicate", "not_allowed", "on_duplicate must be skip or create")
        if not 1 <= count <= MAX_PREVIEW_ROWS:
            v.add("rows", "out_of_range", f"rows must be 1 to {MAX_PREVIEW_ROWS}")
        v.raise_if_any()
        async with self.db.transaction() as session:
            job = await self.get(session, caller, import_id, lock=True)
            if job.status != "uploaded":
                raise FailedPrecondition("import_not_editable", f"an import {job.status} cannot be changed")
            target = TARGETS[job.target]
            chosen: mapping.Mapping = stored_mapping(job)
            if preset:
                chosen = mapping.preset_mapping(mapping.PRESETS[preset], job.headers, target)
            chosen.update({h: f or None for h, f in given.items()})
            problems = mapping.mapping_problems(chosen, job.headers, target)
            if problems:
                raise InvalidArgument("invalid_mapping", "the mapping does not fit the file", problems)
            job.mapping = {h: chosen.get(h) for h in job.headers}
            if preset:
                job.preset = preset
            elif given:
                job.preset = ""
            job.on_duplicate = on_duplicate or job.on_duplicate
            job.version += 1
            data = await load_file(session, job.id)
        previewed = await asyncio.to_thread(_preview, job, data, count)
        return job, previewed

    async def start(self, caller: Caller, import_id: str) -> ImportJob:
        """Queue the import for the job; its mapping must give every row a chance."""
        async with self.db.transaction() as session:
            job = await self.get(session, caller, import_id, lock=True)
            if job.status in ("queued", "running", "done"):
                return job
            if job.status != "uploaded":
                raise FailedPrecondition("import_not_startable", f"an import {job.status} cannot be started")
            gaps = mapping_gaps(job)
            if gaps:
                raise InvalidArgument("incomplete_mapping", gaps[0].message, gaps)
            job.status = "queued"
            job.version += 1
        return job

    async def cancel(self, caller: Caller, import_id: str) -> ImportJob:
        """Before the job runs: cancelled now. Running: after its current batch (the job sees the flag)."""
        async with self.db.transaction() as session:
            job = await self.get(session, caller, import_id, lock=True)
            if job.status in FINISHED:
                if job.status == "cancelled":
                    return job
                raise FailedPrecondition("import_finished", f"the import is {job.status}")
            if job.status == "running":
                job.cancel_requested = True
            else:
                job.status = "cancelled"
                job.finished_at = self.clock.now()
                await session.execute(delete(ImportChunk).where(ImportChunk.import_id == job.id))
            job.version += 1
        return job

    async def list_rows(
        self, caller: Caller, import_id: str, outcome: str, limit: int, cursor: str
    ) -> tuple[list[ImportRow], str]:
        """The import's row results in file order after the cursor (a row number)."""
        if outcome and outcome not in ("created", "duplicate", "error"):
            raise invalid("outcome", "not_allowed", "outcome must be created, duplicate or error")
        after = int(cursor) if cursor.isdigit() else 0
        async with self.db.readers() as session:
            job = await self.get(session, caller, import_id)
            query = select(ImportRow).where(ImportRow.import_id == job.id, ImportRow.row_number > after)
            if outcome:
                query = query.where(ImportRow.outcome == outcome)
            found = list(await session.scalars(query.order_by(ImportRow.row_number).limit(limit + 1)))
        more = len(found) > limit
        found = found[:limit]
        return found, str(found[-1].row_number) if more else ""


def _read(data: bytes, filename: str, max_bytes: int) -> tuple[files.Table, int, dict[str, Any]]:
    """The table, its row count and a few sample values per header (in a thread: it reads the whole file)."""
    table = files.read_table(data, filename, max_bytes=max_bytes)
    samples: dict[str, list[str]] = {h: [] for h in table.headers}
    total = 0
    for row in table.rows():
        total += 1
        if total <= 20:
            for header, cell in zip(table.headers, row.cells, strict=False):
                if cell and len(samples[header]) < SAMPLES:
                    samples[header].append(cell[:200])
    if total == 0:
        raise files.ImportFileError(files.EMPTY_FILE, "the file has a header but no rows")
    return table, total, dict(samples)


def _preview(job: ImportJob, data: bytes, count: int) -> list[PreviewedRow]:
    table = files.read_table(data, job.filename)
    result = []
    for row in table.rows():
        parsed = parse_row(job, row.cells)
        if isinstance(parsed, list):
            result.append(PreviewedRow(row.number, {}, parsed))
        else:
            result.append(PreviewedRow(row.number, preview_values(parsed), []))
        if len(result) >= count:
            break
    return result
