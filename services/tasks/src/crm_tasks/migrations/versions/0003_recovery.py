"""The relay's stream checkpoint and answered requests (crm_core.migrations.create_recovery_tables).

Revision ID: 0003
"""

from alembic import op

from crm_core.migrations import create_recovery_tables

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_recovery_tables()


def downgrade() -> None:
    op.drop_table("answered_request")
    op.drop_table("relay_checkpoint")
