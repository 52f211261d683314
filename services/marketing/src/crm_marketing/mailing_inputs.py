"""Typed inputs of mail templates and mailings: a protobuf message checked into a draft, every bad field named
(a template's merge fields and syntax by crm_core.templates)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crm_core.errors import Validator
from crm_core.mail import parse_address
from crm_core.templates import MailTemplate as Template
from crm_marketing.mail_content import MERGE_FIELDS


@dataclass(frozen=True)
class TemplateDraft:
    name: str
    subject: str
    text: str
    html: str
    team_id: str | None = None
    shared_with: list[str] = field(default_factory=list)


def template_draft(message: Any) -> TemplateDraft:
    """A pb.MailTemplate checked: a name, a subject, the merge fields of MERGE_FIELDS only, valid syntax."""
    v = Validator()
    name = message.name.strip()
    if not name:
        v.add("name", "required", "a template needs a name")
    if len(name) > 300:
        v.add("name", "too_long", "name: at most 300 characters")
    if not message.text.strip():
        v.add("text", "required", "a mail needs a plain-text part")
    for part, limit in (("subject", 998), ("text", 200_000), ("html", 500_000)):
        if len(getattr(message, part)) > limit:
            v.add(part, "too_long", f"{part}: at most {limit} characters")
    v.problems += Template(subject=message.subject, text=message.text, html=message.html).check(MERGE_FIELDS)
    v.raise_if_any()
    return TemplateDraft(
        name=name,
        subject=message.subject,
        text=message.text,
        html=message.html,
        team_id=message.team_id.strip() or None,
        shared_with=sorted({u.strip() for u in message.shared_with if u.strip()}),
    )


@dataclass(frozen=True)
class MailingDraft:
    name: str
    template_id: str
    segment_id: str
    campaign_id: str
    from_address: str
    team_id: str | None = None
    shared_with: list[str] = field(default_factory=list)


def mailing_draft(message: Any) -> MailingDraft:
    v = Validator()
    name = message.name.strip()
    if not name:
        v.add("name", "required", "a mailing needs a name")
    for ref in ("template_id", "segment_id", "campaign_id"):
        if not getattr(message, ref).strip():
            v.add(ref, "required", f"{ref} is required")
    if message.from_address.strip():
        try:
            parse_address(message.from_address.strip())
        except ValueError as exc:
            v.add("from_address", "invalid_email", str(exc))
    v.raise_if_any()
    return MailingDraft(
        name=name[:300],
        template_id=message.template_id.strip(),
        segment_id=message.segment_id.strip(),
        campaign_id=message.campaign_id.strip(),
        from_address=message.from_address.strip(),
        team_id=message.team_id.strip() or None,
        shared_with=sorted({u.strip() for u in message.shared_with if u.strip()}),
    )
