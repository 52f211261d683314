"""Parties, links, notes, timeline, custom fields, relationship types, saved filters.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

from crm_core.migrations import create_core_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BUILTIN_RELATIONSHIP_TYPES = [
    ("prospect", "Prospect"),
    ("client", "Client"),
    ("supplier", "Supplier / contractor"),
    ("partner", "Partner"),
    ("channel", "Promotion channel (media, agency)"),
    ("competitor", "Competitor"),
]


def upgrade() -> None:
    create_core_tables()
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    text_array = pg.ARRAY(sa.Text)
    op.create_table(
        "party",
        sa.Column("id", pg.UUID(as_uuid=False), primary_key=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("display_name", sa.Text, nullable=False),
        *[
            sa.Column(name, sa.Text)
            for name in (
                "legal_name",
                "short_name",
                "inn",
                "kpp",
                "ogrn",
                "legal_address",
                "postal_address",
                "industry",
                "size",
                "website",
                "first_name",
                "last_name",
                "middle_name",
                "position",
            )
        ],
        sa.Column("bank_accounts", pg.JSONB, nullable=False, server_default="[]"),
        sa.Column("phones", pg.JSONB, nullable=False, server_default="[]"),
        sa.Column("emails", pg.JSONB, nullable=False, server_default="[]"),
        sa.Column("messengers", pg.JSONB, nullable=False, server_default="[]"),
        sa.Column("phones_norm", text_array, nullable=False, server_default="{}"),
        sa.Column("emails_norm", text_array, nullable=False, server_default="{}"),
        sa.Column("tags", text_array, nullable=False, server_default="{}"),
        sa.Column("relationship_types", text_array, nullable=False, server_default="{}"),
        sa.Column("owner_id", sa.Text, nullable=False),
        sa.Column("team_id", sa.Text),
        sa.Column("shared_with", text_array, nullable=False, server_default="{}"),
        sa.Column("custom_fields", pg.JSONB, nullable=False, server_default="{}"),
        sa.Column("needs", pg.JSONB, nullable=False, server_default="[]"),
        sa.Column("purchase_amount", sa.Numeric(18, 2)),
        sa.Column("purchase_currency", sa.Text),
        sa.Column("purchase_period", sa.Text),
        sa.Column("season_months", pg.ARRAY(sa.Integer), nullable=False, server_default="{}"),
        sa.Column("payment_discipline", sa.Text, nullable=False, server_default="unknown"),
        sa.Column("refusal_reasons", pg.JSONB, nullable=False, server_default="[]"),
        sa.Column("obstacles", text_array, nullable=False, server_default="{}"),
        sa.Column("search_text", sa.Text, nullable=False, server_default=""),
        sa.Column("search_tsv", pg.TSVECTOR, sa.Computed("to_tsvector('simple', search_text)", persisted=True)),
        sa.Column("version", sa.BigInteger, nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("merged_into_id", pg.UUID(as_uuid=False)),
        sa.CheckConstraint("kind IN ('company', 'person')", name="kind"),
    )
    op.create_index("ix_party_updated", "party", ["updated_at", "id"])
    op.create_index("ix_party_created", "party", ["created_at", "id"])
    op.create_index("ix_party_owner", "party", ["owner_id"])
    op.create_index("ix_party_team", "party", ["team_id"])
    op.create_index("ix_party_inn", "party", ["inn"], postgresql_where=sa.text("inn IS NOT NULL"))
    op.create_index("ix_party_ogrn", "party", ["ogrn"], postgresql_where=sa.text("ogrn IS NOT NULL"))
    op.create_index("ix_party_search_tsv", "party", ["search_tsv"], postgresql_using="gin")
    op.execute("CREATE INDEX ix_party_name_trgm ON party USING gin (display_name gin_trgm_ops)")
    op.execute("CREATE INDEX ix_party_search_trgm ON party USING gin (search_text gin_trgm_ops)")
    for column in ("phones_norm", "emails_norm", "tags", "relationship_types", "shared_with"):
        op.create_index(f"ix_party_{column}", "party", [column], postgresql_using="gin")
    op.execute("CREATE INDEX ix_party_custom_fields ON party USING gin (custom_fields jsonb_path_ops)")
    op.execute("CREATE INDEX ix_party_needs ON party USING gin (needs jsonb_path_ops)")
    op.execute("CREATE INDEX ix_party_refusals ON party USING gin (refusal_reasons jsonb_path_ops)")

    op.create_table(
        "party_link",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("company_id", pg.UUID(as_uuid=False), sa.ForeignKey("party.id"), nullable=False),
        sa.Column("person_id", pg.UUID(as_uuid=False), sa.ForeignKey("party.id"), nullable=False),
        sa.Column("role", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("company_id", "person_id"),
    )
    op.create_index("ix_party_link_person", "party_link", ["person_id"])

    op.create_table(
        "note",
        sa.Column("id", pg.UUID(as_uuid=False), primary_key=True),
        sa.Column("party_id", pg.UUID(as_uuid=False), sa.ForeignKey("party.id"), nullable=False),
        sa.Column("author_id", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("mentions", text_array, nullable=False, server_default="{}"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_note_party", "note", ["party_id", "created_at"])

    op.create_table(
        "timeline_entry",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("party_id", pg.UUID(as_uuid=False), nullable=False),
        sa.Column("event_id", pg.UUID(as_uuid=False), nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Text, nullable=False, server_default=""),
        sa.Column("subject_id", sa.Text, nullable=False, server_default=""),
        sa.Column("summary", sa.Text, nullable=False, server_default=""),
        sa.UniqueConstraint("event_id", "party_id"),
    )
    op.create_index("ix_timeline_party", "timeline_entry", ["party_id", "occurred_at", "id"])

    op.create_table(
        "custom_field",
        sa.Column("id", pg.UUID(as_uuid=False), primary_key=True),
        sa.Column("entity_type", sa.Text, nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("options", text_array, nullable=False, server_default="{}"),
        sa.Column("required", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("archived", sa.Boolean, nullable=False, server_default="false"),
        sa.UniqueConstraint("entity_type", "key"),
    )

    relationship_type = op.create_table(
        "relationship_type",
        sa.Column("code", sa.Text, primary_key=True),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("builtin", sa.Boolean, nullable=False, server_default="false"),
    )
    op.bulk_insert(
        relationship_type, [{"code": c, "label": label, "builtin": True} for c, label in BUILTIN_RELATIONSHIP_TYPES]
    )

    op.create_table(
        "saved_filter",
        sa.Column("id", pg.UUID(as_uuid=False), primary_key=True),
        sa.Column("owner_id", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("query", sa.Text, nullable=False, server_default=""),
        sa.Column("filters", pg.JSONB, nullable=False, server_default="[]"),
        sa.Column("sort", sa.Text, nullable=False, server_default=""),
        sa.Column("shared", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_saved_filter_owner", "saved_filter", ["owner_id"])


def downgrade() -> None:
    for table in (
        "saved_filter",
        "relationship_type",
        "custom_field",
        "timeline_entry",
        "note",
        "party_link",
        "party",
        "audit_entry",
        "inbox",
        "outbox",
    ):
        op.drop_table(table)
