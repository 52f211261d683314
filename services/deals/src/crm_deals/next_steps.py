"""A deal's next step: the earliest due time of an open task about it, from the tasks service's events.

Deals keep a copy of the tasks linked to deals (deal_task), fed by every task
event (task.created/updated/completed/cancelled/overdue ...: each carries the
whole task), so a board or a list reads next steps without asking the tasks
service per card. The copy keeps the task's version: an event older than the
one applied is ignored, whatever order they arrive in. The task's access
scope comes with its events (crm_core.scopes): a reader sees the next step of
a task they may see, and a task hidden from them is no next step to them.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, Text, and_, exists, func, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import array, insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import envelope_pb2, tasks_pb2
from crm_core.auth import Caller
from crm_core.scopes import not_hidden_from, remember_scopes
from crm_deals.models import Deal, DealTask

OPEN_STATUSES = ("open", "in_progress")


def deal_ids_of(links: list[str]) -> list[str]:
    """The deal ids among a task's links ("deal:<id>"), in order, without repeats."""
    return list(dict.fromkeys(link[5:] for link in links if link.startswith("deal:") and len(link) > 5))


async def follow_tasks(session: AsyncSession, envelope: envelope_pb2.EventEnvelope) -> None:
    """Any task.* event: keep the task's deals, due time and openness, unless a newer version is kept.

    A task that never named a deal is not copied; one that named deals and no longer does stays (with no
    deals), so its version still guards against an older event that named them."""
    changed = tasks_pb2.TaskChanged()
    if not envelope.type.startswith("task.") or not envelope.payload.Unpack(changed) or not changed.task_id:
        return
    deal_ids = deal_ids_of(list(changed.links))
    await remember_scopes(session, envelope, add_new=bool(deal_ids))
    values: dict[str, Any] = {
        "deal_ids": deal_ids,
        "due_at": changed.due_at.ToDatetime(tzinfo=UTC) if changed.HasField("due_at") else None,
        "open": changed.status in OPEN_STATUSES,
        "version": envelope.version,
    }
    table = cast(Table, DealTask.__table__)
    if deal_ids:
        statement = insert(table).values(task_id=changed.task_id, **values)
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[table.c.task_id], set_=values, where=table.c.version <= statement.excluded.version
            )
        )
    else:
        await session.execute(
            table.update()
            .where(table.c.task_id == changed.task_id, table.c.version <= envelope.version)
            .values(**values)
        )


def _open_tasks_of_deal(caller: Caller) -> ColumnElement[bool]:
    """SQL: deal_task rows that are open steps of the outer query's deal, of tasks the caller may see."""
    return and_(
        DealTask.deal_ids.contains(array([sql_cast(Deal.id, Text)])),
        DealTask.open.is_(True),
        not_hidden_from(caller, func.concat("task:", DealTask.task_id)),
    )


def next_step_at(caller: Caller) -> Any:
    """SQL (correlated to Deal): the earliest due time of the deal's open tasks the caller may see."""
    return select(func.min(DealTask.due_at)).where(_open_tasks_of_deal(caller)).scalar_subquery()


def has_next_step(caller: Caller) -> ColumnElement[bool]:
    """SQL (correlated to Deal): an open task the caller may see is about the deal."""
    return exists(select(DealTask.task_id).where(_open_tasks_of_deal(caller)))
