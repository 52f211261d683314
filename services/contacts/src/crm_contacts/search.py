"""Party search: full-text + fuzzy query, filters (incl. custom fields and client knowledge), sort."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Numeric, cast, func, literal, or_
from sqlalchemy.dialects.postgresql import JSONB

from crm_contacts.domain import normalize_phone
from crm_contacts.models import Party
from crm_core import custom_fields
from crm_core.errors import invalid
from crm_core.filtering import FieldSpec, condition
from crm_core.resources import Sort, SortKey, SortSpec

_TEXT = {
    c: FieldSpec(getattr(Party, c))
    for c in (
        "kind",
        "display_name",
        "legal_name",
        "short_name",
        "inn",
        "kpp",
        "ogrn",
        "industry",
        "size",
        "website",
        "first_name",
        "last_name",
        "middle_name",
        "position",
        "owner_id",
        "team_id",
        "payment_discipline",
        "purchase_currency",
        "purchase_period",
        "legal_address",
    )
}
FIELDS: dict[str, FieldSpec] = {
    **_TEXT,
    # Party message paths are accepted as aliases of their columns.
    **{
        f"company.{c}": _TEXT[c]
        for c in ("legal_name", "short_name", "inn", "kpp", "ogrn", "industry", "size", "website", "legal_address")
    },
    **{f"person.{c}": _TEXT[c] for c in ("first_name", "last_name", "middle_name", "position")},
    "created_at": FieldSpec(Party.created_at, "datetime"),
    "updated_at": FieldSpec(Party.updated_at, "datetime"),
    "deleted_at": FieldSpec(Party.deleted_at, "datetime"),
    "purchase_amount": FieldSpec(Party.purchase_amount, "number"),
    "tags": FieldSpec(Party.tags, "text_array"),
    "relationship_types": FieldSpec(Party.relationship_types, "text_array"),
    "season_months": FieldSpec(Party.season_months, "int_array"),
    "obstacles": FieldSpec(Party.obstacles, "text_array"),
    "email": FieldSpec(Party.emails_norm, "text_array"),
    "phone": FieldSpec(Party.phones_norm, "text_array"),
}


def _jsonb_contains(column: Any, item: Mapping[str, Any]) -> ColumnElement[bool]:
    return column.op("@>")(literal([dict(item)], JSONB))


def filter_condition(
    field: str, op: str, value: str, where: str, custom_types: Mapping[str, str]
) -> ColumnElement[bool]:
    """SQL for one filter; knows custom fields ("cf.<key>") and client-knowledge lists."""
    if field in ("need", "unmet_need", "refusal_reason"):
        if op not in ("eq", "in"):
            raise invalid(where, "unsupported_operator", f"{where}: '{field}' takes eq or in")
        column, key = (Party.refusal_reasons, "code") if field == "refusal_reason" else (Party.needs, "product")
        extra = {"we_offer": False} if field == "unmet_need" else {}
        values = [v.strip() for v in value.split(",") if v.strip()] if op == "in" else [value]
        return or_(*(_jsonb_contains(column, {key: v, **extra}) for v in values))
    if field.startswith("cf."):
        return custom_fields.filter_condition(Party.custom_fields, field[3:], op, value, where, custom_types)
    if field in ("phone", "email") and op in ("eq", "in"):
        normalize = normalize_phone if field == "phone" else str.lower
        value = ",".join(normalize(v) for v in value.split(","))
    spec = FIELDS.get(field)
    if spec is None:
        raise invalid(where, "unknown_filter_field", f"{where}: cannot filter on '{field}'")
    return condition(spec, op, value, where)


def filter_conditions(
    filters: Sequence[tuple[str, str, str]], custom_types: Mapping[str, str]
) -> list[ColumnElement[bool]]:
    return [filter_condition(f, op, v, f"filters[{i}]", custom_types) for i, (f, op, v) in enumerate(filters)]


_WORD = re.compile(r"[\w@.+-]+", re.UNICODE)


def prefix_tsquery(query: str) -> str:
    """'ром кот' -> 'ром:* & кот:*' (search as you type)."""
    words = [re.sub(r"[^\w]", "", w) for w in _WORD.findall(query.lower())]
    return " & ".join(f"{w}:*" for w in words if w)


def query_condition(query: str) -> ColumnElement[bool]:
    """Matches by words (prefix), by similar name, by substring, and by phone digits."""
    text = query.strip().lower()
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    clauses: list[ColumnElement[bool]] = [
        Party.search_text.ilike(f"%{escaped}%"),
        Party.display_name.op("%")(text),
    ]
    tsquery = prefix_tsquery(text)
    if tsquery:
        clauses.append(Party.search_tsv.op("@@")(func.to_tsquery("simple", tsquery)))
    digits = normalize_phone(text)
    if len(digits) >= 5 and digits != text:
        clauses.append(Party.search_text.like(f"%{digits}%"))
    return or_(*clauses)


def relevance(query: str) -> ColumnElement[Any]:
    """0..~2, higher is better: word rank plus name similarity, rounded so cursors compare exactly."""
    tsquery = prefix_tsquery(query)
    # A query without words ("%", "--") has no tsquery, and to_tsquery of nothing is a syntax error.
    rank = func.ts_rank_cd(Party.search_tsv, func.to_tsquery("simple", tsquery)) if tsquery else literal(0)
    return func.round(cast(rank + func.similarity(Party.display_name, query.lower()), Numeric), 6)


# Parties sort by these keys; relevance is computed from the search text.
SORT = SortSpec[str](
    "parties",
    {
        "created_at": SortKey("datetime", Party.created_at),
        "updated_at": SortKey("datetime", Party.updated_at),
        "display_name": SortKey("text", Party.display_name),
        "relevance": SortKey("decimal", computed=relevance),
    },
    default="-updated_at",
    tie_breaker=Party.id,
)


def parse_sort(sort: str, query: str) -> Sort[str]:
    """ "-updated_at,display_name" -> Sort; by relevance when searching, else newest change first."""
    parsed = SORT.parse(sort, "-relevance" if query else "")
    if not query and any(name == "relevance" for name, _ in parsed.terms):
        raise invalid("sort", "relevance_needs_query", "sorting by relevance needs a query")
    return parsed
