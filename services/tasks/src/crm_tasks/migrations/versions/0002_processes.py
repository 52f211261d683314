"""Business processes: definitions (versioned), instances, step runs, jobs (timers, calls), roles.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    uuid_type = pg.UUID(as_uuid=False)
    tz = sa.DateTime(timezone=True)
    now = sa.text("now()")
    op.add_column("task", sa.Column("process_instance_id", uuid_type))
    op.add_column("task", sa.Column("process_step_id", sa.Text))
    op.create_index("ix_task_process_instance", "task", ["process_instance_id"])

    op.create_table(
        "process_definition",
        sa.Column("id", uuid_type, primary_key=True),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("trigger_event", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default="true"),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("source_format", sa.Text, nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", tz, nullable=False, server_default=now),
        sa.UniqueConstraint("key", "version", name="uq_process_definition_key_version"),
    )
    op.create_index("ix_process_definition_trigger", "process_definition", ["trigger_event"])

    op.create_table(
        "process_instance",
        sa.Column("id", uuid_type, primary_key=True),
        sa.Column("definition_id", uuid_type, sa.ForeignKey("process_definition.id"), nullable=False),
        sa.Column("definition_key", sa.Text, nullable=False),
        sa.Column("definition_version", sa.Integer, nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default="running"),
        sa.Column("current_step", sa.Text),
        sa.Column("variables", pg.JSONB, nullable=False, server_default="{}"),
        sa.Column("record_kind", sa.Text, nullable=False, server_default=""),
        sa.Column("record_id", sa.Text, nullable=False, server_default=""),
        sa.Column("party_ids", pg.ARRAY(sa.Text), nullable=False, server_default="{}"),
        sa.Column("started_by", sa.Text, nullable=False),
        sa.Column("trigger_event_id", uuid_type),
        sa.Column("triggered_at", tz),
        sa.Column("started_at", tz, nullable=False),
        sa.Column("finished_at", tz),
        sa.Column("error", sa.Text, nullable=False, server_default=""),
        sa.Column("version", sa.BigInteger, nullable=False, server_default="1"),
    )
    op.create_index("ix_process_instance_key_started", "process_instance", ["definition_key", "started_at"])
    op.create_index("ix_process_instance_status_started", "process_instance", ["status", "started_at"])
    op.create_index("ix_process_instance_record", "process_instance", ["record_id"])

    op.create_table(
        "process_step_run",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("instance_id", uuid_type, sa.ForeignKey("process_instance.id"), nullable=False),
        sa.Column("step_id", sa.Text, nullable=False),
        sa.Column("step_type", sa.Text, nullable=False),
        sa.Column("entered_at", tz, nullable=False),
        sa.Column("left_at", tz),
        sa.Column("due_at", tz),
        sa.Column("task_id", uuid_type),
        sa.Column("result", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_process_step_run_instance", "process_step_run", ["instance_id", "id"])
    op.create_index(
        "ix_process_step_run_late", "process_step_run", ["due_at"], postgresql_where=sa.text("left_at IS NULL")
    )

    op.create_table(
        "process_job",
        sa.Column("id", uuid_type, primary_key=True),
        sa.Column("instance_id", uuid_type, sa.ForeignKey("process_instance.id"), nullable=False),
        sa.Column("step_id", sa.Text, nullable=False),
        sa.Column("step_run_id", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("run_at", tz, nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_process_job_due", "process_job", ["run_at"], postgresql_where=sa.text("status = 'pending'"))

    op.create_table(
        "process_role",
        sa.Column("code", sa.Text, primary_key=True),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("member_ids", pg.ARRAY(sa.Text), nullable=False, server_default="{}"),
    )


def downgrade() -> None:
    for table in ("process_role", "process_job", "process_step_run", "process_instance", "process_definition"):
        op.drop_table(table)
    op.drop_index("ix_task_process_instance", "task")
    op.drop_column("task", "process_step_id")
    op.drop_column("task", "process_instance_id")
