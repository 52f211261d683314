"""Tasks, deadline history, task types and result codes (with the built-in ones).

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

from crm_core.migrations import create_core_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TASK_TYPES = [("call", "Call"), ("meeting", "Meeting"), ("email", "E-mail"), ("todo", "To-do")]
TASK_RESULTS = [("reached", "Reached"), ("no_answer", "No answer"), ("postponed", "Postponed"), ("other", "Other")]
OPEN = "status IN ('open', 'in_progress')"


def _reference_table(name: str) -> sa.Table:
    return op.create_table(
        name,
        sa.Column("code", sa.Text, primary_key=True),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("builtin", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("archived", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    )


def upgrade() -> None:
    create_core_tables()
    uuid_type = pg.UUID(as_uuid=False)
    text_array = pg.ARRAY(sa.Text)
    tz = sa.DateTime(timezone=True)
    now = sa.text("now()")
    task_type = _reference_table("task_type")
    task_result = _reference_table("task_result")

    op.create_table(
        "task",
        sa.Column("id", uuid_type, primary_key=True),
        sa.Column("type", sa.Text, sa.ForeignKey("task_type.code"), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("due_at", tz),
        sa.Column("duration_minutes", sa.Integer),
        sa.Column("priority", sa.Text, nullable=False, server_default="normal"),
        sa.Column("status", sa.Text, nullable=False, server_default="open"),
        sa.Column("assignee_id", sa.Text, nullable=False),
        sa.Column("co_executor_ids", text_array, nullable=False, server_default="{}"),
        sa.Column("watcher_ids", text_array, nullable=False, server_default="{}"),
        sa.Column("creator_id", sa.Text, nullable=False),
        sa.Column("team_id", sa.Text),
        sa.Column("links", pg.JSONB, nullable=False, server_default="[]"),
        sa.Column("party_ids", text_array, nullable=False, server_default="{}"),
        sa.Column("remind_before_minutes", sa.Integer, nullable=False, server_default="15"),
        sa.Column("remind_at", tz),
        sa.Column("reminder_sent_at", tz),
        sa.Column("overdue_notified_at", tz),
        sa.Column("result_code", sa.Text, sa.ForeignKey("task_result.code")),
        sa.Column("outcome", sa.Text, nullable=False, server_default=""),
        sa.Column("started_at", tz),
        sa.Column("completed_at", tz),
        sa.Column("completed_by", sa.Text),
        sa.Column("cancelled_at", tz),
        sa.Column("cancel_reason", sa.Text, nullable=False, server_default=""),
        sa.Column("follow_up_task_id", uuid_type),
        sa.Column("previous_task_id", uuid_type),
        sa.Column("version", sa.BigInteger, nullable=False, server_default="1"),
        sa.Column("created_at", tz, nullable=False, server_default=now),
        sa.Column("updated_at", tz, nullable=False, server_default=now),
        sa.CheckConstraint("status IN ('open', 'in_progress', 'done', 'cancelled')", name="task_status"),
        sa.CheckConstraint("priority IN ('low', 'normal', 'high', 'urgent')", name="task_priority"),
        sa.CheckConstraint("remind_before_minutes >= 0", name="task_remind_before"),
    )
    op.create_index("ix_task_assignee_due", "task", ["assignee_id", "due_at", "id"])
    op.create_index("ix_task_team_due", "task", ["team_id", "due_at", "id"])
    op.create_index("ix_task_creator", "task", ["creator_id"])
    op.create_index("ix_task_due", "task", ["due_at", "id"])
    op.create_index("ix_task_updated", "task", ["updated_at", "id"])
    for column in ("co_executor_ids", "watcher_ids", "party_ids"):
        op.create_index(f"ix_task_{column}", "task", [column], postgresql_using="gin")
    op.execute("CREATE INDEX ix_task_links ON task USING gin (links jsonb_path_ops)")
    # What the scheduler claims: open tasks whose overdue or reminder event is still to publish.
    op.execute(f"CREATE INDEX ix_task_overdue_pending ON task (due_at) WHERE overdue_notified_at IS NULL AND {OPEN}")
    op.execute(f"CREATE INDEX ix_task_reminder_pending ON task (remind_at) WHERE reminder_sent_at IS NULL AND {OPEN}")

    op.create_table(
        "task_due_change",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("task_id", uuid_type, sa.ForeignKey("task.id"), nullable=False),
        sa.Column("old_due_at", tz),
        sa.Column("new_due_at", tz),
        sa.Column("changed_by", sa.Text, nullable=False),
        sa.Column("changed_at", tz, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_index("ix_task_due_change_task", "task_due_change", ["task_id", "id"])
    op.bulk_insert(
        task_type,
        [{"code": c, "label": label, "builtin": True, "position": i} for i, (c, label) in enumerate(TASK_TYPES)],
    )
    op.bulk_insert(
        task_result,
        [{"code": c, "label": label, "builtin": True, "position": i} for i, (c, label) in enumerate(TASK_RESULTS)],
    )


def downgrade() -> None:
    for table in ("task_due_change", "task", "task_result", "task_type", "audit_entry", "inbox", "outbox"):
        op.drop_table(table)
