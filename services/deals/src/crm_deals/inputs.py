"""Typed inputs of the deals commands, each parsed once from its protobuf message.

A parse function applies every rule a value can be judged by on its own and
raises InvalidArgument naming each bad field (the codes are the API's, see
docs/api.md); what it returns is a frozen dataclass the commands take as it
is. Rules that need stored data are applied where that data is: custom field
definitions, loss reasons, the deal's currency and status (commands.py,
domain.plan_move). Pipelines and stages have theirs in pipeline_inputs.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from google.protobuf import json_format

from crm.deals.v1 import deals_pb2 as pb
from crm_core import custom_fields, fields, vat
from crm_core.db import is_uuid
from crm_core.errors import FailedPrecondition, Validator, invalid
from crm_core.numbers import parse_decimal
from crm_core.resources import FieldMask, is_named
from crm_deals.catalogue import ProductRef
from crm_deals.domain import (
    CURRENCY,
    DEFAULT_CURRENCY,
    MAX_TEXT,
    LineTotals,
    line_totals,
    money_text,
    parse_date,
)
from crm_deals.payments import STATUSES

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
        "vat_mode",
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
NO_LINES = LineTotals([], Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))


# --- deals ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DealFields:
    """The editable fields of a deal, each valid by itself and amount agreeing with the lines.

    custom_fields are the values as given: whether they fit their definitions
    is checked against the stored definitions (check_custom_fields).
    """

    title: str = ""
    client_id: str = ""
    client_name: str = ""
    contact_ids: tuple[str, ...] = ()
    owner_id: str | None = None
    team_id: str | None = None
    shared_with: tuple[str, ...] = ()
    amount: Decimal | None = None
    currency: str = DEFAULT_CURRENCY
    lines: LineTotals = NO_LINES
    vat_mode: str = vat.DEFAULT_MODE
    expected_close_date: date | None = None
    source_campaign_id: str | None = None
    source_lead_id: str | None = None
    custom_fields: Mapping[str, Any] = field(default_factory=dict)

    def columns(self) -> dict[str, Any]:
        """The deal table's columns these fields set (stage, status, times and version belong to the commands)."""
        return {
            "title": self.title,
            "client_id": self.client_id,
            "client_name": self.client_name,
            "contact_ids": list(self.contact_ids),
            "owner_id": self.owner_id,
            "team_id": self.team_id,
            "shared_with": list(self.shared_with),
            "amount": self.amount,
            "currency": self.currency,
            "lines": list(self.lines.lines),
            "discount_amount": self.lines.discount,
            "vat_mode": self.vat_mode,
            "expected_close_date": self.expected_close_date,
            "source_campaign_id": self.source_campaign_id,
            "source_lead_id": self.source_lead_id,
            "custom_fields": dict(self.custom_fields),
        }


@dataclass(frozen=True)
class DealDraft:
    """A new deal: its fields, and the pipeline and stage it opens in (empty: the defaults)."""

    fields: DealFields
    pipeline_id: str = ""
    stage_id: str = ""


@dataclass(frozen=True)
class DealChanges:
    """An update of a deal: the paths of its mask and, for those, the new values (others are ignored)."""

    paths: tuple[str, ...]
    values: DealFields
    # The lines as given (with "lines" in the mask) and the catalogue products they name: they are priced
    # in the deal's currency, which may be the stored one, when the change is applied.
    line_inputs: tuple[dict[str, str], ...] = ()
    catalogue: Mapping[str, ProductRef] = field(default_factory=dict)

    def names(self, name: str) -> bool:
        """Whether the mask names `name`, the object it is in ("source" for "source.lead_id") or a field in it."""
        return is_named(self.paths, name)

    def applied_to(self, current: DealFields) -> DealFields:
        """`current` with the masked fields replaced; absent values clear them.

        Changing the lines without naming the amount re-derives the amount
        from them; changing the client without naming its name clears the
        name; with lines, an amount that differs from their total is
        `amount_mismatch` (a cleared amount takes the total). A line may keep
        an archived product the deal's lines had (product_archived otherwise).
        """
        new = self.values
        if "lines" in self.paths:
            currency = new.currency if "currency" in self.paths else current.currency
            kept = {line.get("product_id") for line in current.lines.lines if line.get("product_id")}
            v = Validator()
            new = replace(new, lines=priced_lines(v, self.line_inputs, self.catalogue, currency, kept))
            v.raise_if_any()
        plain = ("title", "client_id", "client_name", "contact_ids", "owner_id", "team_id", "shared_with")
        result = replace(current, **{n: getattr(new, n) for n in plain if n in self.paths})
        if "client_id" in self.paths and "client_name" not in self.paths:
            result = replace(result, client_name="")  # the old client's name would be wrong
        for name in ("currency", "expected_close_date", "lines", "vat_mode"):
            if name in self.paths:
                result = replace(result, **{name: getattr(new, name)})
        for path, name in (("source.campaign_id", "source_campaign_id"), ("source.lead_id", "source_lead_id")):
            if "source" in self.paths or path in self.paths:
                result = replace(result, **{name: getattr(new, name)})
        result = replace(result, custom_fields=self._custom_fields(current.custom_fields))
        amount = new.amount if "amount" in self.paths else current.amount
        if result.lines.lines and ("lines" in self.paths and "amount" not in self.paths):
            amount = None
        v = Validator()
        result = replace(result, amount=_amount_of_lines(v, amount, result.lines))
        v.raise_if_any()
        return result

    def _custom_fields(self, current: Mapping[str, Any]) -> dict[str, Any]:
        values = dict(current)
        given = self.values.custom_fields
        if "custom_fields" in self.paths:
            values = dict(given)
        for path in self.paths:
            if path.startswith("custom_fields."):
                key = path.removeprefix("custom_fields.")
                if given.get(key) is not None:
                    values[key] = given[key]
                else:
                    values.pop(key, None)  # left out or null: cleared
        return values


def parse_deal_draft(message: pb.Deal, catalogue: Mapping[str, ProductRef] | None = None) -> DealDraft:
    """A CreateDeal's deal: every field checked at once; with lines, the amount is their total.

    Lines naming a product of `catalogue` take what they leave out from it (resolve_lines).
    """
    v = Validator()
    values = _deal_fields(v, message, lambda name: name != "lines")
    lines = priced_lines(v, [_line(line) for line in message.lines], catalogue or {}, values.currency, set())
    values = replace(values, lines=lines, amount=_amount_of_lines(v, values.amount, lines))
    v.raise_if_any()
    return DealDraft(values, pipeline_id=message.pipeline_id, stage_id=message.stage_id)


def parse_deal_changes(
    message: pb.Deal, paths: Iterable[str], catalogue: Mapping[str, ProductRef] | None = None
) -> DealChanges:
    """An UpdateDeal: the mask checked first, then each masked field (an unmasked value is ignored).

    The lines are checked when the change is applied to the deal (their prices may be in its currency).
    """
    checked = tuple(DEAL_MASK.check(paths))
    changes = DealChanges(checked, DealFields())
    v = Validator()
    values = _deal_fields(v, message, lambda name: name != "lines" and changes.names(name))
    if "owner_id" in checked and not values.owner_id and not _reported(v, "owner_id"):
        v.add("owner_id", "required", "a deal must have an owner")
    v.raise_if_any()
    line_inputs = tuple(_line(line) for line in message.lines) if "lines" in checked else ()
    return DealChanges(checked, values, line_inputs, dict(catalogue or {}))


def resolve_lines(
    v: Validator,
    raw: Sequence[Mapping[str, str]],
    catalogue: Mapping[str, ProductRef],
    currency: str,
    kept: Iterable[str],
) -> list[dict[str, str]]:
    """Lines with what they leave out taken from the catalogue product they name.

    A line naming product_id takes the product's name, article, unit and VAT
    rate unless given, and the price of the `base` price list in `currency`
    unless given. An unknown product is INVALID_ARGUMENT (unknown_product); an
    archived one FAILED_PRECONDITION (product_archived) unless in `kept` (the
    products the deal's lines had already).
    """
    kept = set(kept)
    resolved: list[dict[str, str]] = []
    for i, line in enumerate(raw):
        item = dict(line)
        product_id = item.get("product_id") or ""
        if product_id:
            product = catalogue.get(product_id)
            if product is None:
                v.add(f"lines[{i}].product_id", "unknown_product", f"lines[{i}]: no product {product_id[:64]}")
            else:
                if product.archived and product_id not in kept:
                    raise FailedPrecondition(
                        "product_archived", f"product '{product.name}' is archived: it is not offered for new lines"
                    )
                base = product.base_price(currency)
                item["product"] = item.get("product") or product.name
                item["article"] = item.get("article") or product.article
                item["unit_code"] = item.get("unit_code") or product.unit_code
                item["vat_rate"] = item.get("vat_rate") or product.vat_rate
                if not item.get("price") and base is not None:
                    item["price"] = money_text(base)
        resolved.append(item)
    return resolved


def priced_lines(
    v: Validator,
    raw: Sequence[Mapping[str, str]],
    catalogue: Mapping[str, ProductRef],
    currency: str,
    kept: Iterable[str],
) -> LineTotals:
    """resolve_lines, then every line checked and totalled (domain.line_totals); problems go to `v`."""
    return line_totals(v, resolve_lines(v, raw, catalogue, currency, kept), "lines")


def product_ids(lines: Iterable[pb.DealLine]) -> list[str]:
    """The catalogue products lines name (for the servicer to read before parsing)."""
    return [line.product_id for line in lines if line.product_id]


def check_custom_fields(
    values: Mapping[str, Any],
    definitions: Mapping[str, Mapping[str, Any]],
    changed_keys: Iterable[str] | None = None,
) -> dict[str, Any]:
    """Custom field values against the stored definitions (type, options, required, archived)."""
    v = Validator()
    checked = custom_fields.validate_values(v, dict(values), definitions, changed_keys, entity="deals")
    v.raise_if_any()
    return checked


def _deal_fields(v: Validator, m: pb.Deal, named: Callable[[str], bool]) -> DealFields:
    """The fields `named` selects, each checked by its rule; the others keep their defaults."""
    values: dict[str, Any] = {}
    if named("title"):
        values["title"] = fields.text(v, m.title, "title") or ""
        if not values["title"]:
            v.add("title", "required", "a deal needs a title")
    if named("client_id"):
        client_id = fields.text(v, m.client_id, "client_id", 64)
        if not client_id:
            v.add("client_id", "required", "a deal needs a client (a party id)")
        elif not is_uuid(client_id):
            v.add("client_id", "invalid_id", "client_id must be a party id")
        values["client_id"] = client_id or ""
    if named("client_name"):
        values["client_name"] = fields.text(v, m.client_name, "client_name") or ""
    if named("contact_ids"):
        values["contact_ids"] = tuple(_party_ids(v, list(m.contact_ids), "contact_ids"))
    if named("owner_id"):
        values["owner_id"] = fields.text(v, m.owner_id, "owner_id", 64)
    if named("team_id"):
        values["team_id"] = fields.text(v, m.team_id, "team_id", 64)
    if named("shared_with"):
        values["shared_with"] = tuple(fields.codes(v, list(m.shared_with), "shared_with"))
    if named("currency"):
        currency = fields.text(v, m.currency, "currency", 3) or DEFAULT_CURRENCY
        if not CURRENCY.match(currency):
            v.add("currency", "invalid_currency", "currency must be an ISO 4217 code like RUB")
        values["currency"] = currency
    if named("amount"):
        values["amount"] = parse_decimal(v, m.amount, "amount")
    if named("lines"):
        values["lines"] = line_totals(v, [_line(line) for line in m.lines], "lines")
    if named("vat_mode"):
        mode = m.vat_mode or vat.DEFAULT_MODE
        if not vat.is_vat_mode(mode):
            v.add("vat_mode", "unknown_vat_mode", f"vat_mode must be one of: {', '.join(vat.VAT_MODES)}")
        values["vat_mode"] = mode
    if named("expected_close_date"):
        values["expected_close_date"] = parse_date(v, m.expected_close_date, "expected_close_date")
    if named("source.campaign_id"):
        values["source_campaign_id"] = fields.text(v, m.source.campaign_id, "source.campaign_id", 64)
    if named("source.lead_id"):
        values["source_lead_id"] = fields.text(v, m.source.lead_id, "source.lead_id", 64)
    if named("custom_fields"):
        values["custom_fields"] = json_format.MessageToDict(m.custom_fields)
    return DealFields(**values)


def _line(line: pb.DealLine) -> dict[str, str]:
    return {
        "product": line.product,
        "product_id": line.product_id,
        "article": line.article,
        "unit_code": line.unit_code,
        "vat_rate": line.vat_rate,
        "quantity": line.quantity,
        "price": line.price,
        "discount_percent": line.discount_percent,
    }


def _amount_of_lines(v: Validator, amount: Decimal | None, lines: LineTotals) -> Decimal | None:
    """With lines the amount is their total: none given takes it, a different one is amount_mismatch."""
    if not lines.lines:
        return amount
    if amount is not None and amount != lines.total:
        v.add(
            "amount",
            "amount_mismatch",
            f"amount {money_text(amount)} differs from the lines' total {money_text(lines.total)}; "
            "leave amount out to take the total",
        )
    return lines.total


def _party_ids(v: Validator, value: Sequence[str], path: str) -> list[str]:
    ids = fields.codes(v, list(value), path)
    for i, item in enumerate(ids):
        if not is_uuid(item):
            v.add(f"{path}[{i}]", "invalid_id", f"{path}[{i}] must be a party id")
    return ids


def _reported(v: Validator, path: str) -> bool:
    return any(p.field == path for p in v.problems)


# --- stage moves -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageMove:
    """A MoveDealStage: the target stage, the loss reason (lost only) and a trimmed comment."""

    deal_id: str
    stage_id: str
    loss_reason: str = ""
    comment: str = ""
    expected_version: int = 0


def parse_stage_move(request: pb.MoveDealStageRequest) -> StageMove:
    """The comment is at most MAX_TEXT characters; the stage and loss reason are judged against the deal."""
    comment = request.comment.strip()
    if len(comment) > MAX_TEXT:
        raise invalid("comment", "too_long", f"comment must be at most {MAX_TEXT} characters")
    return StageMove(
        deal_id=request.deal_id,
        stage_id=request.stage_id,
        loss_reason=request.loss_reason,
        comment=comment,
        expected_version=request.expected_version,
    )


# --- payments -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentDraft:
    """A new payment: expected (with due_date) or received (with received_on); currency None is the deal's."""

    status: str
    amount: Decimal
    currency: str | None = None
    due_date: date | None = None
    received_on: date | None = None
    note: str = ""

    def in_currency_of(self, deal_currency: str) -> str:
        """The payment's currency: the deal's; another one is `currency_mismatch`."""
        currency = self.currency or deal_currency
        if currency != deal_currency:
            raise invalid(
                "currency", "currency_mismatch", f"the deal is in {deal_currency}; a payment in {currency} is refused"
            )
        return currency


@dataclass(frozen=True)
class PaymentReceipt:
    """An expected payment arrived: on a date, for its amount (None) or the one given."""

    received_on: date
    amount: Decimal | None = None


def parse_payment_draft(request: pb.AddPaymentRequest) -> PaymentDraft:
    """AddPayment: status, a positive amount, and the date its status needs (every problem at once)."""
    v = Validator()
    status = request.status
    if status not in STATUSES:
        v.add("status", "not_allowed", "status must be 'expected' or 'received'")
    amount = parse_decimal(v, request.amount, "amount")
    if amount is None and not _reported(v, "amount"):
        v.add("amount", "required", "a payment needs an amount")
    elif amount is not None and amount == 0:
        v.add("amount", "out_of_range", "a payment amount must be greater than 0")
    due = parse_date(v, request.due_date, "due_date")
    received = parse_date(v, request.received_on, "received_on")
    if status == "expected" and due is None and not _reported(v, "due_date"):
        v.add("due_date", "required", "an expected payment needs a due date")
    if status == "expected" and received is not None:
        v.add("received_on", "not_allowed", "an expected payment is not received yet")
    if status == "received" and received is None and not _reported(v, "received_on"):
        v.add("received_on", "required", "a received payment needs the date it arrived")
    note = fields.text(v, request.note, "note", MAX_TEXT) or ""
    v.raise_if_any()
    assert amount is not None
    return PaymentDraft(status, amount, request.currency or None, due, received, note)


def parse_payment_receipt(request: pb.ReceivePaymentRequest) -> PaymentReceipt:
    """ReceivePayment: the date it arrived (required) and a positive amount when given."""
    v = Validator()
    day = parse_date(v, request.received_on, "received_on")
    if day is None and not v.problems:
        v.add("received_on", "required", "the date the payment arrived is required")
    money = parse_decimal(v, request.amount, "amount")
    if money is not None and money == 0:
        v.add("amount", "out_of_range", "a payment amount must be greater than 0")
    v.raise_if_any()
    assert day is not None
    return PaymentReceipt(day, money)
