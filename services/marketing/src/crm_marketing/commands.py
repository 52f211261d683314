"""State changes of campaigns and leads: one transaction each, with audit entry and outbox event.

A command takes a typed input (inputs.py) whose values have passed their rules,
checks what needs stored data (code lists, the campaign a lead names, the lead's
status), writes through the ORM, records who changed what and adds its event to
the outbox in the same transaction. Times come from the service's clock.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import marketing_pb2 as events
from crm_core.acl import check_team_assignment, require_admin
from crm_core.audit import diff, record_audit
from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.common.code_lists import list_codes
from crm_core.db import Database, is_uuid, new_id
from crm_core.errors import FailedPrecondition, invalid, not_found
from crm_core.events import Namespace, record_event
from crm_core.resources import check_version, columns_of
from crm_core.scopes import scope_of_record
from crm_marketing import DOMAIN, domain
from crm_marketing.inputs import CampaignDraft, CostLine, Disqualification, LeadDraft, RuleDraft
from crm_marketing.models import (
    AssignmentRule,
    Campaign,
    CampaignCost,
    CampaignType,
    DisqualificationReason,
    Lead,
)
from crm_marketing.repository import MarketingRepository, campaign_is_visible
from crm_marketing.visits import identify_visitor


def audit_view(values: dict[str, Any]) -> dict[str, Any]:
    """Column values as the audit shows them (dates and money as text)."""
    return {
        k: (str(v) if v is not None and not isinstance(v, (str, int, bool, list, dict)) else v)
        for k, v in values.items()
    }


def lead_changed(lead: Lead) -> events.LeadChanged:
    """The payload of every lead.* event."""
    utm = lead.utm or {}
    return events.LeadChanged(
        lead_id=lead.id,
        status=lead.status,
        person_name=lead.person_name,
        company_name=lead.company_name,
        email=lead.email,
        phone=lead.phone_e164 or lead.phone,
        inn=lead.inn,
        campaign_id=lead.campaign_id or "",
        channel=lead.channel,
        owner_id=lead.owner_id,
        team_id=lead.team_id or "",
        disqualification_reason=lead.disqualification_reason or "",
        disqualification_comment=lead.disqualification_comment,
        company_id=lead.company_id or "",
        person_id=lead.person_id or "",
        deal_id=lead.deal_id or "",
        form_id=lead.form_id or "",
        visitor_id=lead.visitor_id,
        utm_source=utm.get("source", ""),
        utm_medium=utm.get("medium", ""),
        utm_campaign=utm.get("campaign", ""),
        utm_content=utm.get("content", ""),
        utm_term=utm.get("term", ""),
    )


async def publish_lead(
    session: AsyncSession, namespace: Namespace, caller: Caller, event_type: str, lead: Lead, summary: str
) -> None:
    """Outbox a lead.* event with the lead's scope; the parties it became or joined see it on their timelines.

    A disqualified lead's reason travels with its labels, for timelines to write it in their reader's language.
    """
    payload = lead_changed(lead)
    reason = (
        await session.get(DisqualificationReason, lead.disqualification_reason)
        if lead.disqualification_reason
        else None
    )
    if reason is not None:
        payload.disqualification_reason_label_ru = reason.label_ru
        payload.disqualification_reason_label_en = reason.label_en
    await record_event(
        session,
        namespace,
        DOMAIN,
        event_type,
        subject_id=lead.id,
        payload=payload,
        actor=caller,
        version=lead.version,
        party_ids=[p for p in (lead.company_id, lead.person_id) if p],
        summary=summary,
        scopes=[scope_of_record("lead", lead)],
    )


async def check_code(session: AsyncSession, table: Any, code: str, field: str, list_name: str) -> None:
    """The code is an active code of the list (INVALID_ARGUMENT `unknown_code` otherwise)."""
    active = {c.code for c in await list_codes(session, table) if not c.archived}
    if code not in active:
        raise invalid(field, "unknown_code", f"{field}: '{code[:64]}' is not a code of {list_name}")


async def pick_owner(session: AsyncSession, values: dict[str, Any]) -> tuple[str, str | None] | None:
    """The owner and team the first matching active rule gives a new lead (its next user in turn), or None.

    The rule row is locked while its counter moves, so two replicas capturing at once give the next
    two users, never the same one twice.
    """
    rule_values = domain.rule_values(values)
    rules = await session.scalars(select(AssignmentRule).where(AssignmentRule.active).order_by(AssignmentRule.position))
    for rule in rules:
        if not rule.user_ids or not domain.rule_matches(rule.conditions, rule_values):
            continue
        locked = await session.scalar(select(AssignmentRule).where(AssignmentRule.id == rule.id).with_for_update())
        if locked is None:
            continue
        user_id = domain.round_robin(locked.user_ids, locked.assigned)
        locked.assigned += 1
        return user_id, locked.team_id
    return None


class Campaigns:
    """Commands on campaigns and their costs."""

    def __init__(self, db: Database, namespace: Namespace, clock: Clock) -> None:
        self.db = db
        self.namespace = namespace
        self.clock = clock

    async def _publish(
        self, session: AsyncSession, caller: Caller, verb: str, campaign: Campaign, changed: list[str]
    ) -> None:
        costs = await session.scalars(select(CampaignCost.amount).where(CampaignCost.campaign_id == campaign.id))
        await record_event(
            session,
            self.namespace,
            DOMAIN,
            f"campaign.{verb}",
            subject_id=campaign.id,
            payload=events.CampaignChanged(
                campaign_id=campaign.id,
                name=campaign.name,
                type=campaign.type,
                status=campaign.status,
                owner_id=campaign.owner_id,
                team_id=campaign.team_id or "",
                budget=domain.money_text(campaign.budget),
                cost=domain.money_text(sum(costs, start=Decimal(0))),
                currency=campaign.currency,
                changed_fields=changed,
            ),
            actor=caller,
            version=campaign.version,
            summary=f"Campaign '{campaign.name}' {verb}",
            scopes=[scope_of_record("campaign", campaign)],
        )

    async def create_campaign(self, caller: Caller, draft: CampaignDraft) -> Campaign:
        now = self.clock.now()
        async with self.db.transaction() as session:
            await check_code(session, CampaignType, draft.type, "type", "campaign_types")
            cols = draft.columns()
            cols["owner_id"] = cols["owner_id"] or caller.user_id
            if not cols["team_id"] and len(caller.team_ids) == 1:
                cols["team_id"] = next(iter(caller.team_ids))
            check_team_assignment(caller, cols["team_id"])
            campaign = Campaign(
                id=new_id(), **cols, version=1, created_at=now, updated_at=now, created_by=caller.user_id
            )
            session.add(campaign)
            await session.flush()
            record_audit(
                session,
                entity_type="campaign",
                entity_id=campaign.id,
                action="created",
                actor_id=caller.user_id,
                changes=diff({}, audit_view(cols)),
            )
            await self._publish(session, caller, "created", campaign, [])
        return campaign

    async def update_campaign(
        self, caller: Caller, campaign_id: str, draft: CampaignDraft, expected_version: int
    ) -> Campaign:
        now = self.clock.now()
        async with self.db.transaction() as session:
            campaign = await MarketingRepository(session, caller).get_campaign(campaign_id, lock=True)
            check_version("campaign", campaign, expected_version)
            cols = draft.columns()
            cols["owner_id"] = cols["owner_id"] or campaign.owner_id
            if cols["type"] != campaign.type:
                await check_code(session, CampaignType, draft.type, "type", "campaign_types")
            if cols["team_id"] != campaign.team_id:
                check_team_assignment(caller, cols["team_id"])
            old = columns_of(campaign)
            changes = diff(audit_view({k: old[k] for k in cols}), audit_view(cols))
            if not changes:
                return campaign
            for key, value in cols.items():
                setattr(campaign, key, value)
            campaign.version += 1
            campaign.updated_at = now
            record_audit(
                session,
                entity_type="campaign",
                entity_id=campaign.id,
                action="updated",
                actor_id=caller.user_id,
                changes=changes,
            )
            await self._publish(session, caller, "updated", campaign, sorted(changes))
        return campaign

    async def add_cost(self, caller: Caller, campaign_id: str, line: CostLine, expected_version: int) -> Campaign:
        now = self.clock.now()
        async with self.db.transaction() as session:
            campaign = await MarketingRepository(session, caller).get_campaign(campaign_id, lock=True)
            check_version("campaign", campaign, expected_version)
            cost = CampaignCost(
                id=new_id(),
                campaign_id=campaign.id,
                spent_on=line.spent_on,
                item=line.item,
                amount=line.amount,
                created_at=now,
                created_by=caller.user_id,
            )
            session.add(cost)
            campaign.version += 1
            campaign.updated_at = now
            await session.flush()
            record_audit(
                session,
                entity_type="campaign",
                entity_id=campaign.id,
                action="cost_added",
                actor_id=caller.user_id,
                changes={"cost": {"old": None, "new": f"{line.spent_on} {line.item} {domain.money_text(line.amount)}"}},
            )
            await self._publish(session, caller, "updated", campaign, ["costs"])
        return campaign

    async def remove_cost(self, caller: Caller, campaign_id: str, cost_id: str, expected_version: int) -> Campaign:
        now = self.clock.now()
        async with self.db.transaction() as session:
            campaign = await MarketingRepository(session, caller).get_campaign(campaign_id, lock=True)
            check_version("campaign", campaign, expected_version)
            cost = (
                await session.scalar(
                    select(CampaignCost).where(CampaignCost.campaign_id == campaign.id, CampaignCost.id == cost_id)
                )
                if is_uuid(cost_id)
                else None
            )
            if cost is None:
                raise not_found("campaign_cost", cost_id)
            await session.execute(delete(CampaignCost).where(CampaignCost.id == cost.id))
            campaign.version += 1
            campaign.updated_at = now
            record_audit(
                session,
                entity_type="campaign",
                entity_id=campaign.id,
                action="cost_removed",
                actor_id=caller.user_id,
                changes={"cost": {"old": f"{cost.spent_on} {cost.item} {domain.money_text(cost.amount)}", "new": None}},
            )
            await self._publish(session, caller, "updated", campaign, ["costs"])
        return campaign


class Leads:
    """Commands on leads: capture, change, assign, qualify, disqualify; the assignment rules."""

    def __init__(self, db: Database, namespace: Namespace, clock: Clock) -> None:
        self.db = db
        self.namespace = namespace
        self.clock = clock

    async def insert_lead(
        self,
        session: AsyncSession,
        caller: Caller,
        draft: LeadDraft,
        *,
        channel: str,
        now: datetime,
        duplicates: list[dict[str, Any]] | None = None,
        form_id: str | None = None,
        visitor_id: str = "",
        import_id: str | None = None,
        owner: tuple[str, str | None] | None = None,
        party_ids: tuple[str | None, str | None] = (None, None),
        fallback_owner: tuple[str, str | None] | None = None,
    ) -> Lead:
        """Capture a lead in the open transaction: owner by `owner`, the draft, the rules or the caller; event.

        The campaign must be one the caller may see (a form or an import captures as the system or as the
        importing user, which checked theirs when it was set up). Without an owner from anywhere else
        the lead is `fallback_owner`'s (a form's author and team), else the caller's.
        """
        if draft.campaign_id is not None and not await campaign_is_visible(session, caller, draft.campaign_id):
            raise invalid("campaign_id", "campaign_not_found", f"no campaign {draft.campaign_id}")
        values: dict[str, Any] = {
            **draft.contact_columns(),
            "campaign_id": draft.campaign_id,
            "channel": channel,
            "utm": draft.utm,
            "form_id": form_id,
        }
        if owner is None and draft.owner_id:
            owner = (draft.owner_id, draft.team_id)
        if owner is None:
            owner = await pick_owner(session, values)
        if owner is None:
            team = draft.team_id or (next(iter(caller.team_ids)) if len(caller.team_ids) == 1 else None)
            owner = fallback_owner or (caller.user_id, team)
        if draft.team_id:
            check_team_assignment(caller, draft.team_id)
        lead = Lead(
            id=new_id(),
            **values,
            raw=draft.raw,
            status="new",
            owner_id=owner[0],
            team_id=owner[1],
            shared_with=draft.shared_with,
            duplicates=duplicates or [],
            company_id=party_ids[0],
            person_id=party_ids[1],
            visitor_id=visitor_id,
            import_id=import_id,
            disqualification_comment="",
            version=1,
            created_at=now,
            updated_at=now,
            created_by=caller.user_id,
        )
        session.add(lead)
        await session.flush()
        record_audit(
            session,
            entity_type="lead",
            entity_id=lead.id,
            action="created",
            actor_id=caller.user_id,
            changes=diff(
                {}, audit_view({**draft.contact_columns(), "campaign_id": draft.campaign_id, "channel": channel})
            ),
        )
        await publish_lead(
            session, self.namespace, caller, "lead.captured", lead, f"Lead '{draft.name}' captured ({channel})"
        )
        if visitor_id:
            await identify_visitor(session, self.namespace, caller, lead, now)
        return lead

    async def capture(
        self, caller: Caller, draft: LeadDraft, *, channel: str, duplicates: list[dict[str, Any]] | None = None
    ) -> Lead:
        async with self.db.transaction() as session:
            return await self.insert_lead(
                session, caller, draft, channel=channel, now=self.clock.now(), duplicates=duplicates
            )

    async def update_lead(
        self,
        caller: Caller,
        lead_id: str,
        draft: LeadDraft,
        expected_version: int,
        duplicates: list[dict[str, Any]] | None,
    ) -> Lead:
        now = self.clock.now()
        async with self.db.transaction() as session:
            lead = await MarketingRepository(session, caller).get_lead(lead_id, lock=True)
            check_version("lead", lead, expected_version)
            if lead.status == "converted":
                domain.check_lead_move("converted", "in_work")
            cols = {**draft.contact_columns(), "campaign_id": draft.campaign_id, "shared_with": draft.shared_with}
            new_campaign = draft.campaign_id if draft.campaign_id != lead.campaign_id else None
            if new_campaign is not None and not await campaign_is_visible(session, caller, new_campaign):
                raise invalid("campaign_id", "campaign_not_found", f"no campaign {draft.campaign_id}")
            old = columns_of(lead)
            changes = diff(audit_view({k: old[k] for k in cols}), audit_view(cols))
            if not changes:
                return lead
            for key, value in cols.items():
                setattr(lead, key, value)
            if duplicates is not None:
                lead.duplicates = duplicates
            lead.version += 1
            lead.updated_at = now
            record_audit(
                session,
                entity_type="lead",
                entity_id=lead.id,
                action="updated",
                actor_id=caller.user_id,
                changes=changes,
            )
        return lead

    async def assign(
        self, caller: Caller, lead_id: str, owner_id: str, team_id: str | None, expected_version: int
    ) -> Lead:
        if not owner_id:
            raise invalid("owner_id", "required", "name the user the lead goes to")
        now = self.clock.now()
        async with self.db.transaction() as session:
            lead = await MarketingRepository(session, caller).get_lead(lead_id, lock=True)
            check_version("lead", lead, expected_version)
            if lead.status in ("converted", "disqualified"):
                raise FailedPrecondition("lead_closed", f"a {lead.status} lead is not assigned any more")
            if team_id != lead.team_id:
                check_team_assignment(caller, team_id)
            changes = diff(
                {"owner_id": lead.owner_id, "team_id": lead.team_id}, {"owner_id": owner_id, "team_id": team_id}
            )
            lead.owner_id, lead.team_id = owner_id, team_id
            if lead.status == "new":
                lead.status = "in_work"
                changes["status"] = {"old": "new", "new": "in_work"}
            lead.version += 1
            lead.updated_at = now
            record_audit(
                session,
                entity_type="lead",
                entity_id=lead.id,
                action="assigned",
                actor_id=caller.user_id,
                changes=changes,
            )
            await publish_lead(session, self.namespace, caller, "lead.assigned", lead, f"Lead '{_name(lead)}' assigned")
        return lead

    async def qualify(self, caller: Caller, lead_id: str, expected_version: int) -> Lead:
        return await self._move(caller, lead_id, expected_version, "qualified", None)

    async def disqualify(self, caller: Caller, lead_id: str, why: Disqualification, expected_version: int) -> Lead:
        return await self._move(caller, lead_id, expected_version, "disqualified", why)

    async def _move(
        self, caller: Caller, lead_id: str, expected_version: int, target: str, why: Disqualification | None
    ) -> Lead:
        now = self.clock.now()
        async with self.db.transaction() as session:
            lead = await MarketingRepository(session, caller).get_lead(lead_id, lock=True)
            check_version("lead", lead, expected_version)
            domain.check_lead_move(lead.status, target)
            changes: dict[str, Any] = {"status": {"old": lead.status, "new": target}}
            lead.status = target
            if why is not None:
                await check_code(session, DisqualificationReason, why.reason, "reason", "disqualification_reasons")
                lead.disqualification_reason = why.reason
                lead.disqualification_comment = why.comment
                changes["disqualification_reason"] = {"old": None, "new": why.reason}
            lead.version += 1
            lead.updated_at = now
            record_audit(
                session, entity_type="lead", entity_id=lead.id, action=target, actor_id=caller.user_id, changes=changes
            )
            await publish_lead(
                session, self.namespace, caller, f"lead.{target}", lead, f"Lead '{_name(lead)}' {target}"
            )
        return lead

    async def replace_rules(self, caller: Caller, rules: list[RuleDraft]) -> list[AssignmentRule]:
        """Replace the assignment rules (admins only); counters of rules kept by name continue."""
        require_admin(caller, "change the lead assignment rules")
        async with self.db.transaction() as session:
            old = {r.name: r.assigned for r in await session.scalars(select(AssignmentRule))}
            await session.execute(delete(AssignmentRule))
            stored = [
                AssignmentRule(
                    id=new_id(),
                    position=i,
                    name=r.name,
                    conditions=r.conditions,
                    user_ids=r.user_ids,
                    team_id=r.team_id,
                    active=r.active,
                    assigned=old.get(r.name, 0),
                )
                for i, r in enumerate(rules)
            ]
            session.add_all(stored)
            record_audit(
                session,
                entity_type="assignment_rules",
                entity_id="lead",
                action="replaced",
                actor_id=caller.user_id,
                changes={"rules": {"old": sorted(old), "new": [r.name for r in rules]}},
            )
        return stored


def _name(lead: Lead) -> str:
    return domain.lead_name(lead.person_name, lead.company_name, lead.email, lead.phone)
