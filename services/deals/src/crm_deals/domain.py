"""Rules of the deals domain: money and lines, stage moves, distance to money, forecast.

Money is Decimal throughout, rounded half up to cents. No database and no
gRPC here; the typed inputs of the commands and the rules that build them
are in inputs.py, payment rules in payments.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from crm_core import fields, vat
from crm_core.errors import FailedPrecondition, Validator, invalid
from crm_core.numbers import MAX_MONEY, parse_decimal
from crm_core.units import PIECE, UNIT_CODE

CATEGORIES = ("open", "won", "lost")
FORECAST_GROUPS = ("month", "owner", "team")
DEFAULT_CURRENCY = "RUB"
DEFAULT_STALE_DAYS = 14
# The stages of a pipeline created without any (Russian, English, probability, category), as migration 0006
# names the shipped pipeline's.
DEFAULT_STAGES = (
    ("Новая", "Lead", 10, "open"),
    ("Квалификация", "Qualified", 25, "open"),
    ("Коммерческое предложение", "Proposal", 50, "open"),
    ("Переговоры", "Negotiation", 75, "open"),
    ("Выиграна", "Won", 100, "won"),
    ("Проиграна", "Lost", 0, "lost"),
)
MAX_NAME = 300
MAX_TEXT = 2000
MAX_ITEMS = 50
MAX_LINES = 200
CENT = Decimal("0.01")
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

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


def deal_vat(lines: Sequence[Mapping[str, Any]], mode: str) -> vat.VatTotals:
    """The VAT of a deal's stored lines under its mode (crm_core.vat: per line, rounded half up to kopecks).

    Lines stored before VAT (no vat_rate) count as `none`; a deal without lines has no VAT.
    """
    rows = [vat.VatLine(Decimal(line["total"]), line.get("vat_rate") or vat.NO_VAT) for line in lines]
    return vat.compute(rows, mode if vat.is_vat_mode(mode) else vat.DEFAULT_MODE)  # type: ignore[arg-type]


def total_with_vat(amount: Decimal | None, totals: vat.VatTotals) -> Decimal | None:
    """What the client pays: the amount, plus the VAT when it is on top."""
    if amount is None:
        return None
    return amount + totals.vat if totals.mode == "on_top" else amount


def line_totals(v: Validator, raw: Any, path: str = "lines") -> LineTotals:
    """Validate product lines and compute each line's subtotal and total, and the deal's totals.

    subtotal = quantity x price; discount = subtotal x discount_percent / 100;
    both rounded to cents, total = subtotal - discount, so the parts always add up.
    A line keeps its catalogue product (product_id), article, OKEI unit (796,
    pieces, by default) and VAT rate (`none` by default); its VAT depends on
    the deal's mode and is computed when read (deal_vat).
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
        article = fields.text(v, item.get("article"), f"{where}.article", 100) or ""
        unit_code = str(item.get("unit_code") or PIECE)
        if not UNIT_CODE.match(unit_code):
            v.add(f"{where}.unit_code", "unknown_unit", f"{where}.unit_code must be a unit of the code list units")
        vat_rate = str(item.get("vat_rate") or vat.NO_VAT)
        if not vat.is_vat_rate(vat_rate):
            v.add(
                f"{where}.vat_rate", "unknown_vat_rate", f"{where}.vat_rate must be one of: {', '.join(vat.VAT_RATES)}"
            )
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
                "product_id": str(item.get("product_id") or ""),
                "article": article,
                "unit_code": unit_code,
                "vat_rate": vat_rate,
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


# --- dates ---------------------------------------------------------------------------------------


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
    Lost needs an active loss reason; other moves take none. The comment
    comes trimmed and checked (inputs.parse_stage_move).
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
    if not MONTH.match(value):
        raise invalid(path, "invalid_month", f"{path} must be a month YYYY-MM")
    return date(int(value[:4]), int(value[5:]), 1)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


# --- helpers -----------------------------------------------------------------------------------------


def audit_view(cols: Mapping[str, Any]) -> dict[str, Any]:
    """Columns as they appear in the audit trail (JSON-safe)."""
    return {k: _json_safe(x) for k, x in cols.items()}


def _json_safe(value: Any) -> Any:
    if isinstance(value, Decimal):
        return money_text(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
