"""Idempotency-Key placeholders are leased: a retry takes over one whose request died with its gateway.

Revision ID: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "idempotency_key",
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_column("idempotency_key", "locked_until")
