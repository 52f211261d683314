"""Tables of the deals database."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from crm_core.common.code_lists import CodeColumns
from crm_core.db import new_id, service_registry, utcnow
from crm_core.units import UNIT_CODE
from crm_deals import DOMAIN

__all__ = [
    "Base",
    "ClientName",
    "Deal",
    "DealCustomField",
    "DealTask",
    "LossReason",
    "Payment",
    "Pipeline",
    "Product",
    "SalesPlan",
    "Stage",
    "StageChange",
    "Unit",
]


class Base(DeclarativeBase):
    """Declarative base of the deals database: its own tables and crm_core's (service_registry)."""

    registry = service_registry(DOMAIN, access_scopes=True)


class Pipeline(Base):
    """A sequence of stages deals move through (new sales, repeat sales, tenders, ...)."""

    __tablename__ = "pipeline"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    # The label in the installation's default language (events and search carry it); each language's below.
    name: Mapped[str] = mapped_column(Text)
    name_ru: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    # Days without activity after which an open deal counts as stalled.
    stale_days: Mapped[int] = mapped_column(Integer, default=14)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Stage(Base):
    """One step of a pipeline; its category (open/won/lost) never changes, so deals keep their meaning."""

    __tablename__ = "stage"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    pipeline_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("pipeline.id"))
    # As the pipeline's: `name` in the default language, name_ru and name_en.
    name: Mapped[str] = mapped_column(Text)
    name_ru: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    probability: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(Text)
    time_limit_days: Mapped[int | None] = mapped_column(Integer)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class ClientName(Base):
    """The newest known display name of a party that is (or was) a client: a copy fed by contacts' events.

    A deal opened while its client is being renamed takes its name from here (under a row lock the
    consumer also takes), so the name the gateway read a moment before cannot outlive the rename.
    """

    __tablename__ = "client_name"

    party_id: Mapped[str] = mapped_column(Text, primary_key=True)  # as deal.client_id
    display_name: Mapped[str] = mapped_column(Text)
    # The party's version the name is from; 0 for a name the gateway read when a deal was opened.
    version: Mapped[int] = mapped_column(BigInteger, default=0)


class Deal(Base):
    """A sale in progress: client, money, stage, and access (owner/team/shared)."""

    __tablename__ = "deal"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(Text)
    pipeline_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("pipeline.id"))
    stage_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("stage.id"))
    # The stage's category, kept on the deal so open deals are found by index.
    status: Mapped[str] = mapped_column(Text, default="open")
    client_id: Mapped[str] = mapped_column(Text)
    client_name: Mapped[str] = mapped_column(Text, default="")
    contact_ids: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    owner_id: Mapped[str] = mapped_column(Text)
    team_id: Mapped[str | None] = mapped_column(Text)
    shared_with: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(Text, default="RUB")
    # Product lines as given plus computed subtotal/total (see domain.line_totals).
    lines: Mapped[list] = mapped_column(JSONB, default=list)
    # What the lines' amounts mean for VAT: included, on_top or exempt (crm_core.vat).
    vat_mode: Mapped[str] = mapped_column(Text, default="included")
    discount_amount: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal("0.00"))
    expected_close_date: Mapped[date | None] = mapped_column(Date)
    source_campaign_id: Mapped[str | None] = mapped_column(Text)
    source_lead_id: Mapped[str | None] = mapped_column(Text)
    custom_fields: Mapped[dict] = mapped_column(JSONB, default=dict)
    stage_entered_at: Mapped[datetime]
    last_activity_at: Mapped[datetime]
    regressing: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[datetime | None]
    loss_reason: Mapped[str | None] = mapped_column(Text)
    loss_comment: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(Text)


class StageChange(Base):
    """One move of a deal between stages (the first row is the stage it was created in)."""

    __tablename__ = "deal_stage_change"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    deal_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("deal.id"))
    from_stage_id: Mapped[str | None] = mapped_column(UUID(as_uuid=False))
    to_stage_id: Mapped[str] = mapped_column(UUID(as_uuid=False))
    moved_by: Mapped[str] = mapped_column(Text)
    moved_at: Mapped[datetime]
    seconds_in_previous_stage: Mapped[float] = mapped_column(Float, default=0.0)
    regression: Mapped[bool] = mapped_column(Boolean, default=False)
    loss_reason: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)


class Payment(Base):
    """Money expected from or received on a deal."""

    __tablename__ = "payment"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    deal_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("deal.id"))
    client_id: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(Text)
    due_date: Mapped[date | None] = mapped_column(Date)
    received_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(Text)


class LossReason(CodeColumns, Base):
    """A reason deals are lost (price, competitor, ...): the code list loss_reasons (crm_core.common)."""

    __tablename__ = "loss_reason"


class Unit(CodeColumns, Base):
    """A unit of measure of lines and products: the code list units, OKEI codes ("796" шт/pcs, crm_core.units)."""

    __tablename__ = "unit"
    code_pattern = UNIT_CODE
    code_rule = "a unit code is an OKEI code of 3 or 4 digits"


class Product(Base):
    """A product or service of the catalogue that deal lines pick from; archived ones stay for history.

    `prices` is a list of {"price_list", "currency", "price"} (price as text, one per list and currency).
    """

    __tablename__ = "product"
    __table_args__ = (
        # An article (SKU) names one product among those on offer; archived ones may share it.
        Index("uq_product_article", "article", unique=True, postgresql_where="article IS NOT NULL AND NOT archived"),
    )

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(Text)
    article: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    # "product" or "service".
    kind: Mapped[str] = mapped_column(Text, default="product")
    unit_code: Mapped[str] = mapped_column(Text, default="796")
    vat_rate: Mapped[str] = mapped_column(Text)
    prices: Mapped[list] = mapped_column(JSONB, default=list)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(Text)


class DealCustomField(Base):
    """A custom field definition of deals (rules in crm_core.custom_fields).

    Named deal_custom_field from when every service's tables shared one
    metadata; each service has its own now (service_registry), the name stays.
    """

    __tablename__ = "deal_custom_field"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    entity_type: Mapped[str] = mapped_column(Text, default="deal")
    key: Mapped[str] = mapped_column(Text, unique=True)
    label: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class DealTask(Base):
    """A task about deals, as the tasks service's events tell it: a copy that gives deals their next step.

    One row per task that is (or was) linked to a deal; `version` is the task's, so an older event that
    arrives late never overwrites a newer one. Who may see the task is in access_scope ("task:<id>").
    """

    __tablename__ = "deal_task"
    __table_args__ = (Index("ix_deal_task_deal_ids", "deal_ids", postgresql_using="gin"),)

    task_id: Mapped[str] = mapped_column(Text, primary_key=True)
    deal_ids: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    due_at: Mapped[datetime | None]
    # open or in progress: a step still to take.
    open: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(BigInteger)


class SalesPlan(Base):
    """The money a user (counting for a team, or none) or a team should win in a month, in one currency."""

    __tablename__ = "sales_plan"
    __table_args__ = (UniqueConstraint("month", "user_id", "team_id", name="uq_sales_plan_month_user_team"),)

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    # The first day of the month.
    month: Mapped[date] = mapped_column(Date)
    # "" for a team's plan.
    user_id: Mapped[str] = mapped_column(Text, default="")
    # "" for the plan of a user outside any team (set by an admin).
    team_id: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(Text)
