"""The filter operator syntax every list endpoint shares.

A filter is (field, op, value) with value as text, e.g. ("industry", "eq",
"Retail"), ("created_at", "gte", "2026-01-01"), ("tags", "in", "vip,key").
Each service declares its filterable fields with their types; this module
parses values and builds the SQL. Unknown fields, ops and bad values are
INVALID_ARGUMENT naming the filter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, Text, and_, cast, literal, not_, or_
from sqlalchemy.dialects.postgresql import ARRAY

from crm_core.clock import as_utc
from crm_core.errors import invalid
from crm_core.numbers import INT32, parse_int, parse_number

OPS = ("eq", "ne", "lt", "lte", "gt", "gte", "in", "contains", "exists")
TYPES = ("text", "number", "datetime", "date", "bool", "text_array", "int_array")
MAX_IN_ITEMS = 100


@dataclass(frozen=True)
class FieldSpec:
    """A filterable field: its SQL expression and value type."""

    column: Any
    type: str = "text"


Resolver = Callable[[str], FieldSpec | None]


def _parse(value: str, kind: str, where: str) -> Any:
    """A filter value typed for its column; a value the column cannot compare with is INVALID_ARGUMENT."""
    try:
        if kind == "number":
            return parse_number(value)
        if kind == "int_array":
            return parse_int(value, INT32)  # the elements of integer[] columns
        if kind == "datetime":
            return as_utc(datetime.fromisoformat(value))
        if kind == "date":
            return date.fromisoformat(value)
        if kind == "bool":
            if value.lower() not in ("true", "false"):
                raise ValueError(value)
            return value.lower() == "true"
    except ValueError as exc:
        raise invalid(where, "invalid_filter_value", f"{where}: not a valid {kind}: {exc}") from exc
    return value


def _items(value: str, kind: str, where: str) -> list[Any]:
    """The values of a comma-separated list (in, and the list fields), at most MAX_IN_ITEMS."""
    items = [v.strip() for v in value.split(",") if v.strip()]
    if len(items) > MAX_IN_ITEMS:
        raise invalid(where, "too_many_values", f"{where}: a filter takes at most {MAX_IN_ITEMS} values")
    return [_parse(item, kind, where) for item in items]


def condition(spec: FieldSpec, op: str, value: str, where: str) -> ColumnElement[bool]:
    """SQL for one filter on a declared field."""
    column = spec.column
    if op not in OPS:
        raise invalid(where, "unknown_operator", f"{where}: operator must be one of {', '.join(OPS)}")
    if op == "exists":
        present = _parse(value or "true", "bool", where)
        if spec.type in ("text_array", "int_array"):
            test = column != literal([], ARRAY(Text if spec.type == "text_array" else Integer))
        else:
            test = column.is_not(None)
        return test if present else not_(test)
    if spec.type in ("text_array", "int_array"):
        element_type = Integer if spec.type == "int_array" else Text
        items = _items(value, spec.type, where)
        if op in ("eq", "contains"):
            return column.contains(literal(items[:1], ARRAY(element_type)))
        if op == "in":
            return column.overlap(literal(items, ARRAY(element_type)))
        if op == "ne":
            return not_(column.contains(literal(items[:1], ARRAY(element_type))))
        raise invalid(where, "unsupported_operator", f"{where}: '{op}' does not apply to a list field")
    if op == "in":
        return column.in_(_items(value, spec.type, where))
    if op == "contains":
        if spec.type != "text":
            raise invalid(where, "unsupported_operator", f"{where}: 'contains' applies to text fields")
        escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return cast(column, Text).ilike(f"%{escaped}%")
    parsed = _parse(value, spec.type, where)
    return {
        "eq": lambda: column == parsed,
        "ne": lambda: or_(column != parsed, column.is_(None)),
        "lt": lambda: column < parsed,
        "lte": lambda: column <= parsed,
        "gt": lambda: column > parsed,
        "gte": lambda: column >= parsed,
    }[op]()


def conditions(filters: Sequence[tuple[str, str, str]], resolve: Resolver) -> list[ColumnElement[bool]]:
    """SQL conditions for a request's filters, given how to resolve a field name."""
    result = []
    for i, (field, op, value) in enumerate(filters):
        where = f"filters[{i}]"
        spec = resolve(field)
        if spec is None:
            raise invalid(where, "unknown_filter_field", f"{where}: cannot filter on '{field}'")
        result.append(condition(spec, op, value, where))
    return result


def all_of(clauses: Sequence[ColumnElement[bool]]) -> ColumnElement[bool]:
    return and_(*clauses) if clauses else literal(True)
