"""Users, teams, refresh tokens, idempotency keys.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", pg.UUID(as_uuid=False), primary_key=True),
        sa.Column("username", sa.Text, nullable=False, unique=True),
        sa.Column("display_name", sa.Text, nullable=False),
        sa.Column("email", sa.Text),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("roles", pg.ARRAY(sa.Text), nullable=False, server_default="{}"),
        sa.Column("team_ids", pg.ARRAY(sa.Text), nullable=False, server_default="{}"),
        sa.Column("active", sa.Boolean, nullable=False, server_default="true"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "team",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
    )
    op.create_table(
        "refresh_token",
        sa.Column("token_hash", sa.Text, primary_key=True),
        sa.Column("user_id", pg.UUID(as_uuid=False), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "idempotency_key",
        sa.Column("user_id", sa.Text, primary_key=True),
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("request_hash", sa.Text, nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("headers", pg.JSONB, nullable=False, server_default="{}"),
        sa.Column("body", sa.LargeBinary),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_idempotency_key_created", "idempotency_key", ["created_at"])


def downgrade() -> None:
    for table in ("idempotency_key", "refresh_token", "team", "app_user"):
        op.drop_table(table)
