"""Campaigns with costs, leads, assignment rules, web forms, imports, deal sources; the shipped code lists.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from crm_core.migrations import create_access_scope_table

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


# The shipped code lists: code, Russian label, English label.
CAMPAIGN_TYPES = [
    ("web_form", "Форма на сайте", "Web form"),
    ("import", "Импорт базы", "Import"),
    ("exhibition", "Выставка", "Exhibition"),
    ("conference", "Конференция", "Conference"),
    ("publication", "Публикация", "Publication"),
    ("advertising", "Реклама", "Advertising"),
    ("mailing", "Рассылка", "Mailing"),
    ("referral", "Рекомендация", "Referral"),
    ("cold_calls", "Холодные звонки", "Cold calls"),
    ("other", "Другое", "Other"),
]
DISQUALIFICATION_REASONS = [
    ("spam", "Спам", "Spam"),
    ("no_need", "Нет потребности", "No need"),
    ("no_budget", "Нет бюджета", "No budget"),
    ("unreachable", "Не дозвонились", "Unreachable"),
    ("duplicate", "Дубль", "Duplicate"),
    ("competitor", "Конкурент", "Competitor"),
    ("wrong_contact", "Ошибочные контакты", "Wrong contact details"),
    ("other", "Другое", "Other"),
]


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    create_access_scope_table()
    op.create_table(
        "assignment_rule",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("conditions", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("user_ids", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("team_id", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("assigned", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment_rule")),
    )
    op.create_table(
        "campaign",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("owner_id", sa.Text(), nullable=False),
        sa.Column("team_id", sa.Text(), nullable=True),
        sa.Column("shared_with", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("budget", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("utm_campaign", sa.Text(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign")),
    )
    op.create_table(
        "campaign_type",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label_ru", sa.Text(), nullable=False),
        sa.Column("label_en", sa.Text(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_campaign_type")),
    )
    op.create_table(
        "deal_source",
        sa.Column("deal_id", sa.Text(), nullable=False),
        sa.Column("campaign_id", sa.Text(), nullable=False),
        sa.Column("lead_id", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("revenue", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("payment_ids", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("deal_id", name=op.f("pk_deal_source")),
    )
    op.create_index(op.f("ix_deal_source_campaign_id"), "deal_source", ["campaign_id"], unique=False)
    op.create_table(
        "disqualification_reason",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label_ru", sa.Text(), nullable=False),
        sa.Column("label_en", sa.Text(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_disqualification_reason")),
    )
    op.create_table(
        "form_hit",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("form_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("client_ip", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_hit")),
    )
    op.create_index("ix_form_hit_ip_at", "form_hit", ["client_ip", "at"], unique=False)
    op.create_table(
        "import_job",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("declared_size", sa.BigInteger(), nullable=False),
        sa.Column("format", sa.Text(), nullable=False),
        sa.Column("encoding", sa.Text(), nullable=False),
        sa.Column("delimiter", sa.Text(), nullable=False),
        sa.Column("preset", sa.Text(), nullable=False),
        sa.Column("headers", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("mapping", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("samples", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("campaign_id", sa.UUID(as_uuid=False), nullable=True),
        sa.Column("on_duplicate", sa.Text(), nullable=False),
        sa.Column("rows_total", sa.BigInteger(), nullable=False),
        sa.Column("rows_done", sa.BigInteger(), nullable=False),
        sa.Column("created", sa.BigInteger(), nullable=False),
        sa.Column("duplicates", sa.BigInteger(), nullable=False),
        sa.Column("errors", sa.BigInteger(), nullable=False),
        sa.Column("failure", sa.Text(), nullable=False),
        sa.Column("caller", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("owner_id", sa.Text(), nullable=False),
        sa.Column("team_id", sa.Text(), nullable=True),
        sa.Column("shared_with", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_job")),
    )
    op.create_table(
        "campaign_cost",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("campaign_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("spent_on", sa.Date(), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], name=op.f("fk_campaign_cost_campaign_id_campaign")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_cost")),
    )
    op.create_index(op.f("ix_campaign_cost_campaign_id"), "campaign_cost", ["campaign_id"], unique=False)
    op.create_table(
        "form",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("campaign_id", sa.UUID(as_uuid=False), nullable=True),
        sa.Column("fields", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("allowed_origins", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("success_message_ru", sa.Text(), nullable=False),
        sa.Column("success_message_en", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Text(), nullable=True),
        sa.Column("team_id", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("rate_limit_per_minute", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], name=op.f("fk_form_campaign_id_campaign")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form")),
        sa.UniqueConstraint("token", name=op.f("uq_form_token")),
    )
    op.create_table(
        "import_chunk",
        sa.Column("import_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"], ["import_job.id"], name=op.f("fk_import_chunk_import_id_import_job"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("import_id", "seq", name=op.f("pk_import_chunk")),
    )
    op.create_table(
        "import_row",
        sa.Column("import_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("row_number", sa.BigInteger(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("record_id", sa.Text(), nullable=False),
        sa.Column("duplicate_kind", sa.Text(), nullable=False),
        sa.Column("duplicate_of_row", sa.BigInteger(), nullable=False),
        sa.Column("errors", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("values", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"], ["import_job.id"], name=op.f("fk_import_row_import_id_import_job"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("import_id", "row_number", name=op.f("pk_import_row")),
    )
    op.create_table(
        "lead",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("person_name", sa.Text(), nullable=False),
        sa.Column("company_name", sa.Text(), nullable=False),
        sa.Column("position", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("email_key", sa.Text(), nullable=False),
        sa.Column("phone", sa.Text(), nullable=False),
        sa.Column("phone_e164", sa.Text(), nullable=False),
        sa.Column("inn", sa.Text(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("campaign_id", sa.UUID(as_uuid=False), nullable=True),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("utm", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("raw", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("owner_id", sa.Text(), nullable=False),
        sa.Column("team_id", sa.Text(), nullable=True),
        sa.Column("shared_with", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("duplicates", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("disqualification_reason", sa.Text(), nullable=True),
        sa.Column("disqualification_comment", sa.Text(), nullable=False),
        sa.Column("company_id", sa.Text(), nullable=True),
        sa.Column("person_id", sa.Text(), nullable=True),
        sa.Column("deal_id", sa.Text(), nullable=True),
        sa.Column("conversion", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("form_id", sa.UUID(as_uuid=False), nullable=True),
        sa.Column("visitor_id", sa.Text(), nullable=False),
        sa.Column("import_id", sa.UUID(as_uuid=False), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("converted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], name=op.f("fk_lead_campaign_id_campaign")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead")),
    )
    op.create_index("ix_lead_campaign", "lead", ["campaign_id"], unique=False)
    op.create_index("ix_lead_created", "lead", ["created_at", "id"], unique=False)
    op.create_index("ix_lead_email_key", "lead", ["email_key"], unique=False, postgresql_where="email_key <> ''")
    op.create_index("ix_lead_inn", "lead", ["inn"], unique=False, postgresql_where="inn <> ''")
    op.create_index("ix_lead_phone_e164", "lead", ["phone_e164"], unique=False, postgresql_where="phone_e164 <> ''")
    op.create_index(
        "ix_lead_search",
        "lead",
        ["search_text"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )

    code_list = sa.table(
        "x",
        sa.column("code"),
        sa.column("label_ru"),
        sa.column("label_en"),
        sa.column("builtin"),
        sa.column("archived"),
        sa.column("position"),
    )
    for table, rows in (("campaign_type", CAMPAIGN_TYPES), ("disqualification_reason", DISQUALIFICATION_REASONS)):
        code_list.name = table
        op.bulk_insert(
            code_list,
            [
                {"code": code, "label_ru": ru, "label_en": en, "builtin": True, "archived": False, "position": i}
                for i, (code, ru, en) in enumerate(rows)
            ],
        )


def downgrade() -> None:
    op.drop_index(
        "ix_lead_search", table_name="lead", postgresql_using="gin", postgresql_ops={"search_text": "gin_trgm_ops"}
    )
    op.drop_index("ix_lead_phone_e164", table_name="lead", postgresql_where="phone_e164 <> ''")
    op.drop_index("ix_lead_inn", table_name="lead", postgresql_where="inn <> ''")
    op.drop_index("ix_lead_email_key", table_name="lead", postgresql_where="email_key <> ''")
    op.drop_index("ix_lead_created", table_name="lead")
    op.drop_index("ix_lead_campaign", table_name="lead")
    op.drop_table("lead")
    op.drop_table("import_row")
    op.drop_table("import_chunk")
    op.drop_table("form")
    op.drop_index(op.f("ix_campaign_cost_campaign_id"), table_name="campaign_cost")
    op.drop_table("campaign_cost")
    op.drop_table("import_job")
    op.drop_index("ix_form_hit_ip_at", table_name="form_hit")
    op.drop_table("form_hit")
    op.drop_table("disqualification_reason")
    op.drop_index(op.f("ix_deal_source_campaign_id"), table_name="deal_source")
    op.drop_table("deal_source")
    op.drop_table("campaign_type")
    op.drop_table("campaign")
    op.drop_table("assignment_rule")
    op.drop_table("access_scope")
