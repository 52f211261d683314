"""Cursor (keyset) pagination shared by every list endpoint.

A cursor is an opaque URL-safe token holding the sort values of the last row
returned; the next page starts strictly after it, so pages stay stable while
rows are inserted.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.orm import QueryableAttribute

from crm_core.clock import as_utc
from crm_core.errors import invalid
from crm_core.numbers import INT64, parse_number
from crm_core.untrusted import has_bad_text

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str


# What a listing orders by: a column expression or a mapped attribute (Deal.updated_at).
SqlValue = ColumnElement[Any] | QueryableAttribute[Any]


def clamp_limit(limit: int) -> int:
    """0 means the default; anything outside 1..MAX_LIMIT is invalid."""
    if limit == 0:
        return DEFAULT_LIMIT
    if limit < 0 or limit > MAX_LIMIT:
        raise invalid("limit", "out_of_range", f"limit must be between 1 and {MAX_LIMIT}")
    return limit


def _encode_value(value: Any) -> Any:
    return {"$dt": value.isoformat()} if isinstance(value, datetime) else value


def _decode_value(value: Any) -> Any:
    return datetime.fromisoformat(value["$dt"]) if isinstance(value, dict) and "$dt" in value else value


def encode_cursor(values: Sequence[Any]) -> str:
    """An opaque URL-safe token for the sort values of a row (datetimes keep their offset)."""
    raw = json.dumps([_encode_value(v) for v in values], separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[Any]:
    """The values in a cursor; a malformed or foreign cursor is INVALID_ARGUMENT."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise invalid("cursor", "invalid_cursor", "cursor is malformed") from exc
    if not isinstance(values, list) or len(values) != size:
        raise invalid("cursor", "invalid_cursor", "cursor does not match this query")
    try:
        return [_checked(_decode_value(v)) for v in values]
    except (ValueError, TypeError) as exc:  # a forged date, number or text must be a 400, not a 500
        raise invalid("cursor", "invalid_cursor", "cursor is malformed") from exc


def _checked(value: Any) -> Any:
    """A cursor value SQL can take: text without NUL, whole numbers in bigint, times with a UTC equivalent."""
    if isinstance(value, str) and has_bad_text(value):
        raise ValueError("bad text")
    if isinstance(value, int) and not isinstance(value, bool) and not INT64[0] <= value <= INT64[1]:
        raise ValueError("out of range")
    if isinstance(value, datetime):
        in_utc = as_utc(value)  # raises when it has no UTC equivalent; an offset given is kept
        return value if value.tzinfo else in_utc
    return value


def after_cursor(keys: Sequence[tuple[SqlValue, bool]], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after `values` in the order given by (column, descending) keys.

    Works for mixed directions: (a > x) OR (a = x AND b > y) OR ...
    """
    clauses = []
    for i, (column, descending) in enumerate(keys):
        equal_prefix = [keys[j][0] == values[j] for j in range(i)]
        step = column < values[i] if descending else column > values[i]
        clauses.append(and_(*equal_prefix, step))
    return or_(*clauses)


def page_of(rows: Sequence[T], limit: int, cursor_values: Any) -> Page[T]:
    """Cut a `limit + 1` fetch to a page; `cursor_values(row)` gives the last row's keys."""
    items = list(rows[:limit])
    more = len(rows) > limit
    return Page(items, encode_cursor(cursor_values(items[-1])) if more and items else "")


def sort_terms(sort: str, allowed: Collection[str], default: str) -> list[tuple[str, bool]]:
    """ "-updated_at,title" -> [("updated_at", True), ("title", False)]; a key outside `allowed` is INVALID_ARGUMENT.

    Empty terms are ignored, so "" and ",," both mean `default` (same syntax).
    """
    terms = [t.strip() for t in sort.split(",") if t.strip()] or default.split(",")
    keys: list[tuple[str, bool]] = []
    for term in terms:
        name, descending = (term[1:], True) if term.startswith("-") else (term, False)
        if name not in allowed:
            raise invalid("sort", "unknown_sort_key", f"cannot sort by '{name}'; use {', '.join(allowed)}")
        keys.append((name, descending))
    return keys


CURSOR_KINDS = ("text", "uuid", "int", "decimal", "datetime", "date")


def cursor_value(value: Any) -> Any:
    """A sort value as a cursor keeps it: decimals and dates as text, the rest as is."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    return value


def decode_signed_cursor(cursor: str, signature: str, kinds: Sequence[str]) -> list[Any]:
    """The sort values of a cursor made by the listing named `signature`, typed for SQL.

    The signature (e.g. "deals:-updated_at") is the first value of such a
    cursor, so a cursor of another listing or sort is refused instead of
    misread. `kinds` are CURSOR_KINDS, one per value; anything that does not
    fit is INVALID_ARGUMENT (invalid_cursor).
    """
    signed, *values = decode_cursor(cursor, len(kinds) + 1)
    typed: list[Any] = []
    try:
        if signed != signature:
            raise ValueError(signed)
        for kind, value in zip(kinds, values, strict=True):
            typed.append(_typed(kind, value))
    except (ValueError, ArithmeticError) as exc:
        raise invalid("cursor", "invalid_cursor", "cursor does not belong to this listing") from exc
    return typed


def _typed(kind: str, value: Any) -> Any:
    if kind == "decimal" and isinstance(value, str):
        return parse_number(value)
    if kind == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    if kind == "uuid" and isinstance(value, str):
        UUID(value)
        return value
    if (
        (kind == "datetime" and isinstance(value, datetime))
        or (kind == "text" and isinstance(value, str))
        or (kind == "int" and isinstance(value, int) and not isinstance(value, bool))
    ):
        return value
    raise ValueError(value)
