"""The customer portal: portal users, their invitations and sessions; CSAT and NPS surveys.

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
        "portal_user",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("party_id", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.Text(), nullable=True),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("invited_by", sa.Text(), nullable=False),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_user")),
    )
    op.create_index("ix_portal_user_email", "portal_user", ["email"], unique=True)
    op.create_index("ix_portal_user_party", "portal_user", ["party_id"])
    op.create_index("ix_portal_user_organisation", "portal_user", ["organisation_id"])
    op.create_table(
        "portal_invitation",
        sa.Column("token_hash", sa.Text(), nullable=False),
        sa.Column("portal_user_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["portal_user_id"],
            ["portal_user.id"],
            name=op.f("fk_portal_invitation_portal_user_id_portal_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_portal_invitation")),
    )
    op.create_index("ix_portal_invitation_user", "portal_invitation", ["portal_user_id"])
    op.create_table(
        "portal_session",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("portal_user_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["portal_user_id"],
            ["portal_user.id"],
            name=op.f("fk_portal_session_portal_user_id_portal_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_session")),
    )
    op.create_index("ix_portal_session_user", "portal_session", ["portal_user_id"])
    op.create_table(
        "nps_survey",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("question_ru", sa.Text(), nullable=False),
        sa.Column("question_en", sa.Text(), nullable=False),
        sa.Column("segment_id", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Text(), nullable=False),
        sa.Column("team_id", sa.Text(), nullable=True),
        sa.Column("shared_with", sa.ARRAY(sa.Text()), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nps_survey")),
    )
    op.create_index("ix_nps_survey_created", "nps_survey", ["created_at", "id"])
    op.create_table(
        "nps_recipient",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("survey_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("party_id", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("token_hash", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["nps_survey.id"], name=op.f("fk_nps_recipient_survey_id_nps_survey"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nps_recipient")),
        sa.UniqueConstraint("survey_id", "party_id", name="uq_nps_recipient_party"),
        sa.UniqueConstraint("token_hash", name=op.f("uq_nps_recipient_token_hash")),
    )
    op.create_index("ix_nps_recipient_answered", "nps_recipient", ["survey_id", "answered_at", "id"])


def downgrade() -> None:
    op.drop_table("nps_recipient")
    op.drop_table("nps_survey")
    op.drop_table("portal_session")
    op.drop_table("portal_invitation")
    op.drop_table("portal_user")
