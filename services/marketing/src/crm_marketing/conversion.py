"""Converting a lead into a company and/or person in contacts and a deal in deals, once, whatever fails.

The request is stored on the lead first (with the user who asked), then each
record is created through its service as that user with an idempotency key
made of the lead and the step (crm_core.answered): a retry, by anyone, after a
failure half-way or a crash, repeats the same requests as the same user, gets
the records already made back and creates only what is missing; a second
ConvertLead of a converted lead returns it as it is. Each record's id is written
to the lead as soon as it exists; the lead becomes "converted" (lead.converted,
on the new cards' timelines) only when everything asked for exists.
"""

from __future__ import annotations

from typing import Any

from crm.contacts.v1 import contacts_pb2
from crm.deals.v1 import deals_pb2
from crm_core.audit import record_audit
from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.db import Database, is_uuid
from crm_core.errors import CrmError, FailedPrecondition, Unavailable, invalid
from crm_core.events import Namespace
from crm_marketing import domain
from crm_marketing.commands import publish_lead
from crm_marketing.inputs import Conversion
from crm_marketing.models import Lead
from crm_marketing.peers import Peers
from crm_marketing.repository import MarketingRepository


def person_names(full_name: str) -> dict[str, str]:
    """A typed full name as name parts: three words are Russian order (Фамилия Имя Отчество), two are "Имя Фамилия"."""
    words = full_name.split()
    if len(words) >= 3:
        return {"last_name": words[0], "first_name": words[1], "middle_name": " ".join(words[2:])}
    if len(words) == 2:
        return {"first_name": words[0], "last_name": words[1]}
    return {"first_name": full_name}


def company_party(lead: Lead, with_contacts: bool) -> contacts_pb2.Party:
    party = contacts_pb2.Party(kind="company", display_name=lead.company_name, owner_id=lead.owner_id)
    party.company.legal_name = lead.company_name
    party.company.inn = lead.inn
    party.team_id = lead.team_id or ""
    if with_contacts:
        _contact_points(party, lead)
    return party


def person_party(lead: Lead) -> contacts_pb2.Party:
    name = lead.person_name or lead.email or lead.phone
    party = contacts_pb2.Party(kind="person", display_name=name, owner_id=lead.owner_id, team_id=lead.team_id or "")
    for key, value in person_names(lead.person_name).items() if lead.person_name else ():
        setattr(party.person, key, value)
    party.person.position = lead.position
    _contact_points(party, lead)
    return party


def _contact_points(party: contacts_pb2.Party, lead: Lead) -> None:
    if lead.email:
        party.emails.append(contacts_pb2.ContactPoint(kind="work", value=lead.email, primary=True))
    if lead.phone_e164 or lead.phone:
        party.phones.append(contacts_pb2.ContactPoint(kind="work", value=lead.phone_e164 or lead.phone, primary=True))


class Converter:
    """ConvertLead: claims the conversion, creates what is missing step by step, then closes the lead."""

    def __init__(self, db: Database, namespace: Namespace, clock: Clock, peers: Peers) -> None:
        self.db = db
        self.namespace = namespace
        self.clock = clock
        self.peers = peers

    async def convert(self, caller: Caller, lead_id: str, asked: Conversion) -> Lead:
        lead, plan, actor = await self._claim(caller, lead_id, asked)
        if lead.status == "converted":
            return lead
        try:
            company_id = lead.company_id or await self._company(actor, lead, plan)
            if company_id != lead.company_id:
                lead = await self._store(caller, lead.id, company_id=company_id)
            person_id = lead.person_id or await self._person(actor, lead, plan)
            if person_id != lead.person_id:
                lead = await self._store(caller, lead.id, person_id=person_id)
            if company_id and person_id and (plan["create_company"] or plan["create_person"]):
                await self.peers.link_person(actor, company_id, person_id, f"lead-convert:{lead.id}:link")
            if plan["create_deal"] and not lead.deal_id:
                deal = await self.peers.create_deal(actor, self._deal(lead, plan), f"lead-convert:{lead.id}:deal")
                lead = await self._store(caller, lead.id, deal_id=deal.id)
        except CrmError as error:
            if not isinstance(error, Unavailable) and not (lead.company_id or lead.person_id or lead.deal_id):
                await self._release(lead.id)  # refused before anything existed: the user may fix the lead and retry
            raise
        return await self._finish(caller, lead.id)

    async def _claim(self, caller: Caller, lead_id: str, asked: Conversion) -> tuple[Lead, dict[str, Any], Caller]:
        """The lead with its stored conversion (this one stored now if none is), and the user it acts as."""
        async with self.db.transaction() as session:
            lead = await MarketingRepository(session, caller).get_lead(lead_id, lock=True)
            if lead.status == "converted":
                return lead, {}, caller
            if lead.conversion is None:
                domain.check_lead_move(lead.status, "converted")
                self._check(lead, asked)
                lead.conversion = {
                    **asked.as_dict(),
                    "caller": {
                        "user_id": caller.user_id,
                        "roles": sorted(caller.roles),
                        "team_ids": sorted(caller.team_ids),
                    },
                }
            plan = dict(lead.conversion)
            who = plan["caller"]
            actor = Caller(who["user_id"], frozenset(who["roles"]), frozenset(who["team_ids"]))
        return lead, plan, actor

    def _check(self, lead: Lead, asked: Conversion) -> None:
        if asked.create_company and not lead.company_name:
            raise invalid("create_company", "no_company_name", "the lead names no company to create")
        if asked.create_person and not (lead.person_name or lead.email or lead.phone):
            raise invalid("create_person", "no_person", "the lead names no person to create")
        for field in ("company_id", "person_id"):
            value = getattr(asked, field)
            if value and not is_uuid(value):
                raise invalid(field, "party_not_found", f"no party {value[:64]}")

    async def _company(self, actor: Caller, lead: Lead, plan: dict[str, Any]) -> str | None:
        if plan["company_id"]:
            party = await self.peers.get_party(actor, plan["company_id"])
            if party.kind != "company":
                raise invalid("company_id", "not_a_company", "company_id names a person")
            return party.id
        if not plan["create_company"]:
            return None
        with_contacts = not plan["create_person"] and not plan["person_id"]
        party = await self.peers.create_party(
            actor, company_party(lead, with_contacts), f"lead-convert:{lead.id}:company"
        )
        return party.id

    async def _person(self, actor: Caller, lead: Lead, plan: dict[str, Any]) -> str | None:
        if plan["person_id"]:
            party = await self.peers.get_party(actor, plan["person_id"])
            if party.kind != "person":
                raise invalid("person_id", "not_a_person", "person_id names a company")
            return party.id
        if not plan["create_person"]:
            return None
        return (await self.peers.create_party(actor, person_party(lead), f"lead-convert:{lead.id}:person")).id

    def _deal(self, lead: Lead, plan: dict[str, Any]) -> deals_pb2.Deal:
        client_id = lead.company_id or lead.person_id or ""
        name = lead.company_name or lead.person_name or lead.email or lead.phone
        deal = deals_pb2.Deal(
            title=plan["deal_title"] or name,
            client_id=client_id,
            client_name=name,
            owner_id=lead.owner_id,
            team_id=lead.team_id or "",
            amount=plan["deal_amount"],
            currency=plan["deal_currency"],
            pipeline_id=plan["pipeline_id"],
        )
        if lead.company_id and lead.person_id:
            deal.contact_ids.append(lead.person_id)
        deal.source.lead_id = lead.id
        deal.source.campaign_id = lead.campaign_id or ""
        return deal

    async def _store(self, caller: Caller, lead_id: str, **ids: str | None) -> Lead:
        async with self.db.transaction() as session:
            lead = await MarketingRepository(session, caller).get_lead(lead_id, lock=True)
            for key, value in ids.items():
                setattr(lead, key, value)
        return lead

    async def _release(self, lead_id: str) -> None:
        async with self.db.transaction() as session:
            lead = await session.get(Lead, lead_id, with_for_update=True)
            if lead is not None and lead.status != "converted":
                lead.conversion = None

    async def _finish(self, caller: Caller, lead_id: str) -> Lead:
        now = self.clock.now()
        async with self.db.transaction() as session:
            lead = await MarketingRepository(session, caller).get_lead(lead_id, lock=True)
            if lead.status == "converted":
                return lead  # a concurrent attempt finished first
            if lead.conversion is None:
                raise FailedPrecondition("conversion_released", "the conversion was refused; try again")
            changes = {
                "status": {"old": lead.status, "new": "converted"},
                **{
                    k: {"old": None, "new": getattr(lead, k)}
                    for k in ("company_id", "person_id", "deal_id")
                    if getattr(lead, k)
                },
            }
            lead.status = "converted"
            lead.conversion = None
            lead.converted_at = now
            lead.version += 1
            lead.updated_at = now
            record_audit(
                session,
                entity_type="lead",
                entity_id=lead.id,
                action="converted",
                actor_id=caller.user_id,
                changes=changes,
            )
            name = domain.lead_name(lead.person_name, lead.company_name, lead.email, lead.phone)
            await publish_lead(session, self.namespace, caller, "lead.converted", lead, f"Lead '{name}' converted")
        return lead
