"""Tables of the knowledge base: categories, articles, their content versions and votes.

An article's search vector is a generated column: its title (weight A) and body (weight B) through the
text search configuration of its language ('russian' or 'english', so word forms match: "счета" finds
"счёт", "invoices" finds "invoice"), with a GIN index. Access is not a row's scope but its status and
visibility (knowledge_access.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Computed, ForeignKey, Index, Integer, Text
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR, UUID
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.db import new_id, utcnow
from crm_helpdesk.models import Base

__all__ = ["SEARCH_VECTOR", "TAGS_VECTOR", "ArticleRow", "ArticleVersionRow", "ArticleVoteRow", "CategoryRow"]

# The search vector: title and tags A, body B, each through its language's configuration. kb_tags_text
# (migration 0005) joins the tags: array_to_string is not immutable, as a generated column's expression must be.
_CONFIG = "CASE WHEN language = 'en' THEN 'english'::regconfig ELSE 'russian'::regconfig END"
TAGS_VECTOR = f"setweight(to_tsvector({_CONFIG}, kb_tags_text(tags)), 'A')"
SEARCH_VECTOR = (
    f"setweight(to_tsvector({_CONFIG}, title), 'A') || {TAGS_VECTOR} || setweight(to_tsvector({_CONFIG}, body), 'B')"
)


class CategoryRow(Base):
    """A section of the knowledge base, named in both languages."""

    __tablename__ = "kb_category"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    name_ru: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # The shipped categories have a key; writers' have none.
    shipped_key: Mapped[str | None] = mapped_column(Text, nullable=True, unique=True)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArticleRow(Base):
    """An article: its current title and body (also the last of its versions), status, visibility, counters."""

    __tablename__ = "kb_article"
    __table_args__ = (
        Index("ix_kb_article_search", "search_vector", postgresql_using="gin"),
        Index("ix_kb_article_updated", "updated_at", "id"),
        Index("ix_kb_article_category", "category_id", "status"),
        Index("ix_kb_article_tags", "tags", postgresql_using="gin"),
    )

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    category_id: Mapped[str | None] = mapped_column(ForeignKey("kb_category.id"), nullable=True)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(Text, default="ru")
    tags: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    status: Mapped[str] = mapped_column(Text, default="draft")
    visibility: Mapped[str] = mapped_column(Text, default="internal")
    author_id: Mapped[str] = mapped_column(Text)
    content_version: Mapped[int] = mapped_column(Integer, default=1)
    view_count: Mapped[int] = mapped_column(BigInteger, default=0)
    helpful_count: Mapped[int] = mapped_column(Integer, default=0)
    not_helpful_count: Mapped[int] = mapped_column(Integer, default=0)
    search_vector: Mapped[str] = mapped_column(TSVECTOR, Computed(SEARCH_VECTOR, persisted=True), deferred=True)
    published_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(BigInteger, default=1)


class ArticleVersionRow(Base):
    """A saved title and body of an article; never changed, so every earlier text can be read and restored."""

    __tablename__ = "kb_article_version"

    article_id: Mapped[str] = mapped_column(ForeignKey("kb_article.id", ondelete="CASCADE"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    restored_from: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArticleVoteRow(Base):
    """One voter's "was this helpful" on one article (a staff user id or "portal:<id>")."""

    __tablename__ = "kb_article_vote"

    article_id: Mapped[str] = mapped_column(ForeignKey("kb_article.id", ondelete="CASCADE"), primary_key=True)
    voter_id: Mapped[str] = mapped_column(Text, primary_key=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    voted_at: Mapped[datetime] = mapped_column(default=utcnow)
