"""Access scopes of the records processes follow (leads), so their newest owner wins whatever the event order.

Revision ID: 0006
"""

from alembic import op

from crm_core.migrations import create_access_scope_table

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_access_scope_table()


def downgrade() -> None:
    op.drop_table("access_scope")
