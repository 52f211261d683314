"""Queries on the tasks database, always within what the caller may see.

Every read of tasks (get, list, counters) goes through `visible()`, so a
hidden task is never returned or counted. The scheduler's claims are the
exception: they act as the system, on every task.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.auth import Caller
from crm_core.db import is_uuid
from crm_core.pagination import Page
from crm_core.resources import get_visible, keyset_page
from crm_tasks import domain, search
from crm_tasks.models import DueChange, Task


@dataclass
class TaskQuery:
    filters: Sequence[tuple[str, str, str]] = ()
    sort: str = ""
    mine: bool = False
    team: bool = False


@dataclass
class Counts:
    open: int = 0
    due_today: int = 0
    overdue: int = 0

    def add(self, other: Counts) -> None:
        self.open += other.open
        self.due_today += other.due_today
        self.overdue += other.overdue


@dataclass
class Counters:
    mine: Counts = field(default_factory=Counts)
    users: dict[str, Counts] = field(default_factory=dict)
    teams: dict[str, Counts] = field(default_factory=dict)


class TasksRepository:
    """Reads of one unit of work, filtered by the caller's access, at the clock's `now`."""

    def __init__(self, session: AsyncSession, caller: Caller, now: datetime) -> None:
        self.session = session
        self.caller = caller
        self.now = now

    def visible(self) -> ColumnElement[bool]:
        if self.caller.is_admin:
            return true()
        manager = search.MANAGER_ROLE in self.caller.roles
        return search.visible_condition(self.caller.user_id, sorted(self.caller.team_ids), manager)

    async def get_task(self, task_id: str, *, lock: bool = False) -> Task:
        """A task the caller may see, or NotFound (also for ids that are not UUIDs)."""
        return await get_visible(self.session, Task, "task", task_id, self.visible(), lock=lock)

    async def due_changes(self, *task_ids: str) -> dict[str, list[DueChange]]:
        rows = (
            await self.session.scalars(select(DueChange).where(DueChange.task_id.in_(task_ids)).order_by(DueChange.id))
        ).all()
        result: dict[str, list[DueChange]] = {t: [] for t in task_ids}
        for row in rows:
            result[row.task_id].append(row)
        return result

    def _conditions(self, q: TaskQuery) -> list[ColumnElement[bool]]:
        clauses = [self.visible(), *search.filter_conditions(q.filters, self.now)]
        if q.mine:
            clauses.append(Task.assignee_id == self.caller.user_id)
        if q.team:
            clauses.append(Task.team_id.in_(sorted(self.caller.team_ids)))
        return clauses

    async def list_tasks(self, q: TaskQuery, limit: int, cursor: str) -> Page[Task]:
        order = search.SORT.parse(q.sort).order(None)
        return await keyset_page(self.session, select(Task).where(*self._conditions(q)), order, limit, cursor)

    async def counters(self, day_start: datetime, day_end: datetime) -> Counters:
        """Open, due-today and overdue counts of the visible open tasks per assignee and team (one GROUP BY)."""
        due_today = (Task.due_at >= day_start) & (Task.due_at < day_end)
        query = (
            select(
                Task.assignee_id,
                Task.team_id,
                func.count(),
                func.count().filter(due_today),
                func.count().filter(search.overdue_condition(self.now)),
            )
            .where(self.visible(), Task.status.in_(domain.OPEN_STATUSES))
            .group_by(Task.assignee_id, Task.team_id)
        )
        result = Counters()
        for assignee_id, team_id, open_, today, overdue in (await self.session.execute(query)).all():
            counts = Counts(open_, today, overdue)
            result.users.setdefault(assignee_id, Counts()).add(counts)
            if team_id:
                result.teams.setdefault(team_id, Counts()).add(counts)
            if assignee_id == self.caller.user_id:
                result.mine.add(counts)
        return result


async def claim_overdue(session: AsyncSession, now: datetime, batch: int) -> list[Task]:
    """Open tasks past their deadline whose task.overdue is not published yet, locked for this transaction.

    SKIP LOCKED lets several replicas claim at once without waiting on, or
    double-claiming, each other's rows.
    """
    query = (
        select(Task)
        .where(Task.overdue_notified_at.is_(None), search.overdue_condition(now))
        .order_by(Task.due_at)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    return list((await session.scalars(query)).all())


async def claim_due_reminders(session: AsyncSession, now: datetime, batch: int) -> list[Task]:
    """Open tasks between their reminder time and deadline, not reminded yet (SQL twin of domain.reminder_is_due)."""
    query = (
        select(Task)
        .where(
            Task.reminder_sent_at.is_(None),
            Task.status.in_(domain.OPEN_STATUSES),
            Task.remind_at <= now,
            Task.due_at > now,
        )
        .order_by(Task.remind_at)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    return list((await session.scalars(query)).all())


async def task_is_visible(session: AsyncSession, caller: Caller, task_id: str) -> bool:
    """Whether the caller may see the task (the audit of any other task is NOT_FOUND)."""
    if not is_uuid(task_id):
        return False
    visible = TasksRepository(session, caller, datetime.now(UTC)).visible()
    return await session.scalar(select(Task.id).where(Task.id == task_id, visible)) is not None
