"""Tables of attachments: one row per attached file, one per version of it (migration 0003_attachments).

The bytes are not here: each version names its blob in the blob store (blobs.py)
by the key the store gave, written only after the blob is complete.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.db import new_id, utcnow
from crm_documents.models import Base


class Attachment(Base):
    """A file attached to a record of another service (party, deal, task); soft-deleted, never removed."""

    __tablename__ = "attachment"
    __table_args__ = (Index("ix_attachment_record", "record_type", "record_id", "created_at"),)

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    # "party", "deal" or "task" (attachments.RECORD_TYPES).
    record_type: Mapped[str] = mapped_column(Text)
    record_id: Mapped[str] = mapped_column(Text)
    latest_version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)
    deleted_by: Mapped[str | None] = mapped_column(Text, default=None)


class AttachmentVersion(Base):
    """One uploaded content of an attachment: its name, the sniffed type, size, checksum and blob."""

    __tablename__ = "attachment_version"

    attachment_id: Mapped[str] = mapped_column(
        UUID(as_uuid=False), ForeignKey("attachment.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    filename: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(Text)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(Text)
    blob_key: Mapped[str] = mapped_column(Text)
    uploaded_by: Mapped[str] = mapped_column(Text)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
