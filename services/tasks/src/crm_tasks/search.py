"""Filters and sort keys of task lists (the operator syntax is crm_core.filtering's)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, DateTime, Integer, Text, case, cast, func, literal, not_, or_
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from crm_core.errors import invalid
from crm_core.filtering import FieldSpec, condition
from crm_core.resources import SortKey, SortSpec
from crm_core.scopes import AccessScope, scope_of
from crm_tasks import domain
from crm_tasks.models import Task

COLUMNS: dict[str, FieldSpec] = {
    "type": FieldSpec(Task.type),
    "status": FieldSpec(Task.status),
    "priority": FieldSpec(Task.priority),
    "assignee_id": FieldSpec(Task.assignee_id),
    "creator_id": FieldSpec(Task.creator_id),
    "team_id": FieldSpec(Task.team_id),
    "co_executor_id": FieldSpec(Task.co_executor_ids, "text_array"),
    "watcher_id": FieldSpec(Task.watcher_ids, "text_array"),
    "party_id": FieldSpec(Task.party_ids, "text_array"),
    "subject": FieldSpec(Task.subject),
    "result_code": FieldSpec(Task.result_code),
    "due_at": FieldSpec(Task.due_at, "datetime"),
    "created_at": FieldSpec(Task.created_at, "datetime"),
    "updated_at": FieldSpec(Task.updated_at, "datetime"),
    "completed_at": FieldSpec(Task.completed_at, "datetime"),
}
# Tasks without a deadline sort after every dated one.
FAR_FUTURE = literal(datetime(9999, 1, 1, tzinfo=UTC), DateTime(timezone=True))
PRIORITY_RANK = case({p: i for i, p in enumerate(domain.PRIORITIES)}, value=Task.priority, else_=1)
# Tasks sort by these keys, nearest deadline first unless asked otherwise.
SORT = SortSpec[None](
    "tasks",
    {
        "due_at": SortKey("datetime", func.coalesce(Task.due_at, FAR_FUTURE)),
        "created_at": SortKey("datetime", Task.created_at),
        "updated_at": SortKey("datetime", Task.updated_at),
        "priority": SortKey("int", cast(PRIORITY_RANK, Integer)),
    },
    default="due_at",
    tie_breaker=Task.id,
)


def overdue_condition(now: datetime) -> ColumnElement[bool]:
    """SQL twin of domain.is_overdue."""
    return Task.status.in_(domain.OPEN_STATUSES) & Task.due_at.is_not(None) & (Task.due_at < now)


def _link_condition(op: str, value: str, where: str) -> ColumnElement[bool]:
    kind, _, link_id = value.partition(":")
    if op not in ("eq", "ne") or not kind or not link_id:
        raise invalid(where, "invalid_filter_value", f"{where}: link filters are link:eq:<kind>:<id>")
    test = Task.links.contains(cast(literal([{"kind": kind, "id": link_id}], JSONB), JSONB))
    return test if op == "eq" else not_(test)


def filter_conditions(filters: Sequence[tuple[str, str, str]], now: datetime) -> list[ColumnElement[bool]]:
    """SQL for the request's filters; `link` and the computed `overdue` are special."""
    result: list[ColumnElement[bool]] = []
    for i, (field, op, value) in enumerate(filters):
        where = f"filters[{i}]"
        if field == "link":
            result.append(_link_condition(op, value, where))
        elif field == "overdue":
            if op != "eq" or value.lower() not in ("true", "false"):
                raise invalid(where, "invalid_filter_value", f"{where}: use overdue:eq:true or overdue:eq:false")
            test = overdue_condition(now)
            result.append(test if value.lower() == "true" else not_(test))
        elif field in COLUMNS:
            result.append(condition(COLUMNS[field], op, value, where))
        else:
            raise invalid(where, "unknown_filter_field", f"{where}: cannot filter on '{field}'")
    return result


MANAGER_ROLE = "manager"


def visible_condition(user_id: str, team_ids: Sequence[str], manager: bool) -> ColumnElement[bool]:
    """The people of a task, and managers of its team (admins see everything: no condition)."""
    me = literal([user_id], ARRAY(Text))
    clauses: list[ColumnElement[bool]] = [
        Task.assignee_id == user_id,
        Task.creator_id == user_id,
        Task.co_executor_ids.contains(me),
        Task.watcher_ids.contains(me),
    ]
    if manager and team_ids:
        clauses.append(Task.team_id.in_(sorted(team_ids)))
    return or_(*clauses)


def task_scope(task: Task) -> AccessScope:
    """The same rule as `visible_condition`, for the events that reveal the task (crm_core.scopes)."""
    return scope_of(
        "task",
        task.id,
        owner_id=task.assignee_id,
        team_id=task.team_id,
        shared_with=[task.creator_id, *task.co_executor_ids, *task.watcher_ids],
        version=task.version,
        team_role=MANAGER_ROLE,
    )
