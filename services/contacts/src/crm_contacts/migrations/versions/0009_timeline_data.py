"""Timeline entries keep their event's payload (`data`), so clients write them in the reader's language.

Entries projected before stay without it (NULL): clients show their summary.

Revision ID: 0009
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("timeline_entry", sa.Column("data", JSONB, nullable=True))


def downgrade() -> None:
    op.drop_column("timeline_entry", "data")
