"""The catalogue (product), units of measure (the code list units, OKEI) and VAT on deals (deal.vat_mode).

Existing deals keep their amounts: they get vat_mode `included` and their
lines vat_rate `none` (no VAT counted) and unit 796 (pieces).

Revision ID: 0008
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

from crm_core.units import SHIPPED_UNITS

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    unit = op.create_table(
        "unit",
        sa.Column("code", sa.Text, primary_key=True),
        sa.Column("label_ru", sa.Text, nullable=False),
        sa.Column("label_en", sa.Text, nullable=False),
        sa.Column("builtin", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("archived", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    )
    op.bulk_insert(
        unit,
        [
            {"code": code, "label_ru": ru, "label_en": en, "builtin": True, "archived": False, "position": i}
            for i, (code, (ru, en)) in enumerate(SHIPPED_UNITS.items())
        ],
    )
    op.create_table(
        "product",
        sa.Column("id", pg.UUID(as_uuid=False), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("article", sa.Text),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("unit_code", sa.Text, nullable=False),
        sa.Column("vat_rate", sa.Text, nullable=False),
        sa.Column("prices", pg.JSONB, nullable=False, server_default="[]"),
        sa.Column("archived", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Text, nullable=False),
        sa.CheckConstraint("kind IN ('product', 'service')", name="product_kind"),
    )
    op.create_index(
        "uq_product_article",
        "product",
        ["article"],
        unique=True,
        postgresql_where=sa.text("article IS NOT NULL AND NOT archived"),
    )
    # Search by name or article prefix, case-insensitive.
    op.execute("CREATE INDEX ix_product_name ON product (lower(name) text_pattern_ops, id)")
    op.execute("CREATE INDEX ix_product_article_prefix ON product (lower(article) text_pattern_ops)")
    op.add_column("deal", sa.Column("vat_mode", sa.Text, nullable=False, server_default="included"))
    op.execute(
        """UPDATE deal SET lines = (
             SELECT coalesce(jsonb_agg(line || '{"vat_rate": "none", "unit_code": "796"}'::jsonb), '[]'::jsonb)
             FROM jsonb_array_elements(lines) AS line)
           WHERE jsonb_array_length(lines) > 0"""
    )


def downgrade() -> None:
    op.drop_column("deal", "vat_mode")
    op.drop_table("product")
    op.drop_table("unit")
