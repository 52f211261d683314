"""Web forms: their definitions, and what a visitor's submission becomes.

A form is public: anyone with its token may submit it, so a submission is
judged before it costs anything. The address's hits in the last minute are
counted in the database (every replica sees the same count), a filled
honeypot is refused as spam, values are checked against the form's fields;
only then is a lead captured, as the system, owned by the form's owner, the
assignment rules or the form's author, and attached to the party a known
e-mail or phone belongs to. Nothing of a refused submission is kept but its
hit.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select

from crm.marketing.v1 import marketing_pb2 as pb
from crm_core import fields
from crm_core.acl import check_team_assignment
from crm_core.audit import diff, record_audit
from crm_core.auth import SYSTEM, Caller
from crm_core.clock import Clock
from crm_core.contact_points import NotAContactPoint, email_value, phone_value
from crm_core.db import Database, is_uuid, new_id
from crm_core.errors import PermissionDenied, TooManyRequests, Validator, invalid, not_found
from crm_core.resources import check_version
from crm_marketing.commands import Leads
from crm_marketing.duplicates import party_flags, party_matches, remember_party_scopes
from crm_marketing.inputs import parse_lead
from crm_marketing.models import Form, FormHit
from crm_marketing.peers import Peers
from crm_marketing.repository import campaign_is_visible

FIELD_TYPES = ("text", "email", "phone", "textarea", "checkbox", "select")
# Keys a form field may fill on the lead; any other key is kept in the lead's raw data.
LEAD_KEYS = ("person_name", "first_name", "last_name", "company_name", "position", "email", "phone", "inn", "comment")
KEY = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
MAX_FIELDS = 50
MAX_VALUE = 5000
MAX_OPTIONS = 100
HIT_WINDOW = timedelta(minutes=1)
# Hits older than this are deleted as new ones come (they no longer count for anything).
HIT_KEEP = timedelta(hours=1)


@dataclass(frozen=True)
class FormDraft:
    name: str
    campaign_id: str | None
    fields: list[dict[str, Any]]
    allowed_origins: list[str]
    success_message_ru: str
    success_message_en: str
    owner_id: str | None
    team_id: str | None
    active: bool
    rate_limit_per_minute: int


def _origin(v: Validator, value: str, path: str) -> str:
    value = value.strip().rstrip("/").lower()
    if not re.fullmatch(r"https?://[a-z0-9.-]+(:[0-9]{1,5})?", value):
        v.add(path, "invalid_origin", f"{path}: an origin is scheme://host[:port], e.g. https://example.ru")
    return value


def form_draft(message: pb.Form) -> FormDraft:
    """A form definition, each part checked (every problem at once)."""
    v = Validator()
    name = fields.text(v, message.name, "name") or ""
    if not name:
        v.add("name", "required", "a form needs a name")
    if not message.fields:
        v.add("fields", "required", "a form needs at least one field")
    if len(message.fields) > MAX_FIELDS:
        v.add("fields", "too_many", f"a form has at most {MAX_FIELDS} fields")
    defined: list[dict[str, Any]] = []
    for i, f in enumerate(message.fields[:MAX_FIELDS]):
        at = f"fields[{i}]"
        if not KEY.match(f.name):
            v.add(f"{at}.name", "invalid_key", f"{at}.name must be snake_case (a-z, 0-9, _)")
        elif f.name in {d["name"] for d in defined}:
            v.add(f"{at}.name", "duplicate", f"{at}.name '{f.name}' is used twice")
        kind = f.type or "text"
        if kind not in FIELD_TYPES:
            v.add(f"{at}.type", "not_allowed", f"{at}.type must be one of: {', '.join(FIELD_TYPES)}")
        label_ru = fields.text(v, f.label_ru, f"{at}.label_ru") or ""
        label_en = fields.text(v, f.label_en, f"{at}.label_en") or ""
        if not (label_ru or label_en):
            v.add(f"{at}.label_ru", "required", f"{at} needs a label (label_ru or label_en)")
        options = [fields.text(v, o, f"{at}.options[{j}]") or "" for j, o in enumerate(f.options[:MAX_OPTIONS])]
        if kind == "select" and not any(options):
            v.add(f"{at}.options", "required", f"{at}: a select needs options")
        defined.append(
            {
                "name": f.name,
                "type": kind,
                "required": f.required,
                "label_ru": label_ru or label_en,
                "label_en": label_en or label_ru,
                "options": [o for o in options if o],
            }
        )
    if defined and not any(d["name"] in ("email", "phone") for d in defined):
        v.add("fields", "no_contact_field", "a form needs an email or a phone field to reach the lead")
    origins = [_origin(v, o, f"allowed_origins[{i}]") for i, o in enumerate(message.allowed_origins[:20])]
    limit = message.rate_limit_per_minute or 5
    if not 1 <= limit <= 1000:
        v.add("rate_limit_per_minute", "out_of_range", "rate_limit_per_minute must be 1 to 1000")
    campaign_id = message.campaign_id.strip() or None
    if campaign_id and not is_uuid(campaign_id):
        v.add("campaign_id", "campaign_not_found", f"no campaign {campaign_id[:64]}")
    draft = FormDraft(
        name=name,
        campaign_id=campaign_id,
        fields=defined,
        allowed_origins=origins,
        success_message_ru=fields.text(v, message.success_message_ru, "success_message_ru", 1000) or "",
        success_message_en=fields.text(v, message.success_message_en, "success_message_en", 1000) or "",
        owner_id=fields.text(v, message.owner_id, "owner_id", 64),
        team_id=fields.text(v, message.team_id, "team_id", 64),
        active=message.active,
        rate_limit_per_minute=limit,
    )
    v.raise_if_any()
    return draft


def submission_values(form: Form, values: Mapping[str, str]) -> dict[str, Any]:
    """The submitted values checked against the form's fields, as lead values (raw: the form's other fields)."""
    v = Validator()
    lead: dict[str, Any] = {}
    raw: dict[str, str] = {}
    for f in form.fields:
        value = (values.get(f["name"]) or "").strip()
        path = f["name"]
        if len(value) > MAX_VALUE:
            v.add(path, "too_long", f"{path} must be at most {MAX_VALUE} characters")
            continue
        if not value:
            if f["required"]:
                v.add(path, "required", f"{f['label_en']} is required")
            continue
        try:
            if f["type"] == "email":
                value = email_value(value)
            elif f["type"] == "phone":
                phone_value(value)
        except NotAContactPoint as exc:
            v.add(path, f"invalid_{f['type']}", f"{f['label_en']}: {exc}")
            continue
        if f["type"] == "select" and value not in f["options"]:
            v.add(path, "not_allowed", f"{f['label_en']} must be one of the options")
            continue
        if f["name"] in LEAD_KEYS:
            lead[f["name"]] = value
        else:
            raw[f["name"]] = value
    v.raise_if_any()
    if "first_name" in lead or "last_name" in lead:
        lead["person_name"] = " ".join(p for p in (lead.pop("first_name", ""), lead.pop("last_name", "")) if p)
    return {**lead, "raw": raw}


class Forms:
    """Commands on form definitions, and submissions."""

    def __init__(self, db: Database, clock: Clock, leads: Leads, peers: Peers) -> None:
        self.db = db
        self.clock = clock
        self.leads = leads
        self.peers = peers

    async def create_form(self, caller: Caller, draft: FormDraft) -> Form:
        now = self.clock.now()
        async with self.db.transaction() as session:
            if draft.campaign_id and not await campaign_is_visible(session, caller, draft.campaign_id):
                raise invalid("campaign_id", "campaign_not_found", f"no campaign {draft.campaign_id}")
            check_team_assignment(caller, draft.team_id)
            form = Form(
                id=new_id(),
                token=secrets.token_urlsafe(18),
                **draft.__dict__,
                version=1,
                created_at=now,
                updated_at=now,
                created_by=caller.user_id,
            )
            session.add(form)
            await session.flush()
            record_audit(
                session,
                entity_type="form",
                entity_id=form.id,
                action="created",
                actor_id=caller.user_id,
                changes=diff({}, {"name": draft.name, "campaign_id": draft.campaign_id}),
            )
        return form

    async def update_form(self, caller: Caller, form_id: str, draft: FormDraft, expected_version: int) -> Form:
        now = self.clock.now()
        async with self.db.transaction() as session:
            form = await self.get_form(session, caller, form_id, lock=True)
            check_version("form", form, expected_version)
            new_campaign = draft.campaign_id if draft.campaign_id != form.campaign_id else None
            if new_campaign and not await campaign_is_visible(session, caller, new_campaign):
                raise invalid("campaign_id", "campaign_not_found", f"no campaign {draft.campaign_id}")
            old = {k: getattr(form, k) for k in draft.__dict__}
            changes = diff(old, draft.__dict__)
            for key, value in draft.__dict__.items():
                setattr(form, key, value)
            form.version += 1
            form.updated_at = now
            record_audit(
                session,
                entity_type="form",
                entity_id=form.id,
                action="updated",
                actor_id=caller.user_id,
                changes=changes,
            )
        return form

    @staticmethod
    async def get_form(session: Any, caller: Caller, form_id: str, *, lock: bool = False) -> Form:
        """A form its author, its owner or an admin may see (forms are set up by whoever runs the site)."""
        if not is_uuid(form_id):
            raise not_found("form", form_id)
        query = select(Form).where(Form.id == form_id)
        if lock:
            query = query.with_for_update()
        form = await session.scalar(query)
        if form is None or not (caller.is_admin or caller.user_id in (form.created_by, form.owner_id)):
            raise not_found("form", form_id)
        return form

    async def public_form(self, token: str) -> Form:
        async with self.db.readers() as session:
            form = await session.scalar(select(Form).where(Form.token == token, Form.active)) if token else None
        if form is None:
            raise not_found("form", token[:64])
        return form

    async def submit(self, request: pb.SubmitFormRequest) -> pb.SubmitFormResponse:
        """Judge the submission, then capture its lead (see the module's docstring)."""
        form = await self.public_form(request.token)
        now = self.clock.now()
        async with self.db.transaction() as session:
            await session.execute(delete(FormHit).where(FormHit.at < now - HIT_KEEP))
            session.add(FormHit(form_id=form.id, client_ip=request.client_ip[:64], at=now))
        async with self.db.readers() as session:
            hits = await session.scalar(
                select(func.count()).where(FormHit.client_ip == request.client_ip[:64], FormHit.at > now - HIT_WINDOW)
            )
        if int(hits or 0) > form.rate_limit_per_minute:
            raise TooManyRequests("rate_limited", "too many submissions from this address; try again in a minute")
        origin = request.origin.strip().rstrip("/").lower()
        if form.allowed_origins and origin and origin not in form.allowed_origins:
            raise PermissionDenied("origin_not_allowed", f"this form does not accept submissions from {origin[:200]}")
        if request.honeypot.strip():
            raise invalid("website", "spam_rejected", "the submission looks automated and was refused")
        values = submission_values(form, request.values)
        values["campaign_id"] = form.campaign_id
        values["utm"] = {k: getattr(request.utm, k) for k in ("source", "medium", "campaign", "content", "term")}
        if request.page_url:
            values["raw"]["page_url"] = request.page_url[:2000]
        if request.referrer:
            values["raw"]["referrer"] = request.referrer[:2000]
        v = Validator()
        draft = parse_lead(v, values)
        v.raise_if_any()
        candidates = await party_matches(self.peers, SYSTEM, draft)
        known = [c for c in candidates if {"email", "phone"} & set(c.reasons)]
        party_ids: tuple[str | None, str | None] = (None, None)
        if known:
            party = known[0].party
            party_ids = (party.id, None) if party.kind == "company" else (None, party.id)
        owner = (form.owner_id, form.team_id) if form.owner_id else None
        async with self.db.transaction() as session:
            await remember_party_scopes(session, candidates)
            lead = await self.leads.insert_lead(
                session,
                SYSTEM,
                draft,
                channel="form",
                now=now,
                duplicates=party_flags(candidates),
                form_id=form.id,
                visitor_id=request.visitor_id[:100],
                owner=owner,
                party_ids=party_ids,
                fallback_owner=(form.created_by, form.team_id),
            )
        return pb.SubmitFormResponse(
            lead_id=lead.id,
            outcome="attached" if known else "created",
            party_id=(party_ids[0] or party_ids[1] or ""),
        )
