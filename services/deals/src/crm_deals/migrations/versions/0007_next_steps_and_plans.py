"""Deals' next steps (deal_task, a copy of the tasks about deals) and sales plans (sales_plan).

Revision ID: 0007
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deal_task",
        sa.Column("task_id", sa.Text(), primary_key=True),
        sa.Column("deal_ids", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
    )
    # A deal's open tasks are found by containment (deal_ids @> ARRAY[id]).
    op.create_index("ix_deal_task_deal_ids", "deal_task", ["deal_ids"], postgresql_using="gin")
    op.create_table(
        "sales_plan",
        sa.Column("id", postgresql.UUID(as_uuid=False), primary_key=True),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("team_id", sa.Text(), nullable=False),
        sa.Column("amount", sa.Numeric(18, 2), nullable=False),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.UniqueConstraint("month", "user_id", "team_id", name="uq_sales_plan_month_user_team"),
    )


def downgrade() -> None:
    op.drop_table("sales_plan")
    op.drop_index("ix_deal_task_deal_ids", table_name="deal_task")
    op.drop_table("deal_task")
