"""Queries on the deals database, always within what the caller may see.

Every read of deals (get, list, kanban counts and sums, forecast, payment
summary) goes through `visible()`, so a hidden deal is never returned,
counted or summed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.acl import visible_to
from crm_core.auth import Caller
from crm_core.db import is_uuid
from crm_core.errors import invalid
from crm_core.pagination import Page, SqlValue
from crm_core.resources import get_visible, keyset_page
from crm_core.scopes import not_hidden_from
from crm_deals import domain, next_steps, search
from crm_deals.models import Deal, DealCustomField, Payment, Pipeline, Stage, StageChange


@dataclass
class DealQuery:
    """A search: text, filters as (field, op, value), sort."""

    query: str = ""
    filters: Sequence[tuple[str, str, str]] = ()
    sort: str = ""


@dataclass
class DealView:
    """A deal with what its message needs from its stage and pipeline."""

    deal: Deal
    stage: Stage
    stale_days: int
    # The client's name as the caller may see it ("" when the client is hidden from them).
    client_name: str
    # The deal's next step as the caller may see it (crm_deals.next_steps).
    next_step_at: datetime | None = None
    has_next_step: bool = False


@dataclass
class Sums:
    """Count and per-currency sums of a set of deals."""

    count: int = 0
    # currency -> (amount, weighted amount)
    by_currency: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)

    def add(self, currency: str, count: int, amount: Decimal, weighted: Decimal) -> None:
        self.count += count
        old_amount, old_weighted = self.by_currency.get(currency, (Decimal(0), Decimal(0)))
        self.by_currency[currency] = (old_amount + amount, old_weighted + weighted)


@dataclass
class Column:
    stage: Stage
    sums: Sums
    cards: list[Any]
    next_cursor: str


# Columns of a kanban card (light rows instead of whole deals: a board shows many), besides the client's name.
CARD_COLUMNS = (
    Deal.id,
    Deal.title,
    Deal.client_id,
    Deal.owner_id,
    Deal.team_id,
    Deal.amount,
    Deal.currency,
    Deal.expected_close_date,
    Deal.stage_entered_at,
    Deal.regressing,
    Deal.version,
    Deal.stage_id,
)


class DealsRepository:
    """Reads of one unit of work, filtered by the caller's access, at the clock's `now`."""

    def __init__(self, session: AsyncSession, caller: Caller, now: datetime) -> None:
        self.session = session
        self.caller = caller
        self.now = now
        self._custom_types: dict[str, str] | None = None

    def visible(self) -> ColumnElement[bool]:
        return visible_to(self.caller, Deal)

    def client_seen(self) -> ColumnElement[bool]:
        """Whether the caller may see the deal's client: its name is a copy of the client's data (crm_core.scopes)."""
        return not_hidden_from(self.caller, func.concat("party:", Deal.client_id))

    def next_step_columns(self) -> tuple[Any, Any]:
        """The deal's next step as the caller may see it: its due time and whether there is one."""
        return (
            next_steps.next_step_at(self.caller).label("next_step_at"),
            next_steps.has_next_step(self.caller).label("has_next_step"),
        )

    def client_name(self) -> Any:
        """The client's name, or "" where the client is hidden from the caller."""
        return case((self.client_seen(), Deal.client_name), else_=literal("")).label("client_name")

    # Deals -----------------------------------------------------------------

    async def get_deal(self, deal_id: str, *, lock: bool = False) -> Deal:
        """A deal the caller may see, or NotFound (also for ids that are not UUIDs)."""
        return await get_visible(self.session, Deal, "deal", deal_id, self.visible(), lock=lock)

    async def view(self, deal: Deal) -> DealView:
        row = (
            await self.session.execute(
                select(Stage, Pipeline.stale_days, self.client_name(), *self.next_step_columns())
                .join(Pipeline, Pipeline.id == Stage.pipeline_id)
                .join(Deal, Deal.id == deal.id)
                .where(Stage.id == deal.stage_id)
            )
        ).one()
        return DealView(deal, row[0], row[1], row[2], row[3], bool(row[4]))

    async def _conditions(self, q: DealQuery) -> list[ColumnElement[bool]]:
        clauses = [self.visible()]
        if q.query.strip():
            if len(q.query) > 200:
                raise invalid("query", "too_long", "query must be at most 200 characters")
            clauses.append(search.query_condition(q.query, self.client_seen()))
        if self._custom_types is None and any(f.startswith("cf.") for f, _, _ in q.filters):
            self._custom_types = await self.custom_field_types()
        # has_next_step depends on who asks (the tasks they may see): the only filter that needs the caller.
        own = [(i, f) for i, f in enumerate(q.filters) if f[0] == "has_next_step"]
        for i, (_, op, value) in own:
            clauses.append(self._next_step_filter(op, value, f"filters[{i}]"))
        rest = [f for f in q.filters if f[0] != "has_next_step"]
        return clauses + search.filter_conditions(rest, self.now, self._custom_types or {})

    def _next_step_filter(self, op: str, value: str, where: str) -> ColumnElement[bool]:
        if op != "eq" or value not in ("true", "false"):
            raise invalid(where, "invalid_filter_value", f"{where}: has_next_step takes eq:true or eq:false")
        has = next_steps.has_next_step(self.caller)
        return has if value == "true" else and_(Deal.status == "open", ~has)

    async def _base(self, q: DealQuery, *columns: Any, join: bool = True) -> Select:
        """Select `columns` of the visible deals matching `q`; stage and pipeline joined unless not needed."""
        if join or search.needs_stage(q.filters):
            return _joined(*columns).where(*await self._conditions(q))
        return select(*columns).select_from(Deal).where(*await self._conditions(q))

    async def list_deals(self, q: DealQuery, limit: int, cursor: str) -> Page[DealView]:
        order = search.SORT.parse(q.sort).order(self.now)
        query = await self._base(q, Deal, Stage, Pipeline.stale_days, self.client_name(), *self.next_step_columns())
        page = await keyset_page(self.session, query, order, limit, cursor)
        return Page(
            [DealView(d, s, days, name, at, bool(has)) for d, s, days, name, at, has in page.items], page.next_cursor
        )

    # Kanban ----------------------------------------------------------------

    async def kanban(
        self,
        pipeline_id: str,
        q: DealQuery,
        limit: int,
        *,
        stage_id: str = "",
        cursor: str = "",
        include_closed: bool = False,
    ) -> tuple[Pipeline, list[Stage], list[Column], Sums]:
        """Columns of a pipeline: counts and sums over every visible matching deal, first cards of each.

        One GROUP BY gives the counts and sums; the cards come from one UNION
        ALL of per-stage queries, each reading its stage's deals in card order
        and stopping after `limit + 1` (an index scan per column, however
        many deals the pipeline holds).
        """
        pipeline = await self.get_pipeline(pipeline_id)
        stages = await self.stages_of(pipeline.id)
        sums_by_stage = await self._stage_sums(pipeline.id, q, include_closed, stages)
        shown = [
            s for s in stages if (s.category == "open" or include_closed) and (not s.archived or s.id in sums_by_stage)
        ]
        if stage_id:
            shown = [s for s in shown if s.id == stage_id]
            if not shown:
                raise invalid("stage_id", "unknown_stage", f"no column {stage_id} on this board")
        elif cursor:
            raise invalid("cursor", "invalid_cursor", "a column cursor goes with the column's stage_id")
        sort = search.SORT.parse(q.sort)
        orders = {stage.id: sort.order(self.now, f"kanban:{stage.id}") for stage in shown}
        values = search.computed(self.now)
        conditions = await self._conditions(q)
        parts: list[Select] = []
        for stage in shown:
            order = orders[stage.id]
            rank = func.row_number().over(order_by=order.order_by()).label("rank")
            part = _joined(
                *CARD_COLUMNS,
                self.client_name(),
                values.stalled.label("stalled"),
                values.expected_amount.label("expected_amount"),
                *self.next_step_columns(),
            )
            part = part.where(*conditions, Deal.stage_id == stage.id).add_columns(rank)
            parts.append(order.select(part, cursor, limit))
        rows_by_stage: dict[str, list[Any]] = {s.id: [] for s in shown}
        if parts:
            compound = union_all(*[p.subquery().select() for p in parts]) if len(parts) > 1 else parts[0]
            for row in (await self.session.execute(compound)).all():
                rows_by_stage[row.stage_id].append(row)
        columns = []
        for stage in shown:
            # A UNION ALL does not promise to keep its parts' order: the rank restores it.
            rows = sorted(rows_by_stage[stage.id], key=lambda row: row.rank)
            page = orders[stage.id].page(rows, limit)
            columns.append(Column(stage, sums_by_stage.get(stage.id, Sums()), page.items, page.next_cursor))
        total = Sums()
        for sums in sums_by_stage.values():
            for currency, (amount, weighted) in sums.by_currency.items():
                total.add(currency, 0, amount, weighted)
            total.count += sums.count
        return pipeline, stages, columns, total

    async def _stage_sums(
        self, pipeline_id: str, q: DealQuery, include_closed: bool, stages: list[Stage]
    ) -> dict[str, Sums]:
        """Count, amount and weighted amount per stage and currency of the visible matching deals.

        Amounts are summed per stage first and weighted once by the stage's
        probability (domain.weighted): one multiplication per column, not per deal.
        """
        query = (
            await self._base(
                q, Deal.stage_id, Deal.currency, func.count(), func.coalesce(func.sum(Deal.amount), 0), join=False
            )
        ).where(Deal.pipeline_id == pipeline_id)
        if not include_closed:
            query = query.where(Deal.status == "open")
        probabilities = {s.id: s.probability for s in stages}
        result: dict[str, Sums] = {}
        for stage_id, currency, count, amount in (
            await self.session.execute(query.group_by(Deal.stage_id, Deal.currency))
        ).all():
            weighted = domain.weighted(Decimal(amount), probabilities[stage_id])
            result.setdefault(stage_id, Sums()).add(currency, int(count), Decimal(amount), weighted)
        return result

    # Forecast ----------------------------------------------------------------

    async def forecast(
        self, pipeline_id: str, groups: list[str], first: date | None, last: date | None, q: DealQuery
    ) -> list[dict[str, Any]]:
        """Open deals' amount and weighted amount per (month, owner, team) asked for, per currency.

        Summed per stage in SQL and weighted per stage (as on the board), then
        added up per group here. Open deals whose expected close date has passed
        are rows of their own (`overdue`): money that was due and did not come is
        not this month's forecast.
        """
        month = func.to_char(Deal.expected_close_date, "YYYY-MM")
        dims: dict[str, SqlValue] = {"month": month, "owner": Deal.owner_id, "team": Deal.team_id}
        overdue = func.coalesce(Deal.expected_close_date < self.now.date(), False).label("overdue")
        chosen = [dims[g].label(g) for g in groups] + [overdue]
        query = (
            await self._base(
                q,
                *chosen,
                Deal.currency,
                Stage.probability,
                func.count().label("deals"),
                func.coalesce(func.sum(Deal.amount), 0).label("amount"),
            )
        ).where(Deal.status == "open")
        if pipeline_id:
            query = query.where(Deal.pipeline_id == (await self.get_pipeline(pipeline_id)).id)
        if first is not None:
            query = query.where(Deal.expected_close_date >= first)
        if last is not None:
            query = query.where(Deal.expected_close_date < domain.next_month(last))
        group_columns = [*chosen, Deal.currency]
        rows = await self.session.execute(query.group_by(*group_columns, Deal.stage_id, Stage.probability))
        result: dict[tuple[str, ...], dict[str, Any]] = {}
        for row in rows.all():
            key = (not row.overdue, *(getattr(row, g) or "" for g in groups), row.currency)
            entry = result.setdefault(
                key,
                {
                    "overdue": bool(row.overdue),
                    "month": getattr(row, "month", None) or "",
                    "owner_id": getattr(row, "owner", None) or "",
                    "team_id": getattr(row, "team", None) or "",
                    "currency": row.currency,
                    "deals": 0,
                    "amount": Decimal(0),
                    "weighted": Decimal(0),
                },
            )
            entry["deals"] += int(row.deals)
            entry["amount"] += Decimal(row.amount)
            entry["weighted"] += domain.weighted(Decimal(row.amount), row.probability)
        return [result[key] for key in sorted(result)]

    # History, payments -------------------------------------------------------

    async def stage_history(self, deal: Deal) -> list[StageChange]:
        query = select(StageChange).where(StageChange.deal_id == deal.id).order_by(StageChange.id)
        return list((await self.session.scalars(query)).all())

    async def payments(self, deal_id: str) -> list[Payment]:
        query = select(Payment).where(Payment.deal_id == deal_id).order_by(Payment.created_at, Payment.id)
        return list((await self.session.scalars(query)).all())

    async def get_payment(self, deal: Deal, payment_id: str, *, lock: bool = False) -> Payment:
        return await get_visible(self.session, Payment, "payment", payment_id, Payment.deal_id == deal.id, lock=lock)

    async def party_payments(self, party_id: str) -> tuple[int, list[Payment]]:
        """Visible deals where the party is the client, and their payments."""
        deals = select(Deal.id).where(Deal.client_id == party_id, self.visible())
        count = int(await self.session.scalar(select(func.count()).select_from(deals.subquery())) or 0)
        payments = await self.session.scalars(
            select(Payment).where(Payment.deal_id.in_(deals)).order_by(Payment.created_at.desc(), Payment.id)
        )
        return count, list(payments.all())

    # Pipelines and reference data ---------------------------------------------

    async def pipelines(self, include_archived: bool) -> list[Pipeline]:
        query = select(Pipeline)
        if not include_archived:
            query = query.where(Pipeline.archived.is_(False))
        return list((await self.session.scalars(query.order_by(Pipeline.created_at, Pipeline.id))).all())

    async def get_pipeline(self, pipeline_id: str, *, lock: bool = False) -> Pipeline:
        return await get_visible(self.session, Pipeline, "pipeline", pipeline_id, lock=lock)

    async def default_pipeline(self) -> Pipeline:
        pipelines = await self.pipelines(include_archived=False)
        if not pipelines:
            raise invalid("pipeline_id", "required", "there is no active pipeline: name one")
        return pipelines[0]

    async def stages_of(self, *pipeline_ids: str) -> list[Stage]:
        """Stages in board order: active ones by position, then archived ones."""
        query = (
            select(Stage)
            .where(Stage.pipeline_id.in_(pipeline_ids))
            .order_by(Stage.pipeline_id, Stage.archived, Stage.position, Stage.id)
        )
        return list((await self.session.scalars(query)).all())

    async def get_stage(self, stage_id: str) -> Stage | None:
        return await self.session.get(Stage, stage_id) if is_uuid(stage_id) else None

    async def custom_field_defs(self, include_archived: bool = True) -> list[DealCustomField]:
        query = select(DealCustomField)
        if not include_archived:
            query = query.where(DealCustomField.archived.is_(False))
        return list((await self.session.scalars(query.order_by(DealCustomField.key))).all())

    async def custom_field_rules(self) -> dict[str, dict[str, Any]]:
        """Definitions by key, as crm_core.custom_fields.validate_values takes them."""
        return {
            d.key: {"type": d.type, "options": list(d.options), "required": d.required, "archived": d.archived}
            for d in await self.custom_field_defs()
        }

    async def custom_field_types(self) -> dict[str, str]:
        return {d.key: d.type for d in await self.custom_field_defs()}


def _joined(*columns: Any) -> Select:
    """A select of `columns` over deals joined with their stage and pipeline (computed values need both)."""
    return (
        select(*columns)
        .select_from(Deal)
        .join(Stage, Stage.id == Deal.stage_id)
        .join(Pipeline, Pipeline.id == Deal.pipeline_id)
    )


async def deal_is_visible(session: AsyncSession, caller: Caller, deal_id: str) -> bool:
    """Whether the caller may see the deal (the audit of any other deal is NOT_FOUND)."""
    if not is_uuid(deal_id):
        return False
    return await session.scalar(select(Deal.id).where(Deal.id == deal_id, visible_to(caller, Deal))) is not None
