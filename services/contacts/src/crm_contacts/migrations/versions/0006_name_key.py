"""The normalized name duplicates compare (`party.name_key`) and its GiST trigram index.

The key is computed by the service at write time (crm_contacts.names.name_key). Unlike 0004,
this migration imports that rule instead of copying it: the column is only worth anything if
every row holds the key the service would write today, and a later change of the rule comes
with its own backfill. The GiST index (gist_trgm_ops) answers `name_key <-> :key` nearest
first, so a duplicate check reads a bounded number of entries whatever the table's size.

Revision ID: 0006
"""

import sqlalchemy as sa
from alembic import op

from crm_contacts.names import name_key

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade() -> None:
    op.add_column("party", sa.Column("name_key", sa.Text(), nullable=False, server_default=""))
    bind = op.get_bind()
    select = sa.text(
        "SELECT id, display_name, kind FROM party WHERE id > CAST(:after AS uuid) ORDER BY id LIMIT :limit"
    )
    update = sa.text("UPDATE party SET name_key = :name_key WHERE id = CAST(:id AS uuid)")
    after = "00000000-0000-0000-0000-000000000000"
    while rows := bind.execute(select, {"after": after, "limit": BATCH}).all():
        bind.execute(
            update, [{"id": str(party_id), "name_key": name_key(name or "", kind)} for party_id, name, kind in rows]
        )
        after = str(rows[-1][0])
    op.execute("CREATE INDEX ix_party_name_key_trgm ON party USING gist (name_key gist_trgm_ops)")


def downgrade() -> None:
    op.drop_index("ix_party_name_key_trgm", table_name="party")
    op.drop_column("party", "name_key")
