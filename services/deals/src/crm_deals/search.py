"""Deal search: the SQL of distance to money and stalled, filters (incl. custom fields), sort keys.

The computed columns follow domain.distance_to_money exactly (tests hold
them together); they need the deal's stage and pipeline joined and the
clock's `now` as a parameter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Numeric,
    and_,
    case,
    cast,
    extract,
    func,
    literal,
    literal_column,
    or_,
)

from crm_core import custom_fields
from crm_core.db import is_uuid
from crm_core.errors import invalid
from crm_core.filtering import FieldSpec, condition
from crm_core.resources import SortKey, SortSpec
from crm_deals.models import Deal, Pipeline, Stage

# Sort values of rows without one, so keyset pagination never compares NULLs.
NO_DATE = date(9999, 12, 31)
NO_DISTANCE = Decimal("99999999999999999999")


@dataclass(frozen=True)
class Computed:
    """SQL of the values that depend on the time of the request."""

    time_factor: ColumnElement[Any]
    expected_amount: ColumnElement[Any]
    distance: ColumnElement[Any]
    over_time_limit: ColumnElement[bool]
    no_activity: ColumnElement[bool]
    stalled: ColumnElement[bool]


def computed(now: datetime) -> Computed:
    """Distance to money and stalled at `now` (see domain.distance_to_money)."""
    at = literal(now, DateTime(timezone=True))
    is_open = Deal.status == "open"
    in_stage = cast(extract("epoch", at - Deal.stage_entered_at), Numeric)
    limit_seconds = cast(Stage.time_limit_days * 86400, Numeric)
    over_limit = and_(Stage.time_limit_days.is_not(None), in_stage > limit_seconds)
    factor = case((over_limit, func.round(limit_seconds / in_stage, 4)), else_=literal(1, Numeric))
    money = func.coalesce(Deal.amount, 0)
    expected = func.round(money * Stage.probability * factor / 100, 2)
    no_activity = Deal.last_activity_at < at - func.make_interval(0, 0, 0, Pipeline.stale_days)
    return Computed(
        time_factor=factor,
        expected_amount=case((is_open, expected)),
        distance=case((is_open, money - expected)),
        over_time_limit=and_(is_open, over_limit),
        no_activity=and_(is_open, no_activity),
        stalled=and_(is_open, or_(over_limit, no_activity)),
    )


_TEXT = {
    name: FieldSpec(getattr(Deal, name))
    # Not client_name: a copy of the client's name, shown only to those who may see the client (repository).
    for name in ("title", "status", "client_id", "owner_id", "team_id", "currency", "loss_reason")
}
_UUID_FIELDS = {"pipeline_id": Deal.pipeline_id, "stage_id": Deal.stage_id}
FIELDS: dict[str, FieldSpec] = {
    **_TEXT,
    "source.campaign_id": FieldSpec(Deal.source_campaign_id),
    "source.lead_id": FieldSpec(Deal.source_lead_id),
    "amount": FieldSpec(Deal.amount, "number"),
    "probability": FieldSpec(Stage.probability, "number"),
    "expected_close_date": FieldSpec(Deal.expected_close_date, "date"),
    "created_at": FieldSpec(Deal.created_at, "datetime"),
    "updated_at": FieldSpec(Deal.updated_at, "datetime"),
    "closed_at": FieldSpec(Deal.closed_at, "datetime"),
    "stage_entered_at": FieldSpec(Deal.stage_entered_at, "datetime"),
    "last_activity_at": FieldSpec(Deal.last_activity_at, "datetime"),
    "regressing": FieldSpec(Deal.regressing, "bool"),
    "contact_id": FieldSpec(Deal.contact_ids, "text_array"),
    "shared_with": FieldSpec(Deal.shared_with, "text_array"),
}
COMPUTED_FIELDS = {"stalled": "bool", "expected_amount": "number", "distance": "number"}


def filter_condition(
    field: str, op: str, value: str, where: str, now: datetime, custom_types: Mapping[str, str]
) -> ColumnElement[bool]:
    """SQL for one filter on a deal field, a computed value or a custom field ("cf.<key>")."""
    if field.startswith("cf."):
        return custom_fields.filter_condition(Deal.custom_fields, field[3:], op, value, where, custom_types)
    if field in _UUID_FIELDS:
        # Ids are UUID columns: a malformed id must be a clear 422, not a database error.
        if op not in ("eq", "ne", "in"):
            raise invalid(where, "unsupported_operator", f"{where}: '{field}' takes eq, ne or in")
        ids = [v.strip() for v in value.split(",") if v.strip()] if op == "in" else [value]
        if not ids or not all(is_uuid(i) for i in ids):
            raise invalid(where, "invalid_filter_value", f"{where}: '{value}' is not a valid id")
        return condition(FieldSpec(_UUID_FIELDS[field]), op, value, where)
    if field in COMPUTED_FIELDS:
        return condition(FieldSpec(getattr(computed(now), field), COMPUTED_FIELDS[field]), op, value, where)
    spec = FIELDS.get(field)
    if spec is None:
        raise invalid(where, "unknown_filter_field", f"{where}: cannot filter on '{field}'")
    return condition(spec, op, value, where)


def needs_stage(filters: Sequence[tuple[str, str, str]]) -> bool:
    """Whether the filters read the deal's stage or pipeline (probability and the computed values do)."""
    return any(field == "probability" or field in COMPUTED_FIELDS for field, _, _ in filters)


def filter_conditions(
    filters: Sequence[tuple[str, str, str]], now: datetime, custom_types: Mapping[str, str]
) -> list[ColumnElement[bool]]:
    return [filter_condition(f, op, v, f"filters[{i}]", now, custom_types) for i, (f, op, v) in enumerate(filters)]


def query_condition(query: str, client_seen: ColumnElement[bool]) -> ColumnElement[bool]:
    """Deals whose title, or client name where the caller may see the client, contains the text.

    The trigram index on title || client_name narrows the rows; the second test keeps a hidden
    client's name from matching."""
    text = query.strip().lower()
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return and_(
        (Deal.title + literal_column("' '") + Deal.client_name).ilike(pattern),
        or_(Deal.title.ilike(pattern), client_seen),
    )


# Deals sort by these keys; distance and expected amount are computed at the request's time.
SORT = SortSpec[datetime](
    "deals",
    {
        "created_at": SortKey("datetime", Deal.created_at),
        "updated_at": SortKey("datetime", Deal.updated_at),
        "amount": SortKey("decimal", func.coalesce(Deal.amount, 0)),
        "expected_close_date": SortKey("date", func.coalesce(Deal.expected_close_date, NO_DATE)),
        "stage_entered_at": SortKey("datetime", Deal.stage_entered_at),
        "distance": SortKey("decimal", computed=lambda now: func.coalesce(computed(now).distance, NO_DISTANCE)),
        "expected_amount": SortKey("decimal", computed=lambda now: func.coalesce(computed(now).expected_amount, 0)),
        "title": SortKey("text", Deal.title),
    },
    default="-updated_at",
    tie_breaker=Deal.id,
)
