"""Duplicates of a lead among leads and parties, found as the capturing user and shown only to who may see them.

Leads are matched here by e-mail, phone (E.164) and INN; parties by contacts'
own duplicate check (FindDuplicates), as the caller, so a party they may not
see is never offered. A stored flag names records, and a later reader may see
less than its finder: every read keeps only the flags the reader may see
(`visible_flags`), leads by their access rule and parties by the access scope
recorded with the flag and kept current from contacts' events.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm.contacts.v1 import contacts_pb2
from crm_core.acl import visible_to
from crm_core.auth import Caller
from crm_core.errors import Unavailable
from crm_core.logging import get_logger
from crm_core.scopes import AccessScopeRow, record_key, remember_scope, scope_of, scope_visible
from crm_marketing import domain
from crm_marketing.inputs import LeadDraft
from crm_marketing.models import Lead
from crm_marketing.peers import Peers

MAX_FLAGS = 5
log = get_logger("crm.marketing.duplicates")


def candidate_parties(draft: LeadDraft) -> list[contacts_pb2.Party]:
    """The lead as contacts would see it for its duplicate check: its company (name, INN) and its person
    (name, e-mail, phone); contacts compares parties of one kind, and a lead may name both."""
    parties = []
    if draft.company_name or draft.inn:
        company = contacts_pb2.Party(kind="company", display_name=draft.company_name or draft.inn)
        company.company.short_name = draft.company_name
        company.company.inn = draft.inn
        parties.append(company)
    if draft.person_name or draft.email or draft.phone_e164:
        person = contacts_pb2.Party(kind="person", display_name=draft.person_name or draft.email or draft.phone_e164)
        if draft.email:
            person.emails.append(contacts_pb2.ContactPoint(kind="work", value=draft.email))
        if draft.phone_e164:
            person.phones.append(contacts_pb2.ContactPoint(kind="work", value=draft.phone_e164))
        parties.append(person)
    return parties


async def lead_matches(
    session: AsyncSession, caller: Caller, draft: LeadDraft, exclude_id: str = ""
) -> list[dict[str, Any]]:
    """Visible leads with the same e-mail, phone or INN (newest first)."""
    keys = []
    if draft.email_key:
        keys.append(Lead.email_key == draft.email_key)
    if draft.phone_e164:
        keys.append(Lead.phone_e164 == draft.phone_e164)
    if draft.inn:
        keys.append(Lead.inn == draft.inn)
    if not keys:
        return []
    query = select(Lead).where(or_(*keys), visible_to(caller, Lead)).order_by(Lead.created_at.desc()).limit(MAX_FLAGS)
    if exclude_id:
        query = query.where(Lead.id != exclude_id)
    flags = []
    for lead in await session.scalars(query):
        reasons = [
            name
            for name, same in (
                ("email", draft.email_key and lead.email_key == draft.email_key),
                ("phone", draft.phone_e164 and lead.phone_e164 == draft.phone_e164),
                ("inn", draft.inn and lead.inn == draft.inn),
            )
            if same
        ]
        name = domain.lead_name(lead.person_name, lead.company_name, lead.email, lead.phone)
        flags.append({"kind": "lead", "id": lead.id, "name": name, "reasons": reasons})
    return flags


async def party_matches(peers: Peers, caller: Caller, draft: LeadDraft) -> list[contacts_pb2.DuplicateCandidate]:
    """Parties contacts finds like the lead's company or person, as the caller sees them.

    A lead is never lost because contacts is down: it is captured with the flags among leads only.
    """
    try:
        found = await asyncio.gather(*(peers.find_party_duplicates(caller, p) for p in candidate_parties(draft)))
    except Unavailable as exc:
        log.warning("party_duplicates_skipped", reason=str(exc))
        return []
    return [c for candidates in found for c in candidates]


def party_flags(candidates: Iterable[contacts_pb2.DuplicateCandidate]) -> list[dict[str, Any]]:
    return [
        {"kind": "party", "id": c.party.id, "name": c.party.display_name, "reasons": list(c.reasons)}
        for c in candidates
    ][:MAX_FLAGS]


async def remember_party_scopes(session: AsyncSession, candidates: Sequence[contacts_pb2.DuplicateCandidate]) -> None:
    """Keep the access scope of each flagged party (refreshed later by contacts' events)."""
    for c in candidates:
        p = c.party
        scope = scope_of(
            "party", p.id, owner_id=p.owner_id, team_id=p.team_id, shared_with=p.shared_with, version=p.version
        )
        await remember_scope(session, scope, add_new=True)


async def visible_flags(
    session: AsyncSession, caller: Caller, leads: Sequence[Lead]
) -> dict[str, list[dict[str, Any]]]:
    """Per lead id, the duplicate flags the caller may see."""
    flagged = [lead for lead in leads if lead.duplicates]
    if not flagged or caller.is_admin:
        return {lead.id: list(lead.duplicates or []) for lead in leads}
    lead_ids = {f["id"] for lead in flagged for f in lead.duplicates if f.get("kind") == "lead"}
    party_keys = {record_key("party", f["id"]) for lead in flagged for f in lead.duplicates if f.get("kind") == "party"}
    seen_leads: set[str] = set()
    if lead_ids:
        seen_leads = set(await session.scalars(select(Lead.id).where(Lead.id.in_(lead_ids), visible_to(caller, Lead))))
    seen_parties: set[str] = set()
    if party_keys:
        rows = await session.scalars(
            select(AccessScopeRow.record).where(AccessScopeRow.record.in_(party_keys), scope_visible(caller))
        )
        seen_parties = set(rows)
    result = {}
    for lead in leads:
        result[lead.id] = [
            f
            for f in lead.duplicates or []
            if (f.get("kind") == "lead" and f["id"] in seen_leads)
            or (f.get("kind") == "party" and record_key("party", f["id"]) in seen_parties)
        ]
    return result
