"""Tables of the tasks database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Identity, Integer, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.db import Base, new_id, utcnow

__all__ = ["Base", "DueChange", "Task", "TaskResult", "TaskType"]


class Task(Base):
    """A task or activity: what, when, who, about what, and how it ended."""

    __tablename__ = "task"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    type: Mapped[str] = mapped_column(Text, ForeignKey("task_type.code"))
    subject: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    due_at: Mapped[datetime | None]
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    priority: Mapped[str] = mapped_column(Text, default="normal")
    status: Mapped[str] = mapped_column(Text, default="open")
    assignee_id: Mapped[str] = mapped_column(Text)
    co_executor_ids: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    watcher_ids: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    creator_id: Mapped[str] = mapped_column(Text)
    team_id: Mapped[str | None] = mapped_column(Text)
    # [{"kind": "party", "id": "..."}, ...]; party_ids repeats the parties for events and filters.
    links: Mapped[list] = mapped_column(JSONB, default=list)
    party_ids: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    remind_before_minutes: Mapped[int] = mapped_column(Integer, default=15)
    # due_at - remind_before_minutes, kept so the scheduler finds due reminders by index.
    remind_at: Mapped[datetime | None]
    reminder_sent_at: Mapped[datetime | None]
    overdue_notified_at: Mapped[datetime | None]
    result_code: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    completed_by: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    follow_up_task_id: Mapped[str | None] = mapped_column(UUID(as_uuid=False))
    previous_task_id: Mapped[str | None] = mapped_column(UUID(as_uuid=False))
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DueChange(Base):
    """One move of a task's deadline: who, when, why."""

    __tablename__ = "task_due_change"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    task_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("task.id"))
    old_due_at: Mapped[datetime | None]
    new_due_at: Mapped[datetime | None]
    changed_by: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)


class TaskType(Base):
    __tablename__ = "task_type"

    code: Mapped[str] = mapped_column(Text, primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class TaskResult(Base):
    """A result code of a completed task (reached, no_answer, ...)."""

    __tablename__ = "task_result"

    code: Mapped[str] = mapped_column(Text, primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
