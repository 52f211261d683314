"""Failed logins, counted to refuse a password guesser (crm_gateway.login_throttle).

Revision ID: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_failure",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("realm", sa.Text, nullable=False),
        sa.Column("account", sa.Text, nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_login_failure_account", "login_failure", ["realm", "account", "at"])
    op.create_index("ix_login_failure_address", "login_failure", ["realm", "address", "at"])
    op.create_index("ix_login_failure_at", "login_failure", ["at"])


def downgrade() -> None:
    op.drop_table("login_failure")
