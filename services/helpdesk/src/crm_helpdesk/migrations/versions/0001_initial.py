"""The core tables every service has: outbox, inbox, audit, relay checkpoint, answered requests.

Revision ID: 0001
"""

from alembic import op

from crm_core.migrations import create_core_tables, create_recovery_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_core_tables()
    create_recovery_tables()


def downgrade() -> None:
    for table in ("answered_request", "relay_checkpoint", "audit_entry", "inbox", "outbox"):
        op.drop_table(table)
