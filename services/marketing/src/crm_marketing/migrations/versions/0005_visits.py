"""Site visits and identified visitors.

Revision ID: 0005
Revises: 0004 (0004_segments_mailings; the chain is 0002 -> 0003 -> 0004 -> 0005 once 0003_import_job is merged)
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "visit",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("visitor_id", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("referrer", sa.Text(), nullable=False),
        sa.Column("utm", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("client_ip_hash", sa.Text(), nullable=False),
        sa.Column("lead_id", sa.UUID(as_uuid=False), nullable=True),
        sa.Column("party_id", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit")),
    )
    op.create_index("ix_visit_visitor_at", "visit", ["visitor_id", "at"], unique=False)
    op.create_index("ix_visit_ip_at", "visit", ["client_ip_hash", "at"], unique=False)
    op.create_index(
        "ix_visit_lead_at", "visit", ["lead_id", "at"], unique=False, postgresql_where="lead_id IS NOT NULL"
    )
    op.create_index(
        "ix_visit_party_at", "visit", ["party_id", "at"], unique=False, postgresql_where="party_id IS NOT NULL"
    )
    op.create_index("ix_visit_anonymous_at", "visit", ["at"], unique=False, postgresql_where="lead_id IS NULL")
    op.create_table(
        "visitor",
        sa.Column("visitor_id", sa.Text(), nullable=False),
        sa.Column("lead_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("party_id", sa.Text(), nullable=True),
        sa.Column("identified_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("visitor_id", name=op.f("pk_visitor")),
    )


def downgrade() -> None:
    op.drop_table("visitor")
    op.drop_index("ix_visit_anonymous_at", table_name="visit")
    op.drop_index("ix_visit_party_at", table_name="visit")
    op.drop_index("ix_visit_lead_at", table_name="visit")
    op.drop_index("ix_visit_ip_at", table_name="visit")
    op.drop_index("ix_visit_visitor_at", table_name="visit")
    op.drop_table("visit")
