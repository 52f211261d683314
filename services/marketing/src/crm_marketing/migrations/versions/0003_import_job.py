"""The import job's lease (which replica works an import, until when) and the kind of imported parties.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("import_job", sa.Column("party_kind", sa.Text(), server_default="person", nullable=False))
    op.add_column("import_job", sa.Column("worker", sa.Text(), server_default="", nullable=False))
    op.add_column("import_job", sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_import_job_waiting",
        "import_job",
        ["created_at"],
        postgresql_where=sa.text("status IN ('queued', 'running')"),
    )
    op.create_index("ix_import_job_owner", "import_job", ["owner_id", "created_at"])
    op.create_index("ix_import_row_outcome", "import_row", ["import_id", "outcome", "row_number"])


def downgrade() -> None:
    op.drop_index("ix_import_row_outcome", table_name="import_row")
    op.drop_index("ix_import_job_owner", table_name="import_job")
    op.drop_index("ix_import_job_waiting", table_name="import_job")
    op.drop_column("import_job", "lease_until")
    op.drop_column("import_job", "worker")
    op.drop_column("import_job", "party_kind")
