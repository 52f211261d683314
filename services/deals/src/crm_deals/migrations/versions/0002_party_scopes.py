"""Access scopes of parties, so a client's name shows only to those who may see the client.

Revision ID: 0002
"""

from alembic import op

from crm_core.migrations import create_access_scope_table

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_access_scope_table()


def downgrade() -> None:
    op.drop_table("access_scope")
