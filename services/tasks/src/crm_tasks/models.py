"""Tables of the tasks database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Identity, Integer, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from crm_core.common.code_lists import CodeColumns
from crm_core.db import new_id, service_registry, utcnow
from crm_tasks import DOMAIN

__all__ = [
    "Base",
    "DueChange",
    "ProcessDefinition",
    "ProcessInstance",
    "ProcessJob",
    "ProcessRole",
    "ProcessStepRun",
    "Task",
    "TaskResult",
    "TaskType",
]


class Base(DeclarativeBase):
    """Declarative base of the tasks database: its own tables and crm_core's (service_registry)."""

    registry = service_registry(DOMAIN, access_scopes=True)


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
    # Set on a process's user task: completing it advances that instance.
    process_instance_id: Mapped[str | None] = mapped_column(UUID(as_uuid=False))
    process_step_id: Mapped[str | None] = mapped_column(Text)
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


class TaskType(CodeColumns, Base):
    """A type of task (call, meeting, ...): the code list task_types (crm_core.common)."""

    __tablename__ = "task_type"


class TaskResult(CodeColumns, Base):
    """A result code of a completed task (reached, no_answer, ...): the code list task_results."""

    __tablename__ = "task_result"


class ProcessDefinition(Base):
    """One version of a process definition; a new upload of a key is its next version."""

    __tablename__ = "process_definition"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    key: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    trigger_event: Mapped[str] = mapped_column(Text)
    # Only the newest version of a key starts instances, and only while active.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(Text)
    source_format: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProcessInstance(Base):
    """A running (or finished) process: its version, variables, record and current step."""

    __tablename__ = "process_instance"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    definition_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("process_definition.id"))
    definition_key: Mapped[str] = mapped_column(Text)
    definition_version: Mapped[int] = mapped_column(Integer)
    # running -> completed | failed (an incident an admin can retry) | cancelled
    status: Mapped[str] = mapped_column(Text, default="running")
    current_step: Mapped[str | None] = mapped_column(Text)
    variables: Mapped[dict] = mapped_column(JSONB, default=dict)
    record_kind: Mapped[str] = mapped_column(Text, default="")
    record_id: Mapped[str] = mapped_column(Text, default="")
    party_ids: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    started_by: Mapped[str] = mapped_column(Text)
    trigger_event_id: Mapped[str | None] = mapped_column(UUID(as_uuid=False))
    # When the starting event happened (its occurred_at): start latency = started_at - triggered_at.
    triggered_at: Mapped[datetime | None]
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(BigInteger, default=1)


class ProcessStepRun(Base):
    """One visit of an instance to a step: when it entered and left, its task or timer, what came of it."""

    __tablename__ = "process_step_run"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    instance_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("process_instance.id"))
    step_id: Mapped[str] = mapped_column(Text)
    step_type: Mapped[str] = mapped_column(Text)
    entered_at: Mapped[datetime]
    left_at: Mapped[datetime | None]
    # The user task's deadline or the timer's wake-up time; a step past it is late.
    due_at: Mapped[datetime | None]
    task_id: Mapped[str | None] = mapped_column(UUID(as_uuid=False))
    result: Mapped[str] = mapped_column(Text, default="")


class ProcessJob(Base):
    """Work the process worker does later: a timer firing or a call to another system."""

    __tablename__ = "process_job"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    instance_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("process_instance.id"))
    step_id: Mapped[str] = mapped_column(Text)
    step_run_id: Mapped[int] = mapped_column(BigInteger)
    # "timer", "webhook" or "update_record"
    kind: Mapped[str] = mapped_column(Text)
    run_at: Mapped[datetime]
    # pending -> done | failed | dropped (its instance moved on or was cancelled)
    status: Mapped[str] = mapped_column(Text, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # traceparent/tracestate of the span that scheduled the job (the event's handling): its run joins that trace.
    trace_context: Mapped[dict] = mapped_column(JSONB, default=dict, server_default=text("'{}'::jsonb"))


class ProcessRole(Base):
    """A role of process definitions ("accountant"): its tasks go to the least busy member."""

    __tablename__ = "process_role"

    code: Mapped[str] = mapped_column(Text, primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    member_ids: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
