"""E-mail and phone indexes without a pending list, for bulk creates' look-ups.

The GIN indexes of `emails_norm` and `phones_norm` were built with `fastupdate` (the default):
new entries wait in a pending list that every search reads through until a vacuum merges it.
After a bulk load that list holds thousands of entries and each look-up scanned them all
(0.7 ms instead of 4 µs, measured on 10,000 fresh parties). Without it an insert updates the
index at once, which for arrays of one or two values costs little. (Exact name keys are looked
up through `ix_party_name_key_c`, migration 0007.)

Revision ID: 0008
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for column in ("emails_norm", "phones_norm"):
        op.execute(f"ALTER INDEX ix_party_{column} SET (fastupdate = off)")


def downgrade() -> None:
    for column in ("emails_norm", "phones_norm"):
        op.execute(f"ALTER INDEX ix_party_{column} RESET (fastupdate)")
