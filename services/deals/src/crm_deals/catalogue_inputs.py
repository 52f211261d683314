"""Typed inputs of the catalogue commands, each parsed once from its protobuf message.

As inputs.py for deals: every rule a value can be judged by on its own is
applied here and raises InvalidArgument naming each bad field. Whether a unit
code is in the code list `units` is judged where the list is (catalogue.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from crm.deals.v1 import deals_pb2 as pb
from crm_core import fields, vat
from crm_core.errors import Validator
from crm_core.numbers import parse_decimal
from crm_core.resources import FieldMask
from crm_core.units import PIECE, UNIT_CODE
from crm_deals.domain import CURRENCY, DEFAULT_CURRENCY, MAX_NAME, MAX_TEXT, money_text

KINDS = ("product", "service")
BASE_PRICE_LIST = "base"
PRICE_LIST = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
MAX_ARTICLE = 100
MAX_PRICES = 50
PRODUCT_MASK = FieldMask({"name", "article", "description", "kind", "unit_code", "vat_rate", "prices", "archived"})


@dataclass(frozen=True)
class ProductPrice:
    price_list: str
    currency: str
    price: Decimal

    def stored(self) -> dict[str, str]:
        return {"price_list": self.price_list, "currency": self.currency, "price": money_text(self.price)}


@dataclass(frozen=True)
class ProductFields:
    """The editable fields of a product, each valid by itself."""

    name: str = ""
    article: str | None = None
    description: str = ""
    kind: str = "product"
    unit_code: str = PIECE
    vat_rate: str = vat.DEFAULT_RATE
    prices: tuple[ProductPrice, ...] = ()
    archived: bool = False

    def columns(self) -> dict[str, Any]:
        """The product table's columns these fields set."""
        return {
            "name": self.name,
            "article": self.article,
            "description": self.description,
            "kind": self.kind,
            "unit_code": self.unit_code,
            "vat_rate": self.vat_rate,
            "prices": [p.stored() for p in self.prices],
            "archived": self.archived,
        }


@dataclass(frozen=True)
class ProductChanges:
    """An update of a product: the paths of its mask and, for those, the new values."""

    paths: tuple[str, ...]
    values: ProductFields = field(default_factory=ProductFields)

    def applied_to(self, current: dict[str, Any]) -> dict[str, Any]:
        """`current` columns with the masked ones replaced."""
        new = self.values.columns()
        return {**current, **{path: new[path] for path in self.paths}}


def parse_product(message: pb.Product) -> ProductFields:
    """A CreateProduct's product: every field checked at once (archived is ignored: a new product is on offer)."""
    v = Validator()
    values = _product_fields(v, message, lambda _: True)
    v.raise_if_any()
    return replace(values, archived=False)


def parse_product_changes(message: pb.Product, paths: Iterable[str]) -> ProductChanges:
    """An UpdateProduct: the mask checked first, then each masked field."""
    checked = tuple(PRODUCT_MASK.check(paths))
    v = Validator()
    values = _product_fields(v, message, lambda name: name in checked)
    v.raise_if_any()
    return ProductChanges(checked, values)


def _product_fields(v: Validator, m: pb.Product, named: Any) -> ProductFields:
    values: dict[str, Any] = {}
    if named("name"):
        values["name"] = fields.text(v, m.name, "name", MAX_NAME) or ""
        if not values["name"] and not any(p.field == "name" for p in v.problems):
            v.add("name", "required", "a product needs a name")
    if named("article"):
        values["article"] = fields.text(v, m.article, "article", MAX_ARTICLE)
    if named("description"):
        values["description"] = fields.text(v, m.description, "description", MAX_TEXT) or ""
    if named("kind"):
        kind = m.kind or "product"
        if kind not in KINDS:
            v.add("kind", "unknown_kind", "kind must be 'product' or 'service'")
        values["kind"] = kind
    if named("unit_code"):
        values["unit_code"] = check_unit_code(v, m.unit_code or PIECE, "unit_code")
    if named("vat_rate"):
        values["vat_rate"] = check_vat_rate(v, m.vat_rate or vat.DEFAULT_RATE, "vat_rate")
    if named("prices"):
        values["prices"] = tuple(_prices(v, list(m.prices)))
    if named("archived"):
        values["archived"] = m.archived
    return ProductFields(**values)


def check_unit_code(v: Validator, code: str, path: str) -> str:
    """An OKEI code's form (its presence in the code list is checked against the list)."""
    if not UNIT_CODE.match(code):
        v.add(path, "unknown_unit", f"{path}: '{code[:20]}' is not a unit of the code list units (OKEI code)")
    return code


def check_vat_rate(v: Validator, rate: str, path: str) -> str:
    if not vat.is_vat_rate(rate):
        v.add(path, "unknown_vat_rate", f"{path} must be one of: {', '.join(vat.VAT_RATES)}")
    return rate


def _prices(v: Validator, prices: list[pb.ProductPrice]) -> list[ProductPrice]:
    if len(prices) > MAX_PRICES:
        v.add("prices", "too_many", f"prices takes at most {MAX_PRICES} items")
        return []
    result: list[ProductPrice] = []
    seen: set[tuple[str, str]] = set()
    for i, item in enumerate(prices):
        where = f"prices[{i}]"
        price_list = item.price_list.strip() or BASE_PRICE_LIST
        if not PRICE_LIST.match(price_list):
            v.add(f"{where}.price_list", "invalid_code", f"{where}.price_list must be a snake_case code")
        currency = item.currency.strip() or DEFAULT_CURRENCY
        if not CURRENCY.match(currency):
            v.add(f"{where}.currency", "invalid_currency", "currency must be an ISO 4217 code like RUB")
        problems = len(v.problems)
        price = parse_decimal(v, item.price, f"{where}.price")
        if price is None and len(v.problems) == problems:
            v.add(f"{where}.price", "required", f"{where}.price is required")
        if (price_list, currency) in seen:
            v.add(where, "duplicate_price", f"{where}: price list '{price_list}' has a {currency} price already")
        seen.add((price_list, currency))
        if price is not None:
            result.append(ProductPrice(price_list, currency, price))
    return result
