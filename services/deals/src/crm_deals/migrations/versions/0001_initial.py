"""Pipelines, stages, deals, stage history, payments, loss reasons, custom fields; the default pipeline.

Revision ID: 0001
"""

import uuid

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

from crm_core.migrations import create_core_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

DEFAULT_PIPELINE = "Sales"
# name, probability, category
DEFAULT_STAGES = [
    ("Lead", 10, "open"),
    ("Qualified", 25, "open"),
    ("Proposal", 50, "open"),
    ("Negotiation", 75, "open"),
    ("Won", 100, "won"),
    ("Lost", 0, "lost"),
]
DEFAULT_LOSS_REASONS = [
    ("price", "Price too high"),
    ("competitor", "Chose a competitor"),
    ("no_budget", "No budget"),
    ("timing", "Bad timing"),
    ("no_response", "Stopped responding"),
    ("other", "Other"),
]


def upgrade() -> None:
    create_core_tables()
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    uuid_type = pg.UUID(as_uuid=False)
    text_array = pg.ARRAY(sa.Text)
    now = sa.text("now()")

    pipeline = op.create_table(
        "pipeline",
        sa.Column("id", uuid_type, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("stale_days", sa.Integer, nullable=False, server_default="14"),
        sa.Column("archived", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("version", sa.BigInteger, nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=now),
        sa.CheckConstraint("stale_days > 0", name="stale_days"),
    )
    stage = op.create_table(
        "stage",
        sa.Column("id", uuid_type, primary_key=True),
        sa.Column("pipeline_id", uuid_type, sa.ForeignKey("pipeline.id"), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("probability", sa.Integer, nullable=False),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("time_limit_days", sa.Integer),
        sa.Column("archived", sa.Boolean, nullable=False, server_default="false"),
        sa.CheckConstraint("category IN ('open', 'won', 'lost')", name="category"),
        sa.CheckConstraint("probability BETWEEN 0 AND 100", name="probability"),
    )
    op.create_index("ix_stage_pipeline", "stage", ["pipeline_id", "position"])

    op.create_table(
        "deal",
        sa.Column("id", uuid_type, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("pipeline_id", uuid_type, sa.ForeignKey("pipeline.id"), nullable=False),
        sa.Column("stage_id", uuid_type, sa.ForeignKey("stage.id"), nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default="open"),
        sa.Column("client_id", sa.Text, nullable=False),
        sa.Column("client_name", sa.Text, nullable=False, server_default=""),
        sa.Column("contact_ids", text_array, nullable=False, server_default="{}"),
        sa.Column("owner_id", sa.Text, nullable=False),
        sa.Column("team_id", sa.Text),
        sa.Column("shared_with", text_array, nullable=False, server_default="{}"),
        sa.Column("amount", sa.Numeric(18, 2)),
        sa.Column("currency", sa.Text, nullable=False, server_default="RUB"),
        sa.Column("lines", pg.JSONB, nullable=False, server_default="[]"),
        sa.Column("discount_amount", sa.Numeric(18, 2), nullable=False, server_default="0"),
        sa.Column("expected_close_date", sa.Date),
        sa.Column("source_campaign_id", sa.Text),
        sa.Column("source_lead_id", sa.Text),
        sa.Column("custom_fields", pg.JSONB, nullable=False, server_default="{}"),
        sa.Column("stage_entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("regressing", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("loss_reason", sa.Text),
        sa.Column("loss_comment", sa.Text),
        sa.Column("version", sa.BigInteger, nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.CheckConstraint("status IN ('open', 'won', 'lost')", name="status"),
        sa.CheckConstraint("amount IS NULL OR amount >= 0", name="amount"),
    )
    # Kanban columns and stage lists read deals of one stage in card order.
    op.create_index("ix_deal_stage_updated", "deal", ["stage_id", "updated_at", "id"])
    op.create_index("ix_deal_pipeline_status", "deal", ["pipeline_id", "status"])
    op.create_index("ix_deal_updated", "deal", ["updated_at", "id"])
    op.create_index("ix_deal_owner", "deal", ["owner_id"])
    op.create_index("ix_deal_team", "deal", ["team_id"])
    op.create_index("ix_deal_client", "deal", ["client_id"])
    op.create_index(
        "ix_deal_expected_close", "deal", ["expected_close_date"], postgresql_where=sa.text("status = 'open'")
    )
    for column in ("shared_with", "contact_ids"):
        op.create_index(f"ix_deal_{column}", "deal", [column], postgresql_using="gin")
    op.execute("CREATE INDEX ix_deal_custom_fields ON deal USING gin (custom_fields jsonb_path_ops)")
    op.execute("CREATE INDEX ix_deal_title_trgm ON deal USING gin ((title || ' ' || client_name) gin_trgm_ops)")

    op.create_table(
        "deal_stage_change",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("deal_id", uuid_type, sa.ForeignKey("deal.id"), nullable=False),
        sa.Column("from_stage_id", uuid_type),
        sa.Column("to_stage_id", uuid_type, nullable=False),
        sa.Column("moved_by", sa.Text, nullable=False),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seconds_in_previous_stage", sa.Float, nullable=False, server_default="0"),
        sa.Column("regression", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("loss_reason", sa.Text),
        sa.Column("comment", sa.Text),
    )
    op.create_index("ix_deal_stage_change_deal", "deal_stage_change", ["deal_id", "id"])

    op.create_table(
        "payment",
        sa.Column("id", uuid_type, primary_key=True),
        sa.Column("deal_id", uuid_type, sa.ForeignKey("deal.id"), nullable=False),
        sa.Column("client_id", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("amount", sa.Numeric(18, 2), nullable=False),
        sa.Column("currency", sa.Text, nullable=False),
        sa.Column("due_date", sa.Date),
        sa.Column("received_on", sa.Date),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.CheckConstraint("status IN ('expected', 'received')", name="status"),
        sa.CheckConstraint("amount > 0", name="amount"),
    )
    op.create_index("ix_payment_deal", "payment", ["deal_id", "created_at"])
    op.create_index("ix_payment_client", "payment", ["client_id"])

    loss_reason = op.create_table(
        "loss_reason",
        sa.Column("code", sa.Text, primary_key=True),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("archived", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("builtin", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "deal_custom_field",
        sa.Column("id", uuid_type, primary_key=True),
        sa.Column("entity_type", sa.Text, nullable=False, server_default="deal"),
        sa.Column("key", sa.Text, nullable=False, unique=True),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("options", text_array, nullable=False, server_default="{}"),
        sa.Column("required", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("archived", sa.Boolean, nullable=False, server_default="false"),
    )

    pipeline_id = str(uuid.uuid4())
    op.bulk_insert(pipeline, [{"id": pipeline_id, "name": DEFAULT_PIPELINE}])
    op.bulk_insert(
        stage,
        [
            {
                "id": str(uuid.uuid4()),
                "pipeline_id": pipeline_id,
                "name": name,
                "position": i,
                "probability": probability,
                "category": category,
            }
            for i, (name, probability, category) in enumerate(DEFAULT_STAGES)
        ],
    )
    op.bulk_insert(
        loss_reason,
        [
            {"code": code, "label": label, "builtin": True, "position": i}
            for i, (code, label) in enumerate(DEFAULT_LOSS_REASONS)
        ],
    )


def downgrade() -> None:
    for table in (
        "deal_custom_field",
        "loss_reason",
        "payment",
        "deal_stage_change",
        "deal",
        "stage",
        "pipeline",
        "audit_entry",
        "inbox",
        "outbox",
    ):
        op.drop_table(table)
