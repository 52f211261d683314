"""Rules of the contacts domain: validation, normalization, merge.

Works on plain data: "party dicts" shaped like the crm.contacts.v1.Party
message (as json_format gives them, snake_case) and "column dicts" shaped
like the party table. The commands take typed inputs (inputs.py), which
are parsed with these rules. No database and no gRPC here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from crm_contacts.names import name_key
from crm_core import fields, requisites
from crm_core.contact_points import (
    NotAContactPoint,
    email_value,
    normalize_email,
    normalize_phone,
    phone_display,
    phone_value,
    stored_phone_digits,
)
from crm_core.errors import Validator
from crm_core.numbers import parse_decimal
from crm_core.resources import FieldMask, drop_empty

KINDS = ("company", "person")
PAYMENT_DISCIPLINES = ("unknown", "punctual", "minor_delays", "chronic_delays", "defaulted")
PURCHASE_PERIODS = ("month", "quarter", "year")
COMPANY_SIZES = ("1-10", "11-50", "51-250", "251-1000", "1000+")
PHONE_KINDS = ("work", "mobile", "home", "fax", "other")
EMAIL_KINDS = ("work", "personal", "other")
MESSENGER_KINDS = ("telegram", "whatsapp", "viber", "vk", "skype", "other")

MAX_NAME = 300
MAX_TEXT = 2000
MAX_NOTE = 20000
MAX_ITEMS = 50
# Parties one BulkCreateParties creates at most.
MAX_BULK = 1000

COMPANY_COLUMNS = (
    "legal_name",
    "short_name",
    "inn",
    "kpp",
    "ogrn",
    "legal_address",
    "postal_address",
    "bank_accounts",
    "industry",
    "size",
    "website",
)
PERSON_COLUMNS = ("first_name", "last_name", "middle_name", "position")
KNOWLEDGE_COLUMNS = (
    "needs",
    "purchase_amount",
    "purchase_currency",
    "purchase_period",
    "season_months",
    "payment_discipline",
    "refusal_reasons",
    "obstacles",
)
TOP_LEVEL = (
    "display_name",
    "phones",
    "emails",
    "messengers",
    "tags",
    "relationship_types",
    "owner_id",
    "team_id",
    "shared_with",
    "custom_fields",
)
# Party message fields an update mask may name (top-level and nested).
UPDATABLE_PATHS = frozenset(
    {*TOP_LEVEL, "company", "person", "knowledge", "knowledge.purchase_volume"}
    | {f"company.{c}" for c in COMPANY_COLUMNS}
    | {f"person.{c}" for c in PERSON_COLUMNS}
    | {f"knowledge.{c}" for c in ("needs", "season_months", "payment_discipline", "refusal_reasons", "obstacles")}
    | {f"knowledge.purchase_volume.{c}" for c in ("amount", "currency", "period")}
)
PARTY_MASK = FieldMask(UPDATABLE_PATHS)
# The columns each mask path replaces (a path not here replaces the column of its last name).
MASKED_COLUMNS: dict[str, tuple[str, ...]] = {
    "company": COMPANY_COLUMNS,
    "person": PERSON_COLUMNS,
    "knowledge": KNOWLEDGE_COLUMNS,
    "knowledge.purchase_volume": ("purchase_amount", "purchase_currency", "purchase_period"),
    "knowledge.purchase_volume.amount": ("purchase_amount",),
    "knowledge.purchase_volume.currency": ("purchase_currency",),
    "knowledge.purchase_volume.period": ("purchase_period",),
}
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def _contact_points(
    v: Validator, value: Any, path: str, kinds: tuple[str, ...], stored: Callable[[str], str]
) -> list[dict]:
    """Phones, e-mails or messengers; `stored` turns a typed value into its stored form or raises NotAContactPoint."""
    points = []
    for i, item in enumerate(fields.items(v, value, path)):
        where = f"{path}[{i}]"
        if not isinstance(item, dict):
            v.add(where, "wrong_type", f"{where} must be an object")
            continue
        raw = fields.text(v, item.get("value"), f"{where}.value")
        if raw is None:
            v.add(f"{where}.value", "required", f"{where}.value is required")
            continue
        try:
            value_to_store = stored(raw)
        except NotAContactPoint as exc:
            v.add(f"{where}.value", "invalid", f"{where}.value '{raw}' is not valid: {exc}")
            continue
        points.append(
            {
                "kind": fields.choice(v, item.get("kind") or kinds[0], f"{where}.kind", kinds) or kinds[0],
                "value": value_to_store,
                "label": fields.text(v, item.get("label"), f"{where}.label") or "",
                "primary": bool(item.get("primary", False)),
            }
        )
    return points


def _bank_accounts(v: Validator, value: Any) -> list[dict]:
    accounts = []
    for i, item in enumerate(fields.items(v, value, "company.bank_accounts")):
        where = f"company.bank_accounts[{i}]"
        if not isinstance(item, dict):
            v.add(where, "wrong_type", f"{where} must be an object")
            continue
        bic = fields.text(v, item.get("bic"), f"{where}.bic") or ""
        account = fields.text(v, item.get("checking_account"), f"{where}.checking_account") or ""
        corr = fields.text(v, item.get("correspondent_account"), f"{where}.correspondent_account") or ""
        if not requisites.is_valid_bic(bic):
            v.add(f"{where}.bic", "invalid_bic", "BIC must be 9 digits")
        else:
            if account and not requisites.is_valid_checking_account(account, bic):
                v.add(f"{where}.checking_account", "invalid_account", "account does not match the BIC control key")
            if corr and not requisites.is_valid_correspondent_account(corr, bic):
                v.add(
                    f"{where}.correspondent_account", "invalid_account", "correspondent account does not match the BIC"
                )
        accounts.append(
            {
                "bank_name": fields.text(v, item.get("bank_name"), f"{where}.bank_name") or "",
                "bic": bic,
                "checking_account": account,
                "correspondent_account": corr,
            }
        )
    return accounts


def _company(v: Validator, data: Mapping[str, Any]) -> dict[str, Any]:
    cols: dict[str, Any] = {
        c: fields.text(v, data.get(c), f"company.{c}", MAX_TEXT if "address" in c else MAX_NAME)
        for c in ("legal_name", "short_name", "legal_address", "postal_address", "industry", "website")
    }
    inn, kpp, ogrn = (fields.text(v, data.get(c), f"company.{c}", 20) for c in ("inn", "kpp", "ogrn"))
    inn, ogrn = (requisites.compact(number) if number else None for number in (inn, ogrn))
    if inn and not requisites.is_valid_inn(inn):
        v.add("company.inn", "invalid_inn", f"INN {inn} has a wrong length or check digit")
    if kpp and not requisites.is_valid_kpp(kpp):
        v.add("company.kpp", "invalid_kpp", f"KPP {kpp} must be 9 characters (4 digits, 2 digits/letters, 3 digits)")
    if ogrn and not requisites.is_valid_ogrn(ogrn):
        v.add("company.ogrn", "invalid_ogrn", f"OGRN {ogrn} has a wrong length or check digit")
    cols.update(inn=inn, kpp=kpp, ogrn=ogrn)
    cols["size"] = fields.choice(v, data.get("size"), "company.size", COMPANY_SIZES)
    cols["bank_accounts"] = _bank_accounts(v, data.get("bank_accounts"))
    return cols


def _knowledge(v: Validator, data: Mapping[str, Any]) -> dict[str, Any]:
    needs = []
    for i, item in enumerate(fields.items(v, data.get("needs"), "knowledge.needs")):
        where = f"knowledge.needs[{i}]"
        product = fields.text(v, item.get("product") if isinstance(item, dict) else None, f"{where}.product")
        if product is None:
            v.add(f"{where}.product", "required", f"{where}.product is required")
            continue
        needs.append(
            {
                "product": product,
                "we_offer": bool(item.get("we_offer")),
                "note": fields.text(v, item.get("note"), f"{where}.note", MAX_TEXT) or "",
            }
        )
    volume = data.get("purchase_volume") or {}
    amount = parse_decimal(v, volume.get("amount"), "knowledge.purchase_volume.amount")
    currency = fields.text(v, volume.get("currency"), "knowledge.purchase_volume.currency", 3)
    if currency and not _CURRENCY.match(currency):
        v.add("knowledge.purchase_volume.currency", "invalid_currency", "currency must be an ISO 4217 code like RUB")
    months = []
    for i, month in enumerate(fields.items(v, data.get("season_months"), "knowledge.season_months")):
        if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
            v.add(f"knowledge.season_months[{i}]", "invalid_month", "months are numbers 1 to 12")
        elif month not in months:
            months.append(month)
    reasons = []
    for i, item in enumerate(fields.items(v, data.get("refusal_reasons"), "knowledge.refusal_reasons")):
        where = f"knowledge.refusal_reasons[{i}]"
        code = fields.text(v, item.get("code") if isinstance(item, dict) else None, f"{where}.code", 64)
        if code is None:
            v.add(f"{where}.code", "required", f"{where}.code is required")
            continue
        reason = {"code": code, "note": fields.text(v, item.get("note"), f"{where}.note", MAX_TEXT) or ""}
        if item.get("occurred_at"):
            reason["occurred_at"] = item["occurred_at"]
        reasons.append(reason)
    return {
        "needs": needs,
        "purchase_amount": amount,
        "purchase_currency": currency,
        "purchase_period": fields.choice(v, volume.get("period"), "knowledge.purchase_volume.period", PURCHASE_PERIODS),
        "season_months": sorted(months),
        "payment_discipline": fields.choice(
            v, data.get("payment_discipline") or "unknown", "knowledge.payment_discipline", PAYMENT_DISCIPLINES
        )
        or "unknown",
        "refusal_reasons": reasons,
        "obstacles": [
            o
            for i, o in enumerate(fields.items(v, data.get("obstacles"), "knowledge.obstacles"))
            if fields.text(v, o, f"knowledge.obstacles[{i}]", MAX_TEXT)
        ],
    }


def derive_display_name(kind: str, cols: Mapping[str, Any]) -> str | None:
    if kind == "company":
        return cols.get("short_name") or cols.get("legal_name")
    parts = [cols.get("last_name"), cols.get("first_name"), cols.get("middle_name")]
    return " ".join(p for p in parts if p) or None


def party_values(
    v: Validator, data: Mapping[str, Any], kind: str | None = None, phone: Callable[[str], str] = phone_value
) -> dict[str, Any]:
    """The values of a Party-shaped dict, each checked by its own rule (problems go to `v`), as columns.

    Nothing here needs stored data or the whole record: custom fields are
    returned as given and relationship types are only checked as codes (the
    commands judge both against the stored definitions); whether the details
    fit the kind and the party has a name is `record_problems`. Company details
    are not judged for a person (`kind`), who may not have them at all.
    """
    company = data.get("company") or {}
    person = data.get("person") or {}
    cols: dict[str, Any] = {c: None for c in (*COMPANY_COLUMNS, *PERSON_COLUMNS)}
    cols["bank_accounts"] = []
    if company and kind != "person":
        cols.update(_company(v, company))
    if person and kind != "company":
        cols.update({c: fields.text(v, person.get(c), f"person.{c}") for c in PERSON_COLUMNS})
    cols["display_name"] = fields.text(v, data.get("display_name"), "display_name") or ""
    cols["phones"] = _contact_points(v, data.get("phones"), "phones", PHONE_KINDS, phone)
    cols["emails"] = _contact_points(v, data.get("emails"), "emails", EMAIL_KINDS, email_value)
    cols["messengers"] = _contact_points(v, data.get("messengers"), "messengers", MESSENGER_KINDS, str)
    cols["tags"] = fields.codes(v, data.get("tags"), "tags")
    cols["relationship_types"] = fields.codes(v, data.get("relationship_types"), "relationship_types")
    cols["owner_id"] = fields.text(v, data.get("owner_id"), "owner_id", 64)
    cols["team_id"] = fields.text(v, data.get("team_id"), "team_id", 64)
    cols["shared_with"] = fields.codes(v, data.get("shared_with"), "shared_with")
    cols["custom_fields"] = data.get("custom_fields") or {}
    cols.update(_knowledge(v, data.get("knowledge") or {}))
    return cols


def record_problems(v: Validator, kind: str, cols: Mapping[str, Any]) -> None:
    """The rules of a whole party: details of its kind only, and a name (given or derived)."""
    if kind == "company" and any(cols.get(c) for c in PERSON_COLUMNS):
        v.add("person", "not_allowed", "a company has no person details")
    if kind == "person" and any(cols.get(c) for c in COMPANY_COLUMNS):
        v.add("company", "not_allowed", "a person has no company details")
    if not (cols.get("display_name") or derive_display_name(kind, cols)):
        v.add(
            "company.legal_name" if kind == "company" else "person.last_name",
            "required",
            "a company needs a legal or short name" if kind == "company" else "a person needs a first or last name",
        )


def unknown_relationship_types(v: Validator, codes: Iterable[str], known: Iterable[str]) -> None:
    """Each relationship type must be one the code list gives (`known`)."""
    allowed = set(known)
    for i, code in enumerate(codes):
        if code not in allowed:
            v.add(f"relationship_types[{i}]", "unknown_relationship_type", f"unknown relationship type '{code}'")


def party_columns(kind: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The party table's columns for checked values: the display name derived when none is given, the search keys."""
    cols = dict(values)
    cols["display_name"] = cols.get("display_name") or derive_display_name(kind, cols)
    return with_search_keys(cols, kind)


# Derived by with_search_keys; never set by a request, never shown in the audit trail.
SEARCH_KEYS = ("phones_norm", "emails_norm", "phone_digits", "search_text", "name_key")


def with_search_keys(cols: dict[str, Any], kind: str) -> dict[str, Any]:
    """`cols` with the columns search and duplicates read, derived from the rest (and nowhere else)."""
    cols["phones_norm"] = sorted({stored_phone_digits(p["value"]) for p in cols.get("phones") or []})
    cols["emails_norm"] = sorted({normalize_email(e["value"]) for e in cols.get("emails") or []})
    # The numbers' digits in one text, for the trigram index that finds any fragment (the last digits).
    cols["phone_digits"] = " ".join(cols["phones_norm"])
    cols["search_text"] = search_text(cols)
    cols["name_key"] = name_key(cols.get("display_name") or "", kind)
    return cols


def search_text(cols: Mapping[str, Any]) -> str:
    """Text indexed for full-text and trigram search."""
    parts: list[str] = [cols.get("display_name") or ""]
    parts += [
        cols.get(c) or ""
        for c in ("legal_name", "short_name", "first_name", "last_name", "middle_name", "inn", "ogrn", "website")
    ]
    parts += cols.get("emails_norm") or []
    parts += cols.get("phones_norm") or []
    parts += cols.get("tags") or []
    return " ".join(p for p in parts if p).lower()


def party_dict(cols: Mapping[str, Any]) -> dict[str, Any]:
    """Column dict -> Party-shaped dict (the inverse of party_columns)."""
    data: dict[str, Any] = {k: cols.get(k) for k in TOP_LEVEL}
    data["phones"] = [{**p, "display": phone_display(p["value"])} for p in cols.get("phones") or []]
    data["kind"] = cols["kind"]
    if cols["kind"] == "company":
        data["company"] = {c: cols.get(c) for c in COMPANY_COLUMNS}
    else:
        data["person"] = {c: cols.get(c) for c in PERSON_COLUMNS}
    amount = cols.get("purchase_amount")
    data["knowledge"] = {
        "needs": cols.get("needs") or [],
        "purchase_volume": {
            "amount": str(amount) if amount is not None else None,
            "currency": cols.get("purchase_currency"),
            "period": cols.get("purchase_period"),
        },
        "season_months": cols.get("season_months") or [],
        "payment_discipline": cols.get("payment_discipline") or "unknown",
        "refusal_reasons": cols.get("refusal_reasons") or [],
        "obstacles": cols.get("obstacles") or [],
    }
    return drop_empty(data)


# Scalar columns a merge fills on the survivor when it has none.
_MERGE_SCALARS = (
    *(c for c in COMPANY_COLUMNS if c != "bank_accounts"),
    *PERSON_COLUMNS,
    "purchase_amount",
    "purchase_currency",
    "purchase_period",
    "team_id",
)


def merged_columns(survivor: Mapping[str, Any], merged: Mapping[str, Any]) -> dict[str, Any]:
    """The survivor's columns after folding `merged` in: empty fields filled, lists united."""
    result = dict(survivor)
    for column in _MERGE_SCALARS:
        if result.get(column) in (None, "") and merged.get(column) not in (None, ""):
            result[column] = merged[column]
    if result.get("payment_discipline") in (None, "unknown"):
        result["payment_discipline"] = merged.get("payment_discipline") or "unknown"
    for column, key in (("phones", normalize_phone), ("emails", normalize_email), ("messengers", str.lower)):
        seen = {key(p["value"]) for p in result.get(column) or []}
        result[column] = list(result.get(column) or []) + [
            p for p in merged.get(column) or [] if key(p["value"]) not in seen
        ]
    for column in ("tags", "relationship_types", "shared_with", "obstacles"):
        result[column] = list(dict.fromkeys([*(result.get(column) or []), *(merged.get(column) or [])]))
    result["season_months"] = sorted(set(result.get("season_months") or []) | set(merged.get("season_months") or []))
    products = {n["product"] for n in result.get("needs") or []}
    result["needs"] = list(result.get("needs") or []) + [
        n for n in merged.get("needs") or [] if n["product"] not in products
    ]
    result["refusal_reasons"] = list(result.get("refusal_reasons") or []) + list(merged.get("refusal_reasons") or [])
    accounts = {a.get("checking_account") for a in result.get("bank_accounts") or []}
    result["bank_accounts"] = list(result.get("bank_accounts") or []) + [
        a for a in merged.get("bank_accounts") or [] if a.get("checking_account") not in accounts
    ]
    result["custom_fields"] = {**(merged.get("custom_fields") or {}), **(survivor.get("custom_fields") or {})}
    return with_search_keys(result, result["kind"])


def audit_view(cols: Mapping[str, Any]) -> dict[str, Any]:
    """Columns as they appear in the audit trail (JSON-safe, derived columns left out)."""
    skip = {*SEARCH_KEYS, "search_tsv"}
    return {k: _json_safe(v) for k, v in cols.items() if k not in skip}


def _json_safe(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
