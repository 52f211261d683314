"""Rules of the deals domain: validation, money and lines, stage moves, distance to money, pipelines.

Works on plain data: "deal dicts" shaped like the crm.deals.v1.Deal message
(as json_format gives them, snake_case) and "column dicts" shaped like the
deal table. Money is Decimal throughout, rounded half up to cents. No
database and no gRPC here; payment rules are in payments.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from crm_core import custom_fields, fields
from crm_core.db import is_uuid
from crm_core.errors import FailedPrecondition, Validator, invalid
from crm_core.numbers import MAX_MONEY, parse_decimal
from crm_core.resources import FieldMask, drop_empty

CATEGORIES = ("open", "won", "lost")
FORECAST_GROUPS = ("month", "owner", "team")
DEFAULT_CURRENCY = "RUB"
DEFAULT_STALE_DAYS = 14
DEFAULT_STAGES = (
    ("Lead", 10, "open"),
    ("Qualified", 25, "open"),
    ("Proposal", 50, "open"),
    ("Negotiation", 75, "open"),
    ("Won", 100, "won"),
    ("Lost", 0, "lost"),
)
MAX_NAME = 300
MAX_TEXT = 2000
MAX_ITEMS = 50
MAX_LINES = 200
CENT = Decimal("0.01")
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

# Deal message fields an update mask may name (custom_fields.<key> too).
UPDATABLE_PATHS = frozenset(
    {
        "title",
        "client_id",
        "client_name",
        "contact_ids",
        "owner_id",
        "team_id",
        "shared_with",
        "amount",
        "currency",
        "lines",
        "expected_close_date",
        "source",
        "source.campaign_id",
        "source.lead_id",
        "custom_fields",
    }
)
DEAL_MASK = FieldMask(
    UPDATABLE_PATHS,
    maps={"custom_fields": custom_fields.KEY_PATTERN},
    elsewhere={p: ("use_move_stage", f"'{p}' changes only through MoveDealStage") for p in ("stage_id", "pipeline_id")},
)
# Columns a deal dict sets (the rest: stage, status, times, version, belong to commands).
DEAL_COLUMNS = (
    "title",
    "client_id",
    "client_name",
    "contact_ids",
    "owner_id",
    "team_id",
    "shared_with",
    "amount",
    "currency",
    "lines",
    "discount_amount",
    "expected_close_date",
    "source_campaign_id",
    "source_lead_id",
    "custom_fields",
)


# --- money --------------------------------------------------------------------------


def cents(value: Decimal) -> Decimal:
    """Rounded half up to cents (the one rounding rule for money here)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money_text(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


@dataclass(frozen=True)
class LineTotals:
    lines: list[dict[str, str]]
    subtotal: Decimal
    discount: Decimal
    total: Decimal


def line_totals(v: Validator, raw: Any, path: str = "lines") -> LineTotals:
    """Validate product lines and compute each line's subtotal and total, and the deal's totals.

    subtotal = quantity x price; discount = subtotal x discount_percent / 100;
    both rounded to cents, total = subtotal - discount, so the parts always add up.
    """
    items = fields.items(v, raw, path, MAX_LINES)
    lines: list[dict[str, str]] = []
    subtotal = discount = Decimal("0.00")
    for i, item in enumerate(items):
        where = f"{path}[{i}]"
        if not isinstance(item, dict):
            v.add(where, "wrong_type", f"{where} must be an object")
            continue
        problems = len(v.problems)
        product = fields.text(v, item.get("product"), f"{where}.product")
        if product is None:
            v.add(f"{where}.product", "required", f"{where}.product is required")
        quantity = parse_decimal(v, item.get("quantity"), f"{where}.quantity", places=3)
        if quantity is None and len(v.problems) == problems:
            v.add(f"{where}.quantity", "required", f"{where}.quantity is required")
        elif quantity is not None and quantity <= 0:
            v.add(f"{where}.quantity", "out_of_range", f"{where}.quantity must be greater than 0")
        price = parse_decimal(v, item.get("price"), f"{where}.price")
        if price is None and f"{where}.price" not in {p.field for p in v.problems}:
            v.add(f"{where}.price", "required", f"{where}.price is required")
        percent = parse_decimal(v, item.get("discount_percent") or "0", f"{where}.discount_percent")
        if percent is not None and percent > 100:
            v.add(f"{where}.discount_percent", "out_of_range", f"{where}.discount_percent must be 0 to 100")
        if len(v.problems) > problems or quantity is None or price is None or percent is None or product is None:
            continue
        if quantity * price > MAX_MONEY:  # before rounding: quantize past Decimal's precision raises
            v.add(where, "out_of_range", f"{where}: quantity x price is more than the largest amount")
            continue
        line_subtotal = cents(quantity * price)
        line_discount = cents(line_subtotal * percent / 100)
        subtotal += line_subtotal
        discount += line_discount
        lines.append(
            {
                "product": product,
                "quantity": _plain(quantity),
                "price": money_text(price),
                "discount_percent": _plain(percent),
                "subtotal": money_text(line_subtotal),
                "total": money_text(line_subtotal - line_discount),
            }
        )
    if subtotal > MAX_MONEY:
        v.add(path, "out_of_range", "the lines add up to more than the largest amount")
    return LineTotals(lines, subtotal, discount, subtotal - discount)


def _plain(value: Decimal) -> str:
    """Decimal without trailing zeros or exponent ("2", "2.5", "0.125")."""
    text = format(value.normalize(), "f")
    return text if text not in ("-0", "") else "0"


# --- deal fields ---------------------------------------------------------------------------


def deal_columns(
    data: Mapping[str, Any],
    custom_field_defs: Mapping[str, Mapping[str, Any]],
    *,
    changed_custom_keys: Iterable[str] | None = None,
) -> dict[str, Any]:
    """Validate a deal dict and return the deal table's columns (DEAL_COLUMNS).

    With lines, the amount is their total: a different amount given with them
    is `amount_mismatch`. Raises InvalidArgument listing every bad field.
    """
    v = Validator()
    cols: dict[str, Any] = {"title": fields.text(v, data.get("title"), "title")}
    if not cols["title"]:
        v.add("title", "required", "a deal needs a title")
    client_id = fields.text(v, data.get("client_id"), "client_id", 64)
    if not client_id:
        v.add("client_id", "required", "a deal needs a client (a party id)")
    elif not is_uuid(client_id):
        v.add("client_id", "invalid_id", "client_id must be a party id")
    cols["client_id"] = client_id
    cols["client_name"] = fields.text(v, data.get("client_name"), "client_name") or ""
    cols["contact_ids"] = _ids(v, data.get("contact_ids"), "contact_ids")
    cols["owner_id"] = fields.text(v, data.get("owner_id"), "owner_id", 64)
    cols["team_id"] = fields.text(v, data.get("team_id"), "team_id", 64)
    cols["shared_with"] = fields.codes(v, data.get("shared_with"), "shared_with")
    currency = fields.text(v, data.get("currency"), "currency", 3) or DEFAULT_CURRENCY
    if not _CURRENCY.match(currency):
        v.add("currency", "invalid_currency", "currency must be an ISO 4217 code like RUB")
    cols["currency"] = currency
    amount = parse_decimal(v, data.get("amount"), "amount")
    totals = line_totals(v, data.get("lines"), "lines")
    if totals.lines:
        if amount is not None and amount != totals.total:
            v.add(
                "amount",
                "amount_mismatch",
                f"amount {money_text(amount)} differs from the lines' total {money_text(totals.total)}; "
                "leave amount out to take the total",
            )
        amount = totals.total
    cols["amount"] = amount
    cols["lines"] = totals.lines
    cols["discount_amount"] = totals.discount
    cols["expected_close_date"] = parse_date(v, data.get("expected_close_date"), "expected_close_date")
    source = data.get("source") or {}
    if not isinstance(source, dict):
        v.add("source", "wrong_type", "source must be an object")
        source = {}
    cols["source_campaign_id"] = fields.text(v, source.get("campaign_id"), "source.campaign_id", 64)
    cols["source_lead_id"] = fields.text(v, source.get("lead_id"), "source.lead_id", 64)
    cols["custom_fields"] = custom_fields.validate_values(
        v, data.get("custom_fields") or {}, custom_field_defs, changed_custom_keys, entity="deals"
    )
    v.raise_if_any()
    return cols


def deal_dict(cols: Mapping[str, Any]) -> dict[str, Any]:
    """Column dict -> Deal-shaped dict of the editable fields (the inverse of deal_columns)."""
    data: dict[str, Any] = {
        "title": cols.get("title"),
        "client_id": cols.get("client_id"),
        "client_name": cols.get("client_name") or None,
        "contact_ids": list(cols.get("contact_ids") or []),
        "owner_id": cols.get("owner_id"),
        "team_id": cols.get("team_id"),
        "shared_with": list(cols.get("shared_with") or []),
        "amount": money_text(cols.get("amount")) or None,
        "currency": cols.get("currency"),
        "lines": [
            {k: line[k] for k in ("product", "quantity", "price", "discount_percent")}
            for line in cols.get("lines") or []
        ],
        "expected_close_date": cols["expected_close_date"].isoformat() if cols.get("expected_close_date") else None,
        "source": {"campaign_id": cols.get("source_campaign_id"), "lead_id": cols.get("source_lead_id")},
        "custom_fields": dict(cols.get("custom_fields") or {}),
    }
    return drop_empty(data)


def apply_update(current: dict[str, Any], patch: Mapping[str, Any], paths: Iterable[str]) -> dict[str, Any]:
    """Replace the masked paths of `current` with their values in `patch` (absent -> cleared).

    "custom_fields.<key>" sets or clears one custom field. Changing the lines
    without naming the amount re-derives the amount from them; changing the
    client without naming its name clears the name.
    """
    paths = list(paths)
    result = DEAL_MASK.apply(current, patch, paths)
    if "lines" in paths and "amount" not in paths and result.get("lines"):
        result.pop("amount", None)
    if "client_id" in paths and "client_name" not in paths:
        result.pop("client_name", None)  # the old client's name would be wrong
    return result


def parse_date(v: Validator, value: Any, path: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        v.add(path, "invalid_date", f"{path} must be a date YYYY-MM-DD")
        return None


# --- pipelines and stages --------------------------------------------------------------------


def stage_fields(v: Validator, data: Mapping[str, Any], path: str) -> dict[str, Any]:
    """A new stage: name, probability (100 for won, 0 for lost), category, time limit (None: none)."""
    name = fields.text(v, data.get("name"), f"{path}.name")
    if not name:
        v.add(f"{path}.name", "required", f"{path}.name is required")
    category = data.get("category") or "open"
    if category not in CATEGORIES:
        v.add(f"{path}.category", "not_allowed", f"{path}.category must be open, won or lost")
    probability = data.get("probability") or 0
    if category == "won":
        probability = probability or 100
    fixed = {"won": 100, "lost": 0}.get(category)
    if not isinstance(probability, int) or not 0 <= probability <= 100:
        v.add(f"{path}.probability", "out_of_range", f"{path}.probability must be 0 to 100")
    elif fixed is not None and probability != fixed:
        v.add(f"{path}.probability", "fixed_probability", f"a {category} stage has probability {fixed}")
    return {
        "name": name,
        "category": category,
        "probability": probability,
        "time_limit_days": _time_limit(v, data.get("time_limit_days"), f"{path}.time_limit_days"),
    }


def _time_limit(v: Validator, value: Any, path: str) -> int | None:
    if not value:
        return None
    if not isinstance(value, int) or not 0 < value <= 3650:
        v.add(path, "out_of_range", f"{path} must be 1 to 3650 days (0: no limit)")
        return None
    return value


def stage_update(current: Mapping[str, Any], patch: Mapping[str, Any], paths: Iterable[str]) -> dict[str, Any]:
    """A stage after renaming, re-probabilising, re-limiting or archiving; category stays."""
    v = Validator()
    allowed = {"name", "probability", "time_limit_days", "archived"}
    paths = list(paths)
    if not paths or set(paths) - allowed:
        raise invalid("update_mask", "unknown_field", f"update_mask may name only: {', '.join(sorted(allowed))}")
    result = dict(current)
    if "name" in paths:
        result["name"] = fields.text(v, patch.get("name"), "stage.name")
        if not result["name"]:
            v.add("stage.name", "required", "stage.name is required")
    if "probability" in paths:
        probability = patch.get("probability") or 0
        if current["category"] != "open" and probability != current["probability"]:
            v.add("stage.probability", "fixed_probability", f"a {current['category']} stage keeps its probability")
        elif not isinstance(probability, int) or not 0 <= probability <= 100:
            v.add("stage.probability", "out_of_range", "stage.probability must be 0 to 100")
        result["probability"] = probability
    if "time_limit_days" in paths:
        result["time_limit_days"] = _time_limit(v, patch.get("time_limit_days"), "stage.time_limit_days")
    if "archived" in paths:
        result["archived"] = bool(patch.get("archived"))
    v.raise_if_any()
    return result


def check_stage_set(stages: Sequence[Mapping[str, Any]]) -> None:
    """A pipeline keeps at least one active open, won and lost stage."""
    active = {s["category"] for s in stages if not s.get("archived")}
    missing = [c for c in CATEGORIES if c not in active]
    if missing:
        raise FailedPrecondition(
            "stages_incomplete",
            f"a pipeline needs at least one active {' and one '.join(missing)} stage",
        )


def pipeline_name(value: Any) -> str:
    v = Validator()
    name = fields.text(v, value, "name")
    if not name:
        v.add("name", "required", "a pipeline needs a name")
    v.raise_if_any()
    assert name is not None
    return name


def stale_days(value: Any) -> int:
    if not isinstance(value, int) or not 0 < value <= 3650:
        raise invalid("stale_days", "out_of_range", "stale_days must be 1 to 3650")
    return value


# --- stage moves ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageRef:
    """What the move rules need to know about a stage."""

    id: str
    pipeline_id: str
    name: str
    position: int
    category: str
    archived: bool = False


@dataclass(frozen=True)
class Move:
    """What a permitted move means: the event to publish and whether it went backwards."""

    event_type: str
    regression: bool
    loss_reason: str | None
    comment: str | None


def plan_move(
    *,
    pipeline_id: str,
    current: StageRef,
    target: StageRef | None,
    target_id: str,
    amount: Decimal | None,
    loss_reason: str,
    comment: str,
    active_loss_reasons: Iterable[str],
) -> Move:
    """Check a stage move and say what it means.

    Unknown stage or another pipeline's stage: INVALID_ARGUMENT. An archived
    target, the current stage, or won without an amount: FAILED_PRECONDITION.
    Lost needs an active loss reason; other moves take none.
    """
    if target is None:
        raise invalid("stage_id", "unknown_stage", f"no stage {target_id}")
    if target.pipeline_id != pipeline_id:
        raise invalid(
            "stage_id", "stage_not_in_pipeline", f"stage '{target.name}' belongs to another pipeline than the deal"
        )
    if target.id == current.id:
        raise FailedPrecondition("already_in_stage", f"the deal is already in stage '{target.name}'")
    if target.archived:
        raise FailedPrecondition("stage_archived", f"stage '{target.name}' is archived")
    comment = comment.strip()
    if len(comment) > MAX_TEXT:
        raise invalid("comment", "too_long", f"comment must be at most {MAX_TEXT} characters")
    if target.category == "won" and (amount is None or amount <= 0):
        raise FailedPrecondition("won_requires_amount", "a deal can be won only with an amount: set it first")
    if target.category == "lost":
        if not loss_reason:
            raise invalid("loss_reason", "loss_reason_required", "a lost deal needs a loss reason")
        if loss_reason not in set(active_loss_reasons):
            raise invalid("loss_reason", "unknown_loss_reason", f"'{loss_reason}' is not an active loss reason")
    elif loss_reason:
        raise invalid("loss_reason", "loss_reason_not_allowed", "a loss reason is given only when a deal is lost")
    regression = target.category == "open" and (current.category != "open" or target.position < current.position)
    if target.category in ("won", "lost"):
        event_type = f"deal.{target.category}"
    elif current.category != "open":
        event_type = "deal.reopened"
    else:
        event_type = "deal.stage_changed"
    return Move(event_type, regression, loss_reason or None, comment or None)


# --- distance to money ------------------------------------------------------------------------


@dataclass(frozen=True)
class Distance:
    """How far an open deal is from money (see crm.deals.v1.DistanceToMoney)."""

    probability: int
    days_in_stage: float
    time_factor: Decimal
    expected_amount: Decimal
    distance: Decimal
    stalled_reasons: list[str] = field(default_factory=list)

    @property
    def stalled(self) -> bool:
        return bool(self.stalled_reasons)


SECONDS_PER_DAY = 86400
TIME_FACTOR_PLACES = Decimal("0.0001")


def seconds_between(start: datetime, end: datetime) -> Decimal:
    """Exact seconds (microseconds included) from start to end, never negative."""
    delta = end - start
    seconds = Decimal(delta.days * SECONDS_PER_DAY + delta.seconds) + Decimal(delta.microseconds) / 1_000_000
    return max(seconds, Decimal(0))


def time_factor(seconds_in_stage: Decimal, time_limit_days: int | None) -> Decimal:
    """1 within the stage's time limit; limit / time in stage beyond it (rounded to 4 places)."""
    if not time_limit_days:
        return Decimal(1)
    limit = Decimal(time_limit_days * SECONDS_PER_DAY)
    if seconds_in_stage <= limit:
        return Decimal(1)
    return (limit / seconds_in_stage).quantize(TIME_FACTOR_PLACES, rounding=ROUND_HALF_UP)


def distance_to_money(
    *,
    amount: Decimal | None,
    probability: int,
    stage_entered_at: datetime,
    time_limit_days: int | None,
    last_activity_at: datetime,
    stale_days: int,
    now: datetime,
) -> Distance:
    """Expected amount and distance of an open deal, and whether (why) it is stalled.

    The repository computes the same in SQL to filter and sort; both follow
    this definition (tests hold them to it).
    """
    in_stage = seconds_between(stage_entered_at, now)
    factor = time_factor(in_stage, time_limit_days)
    money = amount or Decimal(0)
    expected = cents(money * probability * factor / 100)
    reasons = []
    if time_limit_days and in_stage > time_limit_days * SECONDS_PER_DAY:
        reasons.append("stage_time_limit")
    if seconds_between(last_activity_at, now) > stale_days * SECONDS_PER_DAY:
        reasons.append("no_activity")
    return Distance(
        probability=probability,
        days_in_stage=round(float(in_stage) / SECONDS_PER_DAY, 2),
        time_factor=factor,
        expected_amount=expected,
        distance=money - expected,
        stalled_reasons=reasons,
    )


def weighted(amount: Decimal | None, probability: int) -> Decimal:
    """amount x probability / 100, to cents.

    The board and the forecast weight the total of a stage's deals once (not
    each deal and then add), so the weighted sum of a column is exactly its
    amount times its probability.
    """
    return cents((amount or Decimal(0)) * probability / 100)


# --- forecast ------------------------------------------------------------------------------------


def forecast_groups(group_by: Sequence[str]) -> list[str]:
    groups = list(dict.fromkeys(group_by or ["month"]))
    unknown = [g for g in groups if g not in FORECAST_GROUPS]
    if unknown:
        raise invalid("group_by", "not_allowed", f"group_by takes {', '.join(FORECAST_GROUPS)}; not {unknown[0]}")
    return groups


def forecast_totals(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per currency, the sums of forecast rows (deals, amount, weighted amount), sorted by currency."""
    totals: dict[str, dict[str, Any]] = {}
    for row in rows:
        total = totals.setdefault(
            row["currency"], {"currency": row["currency"], "deals": 0, "amount": 0, "weighted": 0}
        )
        for key in ("deals", "amount", "weighted"):
            total[key] += row[key]
    return [totals[currency] for currency in sorted(totals)]


def month_start(value: str, path: str) -> date | None:
    """'2026-05' -> 2026-05-01; empty -> None."""
    if not value:
        return None
    if not _MONTH.match(value):
        raise invalid(path, "invalid_month", f"{path} must be a month YYYY-MM")
    return date(int(value[:4]), int(value[5:]), 1)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


# --- helpers -----------------------------------------------------------------------------------------


def _ids(v: Validator, value: Any, path: str) -> list[str]:
    ids = fields.codes(v, value, path)
    for i, item in enumerate(ids):
        if not is_uuid(item):
            v.add(f"{path}[{i}]", "invalid_id", f"{path}[{i}] must be a party id")
    return ids


def audit_view(cols: Mapping[str, Any]) -> dict[str, Any]:
    """Columns as they appear in the audit trail (JSON-safe)."""
    return {k: _json_safe(x) for k, x in cols.items()}


def _json_safe(value: Any) -> Any:
    if isinstance(value, Decimal):
        return money_text(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
