"""The knowledge base: categories, articles and their versions, votes.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

from crm_core.db import new_id, utcnow
from crm_helpdesk.knowledge_shipped import CATEGORIES

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The search vector as this revision made it (0005 adds the tags).
SEARCH_VECTOR = (
    "setweight(to_tsvector(CASE WHEN language = 'en' THEN 'english'::regconfig ELSE 'russian'::regconfig END,"
    " title), 'A') || "
    "setweight(to_tsvector(CASE WHEN language = 'en' THEN 'english'::regconfig ELSE 'russian'::regconfig END,"
    " body), 'B')"
)


def upgrade() -> None:
    category = op.create_table(
        "kb_category",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("name_ru", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("shipped_key", sa.Text(), nullable=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_category")),
        sa.UniqueConstraint("shipped_key", name=op.f("uq_kb_category_shipped_key")),
    )
    op.create_table(
        "kb_article",
        sa.Column("id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("category_id", sa.UUID(as_uuid=False), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("tags", pg.ARRAY(sa.Text()), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("visibility", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Text(), nullable=False),
        sa.Column("content_version", sa.Integer(), nullable=False),
        sa.Column("view_count", sa.BigInteger(), nullable=False),
        sa.Column("helpful_count", sa.Integer(), nullable=False),
        sa.Column("not_helpful_count", sa.Integer(), nullable=False),
        sa.Column("search_vector", pg.TSVECTOR(), sa.Computed(SEARCH_VECTOR, persisted=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"], ["kb_category.id"], name=op.f("fk_kb_article_category_id_kb_category")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_article")),
    )
    op.create_index("ix_kb_article_search", "kb_article", ["search_vector"], postgresql_using="gin")
    op.create_index("ix_kb_article_updated", "kb_article", ["updated_at", "id"])
    op.create_index("ix_kb_article_category", "kb_article", ["category_id", "status"])
    op.create_index("ix_kb_article_tags", "kb_article", ["tags"], postgresql_using="gin")
    op.create_table(
        "kb_article_version",
        sa.Column("article_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("restored_from", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["kb_article.id"],
            name=op.f("fk_kb_article_version_article_id_kb_article"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "number", name=op.f("pk_kb_article_version")),
    )
    op.create_table(
        "kb_article_vote",
        sa.Column("article_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("voter_id", sa.Text(), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("voted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["kb_article.id"], name=op.f("fk_kb_article_vote_article_id_kb_article"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("article_id", "voter_id", name=op.f("pk_kb_article_vote")),
    )
    now = utcnow()
    op.bulk_insert(
        category,
        [
            {
                "id": new_id(),
                "name_ru": name_ru,
                "name_en": name_en,
                "position": position,
                "shipped_key": key,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for key, (name_ru, name_en, position) in CATEGORIES.items()
        ],
    )


def downgrade() -> None:
    op.drop_table("kb_article_vote")
    op.drop_table("kb_article_version")
    op.drop_table("kb_article")
    op.drop_table("kb_category")
