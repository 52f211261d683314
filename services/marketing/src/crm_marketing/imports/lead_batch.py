"""A batch of imported leads: duplicates among stored leads and parties, then one multi-row write.

The rows a capture writes one by one (`Leads.insert_lead`: the lead, its audit entry, its
lead.captured event, its owner by the assignment rules in turn) are written here for a whole
batch with one INSERT each, in the batch's transaction, so a batch is all or nothing. Duplicates
are looked up once per batch: leads by e-mail, phone and INN as the importing user sees them,
parties through contacts' FindPartiesByKeys as that user.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Table, and_, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm.contacts.v1 import contacts_pb2
from crm_core.acl import visible_to
from crm_core.audit import audit_row, diff, record_audits
from crm_core.auth import Caller
from crm_core.contact_points import normalize_email, stored_phone_digits
from crm_core.db import new_id
from crm_core.events import Namespace, NewEvent, record_events
from crm_core.scopes import scope_of_record
from crm_marketing import DOMAIN, domain
from crm_marketing.commands import audit_view, lead_changed
from crm_marketing.duplicates import remember_party_scopes
from crm_marketing.imports import rows
from crm_marketing.inputs import MAX_RAW, MAX_RAW_VALUE, LeadDraft
from crm_marketing.models import AssignmentRule, Lead
from crm_marketing.peers import Peers

CHANNEL = "import"


@dataclass(frozen=True)
class Found:
    """A stored record a row duplicates: a lead or a party, why, and its name for the flag."""

    kind: str
    id: str
    name: str
    reasons: tuple[str, ...]

    def flag(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "name": self.name, "reasons": list(self.reasons)}


@dataclass
class StoredMatches:
    """What a batch's keys match among stored leads and parties, by dedup key ("email:…")."""

    by_key: dict[str, list[Found]] = field(default_factory=dict)
    parties: list[contacts_pb2.Party] = field(default_factory=list)

    def of(self, keys: Sequence[str]) -> list[Found]:
        """The records sharing any key, each once with all its reasons, leads first."""
        merged: dict[tuple[str, str], Found] = {}
        for key in keys:
            for found in self.by_key.get(key, ()):
                old = merged.get((found.kind, found.id))
                reasons = tuple(dict.fromkeys((*(old.reasons if old else ()), *found.reasons)))
                merged[(found.kind, found.id)] = Found(found.kind, found.id, found.name, reasons)
        return sorted(merged.values(), key=lambda f: (f.kind != "lead", f.id))


def lead_draft(row: rows.LeadRow, cells: Sequence[str], headers: Sequence[str], campaign_id: str | None) -> LeadDraft:
    """The lead a parsed row captures: its first e-mail and phone (the lead's keys), every cell in `raw`."""
    person = row.person_name or " ".join(p for p in (row.last_name, row.first_name, row.middle_name) if p)
    utm = {
        k: v
        for k, v in (
            ("source", row.utm_source),
            ("medium", row.utm_medium),
            ("campaign", row.utm_campaign),
            ("content", row.utm_content),
            ("term", row.utm_term),
        )
        if v
    }
    raw = {h[:300]: c[:MAX_RAW_VALUE] for h, c in zip(headers, cells, strict=False) if c}
    phone = row.phones[0] if row.phones else ""
    return LeadDraft(
        person_name=person[:300],
        company_name=row.company_name or "",
        position=row.position or "",
        email=row.emails[0] if row.emails else "",
        phone=phone,
        phone_e164=phone,
        inn=row.inn or "",
        comment=row.comment or "",
        campaign_id=campaign_id,
        utm=utm,
        raw=dict(list(raw.items())[:MAX_RAW]),
    )


def lead_keys(row: rows.LeadRow) -> tuple[str, ...]:
    return rows.dedup_keys(row)


async def stored_matches(
    session: AsyncSession, peers: Peers, caller: Caller, batch: Sequence[rows.LeadRow]
) -> StoredMatches:
    """Stored leads (visible to the caller) and parties (through contacts, as the caller) sharing a batch's keys."""
    emails = sorted({normalize_email(e) for r in batch for e in r.emails})
    phones = sorted({p for r in batch for p in r.phones})
    inns = sorted({r.inn for r in batch if r.inn})
    found = StoredMatches()
    if not (emails or phones or inns):
        return found
    # "<> ''" spelled out: the keys' indexes are partial (WHERE … <> ''), and PostgreSQL proves an IN list
    # implies that only up to 100 values; past them, without it, it would read the whole table per batch.
    conditions = []
    if emails:
        conditions.append(and_(Lead.email_key.in_(emails), Lead.email_key != ""))
    if phones:
        conditions.append(and_(Lead.phone_e164.in_(phones), Lead.phone_e164 != ""))
    if inns:
        conditions.append(and_(Lead.inn.in_(inns), Lead.inn != ""))
    columns = (
        Lead.id,
        Lead.person_name,
        Lead.company_name,
        Lead.email,
        Lead.email_key,
        Lead.phone,
        Lead.phone_e164,
        Lead.inn,
    )
    query = select(*columns).where(or_(*conditions), visible_to(caller, Lead)).order_by(Lead.created_at)
    for lead in (await session.execute(query)).all():
        name = domain.lead_name(lead.person_name, lead.company_name, lead.email, lead.phone)
        for reason, key in (
            ("email", f"email:{lead.email_key}" if lead.email_key else ""),
            ("phone", f"phone:{stored_phone_digits(lead.phone_e164)}" if lead.phone_e164 else ""),
            ("inn", f"inn:{lead.inn}" if lead.inn else ""),
        ):
            if key:
                found.by_key.setdefault(key, []).append(Found("lead", lead.id, name, (reason,)))
    answer = await peers.find_parties_by_keys(caller, inns=inns, emails=emails, phones=phones)
    for match in answer.matches:
        found.parties.append(match.party)
        for key in match.keys:
            reason = key.split(":", 1)[0]
            found.by_key.setdefault(key, []).append(Found("party", match.party.id, match.party.display_name, (reason,)))
    return found


@dataclass
class NewLead:
    """A lead to write: its draft and the duplicate flags it is written with."""

    draft: LeadDraft
    flags: list[dict[str, Any]]
    id: str = field(default_factory=new_id)


async def write_leads(
    session: AsyncSession,
    namespace: Namespace,
    caller: Caller,
    import_id: str,
    new: Sequence[NewLead],
    parties: Sequence[contacts_pb2.Party],
    now: datetime,
) -> None:
    """Insert the leads with their audit entries and lead.captured events, in the open transaction.

    Owners come from the assignment rules (channel "import"), each matching rule giving its next user
    in turn (the rules are locked while their counters move), else the importing user.
    """
    if not new:
        return
    rules = list(
        await session.scalars(
            select(AssignmentRule).where(AssignmentRule.active).order_by(AssignmentRule.position).with_for_update()
        )
    )
    own_team = next(iter(caller.team_ids)) if len(caller.team_ids) == 1 else None
    inserts: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    events: list[NewEvent] = []
    for item in new:
        draft = item.draft
        values: dict[str, Any] = {
            **draft.contact_columns(),
            "campaign_id": draft.campaign_id,
            "channel": CHANNEL,
            "utm": draft.utm,
            "form_id": None,
        }
        owner: tuple[str, str | None] = (caller.user_id, own_team)
        rule_values = domain.rule_values(values) if rules else {}  # parses the phone again: only when needed
        for rule in rules:
            if rule.user_ids and domain.rule_matches(rule.conditions, rule_values):
                owner = (domain.round_robin(rule.user_ids, rule.assigned), rule.team_id)
                rule.assigned += 1
                break
        row = {
            "id": item.id,
            **values,
            "raw": draft.raw,
            "status": "new",
            "owner_id": owner[0],
            "team_id": owner[1],
            "shared_with": [],
            "duplicates": item.flags,
            "disqualification_reason": None,
            "disqualification_comment": "",
            "company_id": None,
            "person_id": None,
            "deal_id": None,
            "conversion": None,
            "visitor_id": "",
            "import_id": import_id,
            "version": 1,
            "created_at": now,
            "updated_at": now,
            "created_by": caller.user_id,
            "converted_at": None,
        }
        inserts.append(row)
        audit_values = {**draft.contact_columns(), "campaign_id": draft.campaign_id, "channel": CHANNEL}
        audits.append(audit_row("lead", item.id, "created", caller.user_id, diff({}, audit_view(audit_values))))
        lead = cast(Lead, SimpleNamespace(**row))
        events.append(
            NewEvent(
                "lead.captured",
                item.id,
                lead_changed(lead),
                caller,
                version=1,
                summary=f"Lead '{draft.name}' captured ({CHANNEL})",
                scopes=[scope_of_record("lead", lead)],
            )
        )
    await session.execute(insert(cast(Table, Lead.__table__)), inserts)
    await record_audits(session, audits)
    await record_events(session, namespace, DOMAIN, events)
    flagged = {f["id"] for item in new for f in item.flags if f["kind"] == "party"}
    if flagged:
        await remember_party_scopes(
            session,
            [contacts_pb2.DuplicateCandidate(party=p) for p in parties if p.id in flagged],
        )
