"""Segments (dynamic and static), mail templates, mailings, recipients, clicks, the suppression list.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_suppression",
        sa.Column("email_key", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recipient_id", sa.UUID(as_uuid=False), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("email_key", name=op.f("pk_mail_suppression")),
    )
    op.create_table(
        "mail_template",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Text(), nullable=False),
        sa.Column("team_id", sa.Text(), nullable=True),
        sa.Column("shared_with", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_template")),
    )
    op.create_table(
        "segment",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("filters", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Text(), nullable=False),
        sa.Column("team_id", sa.Text(), nullable=True),
        sa.Column("shared_with", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segment")),
    )
    op.create_table(
        "mailing",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("template_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("segment_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("campaign_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("from_address", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Text(), nullable=False),
        sa.Column("team_id", sa.Text(), nullable=True),
        sa.Column("shared_with", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("send_requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_by", sa.Text(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], name=op.f("fk_mailing_campaign_id_campaign")),
        sa.ForeignKeyConstraint(["segment_id"], ["segment.id"], name=op.f("fk_mailing_segment_id_segment")),
        sa.ForeignKeyConstraint(
            ["template_id"], ["mail_template.id"], name=op.f("fk_mailing_template_id_mail_template")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mailing")),
    )
    op.create_index(op.f("ix_mailing_campaign_id"), "mailing", ["campaign_id"], unique=False)
    op.create_table(
        "segment_member",
        sa.Column("segment_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("record_kind", sa.Text(), nullable=False),
        sa.Column("record_id", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["segment_id"], ["segment.id"], name=op.f("fk_segment_member_segment_id_segment"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("segment_id", "record_kind", "record_id", name=op.f("pk_segment_member")),
    )
    op.create_table(
        "mail_recipient",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("mailing_id", sa.UUID(as_uuid=False), nullable=True),
        sa.Column("template_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("key", sa.Text(), nullable=True),
        sa.Column("record_kind", sa.Text(), nullable=False),
        sa.Column("record_id", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("merge", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("from_address", sa.Text(), nullable=False),
        sa.Column("campaign_id", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clicked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clicks", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["mailing_id"], ["mailing.id"], name=op.f("fk_mail_recipient_mailing_id_mailing")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_recipient")),
        sa.UniqueConstraint("key", name=op.f("uq_mail_recipient_key")),
        sa.UniqueConstraint("mailing_id", "record_kind", "record_id", name="uq_mail_recipient_mailing_record"),
    )
    op.create_index(
        "ix_mail_recipient_due",
        "mail_recipient",
        ["next_attempt_at"],
        unique=False,
        postgresql_where="status = 'queued'",
    )
    op.create_table(
        "mail_click",
        sa.Column("recipient_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["mail_recipient.id"],
            name=op.f("fk_mail_click_recipient_id_mail_recipient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("recipient_id", "url", name=op.f("pk_mail_click")),
    )


def downgrade() -> None:
    op.drop_table("mail_click")
    op.drop_index("ix_mail_recipient_due", table_name="mail_recipient", postgresql_where="status = 'queued'")
    op.drop_table("mail_recipient")
    op.drop_table("segment_member")
    op.drop_index(op.f("ix_mailing_campaign_id"), table_name="mailing")
    op.drop_table("mailing")
    op.drop_table("segment")
    op.drop_table("mail_template")
    op.drop_table("mail_suppression")
