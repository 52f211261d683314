"""Typed inputs of the task commands, each parsed once from its protobuf message.

`task_draft` holds every rule a task's values are judged by on their own
(the process engine builds its tasks through it too); the parse functions
turn a request into a TaskDraft, TaskChanges or Cancellation with it and
raise InvalidArgument naming each bad field. What needs stored data is
checked by the commands: the task type against the known ones, a deadline
in the past (domain.task_columns), the result code of an outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from crm.tasks.v1 import tasks_pb2 as pb
from crm_core.errors import CrmError, Validator, invalid
from crm_core.resources import with_fields
from crm_tasks.domain import (
    DEFAULT_REMIND_BEFORE,
    LINK_KINDS,
    MAX_DURATION,
    MAX_REMIND_BEFORE,
    PRIORITIES,
    TASK_MASK,
)

MAX_SUBJECT = 500
MAX_DESCRIPTION = 20000
MAX_LINK_ID = 100
MAX_REASON = 1000


@dataclass(frozen=True)
class TaskLink:
    """A CRM object a task is about."""

    kind: str
    id: str


@dataclass(frozen=True)
class TaskDraft:
    """A task's values, each valid by itself; assignee_id empty means the caller (a new task only)."""

    type: str = ""
    subject: str = ""
    description: str = ""
    due_at: datetime | None = None
    duration_minutes: int | None = None
    priority: str = "normal"
    assignee_id: str = ""
    co_executor_ids: tuple[str, ...] = ()
    watcher_ids: tuple[str, ...] = ()
    team_id: str | None = None
    links: tuple[TaskLink, ...] = ()
    remind_before_minutes: int = DEFAULT_REMIND_BEFORE


@dataclass(frozen=True)
class TaskChanges:
    """An UpdateTask: the masked paths, their new values, and why the deadline moves (if it does)."""

    paths: tuple[str, ...]
    values: TaskDraft
    due_change_reason: str = ""

    def applied_to(self, current: TaskDraft) -> TaskDraft:
        """`current` with the masked fields replaced (a value left out clears the field to its default)."""
        return with_fields(current, self.values, self.paths)


@dataclass(frozen=True)
class Cancellation:
    """A CancelTask: why (at most 1000 characters)."""

    task_id: str
    reason: str = ""
    expected_version: int = 0


def task_draft(
    *,
    type: str = "",
    subject: str = "",
    description: str = "",
    due_at: datetime | None = None,
    duration_minutes: int | None = None,
    priority: str = "",
    assignee_id: str = "",
    co_executor_ids: Iterable[str] = (),
    watcher_ids: Iterable[str] = (),
    team_id: str | None = None,
    links: Iterable[TaskLink] = (),
    remind_before_minutes: int | None = None,
    named: Callable[[str], bool] = lambda _: True,
    require_assignee: bool = False,
) -> TaskDraft:
    """A task's values checked by their rules (every problem at once); only the `named` ones for an update.

    Empty values take their defaults: priority normal, remind 15 minutes
    before the deadline, no duration (0), no team.
    """
    v = Validator()
    subject = subject.strip()
    if named("subject"):
        if not subject:
            v.add("subject", "required", "a task needs a subject")
        elif len(subject) > MAX_SUBJECT:
            v.add("subject", "too_long", f"subject must be at most {MAX_SUBJECT} characters")
    if named("description") and len(description) > MAX_DESCRIPTION:
        v.add("description", "too_long", f"description must be at most {MAX_DESCRIPTION} characters")
    priority = priority or "normal"
    if named("priority") and priority not in PRIORITIES:
        v.add("priority", "unknown_priority", f"priority must be one of {', '.join(PRIORITIES)}")
    duration = duration_minutes or None
    if named("duration_minutes") and duration is not None and not 0 < duration <= MAX_DURATION:
        v.add("duration_minutes", "out_of_range", f"duration must be 1..{MAX_DURATION} minutes")
    remind_before = DEFAULT_REMIND_BEFORE if remind_before_minutes is None else remind_before_minutes
    if named("remind_before_minutes") and not 0 <= remind_before <= MAX_REMIND_BEFORE:
        v.add("remind_before_minutes", "out_of_range", f"remind_before_minutes must be 0..{MAX_REMIND_BEFORE}")
    checked: list[TaskLink] = []
    for i, link in enumerate(links if named("links") else ()):
        if link.kind not in LINK_KINDS:
            v.add(f"links[{i}].kind", "unknown_link_kind", f"a task links to one of {', '.join(LINK_KINDS)}")
        elif not link.id or len(link.id) > MAX_LINK_ID:
            v.add(f"links[{i}].id", "required", "a link needs the id of the object")
        elif link not in checked:
            checked.append(link)
    if require_assignee and named("assignee_id") and not assignee_id:
        v.add("assignee_id", "required", "a task needs an assignee")
    v.raise_if_any()
    return TaskDraft(
        type=type,
        subject=subject,
        description=description,
        due_at=due_at,
        duration_minutes=duration,
        priority=priority,
        assignee_id=assignee_id,
        co_executor_ids=_unique(co_executor_ids),
        watcher_ids=_unique(watcher_ids),
        team_id=team_id or None,
        links=tuple(checked),
        remind_before_minutes=remind_before,
    )


def parse_task_draft(message: pb.Task, prefix: str = "") -> TaskDraft:
    """A new task (CreateTask's task, CompleteTask's next_task with prefix "next_task.")."""
    try:
        return _draft(message)
    except CrmError as error:
        for problem in error.fields:
            problem.field = prefix + problem.field
        raise


def parse_task_changes(request: pb.UpdateTaskRequest) -> TaskChanges:
    """An UpdateTask: the mask first, then each masked field; a task keeps an assignee."""
    paths = tuple(TASK_MASK.check(request.update_mask.paths))
    values = _draft(request.task, paths.__contains__, require_assignee=True)
    return TaskChanges(paths, values, request.due_change_reason)


def parse_cancellation(request: pb.CancelTaskRequest) -> Cancellation:
    """A CancelTask: the reason is at most 1000 characters."""
    if len(request.reason) > MAX_REASON:
        raise invalid("reason", "too_long", f"reason must be at most {MAX_REASON} characters")
    return Cancellation(request.id, request.reason, request.expected_version)


def _draft(
    message: pb.Task, named: Callable[[str], bool] = lambda _: True, require_assignee: bool = False
) -> TaskDraft:
    return task_draft(
        type=message.type,
        subject=message.subject,
        description=message.description,
        due_at=message.due_at.ToDatetime(tzinfo=UTC) if message.HasField("due_at") else None,
        duration_minutes=message.duration_minutes,
        priority=message.priority,
        assignee_id=message.assignee_id,
        co_executor_ids=message.co_executor_ids,
        watcher_ids=message.watcher_ids,
        team_id=message.team_id,
        links=[TaskLink(link.kind, link.id) for link in message.links],
        remind_before_minutes=message.remind_before_minutes if message.HasField("remind_before_minutes") else None,
        named=named,
        require_assignee=require_assignee,
    )


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))
