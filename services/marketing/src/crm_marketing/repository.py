"""Queries on the marketing database, always within what the caller may see.

Campaigns and leads are visible to their owner, team, the users they are
shared with and admins (crm_core.acl.visible_to, in SQL): a hidden record is
never returned, counted or summed. The campaign report sums deals through
their access scopes (crm_core.scopes), so a deal its reader may not see adds
nothing to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Date, cast, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.acl import visible_to
from crm_core.auth import Caller
from crm_core.db import Database, is_uuid
from crm_core.errors import invalid
from crm_core.events.outbox import OutboxRow
from crm_core.filtering import FieldSpec, condition
from crm_core.pagination import Page
from crm_core.resources import SortKey, SortSpec, get_visible, keyset_page
from crm_core.scopes import not_hidden_from
from crm_marketing.domain import Funnel, ServiceState
from crm_marketing.models import AssignmentRule, Campaign, CampaignCost, DealSource, Lead

CAMPAIGN_FILTERS: dict[str, FieldSpec] = {
    "type": FieldSpec(Campaign.type),
    "status": FieldSpec(Campaign.status),
    "owner_id": FieldSpec(Campaign.owner_id),
    "team_id": FieldSpec(Campaign.team_id),
    "starts_on": FieldSpec(Campaign.starts_on, "date"),
    "ends_on": FieldSpec(Campaign.ends_on, "date"),
    "created_at": FieldSpec(Campaign.created_at, "datetime"),
}
CAMPAIGN_SORT = SortSpec[None](
    "campaigns",
    {
        "created_at": SortKey("datetime", Campaign.created_at),
        "name": SortKey("text", Campaign.name),
        "starts_on": SortKey("date", func.coalesce(Campaign.starts_on, cast(text("'0001-01-01'"), Date))),
    },
    default="-created_at",
    tie_breaker=Campaign.id,
)
LEAD_FILTERS: dict[str, FieldSpec] = {
    "status": FieldSpec(Lead.status),
    "channel": FieldSpec(Lead.channel),
    "campaign_id": FieldSpec(Lead.campaign_id),
    "owner_id": FieldSpec(Lead.owner_id),
    "team_id": FieldSpec(Lead.team_id),
    "form_id": FieldSpec(Lead.form_id),
    "import_id": FieldSpec(Lead.import_id),
    "created_at": FieldSpec(Lead.created_at, "datetime"),
    "updated_at": FieldSpec(Lead.updated_at, "datetime"),
    "has_duplicates": FieldSpec(func.jsonb_array_length(Lead.duplicates) > 0, "bool"),
}
LEAD_SORT = SortSpec[None](
    "leads",
    {
        "created_at": SortKey("datetime", Lead.created_at),
        "updated_at": SortKey("datetime", Lead.updated_at),
        "person_name": SortKey("text", Lead.person_name),
        "company_name": SortKey("text", Lead.company_name),
    },
    default="-created_at",
    tie_breaker=Lead.id,
)
MAX_QUERY_WORDS = 8


@dataclass
class Query:
    """A search: words, filters as (field, op, value), sort."""

    query: str = ""
    filters: Sequence[tuple[str, str, str]] = ()
    sort: str = ""


def _filters(specs: dict[str, FieldSpec], filters: Sequence[tuple[str, str, str]]) -> list[ColumnElement[bool]]:
    result = []
    for i, (name, op, value) in enumerate(filters):
        where = f"filters[{i}]"
        if name not in specs:
            raise invalid(where, "unknown_filter_field", f"{where}: cannot filter on '{name}'")
        result.append(condition(specs[name], op, value, where))
    return result


def _words(query: str, column: Any) -> list[ColumnElement[bool]]:
    """Each word of the query is somewhere in `column` (a trigram index serves the ILIKE)."""
    words = [w for w in query.lower().split() if any(ch.isalnum() for ch in w)][:MAX_QUERY_WORDS]
    escaped = [w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words]
    return [column.like(f"%{w}%") for w in escaped]


class MarketingRepository:
    """Reads of one unit of work, filtered by the caller's access."""

    def __init__(self, session: AsyncSession, caller: Caller) -> None:
        self.session = session
        self.caller = caller

    # Campaigns --------------------------------------------------------------------

    async def get_campaign(self, campaign_id: str, *, lock: bool = False) -> Campaign:
        """A campaign the caller may see, or NotFound."""
        return await get_visible(
            self.session, Campaign, "campaign", campaign_id, visible_to(self.caller, Campaign), lock=lock
        )

    async def costs_of(self, campaign_ids: Sequence[str]) -> dict[str, list[CampaignCost]]:
        rows = await self.session.scalars(
            select(CampaignCost)
            .where(CampaignCost.campaign_id.in_(list(campaign_ids)))
            .order_by(CampaignCost.spent_on, CampaignCost.created_at)
        )
        result: dict[str, list[CampaignCost]] = {cid: [] for cid in campaign_ids}
        for cost in rows:
            result[cost.campaign_id].append(cost)
        return result

    async def list_campaigns(self, q: Query, limit: int, cursor: str) -> Page[Campaign]:
        order = CAMPAIGN_SORT.parse(q.sort).order(None)
        query = select(Campaign).where(
            visible_to(self.caller, Campaign),
            *_filters(CAMPAIGN_FILTERS, q.filters),
            *_words(q.query, func.lower(Campaign.name)),
        )
        return await keyset_page(self.session, query, order, limit, cursor)

    async def campaign_names(self, campaign_ids: Sequence[str]) -> dict[str, str]:
        """Names of the campaigns among `campaign_ids` the caller may see (a hidden one is left out)."""
        ids = [c for c in set(campaign_ids) if is_uuid(c)]
        if not ids:
            return {}
        rows = await self.session.execute(
            select(Campaign.id, Campaign.name).where(Campaign.id.in_(ids), visible_to(self.caller, Campaign))
        )
        return {row.id: row.name for row in rows}

    async def campaigns_by_id(self, campaign_ids: Sequence[str]) -> Sequence[Campaign]:
        """The visible campaigns among `campaign_ids`."""
        ids = [c for c in campaign_ids if is_uuid(c)]
        if not ids:
            return []
        query = select(Campaign).where(Campaign.id.in_(ids), visible_to(self.caller, Campaign))
        return (await self.session.scalars(query)).all()

    async def assignment_rules(self) -> Sequence[AssignmentRule]:
        return (await self.session.scalars(select(AssignmentRule).order_by(AssignmentRule.position))).all()

    # Leads ---------------------------------------------------------------------------

    async def get_lead(self, lead_id: str, *, lock: bool = False) -> Lead:
        """A lead the caller may see, or NotFound."""
        return await get_visible(self.session, Lead, "lead", lead_id, visible_to(self.caller, Lead), lock=lock)

    def _lead_conditions(self, q: Query) -> list[ColumnElement[bool]]:
        return [visible_to(self.caller, Lead), *_filters(LEAD_FILTERS, q.filters), *_words(q.query, Lead.search_text)]

    async def list_leads(self, q: Query, limit: int, cursor: str) -> Page[Lead]:
        order = LEAD_SORT.parse(q.sort).order(None)
        return await keyset_page(self.session, select(Lead).where(*self._lead_conditions(q)), order, limit, cursor)

    async def count_leads(self, q: Query) -> int:
        return int(await self.session.scalar(select(func.count()).where(*self._lead_conditions(q))) or 0)

    # The campaign report -----------------------------------------------------------

    async def funnels(self, campaign_ids: Sequence[str], since: date | None, until: date | None) -> dict[str, Funnel]:
        """Per visible campaign: its cost, lead counts (visible leads), deals, won and revenue (visible deals)."""
        campaigns = select(Campaign.id, Campaign.currency).where(visible_to(self.caller, Campaign))
        if campaign_ids:  # an id that is no UUID names no campaign
            campaigns = campaigns.where(Campaign.id.in_([c for c in campaign_ids if is_uuid(c)]))
        result = {row.id: Funnel(row.currency) for row in await self.session.execute(campaigns)}
        if not result:
            return result
        ids = list(result)
        costs = select(CampaignCost.campaign_id, func.sum(CampaignCost.amount)).where(CampaignCost.campaign_id.in_(ids))
        if since:
            costs = costs.where(CampaignCost.spent_on >= since)
        if until:
            costs = costs.where(CampaignCost.spent_on <= until)
        spent: Any = await self.session.execute(costs.group_by(CampaignCost.campaign_id))
        for campaign_id, total in spent:
            result[campaign_id].cost = Decimal(total or 0)
        leads = select(
            Lead.campaign_id,
            func.count(),
            func.count().filter(Lead.status.in_(("qualified", "converted"))),
            func.count().filter(Lead.status == "converted"),
        ).where(Lead.campaign_id.in_(ids), visible_to(self.caller, Lead))
        if since:
            leads = leads.where(func.date(Lead.created_at) >= since)
        if until:
            leads = leads.where(func.date(Lead.created_at) <= until)
        counts: Any = await self.session.execute(leads.group_by(Lead.campaign_id))
        for campaign_id, total, qualified, converted in counts:
            funnel = result[campaign_id]
            funnel.leads, funnel.qualified, funnel.converted = int(total), int(qualified), int(converted)
        deals = select(
            DealSource.campaign_id,
            func.count(),
            func.count().filter(DealSource.status == "won"),
            func.coalesce(func.sum(DealSource.revenue), 0),
            func.coalesce(func.sum(DealSource.amount).filter(DealSource.status == "won"), 0),
        ).where(
            DealSource.campaign_id.in_(ids),
            not_hidden_from(self.caller, func.concat("deal:", DealSource.deal_id)),
        )
        if since:
            deals = deals.where(func.date(DealSource.created_at) >= since)
        if until:
            deals = deals.where(func.date(DealSource.created_at) <= until)
        sums: Any = await self.session.execute(deals.group_by(DealSource.campaign_id))
        for campaign_id, total, won, revenue, won_amount in sums:
            funnel = result[campaign_id]
            funnel.deals, funnel.won = int(total), int(won)
            funnel.revenue, funnel.won_amount = Decimal(revenue), Decimal(won_amount)
        return result


async def service_state(db: Database) -> ServiceState:
    """The migration revision and the number of events not yet published."""
    async with db.readers() as session:
        revision = await session.scalar(text("SELECT version_num FROM alembic_version"))
        pending = await session.scalar(select(func.count()).select_from(OutboxRow).where(OutboxRow.sent_at.is_(None)))
    return ServiceState(schema_revision=revision or "", pending_events=int(pending or 0))


async def lead_is_visible(session: AsyncSession, caller: Caller, lead_id: str) -> bool:
    """Whether the caller may see the lead (the audit of a lead is as visible as the lead)."""
    if not is_uuid(lead_id):
        return False
    query = select(Lead.id).where(Lead.id == lead_id, visible_to(caller, Lead))
    return (await session.scalar(query)) is not None


async def campaign_is_visible(session: AsyncSession, caller: Caller, campaign_id: str) -> bool:
    """Whether the caller may see the campaign."""
    if not is_uuid(campaign_id):
        return False
    query = select(Campaign.id).where(Campaign.id == campaign_id, visible_to(caller, Campaign))
    return (await session.scalar(query)) is not None
