"""gRPC servicer of crm.deals.v1.DealsService: protobuf <-> domain, nothing more.

A change request is parsed into its typed input (inputs.py, which applies the
rules of its values), handed to a command, and the result turned back into a
message.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeAlias

import grpc

from crm.deals.v1 import deals_pb2 as pb
from crm.deals.v1 import deals_pb2_grpc
from crm_core import vat
from crm_core.auth import current_caller
from crm_core.clock import Clock
from crm_core.db import Database
from crm_core.pagination import clamp_limit
from crm_core.protojson import struct, timestamp
from crm_core.units import PIECE
from crm_deals import catalogue, catalogue_inputs, dashboard, domain, inputs, payments, pipeline_inputs, plans
from crm_deals.catalogue import Catalogue, ProductQuery, ProductRef
from crm_deals.commands import Deals
from crm_deals.models import Payment, Pipeline, Product, Stage
from crm_deals.reference import Reference
from crm_deals.repository import Column, DealQuery, DealsRepository, DealView, Sums

Context: TypeAlias = grpc.aio.ServicerContext
KANBAN_CARDS = 20


def stage_message(stage: Stage) -> pb.Stage:
    return pb.Stage(
        id=stage.id,
        name=stage.name,
        name_ru=stage.name_ru,
        name_en=stage.name_en,
        position=stage.position,
        probability=stage.probability,
        category=stage.category,
        time_limit_days=stage.time_limit_days or 0,
        archived=stage.archived,
    )


def pipeline_message(pipeline: Pipeline, stages: list[Stage]) -> pb.Pipeline:
    return pb.Pipeline(
        id=pipeline.id,
        name=pipeline.name,
        name_ru=pipeline.name_ru,
        name_en=pipeline.name_en,
        stages=[stage_message(s) for s in stages if s.pipeline_id == pipeline.id],
        stale_days=pipeline.stale_days,
        archived=pipeline.archived,
        version=pipeline.version,
        created_at=timestamp(pipeline.created_at),
    )


def _date(value: date | None) -> str:
    return value.isoformat() if value else ""


def line_messages(lines: list[dict[str, Any]], totals: vat.VatTotals) -> list[pb.DealLine]:
    """Stored lines with their computed VAT (lines stored before VAT: rate none, unit 796)."""
    return [
        pb.DealLine(
            product=line["product"],
            quantity=line["quantity"],
            price=line["price"],
            discount_percent=line["discount_percent"],
            subtotal=line["subtotal"],
            total=line["total"],
            product_id=line.get("product_id") or "",
            article=line.get("article") or "",
            unit_code=line.get("unit_code") or PIECE,
            vat_rate=line.get("vat_rate") or vat.NO_VAT,
            vat_amount=domain.money_text(computed.vat),
        )
        for line, computed in zip(lines, totals.lines, strict=True)
    ]


def deal_message(view: DealView, clock: Clock) -> pb.Deal:
    deal, stage = view.deal, view.stage
    totals = domain.deal_vat(deal.lines or [], deal.vat_mode)
    message = pb.Deal(
        id=deal.id,
        title=deal.title,
        pipeline_id=deal.pipeline_id,
        stage_id=deal.stage_id,
        stage_name=stage.name,
        status=deal.status,
        client_id=deal.client_id,
        client_name=view.client_name,
        contact_ids=deal.contact_ids,
        owner_id=deal.owner_id,
        team_id=deal.team_id or "",
        shared_with=deal.shared_with,
        amount=domain.money_text(deal.amount),
        currency=deal.currency,
        lines=line_messages(deal.lines or [], totals),
        vat_mode=totals.mode,
        vat_amount=domain.money_text(totals.vat),
        total_with_vat=domain.money_text(domain.total_with_vat(deal.amount, totals)),
        vat_by_rate=[
            pb.VatRateTotal(
                rate=r.rate,
                net=domain.money_text(r.net),
                vat=domain.money_text(r.vat),
                gross=domain.money_text(r.gross),
            )
            for r in totals.by_rate
        ],
        discount_amount=domain.money_text(deal.discount_amount),
        expected_close_date=_date(deal.expected_close_date),
        source=pb.DealSource(campaign_id=deal.source_campaign_id or "", lead_id=deal.source_lead_id or ""),
        custom_fields=struct(deal.custom_fields),
        stage_entered_at=timestamp(deal.stage_entered_at),
        last_activity_at=timestamp(deal.last_activity_at),
        regressing=deal.regressing,
        loss_reason=deal.loss_reason or "",
        loss_comment=deal.loss_comment or "",
        version=deal.version,
        created_at=timestamp(deal.created_at),
        updated_at=timestamp(deal.updated_at),
        created_by=deal.created_by,
    )
    if deal.closed_at:
        message.closed_at.CopyFrom(timestamp(deal.closed_at))
    if view.next_step_at is not None:
        message.next_step_at.CopyFrom(timestamp(view.next_step_at))
    message.has_next_step = view.has_next_step
    if deal.status == "open":
        d = domain.distance_to_money(
            amount=deal.amount,
            probability=stage.probability,
            stage_entered_at=deal.stage_entered_at,
            time_limit_days=stage.time_limit_days,
            last_activity_at=deal.last_activity_at,
            stale_days=view.stale_days,
            now=clock.now(),
        )
        message.distance.CopyFrom(
            pb.DistanceToMoney(
                probability=d.probability,
                days_in_stage=d.days_in_stage,
                time_factor=float(d.time_factor),
                expected_amount=domain.money_text(d.expected_amount),
                distance=domain.money_text(d.distance),
                stalled=d.stalled,
                stalled_reasons=d.stalled_reasons,
            )
        )
    return message


def product_message(product: Product) -> pb.Product:
    return pb.Product(
        id=product.id,
        name=product.name,
        article=product.article or "",
        description=product.description,
        kind=product.kind,
        unit_code=product.unit_code,
        vat_rate=product.vat_rate,
        prices=[pb.ProductPrice(**price) for price in product.prices or []],
        archived=product.archived,
        version=product.version,
        created_at=timestamp(product.created_at),
        created_by=product.created_by,
        updated_at=timestamp(product.updated_at),
        updated_by=product.updated_by,
    )


def card_message(row: Any) -> pb.KanbanCard:
    card = pb.KanbanCard(
        id=row.id,
        title=row.title,
        client_id=row.client_id,
        client_name=row.client_name,
        owner_id=row.owner_id,
        team_id=row.team_id or "",
        amount=domain.money_text(row.amount),
        currency=row.currency,
        expected_close_date=_date(row.expected_close_date),
        stage_entered_at=timestamp(row.stage_entered_at),
        regressing=row.regressing,
        stalled=bool(row.stalled),
        expected_amount=domain.money_text(row.expected_amount),
        version=row.version,
        has_next_step=bool(row.has_next_step),
    )
    if row.next_step_at is not None:
        card.next_step_at.CopyFrom(timestamp(row.next_step_at))
    return card


def sums_messages(sums: Sums) -> list[pb.KanbanSum]:
    return [
        pb.KanbanSum(currency=currency, amount=domain.money_text(amount), weighted_amount=domain.money_text(weighted))
        for currency, (amount, weighted) in sorted(sums.by_currency.items())
    ]


def column_message(column: Column) -> pb.KanbanColumn:
    return pb.KanbanColumn(
        stage=stage_message(column.stage),
        count=column.sums.count,
        sums=sums_messages(column.sums),
        cards=[card_message(row) for row in column.cards],
        next_cursor=column.next_cursor,
    )


def payment_message(payment: Payment, today: date) -> pb.Payment:
    return pb.Payment(
        id=payment.id,
        deal_id=payment.deal_id,
        client_id=payment.client_id,
        status=payment.status,
        amount=domain.money_text(payment.amount),
        currency=payment.currency,
        due_date=_date(payment.due_date),
        received_on=_date(payment.received_on),
        late_days=payments.late_days(payment.due_date, payment.received_on, today),
        note=payment.note,
        created_at=timestamp(payment.created_at),
        created_by=payment.created_by,
    )


def _filters(items: Any) -> list[tuple[str, str, str]]:
    return [(f.field, f.op, f.value) for f in items]


class DealsServicer(deals_pb2_grpc.DealsServiceServicer):
    """Every method reads the caller from context; access rules live in the repository."""

    def __init__(
        self,
        db: Database,
        deals: Deals,
        reference: Reference,
        clock: Clock,
        sales_plans: plans.SalesPlans,
        products: Catalogue | None = None,
    ) -> None:
        self.products = products or Catalogue(db, clock)
        self.db = db
        self.deals = deals
        self.reference = reference
        self.clock = clock
        self.sales_plans = sales_plans

    def _repo(self, session: Any) -> DealsRepository:
        return DealsRepository(session, current_caller(), self.clock.now())

    async def _pipeline(self, pipeline: Pipeline) -> pb.Pipeline:
        async with self.db.readers() as session:
            return pipeline_message(pipeline, await self._repo(session).stages_of(pipeline.id))

    async def _deal(self, deal_id: str) -> pb.Deal:
        async with self.db.readers() as session:
            repo = self._repo(session)
            return deal_message(await repo.view(await repo.get_deal(deal_id)), self.clock)

    # Pipelines -------------------------------------------------------------------

    async def ListPipelines(self, request: pb.ListPipelinesRequest, context: Context) -> pb.ListPipelinesResponse:
        """Pipelines with their stages (archived ones when asked)."""
        async with self.db.readers() as session:
            repo = self._repo(session)
            pipelines = await repo.pipelines(request.include_archived)
            stages = await repo.stages_of(*[p.id for p in pipelines]) if pipelines else []
            return pb.ListPipelinesResponse(pipelines=[pipeline_message(p, stages) for p in pipelines])

    async def GetPipeline(self, request: pb.GetPipelineRequest, context: Context) -> pb.Pipeline:
        """A pipeline with its stages in order."""
        async with self.db.readers() as session:
            repo = self._repo(session)
            pipeline = await repo.get_pipeline(request.id)
            return pipeline_message(pipeline, await repo.stages_of(pipeline.id))

    async def CreatePipeline(self, request: pb.CreatePipelineRequest, context: Context) -> pb.Pipeline:
        """Create a pipeline (admin); default stages when none are given."""
        pipeline = await self.reference.create_pipeline(current_caller(), pipeline_inputs.parse_pipeline_draft(request))
        return await self._pipeline(pipeline)

    async def UpdatePipeline(self, request: pb.UpdatePipelineRequest, context: Context) -> pb.Pipeline:
        """Rename, archive or set stale_days (admin)."""
        pipeline = await self.reference.update_pipeline(
            current_caller(),
            request.pipeline.id,
            pipeline_inputs.parse_pipeline_changes(request),
            request.expected_version,
        )
        return await self._pipeline(pipeline)

    async def AddStage(self, request: pb.AddStageRequest, context: Context) -> pb.Pipeline:
        """Insert a stage (admin)."""
        pipeline = await self.reference.add_stage(
            current_caller(),
            request.pipeline_id,
            pipeline_inputs.parse_stage_draft(request.stage),
            request.position,
            request.expected_version,
        )
        return await self._pipeline(pipeline)

    async def UpdateStage(self, request: pb.UpdateStageRequest, context: Context) -> pb.Pipeline:
        """Rename, re-probabilise, re-limit or archive a stage (admin)."""
        pipeline = await self.reference.update_stage(
            current_caller(),
            request.pipeline_id,
            request.stage.id,
            pipeline_inputs.parse_stage_changes(request),
            request.expected_version,
        )
        return await self._pipeline(pipeline)

    async def ReorderStages(self, request: pb.ReorderStagesRequest, context: Context) -> pb.Pipeline:
        """Order the active stages (admin)."""
        pipeline = await self.reference.reorder_stages(
            current_caller(), request.pipeline_id, list(request.stage_ids), request.expected_version
        )
        return await self._pipeline(pipeline)

    # Deals ---------------------------------------------------------------------------

    async def _products_of(self, lines: Any) -> dict[str, ProductRef]:
        """The catalogue products lines name (what they leave out comes from there)."""
        ids = inputs.product_ids(lines)
        if not ids:
            return {}
        async with self.db.readers() as session:
            return await catalogue.products_by_id(session, ids)

    async def CreateDeal(self, request: pb.CreateDealRequest, context: Context) -> pb.Deal:
        """Open a deal; pipeline and stage default to the first active ones."""
        draft = inputs.parse_deal_draft(request.deal, await self._products_of(request.deal.lines))
        deal = await self.deals.create_deal(current_caller(), draft)
        return await self._deal(deal.id)

    async def GetDeal(self, request: pb.GetDealRequest, context: Context) -> pb.Deal:
        """A visible deal with its distance to money."""
        return await self._deal(request.id)

    async def UpdateDeal(self, request: pb.UpdateDealRequest, context: Context) -> pb.Deal:
        """Replace the fields named in update_mask, checking expected_version."""
        changes = inputs.parse_deal_changes(
            request.deal, request.update_mask.paths, await self._products_of(request.deal.lines)
        )
        deal = await self.deals.update_deal(current_caller(), request.deal.id, changes, request.expected_version)
        return await self._deal(deal.id)

    async def MoveDealStage(self, request: pb.MoveDealStageRequest, context: Context) -> pb.Deal:
        """Move a deal to another stage of its pipeline, recording the move."""
        deal = await self.deals.move_deal_stage(current_caller(), inputs.parse_stage_move(request))
        return await self._deal(deal.id)

    async def ListDeals(self, request: pb.ListDealsRequest, context: Context) -> pb.ListDealsResponse:
        """Visible deals matching the query and filters, by cursor."""
        limit = clamp_limit(request.limit)
        async with self.db.readers() as session:
            page = await self._repo(session).list_deals(
                DealQuery(request.query, _filters(request.filters), request.sort), limit, request.cursor
            )
            return pb.ListDealsResponse(
                deals=[deal_message(v, self.clock) for v in page.items], next_cursor=page.next_cursor
            )

    async def ListStageHistory(
        self, request: pb.ListStageHistoryRequest, context: Context
    ) -> pb.ListStageHistoryResponse:
        """Every move of a visible deal, oldest first, with stage names."""
        async with self.db.readers() as session:
            repo = self._repo(session)
            deal = await repo.get_deal(request.deal_id)
            names = {s.id: s.name for s in await repo.stages_of(deal.pipeline_id)}
            return pb.ListStageHistoryResponse(
                changes=[
                    pb.StageChange(
                        id=str(c.id),
                        deal_id=c.deal_id,
                        from_stage_id=c.from_stage_id or "",
                        from_stage_name=names.get(c.from_stage_id or "", ""),
                        to_stage_id=c.to_stage_id,
                        to_stage_name=names.get(c.to_stage_id, ""),
                        moved_by=c.moved_by,
                        moved_at=timestamp(c.moved_at),
                        seconds_in_previous_stage=c.seconds_in_previous_stage,
                        regression=c.regression,
                        loss_reason=c.loss_reason or "",
                        comment=c.comment or "",
                    )
                    for c in await repo.stage_history(deal)
                ]
            )

    # Payments ----------------------------------------------------------------------------

    async def AddPayment(self, request: pb.AddPaymentRequest, context: Context) -> pb.Payment:
        """Add an expected or a received payment to a visible deal."""
        payment = await self.deals.add_payment(current_caller(), request.deal_id, inputs.parse_payment_draft(request))
        return payment_message(payment, self.clock.today())

    async def ReceivePayment(self, request: pb.ReceivePaymentRequest, context: Context) -> pb.Payment:
        """Mark an expected payment as received."""
        payment = await self.deals.receive_payment(
            current_caller(), request.deal_id, request.payment_id, inputs.parse_payment_receipt(request)
        )
        return payment_message(payment, self.clock.today())

    async def ListPayments(self, request: pb.ListPaymentsRequest, context: Context) -> pb.ListPaymentsResponse:
        """Payments of a visible deal, oldest first."""
        async with self.db.readers() as session:
            repo = self._repo(session)
            deal = await repo.get_deal(request.deal_id)
            today = self.clock.today()
            return pb.ListPaymentsResponse(payments=[payment_message(p, today) for p in await repo.payments(deal.id)])

    async def GetPartyPaymentSummary(
        self, request: pb.GetPartyPaymentSummaryRequest, context: Context
    ) -> pb.PartyPaymentSummary:
        """Payment history and discipline of a party over the visible deals where it is the client."""
        today = self.clock.today()
        async with self.db.readers() as session:
            deals, rows = await self._repo(session).party_payments(request.party_id)
        summary = payments.payment_summary(rows, today)
        received = [p for p in rows if p.status == "received"]
        received.sort(key=lambda p: (p.received_on or date.min, p.created_at), reverse=True)
        return pb.PartyPaymentSummary(
            party_id=request.party_id,
            deals=deals,
            payments_received=summary.received_count,
            paid_on_time=summary.on_time,
            paid_late=summary.late,
            overdue=summary.overdue,
            average_late_days=summary.average_late_days,
            max_late_days=summary.max_late_days,
            received=[pb.MoneyAmount(currency=c, amount=domain.money_text(a)) for c, a in summary.received.items()],
            outstanding=[
                pb.MoneyAmount(currency=c, amount=domain.money_text(a)) for c, a in summary.outstanding.items()
            ],
            discipline=summary.discipline,
            recent=[payment_message(p, today) for p in received[:20]],
        )

    # Kanban and forecast -------------------------------------------------------------------

    async def GetKanban(self, request: pb.GetKanbanRequest, context: Context) -> pb.Kanban:
        """Columns of a pipeline with counts and sums over every visible matching deal, and their first cards."""
        limit = clamp_limit(request.limit or KANBAN_CARDS)
        async with self.db.readers() as session:
            pipeline, stages, columns, total = await self._repo(session).kanban(
                request.pipeline_id,
                DealQuery(request.query, _filters(request.filters), request.sort),
                limit,
                stage_id=request.stage_id,
                cursor=request.cursor,
                include_closed=request.include_closed,
            )
        return pb.Kanban(
            pipeline=pipeline_message(pipeline, stages),
            columns=[column_message(c) for c in columns],
            count=total.count,
            sums=sums_messages(total),
        )

    async def GetForecast(self, request: pb.GetForecastRequest, context: Context) -> pb.Forecast:
        """Weighted pipeline of visible open deals per month, owner and/or team."""
        groups = domain.forecast_groups(list(request.group_by))
        first = domain.month_start(request.from_month, "from_month")
        last = domain.month_start(request.to_month, "to_month")
        async with self.db.readers() as session:
            rows = await self._repo(session).forecast(
                request.pipeline_id, groups, first, last, DealQuery("", _filters(request.filters))
            )
        return pb.Forecast(
            rows=[
                pb.ForecastRow(
                    month=row["month"],
                    owner_id=row["owner_id"],
                    team_id=row["team_id"],
                    currency=row["currency"],
                    deals=row["deals"],
                    amount=domain.money_text(row["amount"]),
                    weighted_amount=domain.money_text(row["weighted"]),
                    overdue=row["overdue"],
                )
                for row in rows
            ],
            totals=_totals(domain.forecast_totals(rows)),
            overdue_totals=_totals(domain.forecast_totals([r for r in rows if r["overdue"]]), overdue=True),
        )

    # Sales plans and the dashboard -------------------------------------------------

    async def ListSalesPlans(self, request: pb.ListSalesPlansRequest, context: Context) -> pb.ListSalesPlansResponse:
        """Plans of the months asked for that the caller may see, by month, team and user."""
        first = domain.month_start(request.from_month, "from_month")
        last = domain.month_start(request.to_month, "to_month")
        async with self.db.readers() as session:
            found = await plans.list_plans(
                session, current_caller(), first, last, request.team_id.strip(), request.user_id.strip()
            )
        return pb.ListSalesPlansResponse(plans=[plans.plan_message(p) for p in found])

    async def PutSalesPlan(self, request: pb.PutSalesPlanRequest, context: Context) -> pb.SalesPlan:
        """Set a month's plan of a user or team: admins any, managers their teams' (PERMISSION_DENIED)."""
        plan = await self.sales_plans.put(current_caller(), plans.parse_plan(request))
        return plans.plan_message(plan)

    async def DeleteSalesPlan(self, request: pb.DeleteSalesPlanRequest, context: Context) -> pb.SalesPlan:
        """Remove a plan (NOT_FOUND when hidden from the caller); returns what was removed."""
        return plans.plan_message(await self.sales_plans.delete(current_caller(), request.id))

    async def GetSalesDashboard(self, request: pb.GetSalesDashboardRequest, context: Context) -> pb.SalesDashboard:
        """Won against plan, pipeline, forecast against fact, overdue payments and deals without a next step."""
        today = self.clock.now().date()
        query = dashboard.parse_dashboard_query(request, today)
        async with self.db.readers() as session:
            return await dashboard.Dashboard(session, current_caller(), today).build(query)

    # The catalogue ---------------------------------------------------------------------

    async def CreateProduct(self, request: pb.CreateProductRequest, context: Context) -> pb.Product:
        """Add a product or service to the catalogue (admins and catalog managers)."""
        values = catalogue_inputs.parse_product(request.product)
        return product_message(await self.products.create_product(current_caller(), values))

    async def GetProduct(self, request: pb.GetProductRequest, context: Context) -> pb.Product:
        """A product of the catalogue, archived ones too."""
        async with self.db.readers() as session:
            return product_message(await catalogue.get_product(session, request.id))

    async def UpdateProduct(self, request: pb.UpdateProductRequest, context: Context) -> pb.Product:
        """Replace the fields named in update_mask, archived too (admins and catalog managers)."""
        changes = catalogue_inputs.parse_product_changes(request.product, request.update_mask.paths)
        product = await self.products.update_product(
            current_caller(), request.product.id, changes, request.expected_version
        )
        return product_message(product)

    async def ListProducts(self, request: pb.ListProductsRequest, context: Context) -> pb.ListProductsResponse:
        """Products by name, by cursor; a name or article prefix, a kind, archived ones when asked."""
        limit = clamp_limit(request.limit)
        query = ProductQuery(request.query, request.kind, request.include_archived)
        async with self.db.readers() as session:
            page = await catalogue.list_products(session, query, limit, request.cursor)
        return pb.ListProductsResponse(products=[product_message(p) for p in page.items], next_cursor=page.next_cursor)


def _totals(totals: list[dict[str, Any]], *, overdue: bool = False) -> list[pb.ForecastRow]:
    return [
        pb.ForecastRow(
            currency=t["currency"],
            deals=t["deals"],
            amount=domain.money_text(t["amount"]),
            weighted_amount=domain.money_text(t["weighted"]),
            overdue=overdue,
        )
        for t in totals
    ]
