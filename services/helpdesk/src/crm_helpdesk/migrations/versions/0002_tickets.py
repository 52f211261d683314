"""Queues, SLA policies, client tiers, tickets and their messages, the e-mail intake log; shipped queue and policies.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

from crm_helpdesk.shipped import shipped_rows

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE SEQUENCE ticket_number_seq START 1001")
    op.create_table(
        "client_tier",
        sa.Column("party_id", sa.Text(), nullable=False),
        sa.Column("tier", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("party_id", name=op.f("pk_client_tier")),
    )
    op.create_table(
        "intake_message",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("message_key", sa.Text(), nullable=False),
        sa.Column("mailbox", sa.Text(), nullable=False),
        sa.Column("sender", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("ticket_id", sa.Text(), nullable=True),
        sa.Column("sha256", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_message")),
        sa.UniqueConstraint("message_key"),
    )
    op.create_table(
        "queue",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("team_id", sa.Text(), nullable=True),
        sa.Column("lead_id", sa.Text(), nullable=False),
        sa.Column("agent_ids", postgresql.ARRAY(Text()), nullable=False),
        sa.Column("strategy", sa.Text(), nullable=False),
        sa.Column("last_assigned_id", sa.Text(), nullable=False),
        sa.Column("categories", postgresql.ARRAY(Text()), nullable=False),
        sa.Column("email_address", sa.Text(), nullable=False),
        sa.Column("shipped_key", sa.Text(), nullable=True),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue")),
        sa.UniqueConstraint("shipped_key"),
    )
    op.create_table(
        "sla_policy",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("priority", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("tier", sa.Text(), nullable=False),
        sa.Column("first_response_minutes", sa.Integer(), nullable=False),
        sa.Column("resolution_minutes", sa.Integer(), nullable=False),
        sa.Column("warning_percent", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("shipped_key", sa.Text(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_policy")),
        sa.UniqueConstraint("shipped_key"),
    )
    op.create_table(
        "ticket",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("number", sa.BigInteger(), server_default=sa.text("nextval('ticket_number_seq')"), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("requester_party_id", sa.Text(), nullable=True),
        sa.Column("requester_name", sa.Text(), nullable=False),
        sa.Column("requester_email", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.Text(), nullable=True),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("priority", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("queue_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("deal_id", sa.Text(), nullable=True),
        sa.Column("tier", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Text(), nullable=False),
        sa.Column("team_id", sa.Text(), nullable=True),
        sa.Column("shared_with", postgresql.ARRAY(Text()), nullable=False),
        sa.Column("email_token", sa.Text(), nullable=False),
        sa.Column("sla_policy_id", sa.Text(), nullable=True),
        sa.Column("warning_percent", sa.Integer(), nullable=False),
        sa.Column("first_response_minutes", sa.Integer(), nullable=False),
        sa.Column("first_response_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_response_warn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_response_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_response_warned", sa.Boolean(), nullable=False),
        sa.Column("first_response_breached", sa.Boolean(), nullable=False),
        sa.Column("resolution_minutes", sa.Integer(), nullable=False),
        sa.Column("resolution_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution_warn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution_warned", sa.Boolean(), nullable=False),
        sa.Column("resolution_breached", sa.Boolean(), nullable=False),
        sa.Column("sla_paused_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sla_paused_minutes", sa.Integer(), nullable=False),
        sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sla_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sla_state", sa.Text(), nullable=False),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("csat_rating", sa.Integer(), nullable=False),
        sa.Column("csat_comment", sa.Text(), nullable=False),
        sa.Column("csat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_count", sa.Integer(), nullable=False),
        sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["queue_id"], ["queue.id"], name=op.f("fk_ticket_queue_id_queue")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket")),
        sa.UniqueConstraint("number"),
    )
    op.create_index("ix_ticket_assignee", "ticket", ["owner_id", "status"], unique=False)
    op.create_index(
        "ix_ticket_next_due", "ticket", ["next_due_at"], unique=False, postgresql_where="next_due_at IS NOT NULL"
    )
    op.create_index("ix_ticket_queue_deadline", "ticket", ["queue_id", "sla_due_at", "id"], unique=False)
    op.create_index("ix_ticket_deadline", "ticket", ["sla_due_at", "id"], unique=False)
    op.create_index("ix_ticket_organisation", "ticket", ["organisation_id"], unique=False)
    op.create_index("ix_ticket_queue_status", "ticket", ["queue_id", "status"], unique=False)
    op.create_index("ix_ticket_requester", "ticket", ["requester_party_id"], unique=False)
    op.create_index("ix_ticket_sla_state", "ticket", ["sla_state"], unique=False)
    op.create_index("ix_ticket_updated", "ticket", ["updated_at", "id"], unique=False)
    op.create_table(
        "ticket_message",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("ticket_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("author_type", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Text(), nullable=False),
        sa.Column("author_name", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("email_message_id", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_ticket_message_ticket_id_ticket"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_message")),
    )
    op.create_index(
        "ix_message_email_id",
        "ticket_message",
        ["email_message_id"],
        unique=True,
        postgresql_where="email_message_id <> ''",
    )
    op.create_index("ix_message_ticket", "ticket_message", ["ticket_id", "created_at", "id"], unique=False)
    shipped_rows(op)


def downgrade() -> None:
    for table in ("ticket_message", "ticket", "intake_message", "client_tier", "sla_policy", "queue"):
        op.drop_table(table)
    op.execute("DROP SEQUENCE ticket_number_seq")
