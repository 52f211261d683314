"""Shapes shared by every REST resource."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from crm_core.common.code_lists import CODE_PATTERN
from crm_core.common.code_lists import MAX_LABEL as MAX_CODE_LABEL
from crm_core.numbers import INT32

T = TypeVar("T")


# A moment in a request body: ISO 8601 text with an offset (JSON has no time type, so text is its declared form).
Moment = Annotated[AwareDatetime, Field(strict=False)]


class Strict(BaseModel):
    """Request body: unknown fields are an error, strings are trimmed, and values have the JSON type the
    document declares (no 0 for false, no "5" for 5: what the OpenAPI document says is what is accepted)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)


class Out(BaseModel):
    """Response body."""

    model_config = ConfigDict(extra="ignore")


class Page(Out, Generic[T]):
    items: list[T]
    next_cursor: str = Field("", description="Pass as `cursor` for the next page; empty on the last page.")


class Count(Out):
    count: int
    capped: bool = Field(False, description="True: more than `count` match (counting stopped at the cap)")


class FilterSpec(Strict):
    field: str = Field(max_length=100)
    op: str = Field(max_length=10)
    value: str = Field("", max_length=1000)


# --- audit, custom fields, code lists: the same shapes on every domain (crm_gateway.routers.common) ---------


class AuditEntryOut(Out):
    id: str
    entity_type: str
    entity_id: str
    action: str
    actor_id: str
    at: datetime
    changes: dict[str, Any] = Field({}, description='{field: {"old": ..., "new": ...}}')


class CustomFieldCreate(Strict):
    entity_type: str = Field(
        "", max_length=40, description='The kind of record ("company" or "person"; may be left out for deals)'
    )
    key: str = Field(max_length=63, pattern=CODE_PATTERN.pattern)
    label: str = Field(min_length=1, max_length=300)
    type: Literal["string", "number", "date", "enum", "bool"]
    options: list[str] = Field(default_factory=list, max_length=200)
    required: bool = False


class CustomFieldPatch(Strict):
    label: str | None = Field(None, min_length=1, max_length=300)
    options: list[str] | None = Field(None, max_length=200)
    required: bool | None = None
    archived: bool | None = None


class CustomFieldOut(Out):
    id: str
    entity_type: str
    key: str
    label: str
    type: str
    options: list[str] = []
    required: bool = False
    archived: bool = False


class CodeCreate(Strict):
    code: str = Field(max_length=63, pattern=CODE_PATTERN.pattern, description="snake_case; fixed once created")
    label_ru: str | None = Field(None, max_length=MAX_CODE_LABEL)
    label_en: str | None = Field(None, max_length=MAX_CODE_LABEL)
    label: str | None = Field(
        None, min_length=1, max_length=MAX_CODE_LABEL, description="One label for both languages (when one is left out)"
    )
    order: int | None = Field(None, ge=0, le=INT32[1], description="Position in pick lists; the end by default")


class CodePatch(Strict):
    label_ru: str | None = Field(None, min_length=1, max_length=MAX_CODE_LABEL)
    label_en: str | None = Field(None, min_length=1, max_length=MAX_CODE_LABEL)
    label: str | None = Field(None, min_length=1, max_length=MAX_CODE_LABEL, description="Both labels at once")
    order: int | None = Field(None, ge=0, le=INT32[1])
    archived: bool | None = None


class CodeOut(Out):
    code: str
    label: str = Field(description="The label in the language of Accept-Language (Russian or English)")
    label_ru: str
    label_en: str
    builtin: bool = False
    archived: bool = False
    order: int = 0
