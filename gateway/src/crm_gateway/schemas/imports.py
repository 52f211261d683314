"""REST shapes of imports (mirror crm.marketing.v1's Import, ImportPreview, ImportRow, ImportPreset).

The file itself is no JSON: POST /api/v1/imports takes it as multipart/form-data (routers.imports).
Value rules (targets, fields, presets) are the marketing service's, answered with its codes.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from crm_gateway.schemas.common import Out, Strict


class ImportColumnOut(Out):
    header: str
    target: str = Field("", description="The field the column fills; empty: ignored")
    samples: list[str] = []


class ImportOut(Out):
    id: str
    target: str = Field(description="leads or parties")
    filename: str
    status: str = Field(description="uploading, uploaded, queued, running, done, cancelled, failed")
    size_bytes: int = 0
    format: str = ""
    encoding: str = ""
    delimiter: str = ""
    preset: str = Field("", description="amocrm, bitrix24 or empty")
    columns: list[ImportColumnOut] = []
    campaign_id: str = ""
    on_duplicate: str = Field("skip", description="skip or create")
    party_kind: str = ""
    rows_total: int = 0
    rows_done: int = Field(0, description="created + duplicates + errors so far")
    created: int = 0
    duplicates: int = 0
    errors: int = 0
    failure: str = ""
    cancel_requested: bool = False
    owner_id: str = ""
    created_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None


class PreviewIn(Strict):
    mapping: dict[str, str] = Field(
        default_factory=dict, max_length=200, description='header -> field ("" ignores the column); {} keeps it'
    )
    preset: str = Field("", max_length=64, description="amocrm or bitrix24: its mapping, under `mapping`")
    on_duplicate: str = Field("", max_length=16, description="skip (default) or create")
    rows: int = Field(20, ge=1, le=100, description="How many rows to preview")


class FieldErrorOut(Out):
    field: str
    code: str
    message: str


class PreviewRowOut(Out):
    row_number: int
    values: dict[str, str] = {}
    errors: list[FieldErrorOut] = []


class PreviewOut(Out):
    import_: ImportOut = Field(alias="import")
    rows: list[PreviewRowOut] = []


class ImportRowOut(Out):
    row_number: int
    outcome: str = Field(description="created, duplicate or error")
    record_id: str = Field("", description="The record created, or the one duplicated")
    duplicate_kind: str = Field("", description="lead or party, when the row duplicates something")
    duplicate_of_row: int = Field(0, description="The earlier row of the file it duplicates")
    errors: list[FieldErrorOut] = []


class PresetOut(Out):
    name: str
    title: str
    columns: dict[str, str] = Field(description="header -> field of the target; empty: not imported")
