"""Shapes shared by every REST resource."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Strict(BaseModel):
    """Request body: unknown fields are an error, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


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
