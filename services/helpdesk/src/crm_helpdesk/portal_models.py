"""Tables of the customer portal: its users (client contacts, separate from staff users).

A portal user is a person in contacts (`party_id`) of an organisation (`organisation_id`, a company party):
they see and file only that organisation's tickets (or, without one, their own) and public articles.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Index, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.db import new_id, utcnow
from crm_helpdesk.models import Base

__all__ = ["PortalUserRow"]


class PortalUserRow(Base):
    """A client contact invited to the portal; signs in with e-mail and a password they set from the invitation."""

    __tablename__ = "portal_user"
    __table_args__ = (Index("ix_portal_user_email", "email", unique=True),)

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
