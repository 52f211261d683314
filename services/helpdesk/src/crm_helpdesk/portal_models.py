"""Tables of the customer portal and NPS: portal users (client contacts, separate from staff users), their
invitations and sessions; NPS surveys and their recipients (with their answers).

A portal user is a person in contacts (`party_id`) of an organisation (`organisation_id`, a company party):
they see and file only that organisation's tickets (or, without one, their own) and public articles.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.db import new_id, utcnow
from crm_helpdesk.models import Base

__all__ = ["NpsRecipientRow", "NpsSurveyRow", "PortalInvitationRow", "PortalSessionRow", "PortalUserRow"]


class PortalUserRow(Base):
    """A client contact invited to the portal; signs in with e-mail and a password they set from the invitation."""

    __tablename__ = "portal_user"
    __table_args__ = (
        Index("ix_portal_user_email", "email", unique=True),
        Index("ix_portal_user_party", "party_id"),
        Index("ix_portal_user_organisation", "organisation_id"),
    )

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    # Lower-case; one portal user per address.
    email: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text, default="")
    party_id: Mapped[str] = mapped_column(Text)
    organisation_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    language: Mapped[str] = mapped_column(Text, default="ru")
    # argon2; None until the invitation is accepted.
    password_hash: Mapped[str | None] = mapped_column(Text, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    invited_by: Mapped[str] = mapped_column(Text, default="")
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    activated_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(BigInteger, default=1)


class PortalInvitationRow(Base):
    """A one-time link that lets a portal user set their password: only its token's SHA-256 is kept.

    A new invitation of the same user replaces the earlier one (`replaced_at`); accepting uses it up.
    """

    __tablename__ = "portal_invitation"
    __table_args__ = (Index("ix_portal_invitation_user", "portal_user_id"),)

    token_hash: Mapped[str] = mapped_column(Text, primary_key=True)
    portal_user_id: Mapped[str] = mapped_column(ForeignKey("portal_user.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(nullable=True)
    replaced_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_by: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PortalSessionRow(Base):
    """One login of a portal user; the gateway's portal tokens name it and hold only while it is live."""

    __tablename__ = "portal_session"
    __table_args__ = (Index("ix_portal_session_user", "portal_user_id"),)

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    portal_user_id: Mapped[str] = mapped_column(ForeignKey("portal_user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # "logout" or "deactivated".
    ended_reason: Mapped[str] = mapped_column(Text, default="")


class NpsSurveyRow(Base):
    """An NPS survey of a marketing segment's people; its access is its owner's and team's (crm_core.acl)."""

    __tablename__ = "nps_survey"
    __table_args__ = (Index("ix_nps_survey_created", "created_at", "id"),)

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(Text)
    question_ru: Mapped[str] = mapped_column(Text)
    question_en: Mapped[str] = mapped_column(Text)
    segment_id: Mapped[str] = mapped_column(Text)
    # "draft" until first sent, then "sent".
    status: Mapped[str] = mapped_column(Text, default="draft")
    owner_id: Mapped[str] = mapped_column(Text)
    team_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    shared_with: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(BigInteger, default=1)


class NpsRecipientRow(Base):
    """A person a survey was mailed to, their one-time link (hashed) and their answer (once)."""

    __tablename__ = "nps_recipient"
    __table_args__ = (
        UniqueConstraint("survey_id", "party_id", name="uq_nps_recipient_party"),
        Index("ix_nps_recipient_answered", "survey_id", "answered_at", "id"),
    )

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    survey_id: Mapped[str] = mapped_column(ForeignKey("nps_survey.id", ondelete="CASCADE"))
    party_id: Mapped[str] = mapped_column(Text)
    organisation_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    name: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(Text, default="ru")
    token_hash: Mapped[str] = mapped_column(Text, unique=True)
    # "pending" (being mailed), "sent", "failed" (mailed again by the next send).
    status: Mapped[str] = mapped_column(Text, default="pending")
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)
    error: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
