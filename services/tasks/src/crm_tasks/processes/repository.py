"""Queries on process definitions, instances and roles (monitoring and the trigger lookup)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.auth import Caller
from crm_core.errors import invalid, not_found
from crm_core.pagination import Page
from crm_core.resources import Order, get_visible, keyset_page
from crm_tasks.models import ProcessDefinition, ProcessInstance, ProcessRole, ProcessStepRun, Task
from crm_tasks.repository import TasksRepository

INSTANCE_STATUSES = ("running", "completed", "failed", "cancelled")


@dataclass
class InstanceCounts:
    running: int = 0
    late: int = 0
    completed: int = 0
    failed: int = 0
    cancelled: int = 0


@dataclass
class InstanceView:
    """An instance with the step runs monitoring shows (all of them, or the open one)."""

    instance: ProcessInstance
    definition_name: str
    runs: list[ProcessStepRun] = field(default_factory=list)


def late_condition(now: datetime) -> ColumnElement[bool]:
    """A running instance whose current step is past its deadline (a user task or a timer)."""
    return (ProcessInstance.status == "running") & exists().where(
        ProcessStepRun.instance_id == ProcessInstance.id,
        ProcessStepRun.left_at.is_(None),
        ProcessStepRun.due_at < now,
        ProcessStepRun.step_type == "user_task",
    )


async def latest_definition(session: AsyncSession, key: str) -> ProcessDefinition | None:
    return await session.scalar(
        select(ProcessDefinition)
        .where(ProcessDefinition.key == key)
        .order_by(ProcessDefinition.version.desc())
        .limit(1)
    )


async def definition_version(session: AsyncSession, key: str, version: int) -> ProcessDefinition:
    """One version of a definition (0: the newest), or NotFound."""
    if version:
        row = await session.scalar(
            select(ProcessDefinition).where(ProcessDefinition.key == key, ProcessDefinition.version == version)
        )
    else:
        row = await latest_definition(session, key)
    if row is None:
        raise not_found("process_definition", f"{key}" + (f" v{version}" if version else ""))
    return row


async def newest_definitions(session: AsyncSession, include_inactive: bool = True) -> list[ProcessDefinition]:
    """The newest version of every key, by key."""
    query = (
        select(ProcessDefinition)
        .ext(distinct_on(ProcessDefinition.key))
        .order_by(ProcessDefinition.key, ProcessDefinition.version.desc())
    )
    rows = list((await session.scalars(query)).all())
    return rows if include_inactive else [r for r in rows if r.active]


async def triggered_definitions(session: AsyncSession, event_type: str) -> list[ProcessDefinition]:
    """Newest active versions whose trigger is `event_type` (one query per event, on the trigger index)."""
    keys = select(ProcessDefinition.key).where(ProcessDefinition.trigger_event == event_type).distinct()
    rows = (
        await session.scalars(
            select(ProcessDefinition)
            .where(ProcessDefinition.key.in_(keys))
            .ext(distinct_on(ProcessDefinition.key))
            .order_by(ProcessDefinition.key, ProcessDefinition.version.desc())
        )
    ).all()
    return [r for r in rows if r.active and r.trigger_event == event_type]


async def instance_counts(session: AsyncSession, now: datetime) -> dict[str, InstanceCounts]:
    """Instances per key and status, and how many running ones are late (two GROUP BYs)."""
    counts: dict[str, InstanceCounts] = defaultdict(InstanceCounts)
    by_status = select(ProcessInstance.definition_key, ProcessInstance.status, func.count()).group_by(
        ProcessInstance.definition_key, ProcessInstance.status
    )
    for key, status, count in (await session.execute(by_status)).all():
        setattr(counts[key], status, count)
    late = (
        select(ProcessInstance.definition_key, func.count())
        .where(late_condition(now))
        .group_by(ProcessInstance.definition_key)
    )
    for key, count in (await session.execute(late)).all():
        counts[key].late = count
    return counts


_NEWEST_FIRST = Order(
    "process-instances:-started_at",
    [(ProcessInstance.started_at, True), (ProcessInstance.id, True)],
    ["datetime", "uuid"],
)


@dataclass
class InstanceQuery:
    key: str = ""
    status: str = ""
    late_only: bool = False
    record_id: str = ""


async def list_instances(
    session: AsyncSession, q: InstanceQuery, now: datetime, limit: int, cursor: str
) -> Page[InstanceView]:
    """Instances newest first, each with its open step run (where it stands, since when, due when)."""
    if q.status and q.status not in INSTANCE_STATUSES:
        raise invalid("status", "unknown_status", f"status is one of {', '.join(INSTANCE_STATUSES)}")
    query = select(ProcessInstance, ProcessDefinition.name).join(
        ProcessDefinition, ProcessDefinition.id == ProcessInstance.definition_id
    )
    if q.key:
        query = query.where(ProcessInstance.definition_key == q.key)
    if q.status:
        query = query.where(ProcessInstance.status == q.status)
    if q.late_only:
        query = query.where(late_condition(now))
    if q.record_id:
        query = query.where(ProcessInstance.record_id == q.record_id)
    page = await keyset_page(session, query, _NEWEST_FIRST, limit, cursor)
    views = [InstanceView(instance, name) for instance, name in page.items]
    open_runs = await session.scalars(
        select(ProcessStepRun)
        .where(ProcessStepRun.instance_id.in_([v.instance.id for v in views]))
        .where(ProcessStepRun.left_at.is_(None))
    )
    by_instance = {run.instance_id: run for run in open_runs}
    for view in views:
        if view.instance.id in by_instance:
            view.runs = [by_instance[view.instance.id]]
    return Page(views, page.next_cursor)


async def get_instance(session: AsyncSession, instance_id: str, *, lock: bool = False) -> ProcessInstance:
    return await get_visible(session, ProcessInstance, "process_instance", instance_id, lock=lock)


async def instance_for(
    session: AsyncSession, caller: Caller, instance_id: str, now: datetime
) -> tuple[ProcessInstance, bool]:
    """An instance the caller may see, and whether they may see its variables.

    Admins and whoever started it see all of it; someone who can see one of
    its tasks sees where it stands but not its variables (they may hold
    values of a record that person cannot see). Anyone else: NotFound.
    """
    instance = await get_instance(session, instance_id)
    if caller.is_admin or instance.started_by == caller.user_id:
        return instance, True
    tasks = TasksRepository(session, caller, now)
    if await session.scalar(select(exists().where(Task.process_instance_id == instance.id, tasks.visible()))):
        return instance, False
    raise not_found("process_instance", instance_id)


async def instance_view(session: AsyncSession, instance: ProcessInstance) -> InstanceView:
    """The instance with every step it visited, in order."""
    name = await session.scalar(select(ProcessDefinition.name).where(ProcessDefinition.id == instance.definition_id))
    runs = await session.scalars(
        select(ProcessStepRun).where(ProcessStepRun.instance_id == instance.id).order_by(ProcessStepRun.id)
    )
    return InstanceView(instance, name or "", list(runs.all()))


async def roles(session: AsyncSession) -> list[ProcessRole]:
    return list((await session.scalars(select(ProcessRole).order_by(ProcessRole.code))).all())
