"""Files of e-mails wait in the database for documents (crm_helpdesk.mail_files).

Revision ID: 0006
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "email_file",
        sa.Column("id", pg.UUID(as_uuid=False), nullable=False),
        sa.Column("ticket_id", pg.UUID(as_uuid=False), nullable=False),
        sa.Column("message_id", sa.Text, nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_email_file_ticket_id_ticket"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_file")),
    )
    op.create_index("ix_email_file_due", "email_file", ["next_attempt_at"])


def downgrade() -> None:
    op.drop_table("email_file")
