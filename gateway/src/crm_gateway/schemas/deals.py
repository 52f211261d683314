"""REST shapes of pipelines, deals, payments, the kanban board and the forecast (mirror crm.deals.v1).

Request shapes check shape only: types, required fields, and lengths as a
sanity bound no lower than the deals service's own limit. Every value rule
(probabilities, day counts, categories, statuses, decimals, dates, currency
codes) is the service's, answered with its code (`out_of_range`,
`not_allowed`, `too_precise`, `invalid_currency`, ...), so a value is judged
the same way through REST and through gRPC. Allowed values are in the
descriptions; see docs/deals.md for the limits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from crm_gateway.schemas.common import Out, Strict

# Sanity bounds of values the service parses (decimals, dates, codes): past any valid one.
DECIMAL = 40
DATE = 30
CODE = 64
Id = Field(None, max_length=64)


# --- pipelines ---------------------------------------------------------------------------


class StageCreate(Strict):
    name: str = Field("", max_length=300, description="The name for a language not given in name_ru / name_en")
    name_ru: str = Field("", max_length=300, description="In Russian; one of the names given serves both languages")
    name_en: str = Field("", max_length=300, description="In English")
    probability: int = Field(0, description="0-100; won stages 100 (0 is taken as 100), lost stages 0")
    category: str = Field("open", max_length=CODE, description="open, won or lost")
    time_limit_days: int | None = Field(
        None, description="Days a deal should stay at most: 1-3650; 0 or null: no limit"
    )


class StageAdd(StageCreate):
    position: int = Field(-1, description="Index among the active stages; -1 appends")


class StagePatch(Strict):
    name: str | None = Field(None, max_length=300, description="Renames in both languages")
    name_ru: str | None = Field(None, max_length=300, description="Renames in Russian only")
    name_en: str | None = Field(None, max_length=300, description="Renames in English only")
    probability: int | None = Field(None, description="0-100 for an open stage; won and lost stages keep theirs")
    time_limit_days: int | None = Field(None, description="1-3650; 0 or null removes the limit")
    archived: bool | None = None


class StageOrder(Strict):
    stage_ids: list[str] = Field(max_length=100, description="Every active stage once, in the new order")


class PipelineCreate(Strict):
    name: str = Field("", max_length=300, description="The name for a language not given in name_ru / name_en")
    name_ru: str = Field("", max_length=300, description="In Russian; one of the names given serves both languages")
    name_en: str = Field("", max_length=300, description="In English")
    stages: list[StageCreate] = Field(
        default_factory=list,
        max_length=100,
        description="In order; empty: Lead, Qualified, Proposal, Negotiation, Won, Lost (named in both languages)",
    )
    stale_days: int = Field(
        14, description="Days without activity after which an open deal is stalled: 1-3650; 0: the default, 14"
    )


class PipelinePatch(Strict):
    name: str | None = Field(None, max_length=300, description="Renames in both languages")
    name_ru: str | None = Field(None, max_length=300, description="Renames in Russian only")
    name_en: str | None = Field(None, max_length=300, description="Renames in English only")
    stale_days: int | None = Field(None, description="1-3650")
    archived: bool | None = None


class StageOut(Out):
    id: str
    name: str = Field(description="In the installation's default language (CRM_DEFAULT_LANGUAGE)")
    name_ru: str = ""
    name_en: str = ""
    position: int = 0
    probability: int = 0
    category: str
    time_limit_days: int = 0
    archived: bool = False


class PipelineOut(Out):
    id: str
    name: str = Field(description="In the installation's default language (CRM_DEFAULT_LANGUAGE)")
    name_ru: str = ""
    name_en: str = ""
    stages: list[StageOut] = []
    stale_days: int
    archived: bool = False
    version: int
    created_at: datetime


# --- reference data ------------------------------------------------------------------------


# --- deals ---------------------------------------------------------------------------------------


class DealLineIn(Strict):
    product: str | None = Field(
        None, max_length=300, description="Name; required unless product_id names a catalogue product"
    )
    product_id: str | None = Field(
        None,
        max_length=64,
        description="A catalogue product (/api/v1/products): name, article, unit, VAT rate and the base price "
        "in the deal's currency are taken from it unless given; an archived one cannot be added",
    )
    article: str | None = Field(None, max_length=100)
    unit_code: str | None = Field(None, max_length=CODE, description="OKEI code of /api/v1/units; default 796 (pcs)")
    vat_rate: str | None = Field(
        None, max_length=CODE, description="none, 0, 5, 7, 10, 20 or 22; default the product's, or none"
    )
    quantity: str = Field(max_length=DECIMAL, description="Decimal as text, > 0, up to 3 places")
    price: str | None = Field(
        None,
        max_length=DECIMAL,
        description="Unit price, decimal as text (up to 2 places), in the deal's currency; "
        "default: the product's base price",
    )
    discount_percent: str | None = Field(None, max_length=DECIMAL, description="Decimal as text, 0-100, up to 2 places")


class DealSourceIn(Strict):
    campaign_id: str | None = Id
    lead_id: str | None = Id


class DealFields(Strict):
    title: str | None = Field(None, max_length=300)
    client_id: str | None = Field(None, max_length=64, description="A party you can see (checked in contacts)")
    contact_ids: list[str] | None = Field(None, max_length=50, description="People (parties) you can see")
    owner_id: str | None = Id
    team_id: str | None = Id
    shared_with: list[str] | None = Field(None, max_length=50)
    amount: str | None = Field(
        None,
        max_length=DECIMAL,
        description='Decimal as text, e.g. "1500.00" (up to 2 places); with lines, their total',
    )
    currency: str | None = Field(None, max_length=CODE, description="ISO 4217: three capital letters; default RUB")
    lines: list[DealLineIn] | None = Field(None, max_length=200)
    vat_mode: str | None = Field(
        None,
        max_length=CODE,
        description="included (default: prices include VAT), on_top (VAT is added) or exempt (no VAT)",
    )
    expected_close_date: str | None = Field(None, max_length=DATE, description="YYYY-MM-DD")
    source: DealSourceIn | None = None
    custom_fields: dict[str, Any] | None = None


class DealCreate(DealFields):
    title: str = Field(max_length=300)
    client_id: str = Field(max_length=64, description="A party you can see (checked in contacts)")
    pipeline_id: str | None = Field(None, max_length=64, description="Default: the first active pipeline")
    stage_id: str | None = Field(None, max_length=64, description="An open stage; default: the first one")


class DealPatch(DealFields):
    """JSON merge patch: fields present are replaced (custom_fields merge by key), null clears."""


class MoveRequest(Strict):
    stage_id: str = Field(max_length=64)
    loss_reason: str | None = Field(None, max_length=63, description="Required for a lost stage")
    comment: str | None = Field(None, max_length=2000)


class DealLineOut(Out):
    product: str
    product_id: str = ""
    article: str = ""
    unit_code: str = "796"
    vat_rate: str = "none"
    quantity: str
    price: str
    discount_percent: str = "0"
    subtotal: str = ""
    total: str = ""
    vat_amount: str = Field("0.00", description="The line's VAT under the deal's vat_mode (computed)")


class VatRateTotalOut(Out):
    rate: str
    net: str
    vat: str
    gross: str


class DistanceOut(Out):
    probability: int = 0
    days_in_stage: float = 0
    time_factor: float = 1
    expected_amount: str = ""
    distance: str = ""
    stalled: bool = False
    stalled_reasons: list[str] = []


class DealOut(Out):
    id: str
    title: str
    pipeline_id: str
    stage_id: str
    stage_name: str = ""
    status: str
    client_id: str
    client_name: str = ""
    contact_ids: list[str] = []
    owner_id: str
    team_id: str = ""
    shared_with: list[str] = []
    amount: str = ""
    currency: str
    lines: list[DealLineOut] = []
    discount_amount: str = ""
    vat_mode: str = "included"
    vat_amount: str = Field("0.00", description="The lines' VAT: the sum of each line's rounded VAT")
    total_with_vat: str = Field("", description="What the client pays: amount, plus the VAT when on_top")
    vat_by_rate: list[VatRateTotalOut] = []
    expected_close_date: str = ""
    source: dict[str, str] = {}
    custom_fields: dict[str, Any] = {}
    stage_entered_at: datetime
    last_activity_at: datetime
    regressing: bool = False
    distance: DistanceOut | None = None
    closed_at: datetime | None = None
    loss_reason: str = ""
    loss_comment: str = ""
    version: int
    created_at: datetime
    updated_at: datetime
    created_by: str = ""
    next_step_at: datetime | None = Field(
        None, description="Due time of the earliest open task about the deal that you may see; null: none dated"
    )
    has_next_step: bool = Field(False, description="An open task you may see is about the deal")


class StageChangeOut(Out):
    id: str
    deal_id: str
    from_stage_id: str = ""
    from_stage_name: str = ""
    to_stage_id: str
    to_stage_name: str = ""
    moved_by: str
    moved_at: datetime
    seconds_in_previous_stage: float = 0
    regression: bool = False
    loss_reason: str = ""
    comment: str = ""


# --- the catalogue -------------------------------------------------------------------------------


class ProductPriceIn(Strict):
    price_list: str | None = Field(None, max_length=CODE, description="A price list code; default base")
    currency: str | None = Field(None, max_length=CODE, description="ISO 4217; default RUB")
    price: str = Field(max_length=DECIMAL, description="Decimal as text, >= 0, up to 2 places")


class ProductFields(Strict):
    name: str | None = Field(None, max_length=300)
    article: str | None = Field(None, max_length=100, description="SKU; unique among products on offer")
    description: str | None = Field(None, max_length=2000)
    kind: str | None = Field(None, max_length=CODE, description="product (default) or service")
    unit_code: str | None = Field(None, max_length=CODE, description="OKEI code of /api/v1/units; default 796")
    vat_rate: str | None = Field(None, max_length=CODE, description="none, 0, 5, 7, 10, 20 or 22; default 22")
    prices: list[ProductPriceIn] | None = Field(None, max_length=50, description="One per price list and currency")


class ProductCreate(ProductFields):
    name: str = Field(max_length=300)


class ProductPatch(ProductFields):
    """JSON merge patch: fields present are replaced, null clears; archived archives or restores."""

    archived: bool | None = None


class ProductPriceOut(Out):
    price_list: str
    currency: str
    price: str


class ProductOut(Out):
    id: str
    name: str
    article: str = ""
    description: str = ""
    kind: str
    unit_code: str
    vat_rate: str
    prices: list[ProductPriceOut] = []
    archived: bool = False
    version: int
    created_at: datetime
    created_by: str = ""
    updated_at: datetime
    updated_by: str = ""


# --- payments ----------------------------------------------------------------------------------------


class PaymentCreate(Strict):
    status: str = Field(max_length=CODE, description="expected or received")
    amount: str = Field(max_length=DECIMAL, description="Decimal as text, > 0, up to 2 places")
    currency: str | None = Field(None, max_length=CODE, description="Must be the deal's currency (default)")
    due_date: str | None = Field(None, max_length=DATE, description="YYYY-MM-DD; required when expected")
    received_on: str | None = Field(None, max_length=DATE, description="YYYY-MM-DD; required when received")
    note: str | None = Field(None, max_length=2000)


class PaymentReceive(Strict):
    received_on: str = Field(max_length=DATE, description="YYYY-MM-DD")
    amount: str | None = Field(
        None, max_length=DECIMAL, description="Decimal as text, > 0; default: the expected amount"
    )


class PaymentOut(Out):
    id: str
    deal_id: str
    client_id: str
    status: str
    amount: str
    currency: str
    due_date: str = ""
    received_on: str = ""
    late_days: int = 0
    note: str = ""
    created_at: datetime
    created_by: str = ""


class MoneyOut(Out):
    currency: str
    amount: str


class PaymentSummaryOut(Out):
    party_id: str
    deals: int = 0
    payments_received: int = 0
    paid_on_time: int = 0
    paid_late: int = 0
    overdue: int = 0
    average_late_days: float = 0
    max_late_days: int = 0
    received: list[MoneyOut] = []
    outstanding: list[MoneyOut] = []
    discipline: str = "unknown"
    recent: list[PaymentOut] = []


# --- kanban and forecast ---------------------------------------------------------------------------------


class KanbanCardOut(Out):
    id: str
    title: str
    client_id: str
    client_name: str = ""
    owner_id: str
    team_id: str = ""
    amount: str = ""
    currency: str
    expected_close_date: str = ""
    stage_entered_at: datetime
    regressing: bool = False
    stalled: bool = False
    expected_amount: str = ""
    version: int
    next_step_at: datetime | None = Field(None, description="As on the deal")
    has_next_step: bool = False


class KanbanSumOut(Out):
    currency: str
    amount: str
    weighted_amount: str


class KanbanColumnOut(Out):
    stage: StageOut
    count: int = 0
    sums: list[KanbanSumOut] = []
    cards: list[KanbanCardOut] = []
    next_cursor: str = Field("", description="Pass as `cursor` to .../kanban/{stage_id} for more cards")


class KanbanOut(Out):
    pipeline: PipelineOut
    columns: list[KanbanColumnOut] = []
    count: int = 0
    sums: list[KanbanSumOut] = []


class ForecastRowOut(Out):
    month: str = ""
    owner_id: str = ""
    team_id: str = ""
    currency: str
    deals: int = 0
    amount: str
    weighted_amount: str
    overdue: bool = Field(False, description="Open deals whose expected close date has passed (listed first)")


class ForecastOut(Out):
    rows: list[ForecastRowOut] = []
    totals: list[ForecastRowOut] = []
    overdue_totals: list[ForecastRowOut] = Field([], description="Per currency over the overdue rows (in totals too)")
