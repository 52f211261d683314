"""Typed inputs of the marketing commands, each parsed once from its protobuf message.

Every rule a value is judged by on its own lives here (lengths, statuses,
dates, money, e-mail, phone, INN); what needs stored data (the campaign type
and disqualification reason against their code lists, a campaign that exists)
is checked by the commands. Each parse reports every bad field at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from crm.marketing.v1 import marketing_pb2 as pb
from crm_core import fields
from crm_core.contact_points import NotAContactPoint, email_value, normalize_email, phone_value
from crm_core.db import is_uuid
from crm_core.errors import Validator
from crm_core.numbers import parse_decimal
from crm_core.protojson import to_dict
from crm_core.requisites import compact, is_valid_inn
from crm_marketing import domain

MAX_NAME = 300
MAX_TEXT = 5000
MAX_RAW = 100
MAX_RAW_VALUE = 2000
MAX_SHARED = 50
MAX_RULES = 100
CURRENCY = re.compile(r"^[A-Z]{3}$")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
UTM_KEYS = ("source", "medium", "campaign", "content", "term")


def _id(v: Validator, value: str, path: str) -> str | None:
    """An optional record id; a value that is no UUID names nothing (not_found for the commands to say)."""
    value = value.strip()
    if not value:
        return None
    if not is_uuid(value):
        v.add(path, "not_found", f"{path}: no such record {value[:64]}")
        return None
    return value


def _user_ids(v: Validator, values: Iterable[str], path: str) -> list[str]:
    return fields.codes(v, list(values), path)[:MAX_SHARED]


# --- campaigns ----------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignDraft:
    """A campaign's editable values, each valid by itself."""

    name: str
    type: str
    status: str
    starts_on: date | None
    ends_on: date | None
    owner_id: str
    team_id: str | None
    shared_with: list[str]
    budget: Decimal | None
    currency: str
    description: str
    utm_campaign: str

    def columns(self) -> dict[str, Any]:
        return dict(self.__dict__)


def campaign_draft(message: pb.Campaign) -> CampaignDraft:
    """The values of a CreateCampaign / UpdateCampaign; owner_id empty means the caller."""
    v = Validator()
    name = fields.text(v, message.name, "name", MAX_NAME)
    if not name:
        v.add("name", "required", "a campaign needs a name")
    kind = message.type.strip() or "other"
    if not CODE.match(kind):
        v.add("type", "not_allowed", "type must be a code of campaign_types")
    status = message.status.strip() or "planned"
    if status not in domain.CAMPAIGN_STATUSES:
        v.add("status", "not_allowed", f"status must be one of: {', '.join(domain.CAMPAIGN_STATUSES)}")
    starts_on = fields.iso_date(v, message.starts_on, "starts_on")
    ends_on = fields.iso_date(v, message.ends_on, "ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        v.add("ends_on", "before_start", "a campaign cannot end before it starts")
    budget = parse_decimal(v, message.budget or None, "budget")
    currency = message.currency.strip() or "RUB"
    if not CURRENCY.match(currency):
        v.add("currency", "invalid_currency", "currency must be an ISO 4217 code such as RUB")
    description = fields.text(v, message.description, "description", MAX_TEXT) or ""
    utm_campaign = fields.text(v, message.utm_campaign, "utm_campaign", MAX_NAME) or ""
    owner_id = fields.text(v, message.owner_id, "owner_id", 64) or ""
    team_id = fields.text(v, message.team_id, "team_id", 64)
    shared_with = _user_ids(v, message.shared_with, "shared_with")
    v.raise_if_any()
    return CampaignDraft(
        name=name or "",
        type=kind,
        status=status,
        starts_on=starts_on,
        ends_on=ends_on,
        owner_id=owner_id,
        team_id=team_id,
        shared_with=shared_with,
        budget=budget,
        currency=currency,
        description=description,
        utm_campaign=utm_campaign,
    )


@dataclass(frozen=True)
class CostLine:
    spent_on: date
    item: str
    amount: Decimal


def cost_line(message: pb.CampaignCost) -> CostLine:
    v = Validator()
    spent_on = fields.iso_date(v, message.date, "cost.date")
    if spent_on is None and not v.problems:
        v.add("cost.date", "required", "a cost needs its date")
    item = fields.text(v, message.item, "cost.item", MAX_NAME)
    if not item:
        v.add("cost.item", "required", "a cost needs an item (what was paid for)")
    amount = parse_decimal(v, message.amount or None, "cost.amount")
    if amount is None and not any(p.field == "cost.amount" for p in v.problems):
        v.add("cost.amount", "required", "a cost needs an amount")
    v.raise_if_any()
    assert spent_on is not None and amount is not None
    return CostLine(spent_on, item or "", amount)


# --- leads --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeadDraft:
    """A lead's captured values, each valid by itself; the duplicate keys come with them."""

    person_name: str = ""
    company_name: str = ""
    position: str = ""
    email: str = ""
    phone: str = ""
    phone_e164: str = ""
    inn: str = ""
    comment: str = ""
    campaign_id: str | None = None
    utm: dict[str, str] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    owner_id: str = ""
    team_id: str | None = None
    shared_with: list[str] = field(default_factory=list)

    @property
    def email_key(self) -> str:
        return normalize_email(self.email) if self.email else ""

    @property
    def name(self) -> str:
        return domain.lead_name(self.person_name, self.company_name, self.email, self.phone)

    def search_text(self) -> str:
        digits = self.phone_e164.lstrip("+")
        return " ".join(p for p in (self.person_name, self.company_name, self.email_key, digits, self.inn) if p).lower()

    def contact_columns(self) -> dict[str, Any]:
        """The columns a capture or an update writes (not owner, team or campaign, which have their own rules)."""
        return {
            "person_name": self.person_name,
            "company_name": self.company_name,
            "position": self.position,
            "email": self.email,
            "email_key": self.email_key,
            "phone": self.phone,
            "phone_e164": self.phone_e164,
            "inn": self.inn,
            "comment": self.comment,
            "search_text": self.search_text(),
        }


def lead_draft(values: Mapping[str, Any], *, prefix: str = "") -> LeadDraft:
    """A lead from its fields (a request's Lead, a form submission, an import row); every problem at once.

    A lead needs something to reach or call it by: a person's or company's name, an e-mail or a phone.
    """
    v = Validator()
    draft = parse_lead(v, values, prefix=prefix)
    v.raise_if_any()
    return draft


def parse_lead(v: Validator, values: Mapping[str, Any], *, prefix: str = "") -> LeadDraft:
    """`lead_draft` reporting into `v` (an import collects a row's problems without raising)."""

    def text(key: str, limit: int = MAX_NAME) -> str:
        value = values.get(key)
        return fields.text(v, value if isinstance(value, str) else None, prefix + key, limit) or ""

    person_name = text("person_name")
    company_name = text("company_name")
    email = text("email", 320)
    if email:
        try:
            email = email_value(email)
        except NotAContactPoint as exc:
            v.add(prefix + "email", "invalid_email", f"{prefix}email: {exc}")
    phone = text("phone", 64)
    phone_e164 = ""
    if phone:
        try:
            phone_e164 = phone_value(phone)
        except NotAContactPoint as exc:
            v.add(prefix + "phone", "invalid_phone", f"{prefix}phone: {exc}")
    inn = compact(text("inn", 32))
    if inn and not is_valid_inn(inn):
        v.add(prefix + "inn", "invalid_inn", f"{prefix}inn: not a valid INN (10 or 12 digits with check digits)")
    if not (person_name or company_name or email or phone):
        v.add(prefix + "person_name", "required", "a lead needs a name, a company, an e-mail or a phone")
    utm_in = values.get("utm") or {}
    utm = {k: str(utm_in.get(k) or "").strip()[:MAX_NAME] for k in UTM_KEYS if utm_in.get(k)}
    raw_in = values.get("raw") or {}
    raw: dict[str, str] = {}
    if isinstance(raw_in, Mapping):
        for key, value in list(raw_in.items())[:MAX_RAW]:
            raw[str(key)[:MAX_NAME]] = str(value if value is not None else "")[:MAX_RAW_VALUE]
    return LeadDraft(
        person_name=person_name,
        company_name=company_name,
        position=text("position"),
        email=email,
        phone=phone,
        phone_e164=phone_e164,
        inn=inn,
        comment=text("comment", MAX_TEXT),
        campaign_id=_id(v, str(values.get("campaign_id") or ""), prefix + "campaign_id"),
        utm=utm,
        raw=raw,
        owner_id=text("owner_id", 64),
        team_id=text("team_id", 64) or None,
        shared_with=_user_ids(v, values.get("shared_with") or [], prefix + "shared_with"),
    )


def lead_values(message: pb.Lead) -> dict[str, Any]:
    """A Lead message as the plain values lead_draft reads (proto field names)."""
    values = to_dict(message)
    values["utm"] = {k: getattr(message.utm, k) for k in UTM_KEYS}
    values["raw"] = dict(values.get("raw") or {})
    return values


@dataclass(frozen=True)
class Disqualification:
    reason: str
    comment: str


def disqualification(message: pb.DisqualifyLeadRequest) -> Disqualification:
    v = Validator()
    reason = message.reason.strip()
    if not reason:
        v.add("reason", "required", "say why the lead is disqualified (a code of disqualification_reasons)")
    comment = fields.text(v, message.comment, "comment", MAX_TEXT) or ""
    v.raise_if_any()
    return Disqualification(reason, comment)


@dataclass(frozen=True)
class Conversion:
    """What a ConvertLead asks for; stored on the lead until it is done, so a retry finishes the same thing."""

    create_company: bool
    create_person: bool
    company_id: str
    person_id: str
    create_deal: bool
    deal_title: str
    deal_amount: str
    deal_currency: str
    pipeline_id: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def conversion(message: pb.ConvertLeadRequest) -> Conversion:
    v = Validator()
    if not (message.create_company or message.create_person or message.company_id or message.person_id):
        v.add("create_company", "required", "convert into a company, a person or both (or name existing ones)")
    if message.create_company and message.company_id:
        v.add("company_id", "conflict", "either create a company or name one, not both")
    if message.create_person and message.person_id:
        v.add("person_id", "conflict", "either create a person or name one, not both")
    title = fields.text(v, message.deal_title, "deal_title", MAX_NAME) or ""
    amount = parse_decimal(v, message.deal_amount or None, "deal_amount")
    currency = message.deal_currency.strip()
    if currency and not CURRENCY.match(currency):
        v.add("deal_currency", "invalid_currency", "deal_currency must be an ISO 4217 code such as RUB")
    v.raise_if_any()
    return Conversion(
        create_company=message.create_company,
        create_person=message.create_person,
        company_id=message.company_id.strip(),
        person_id=message.person_id.strip(),
        create_deal=message.create_deal,
        deal_title=title,
        deal_amount=domain.money_text(amount),
        deal_currency=currency,
        pipeline_id=message.pipeline_id.strip(),
    )


# --- assignment rules ------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleDraft:
    name: str
    conditions: list[dict[str, str]]
    user_ids: list[str]
    team_id: str | None
    active: bool


def assignment_rules(messages: Iterable[pb.AssignmentRule]) -> list[RuleDraft]:
    v = Validator()
    rules: list[RuleDraft] = []
    for i, m in enumerate(messages):
        where = f"rules[{i}]"
        if i >= MAX_RULES:
            v.add("rules", "too_many", f"at most {MAX_RULES} rules")
            break
        name = fields.text(v, m.name, f"{where}.name", MAX_NAME) or f"{i + 1}"
        conditions = []
        for j, c in enumerate(m.conditions):
            at = f"{where}.conditions[{j}]"
            if c.field not in domain.RULE_FIELDS:
                v.add(f"{at}.field", "not_allowed", f"field must be one of: {', '.join(domain.RULE_FIELDS)}")
            if c.op not in domain.RULE_OPS:
                v.add(f"{at}.op", "not_allowed", f"op must be one of: {', '.join(domain.RULE_OPS)}")
            value = fields.text(v, c.value, f"{at}.value", MAX_NAME) or ""
            conditions.append({"field": c.field, "op": c.op, "value": value})
        user_ids = _user_ids(v, m.user_ids, f"{where}.user_ids")
        if not user_ids:
            v.add(f"{where}.user_ids", "required", "a rule gives leads to at least one user")
        team_id = fields.text(v, m.team_id, f"{where}.team_id", 64)
        rules.append(RuleDraft(name, conditions, user_ids, team_id, m.active))
    v.raise_if_any()
    return rules
