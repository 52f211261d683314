"""REST shapes of tasks, their outcomes, counters, task types and result codes (mirror crm.tasks.v1).

A task's request shapes check shape only: types, required fields, and lengths
as a sanity bound no lower than the tasks service's own limit. Priorities,
durations, reminder times, link kinds and task types are the service's rules,
answered with its code (`unknown_priority`, `out_of_range`, ...), so a value
is judged the same way through REST and through gRPC. See docs/tasks.md.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from crm_gateway.schemas.common import Moment, Out, Strict

Id = Field(None, max_length=64)
UserIds = Field(None, max_length=50)


class TaskLinkIn(Strict):
    kind: str = Field(max_length=64, description="party, deal, lead, ticket, document or campaign")
    id: str = Field(max_length=100)


class TaskFields(Strict):
    type: str | None = Field(None, max_length=40, description="A task type code: call, meeting, email, todo, ...")
    subject: str | None = Field(None, max_length=500)
    description: str | None = Field(None, max_length=20000)
    due_at: Moment | None = Field(None, description="ISO 8601 with an offset, e.g. 2026-12-01T10:00:00+03:00")
    duration_minutes: int | None = Field(None, description="Meetings: 1-1440 minutes; 0 or null: none")
    priority: str | None = Field(None, max_length=64, description="low, normal (default), high or urgent")
    assignee_id: str | None = Field(None, max_length=64, description="Empty: you")
    co_executor_ids: list[str] | None = UserIds
    watcher_ids: list[str] | None = UserIds
    team_id: str | None = Field(None, max_length=64, description="Empty: your team when you have exactly one")
    links: list[TaskLinkIn] | None = Field(None, max_length=50, description="CRM objects the task is about")
    remind_before_minutes: int | None = Field(
        None, description="Minutes before due_at for the reminder: 0-10080 (default 15; 0: none)"
    )


class TaskCreate(TaskFields):
    type: str = Field(max_length=40, description="A task type code: call, meeting, email, todo, ...")
    subject: str = Field(max_length=500)


class TaskPatch(TaskFields):
    due_change_reason: str | None = Field(None, max_length=1000, description="Why the deadline moved (required then)")


class Completion(Strict):
    result_code: str = Field(max_length=40, description="reached, no_answer, postponed, other, ...")
    text: str = Field("", max_length=5000, description="What happened")
    next_task: TaskFields | None = Field(
        None,
        description="The follow-up task, created in the same transaction (links, assignee, team default to this task's)",
    )


class Cancellation(Strict):
    reason: str = Field("", max_length=1000)


class TaskLinkOut(Out):
    kind: str
    id: str


class DueChangeOut(Out):
    old_due_at: datetime | None = None
    new_due_at: datetime | None = None
    changed_by: str
    changed_at: datetime
    reason: str


class OutcomeOut(Out):
    result_code: str
    text: str = ""


class TaskOut(Out):
    id: str
    type: str
    subject: str
    description: str = ""
    due_at: datetime | None = None
    duration_minutes: int = 0
    priority: str
    status: str
    assignee_id: str
    co_executor_ids: list[str] = []
    watcher_ids: list[str] = []
    creator_id: str
    team_id: str = ""
    links: list[TaskLinkOut] = []
    remind_before_minutes: int = 15
    overdue: bool = False
    outcome: OutcomeOut | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str = ""
    follow_up_task_id: str = ""
    previous_task_id: str = ""
    due_changes: list[DueChangeOut] = []
    overdue_notified_at: datetime | None = None
    version: int
    created_at: datetime
    updated_at: datetime
    process_instance_id: str = Field("", description="The process instance whose step created this task")
    process_step_id: str = ""


class CompletionOut(Out):
    task: TaskOut
    next_task: TaskOut | None = None


class CountsOut(Out):
    open: int = 0
    due_today: int = 0
    overdue: int = 0


class UserCountsOut(Out):
    user_id: str
    counts: CountsOut


class TeamCountsOut(Out):
    team_id: str
    counts: CountsOut


class CountersOut(Out):
    mine: CountsOut
    users: list[UserCountsOut] = []
    teams: list[TeamCountsOut] = []
