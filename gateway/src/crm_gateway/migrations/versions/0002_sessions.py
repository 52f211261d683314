"""Login sessions (refresh-token families) and per-user access versions.

Refresh tokens issued before this revision belong to no session and are
revoked: their users log in once more.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("app_user", sa.Column("access_version", sa.Integer, nullable=False, server_default="1"))
    op.create_table(
        "user_session",
        sa.Column("id", pg.UUID(as_uuid=False), primary_key=True),
        sa.Column("user_id", pg.UUID(as_uuid=False), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_reason", sa.Text),
    )
    op.create_index("ix_user_session_user", "user_session", ["user_id"])
    op.execute("DELETE FROM refresh_token")
    op.add_column(
        "refresh_token",
        sa.Column("session_id", pg.UUID(as_uuid=False), sa.ForeignKey("user_session.id"), nullable=False),
    )
    op.create_index("ix_refresh_token_session", "refresh_token", ["session_id"])
    op.create_index("ix_refresh_token_user", "refresh_token", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_refresh_token_user", "refresh_token")
    op.drop_index("ix_refresh_token_session", "refresh_token")
    op.drop_column("refresh_token", "session_id")
    op.drop_table("user_session")
    op.drop_column("app_user", "access_version")
