"""An article's tags are searched with its title (weight A).

Revision ID: 0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

from crm_helpdesk.knowledge_models import SEARCH_VECTOR, TAGS_VECTOR

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# A generated column's expression must be immutable; array_to_string is only stable (its element types could
# print by settings), which for text[] they do not.
TAGS_TEXT = """
CREATE FUNCTION kb_tags_text(tags text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
AS $$ SELECT array_to_string(tags, ' ') $$
"""


def _search_vector(expression: str) -> None:
    op.drop_index("ix_kb_article_search", table_name="kb_article")
    op.drop_column("kb_article", "search_vector")
    op.add_column(
        "kb_article",
        sa.Column("search_vector", pg.TSVECTOR(), sa.Computed(expression, persisted=True), nullable=False),
    )
    op.create_index("ix_kb_article_search", "kb_article", ["search_vector"], postgresql_using="gin")


def upgrade() -> None:
    op.execute(TAGS_TEXT)
    _search_vector(SEARCH_VECTOR)


def downgrade() -> None:
    _search_vector(SEARCH_VECTOR.replace(f" || {TAGS_VECTOR}", ""))  # revision 0003's: title and body
    op.execute("DROP FUNCTION kb_tags_text(text[])")
