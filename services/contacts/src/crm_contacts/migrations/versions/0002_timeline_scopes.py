"""Timeline entries carry the access scopes of the records they reveal.

Entries written before this revision are keyed to the record their type names
(deal.*, task.*, party.*); their scope becomes known with that record's next
event. Entries of other types (payments, notes, processes) stay admin-only
until then: hidden is the safe default for a copy without a scope.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

from crm_core.migrations import create_access_scope_table

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_access_scope_table()
    op.add_column("timeline_entry", sa.Column("scope_keys", pg.ARRAY(sa.Text), nullable=False, server_default="{}"))
    op.execute(
        """
        UPDATE timeline_entry SET scope_keys = ARRAY[
          CASE split_part(type, '.', 1)
            WHEN 'deal' THEN 'deal:' || subject_id
            WHEN 'task' THEN 'task:' || subject_id
            WHEN 'party' THEN 'party:' || subject_id
            ELSE 'unscoped:' || event_id
          END]
        """
    )


def downgrade() -> None:
    op.drop_column("timeline_entry", "scope_keys")
    op.drop_table("access_scope")
