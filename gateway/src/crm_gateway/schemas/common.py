"""Shapes shared by every REST resource."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

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


class FilterSpec(Strict):
    field: str = Field(max_length=100)
    op: str = Field(max_length=10)
    value: str = Field("", max_length=1000)
