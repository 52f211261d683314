"""Rules of tasks: how its status moves, when it is due, overdue or to be reminded.

Pure functions on plain values, so they are tested without servers; the
commands apply them inside a transaction. What a task's values may be is
in inputs.py (task_draft).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crm_core.errors import FailedPrecondition, Validator, invalid
from crm_core.resources import FieldMask

if TYPE_CHECKING:
    from crm_tasks.inputs import TaskDraft

PRIORITIES = ("low", "normal", "high", "urgent")
STATUSES = ("open", "in_progress", "done", "cancelled")
OPEN_STATUSES = ("open", "in_progress")
LINK_KINDS = ("party", "deal", "lead", "ticket", "document", "campaign")
DEFAULT_REMIND_BEFORE = 15
MAX_REMIND_BEFORE = 7 * 24 * 60
MAX_DURATION = 24 * 60
CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Fields a task update may name.
UPDATABLE = (
    "type",
    "subject",
    "description",
    "due_at",
    "duration_minutes",
    "priority",
    "assignee_id",
    "co_executor_ids",
    "watcher_ids",
    "team_id",
    "links",
    "remind_before_minutes",
)
TASK_MASK = FieldMask(UPDATABLE)


def task_columns(
    draft: TaskDraft,
    types: Collection[str],
    now: datetime,
    *,
    allow_past_due: bool = False,
    due_changed: bool = True,
) -> dict[str, Any]:
    """A task's columns from its checked values, after the rules that need stored data or the time.

    The type must be a known one (`unknown_type`); a deadline being set must
    not be in the past unless `allow_past_due` (`due_in_past`), so an overdue
    task can still be edited when its deadline is left alone.
    """
    v = Validator()
    if draft.type not in types:
        v.add("type", "unknown_type", f"unknown task type '{draft.type}' (known: {', '.join(sorted(types))})")
    due_at = draft.due_at
    if due_at is not None and due_changed and due_at < now and not allow_past_due:
        v.add("due_at", "due_in_past", f"due time {due_at.isoformat()} is in the past (allow_past_due to record it)")
    v.raise_if_any()
    links = [{"kind": link.kind, "id": link.id} for link in draft.links]
    return {
        "type": draft.type,
        "subject": draft.subject,
        "description": draft.description,
        "due_at": due_at,
        "duration_minutes": draft.duration_minutes,
        "priority": draft.priority,
        "assignee_id": draft.assignee_id,
        "co_executor_ids": list(draft.co_executor_ids),
        "watcher_ids": list(draft.watcher_ids),
        "team_id": draft.team_id,
        "links": links,
        "party_ids": [link.id for link in draft.links if link.kind == "party"],
        "remind_before_minutes": draft.remind_before_minutes,
        "remind_at": remind_at(due_at, draft.remind_before_minutes),
    }


def remind_at(due_at: datetime | None, remind_before_minutes: int) -> datetime | None:
    """When task.reminder_due is published: remind_before_minutes before the deadline."""
    return None if due_at is None else due_at - timedelta(minutes=remind_before_minutes)


def is_overdue(status: str, due_at: datetime | None, now: datetime) -> bool:
    """An open or in-progress task whose deadline has passed."""
    return status in OPEN_STATUSES and due_at is not None and due_at < now


def reminder_is_due(
    status: str, due_at: datetime | None, remind_at_: datetime | None, sent: bool, now: datetime
) -> bool:
    """The scheduler's reminder rule (its SQL twin is in repository.claim_due_reminders).

    A reminder goes out once, between remind_at and the deadline; after the
    deadline the overdue event says it instead.
    """
    return (
        status in OPEN_STATUSES
        and not sent
        and due_at is not None
        and remind_at_ is not None
        and remind_at_ <= now < due_at
    )


def overdue_is_due(status: str, due_at: datetime | None, notified: bool, now: datetime) -> bool:
    """The scheduler's overdue rule (its SQL twin is in repository.claim_overdue)."""
    return is_overdue(status, due_at, now) and not notified


def check_can_start(status: str) -> None:
    """open -> in_progress only."""
    if status == "in_progress":
        raise FailedPrecondition("already_started", "the task is already in progress")
    _check_open(status)


def check_can_complete(status: str) -> None:
    """open or in_progress -> done."""
    _check_open(status)


def check_can_cancel(status: str) -> None:
    """open or in_progress -> cancelled."""
    _check_open(status)


def check_can_edit(status: str) -> None:
    if status not in OPEN_STATUSES:
        raise FailedPrecondition("task_closed", f"a {status} task cannot be changed")


def _check_open(status: str) -> None:
    if status == "done":
        raise FailedPrecondition("task_done", "the task is already done")
    if status == "cancelled":
        raise FailedPrecondition("task_cancelled", "the task was cancelled")


def check_outcome(result_code: str, text: str, results: Collection[str]) -> None:
    """Completing records a known result code and at most 5000 characters of text."""
    if not result_code:
        raise invalid("outcome.result_code", "required", "completing a task records a result code")
    if result_code not in results:
        raise invalid(
            "outcome.result_code", "unknown_result", f"unknown result '{result_code}' (known: {', '.join(results)})"
        )
    if len(text) > 5000:
        raise invalid("outcome.text", "too_long", "outcome text must be at most 5000 characters")


def check_due_change_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise invalid("due_change_reason", "required", "moving a deadline needs a reason")
    if len(reason) > 1000:
        raise invalid("due_change_reason", "too_long", "reason must be at most 1000 characters")
    return reason


def check_code(code: str, label: str) -> None:
    """A new task type or result code: a short lower-case code and a label."""
    v = Validator()
    if not CODE.match(code):
        v.add("code", "invalid_code", "code must be lower-case letters, digits and '_' (up to 40)")
    if not label.strip():
        v.add("label", "required", "a label is required")
    v.raise_if_any()


def day_bounds(today: date, time_zone: str) -> tuple[datetime, datetime]:
    """Start and end of `today` in `time_zone` (what "due today" means for the caller)."""
    try:
        zone = ZoneInfo(time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise invalid("time_zone", "unknown_time_zone", f"unknown time zone '{time_zone}'") from exc
    start = datetime.combine(today, time.min, zone)
    return start, datetime.combine(today + timedelta(days=1), time.min, zone)


def local_today(now: datetime, time_zone: str) -> date:
    try:
        return now.astimezone(ZoneInfo(time_zone or "UTC")).date()
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise invalid("time_zone", "unknown_time_zone", f"unknown time zone '{time_zone}'") from exc


STATUS_WORDS = {"open": "open", "in_progress": "in progress", "done": "done", "cancelled": "cancelled"}


def summary(type_label: str, subject: str, event: str, *, result_code: str = "", due_at: datetime | None = None) -> str:
    """Timeline text of a task event, e.g. "Call: Discuss the quote — done (reached)"."""
    head = f"{type_label}: {subject}"
    due = f" {due_at.strftime('%Y-%m-%d %H:%M UTC')}" if due_at else ""
    tail = {
        "task.created": f"planned{' for' + due if due else ''}",
        "task.updated": "changed",
        "task.started": "in progress",
        "task.completed": f"done ({result_code})" if result_code else "done",
        "task.cancelled": "cancelled",
        "task.overdue": f"overdue (was due{due})",
        "task.reminder_due": f"due at{due}",
    }.get(event, event)
    return f"{head} — {tail}"


def audit_view(cols: Mapping[str, Any]) -> dict[str, Any]:
    """Columns as the audit trail stores them (JSON values)."""
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in cols.items() if k != "remind_at"}
