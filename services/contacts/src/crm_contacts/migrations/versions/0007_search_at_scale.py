"""Search that stays fast at a million parties: phone fragments, name prefixes, no search_text trigrams.

- `phone_digits` (the normalized numbers joined by spaces, written by the service) with a GIN
  trigram index: any fragment of three or more digits, the last four or five included, is an
  index lookup.
- `name_key` in a C-collation b-tree: an exact or leading match of the normalized name is a
  range scan that also gives the order (names starting with the query, alphabetically).
- The trigram index over the whole `search_text` goes: search reads words from the tsvector
  and substrings of names from `ix_party_name_trgm`; no query asks for a substring of the rest,
  and every insert paid for that index.

Revision ID: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("party", sa.Column("phone_digits", sa.Text(), nullable=False, server_default=""))
    op.execute("UPDATE party SET phone_digits = array_to_string(phones_norm, ' ') WHERE phones_norm <> '{}'")
    op.execute("CREATE INDEX ix_party_phone_digits_trgm ON party USING gin (phone_digits gin_trgm_ops)")
    op.execute('CREATE INDEX ix_party_name_key_c ON party ((name_key COLLATE "C"), id)')
    op.drop_index("ix_party_search_trgm", table_name="party")


def downgrade() -> None:
    op.execute("CREATE INDEX ix_party_search_trgm ON party USING gin (search_text gin_trgm_ops)")
    op.drop_index("ix_party_name_key_c", table_name="party")
    op.drop_index("ix_party_phone_digits_trgm", table_name="party")
    op.drop_column("party", "phone_digits")
