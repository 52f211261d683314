"""The newest known name of each client (ClientName), so a deal opened during a rename gets the new one.

Revision ID: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client_name",
        sa.Column("party_id", sa.Text(), primary_key=True),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
    )
    # Start from the names deals already hold (their version unknown: any party event replaces them).
    op.execute(
        "INSERT INTO client_name (party_id, display_name, version) "
        "SELECT DISTINCT ON (client_id) client_id, client_name, 0 FROM deal "
        "WHERE client_name <> '' ORDER BY client_id, updated_at DESC"
    )


def downgrade() -> None:
    op.drop_table("client_name")
