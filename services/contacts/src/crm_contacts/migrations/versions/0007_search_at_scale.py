"""Search that stays fast at a million parties: phone fragments, name prefixes, no search_text trigrams.

- `phone_digits` (the normalized numbers joined by spaces, written by the service) with a GIN
  trigram index: any fragment of three or more digits, the last four or five included, is an
  index lookup.
- `name_key` in a C-collation b-tree: an exact or leading match of the normalized name is a
  range scan that also gives the order (names starting with the query, alphabetically).
- The GiST trigram index on `name_key` is rebuilt with 128-byte signatures (the default 12 cannot
  tell a million names apart: a nearest-first scan read most of the index), and this database's
  trigram thresholds are the floors search and duplicates use (`name_key % :key` at 0.5,
  `:text <% name_key` at 0.4), so the nearest-first scans prune by them instead of reading on
  until they find enough rows. The queries apply the same floors themselves too, so a database
  restored without these settings answers the same, only slower.
- `display_name, id` in a b-tree: a list sorted by name reads its page, not the whole table.
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
    op.create_index("ix_party_display_name", "party", ["display_name", "id"])
    op.drop_index("ix_party_search_trgm", table_name="party")
    op.drop_index("ix_party_name_key_trgm", table_name="party")
    op.execute("CREATE INDEX ix_party_name_key_trgm ON party USING gist (name_key gist_trgm_ops(siglen=128))")
    set_thresholds("0.5", "0.4")


def set_thresholds(similarity: str, word_similarity: str) -> None:
    for name, value in (("similarity_threshold", similarity), ("word_similarity_threshold", word_similarity)):
        op.execute(
            "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET pg_trgm."
            + name
            + " = "
            + value
            + "', current_database()); END $$"
        )


def downgrade() -> None:
    set_thresholds("0.3", "0.6")  # pg_trgm's defaults
    op.drop_index("ix_party_name_key_trgm", table_name="party")
    op.execute("CREATE INDEX ix_party_name_key_trgm ON party USING gist (name_key gist_trgm_ops)")
    op.execute("CREATE INDEX ix_party_search_trgm ON party USING gin (search_text gin_trgm_ops)")
    op.drop_index("ix_party_display_name", table_name="party")
    op.drop_index("ix_party_name_key_c", table_name="party")
    op.drop_index("ix_party_phone_digits_trgm", table_name="party")
    op.drop_column("party", "phone_digits")
