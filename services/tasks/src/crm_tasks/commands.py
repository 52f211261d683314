"""State changes of tasks: one transaction each, with audit and outbox event.

Every command takes a typed input (inputs.py) whose values have passed their
rules, checks what needs stored data or the time (domain.task_columns: task
type, deadline in the past), writes through the ORM, records who changed
what, and adds the event to the outbox in the same transaction. Times come
from the service's clock.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import tasks_pb2 as events
from crm_core.acl import check_team_assignment
from crm_core.audit import diff, record_audit
from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.common.code_lists import list_codes
from crm_core.db import Database, new_id
from crm_core.errors import CrmError
from crm_core.events import Namespace, record_event
from crm_core.protojson import timestamp
from crm_core.resources import check_version, columns_of
from crm_tasks import DOMAIN, domain
from crm_tasks.inputs import Cancellation, TaskChanges, TaskDraft, TaskLink
from crm_tasks.models import DueChange, Task, TaskResult, TaskType
from crm_tasks.repository import TasksRepository
from crm_tasks.search import task_scope

TaskClosed = Callable[[AsyncSession, Task, datetime], Awaitable[None]]


@dataclass(frozen=True)
class ProcessActor:
    """The business process on whose behalf the system acts on a task (its definition's key and name): the
    task's event names it, so a timeline attributes the entry to the process rather than to nobody."""

    key: str
    name: str


async def code_labels(session: AsyncSession, model: type[TaskType] | type[TaskResult]) -> dict[str, tuple[str, str]]:
    """Every code of a code list (archived ones too: an old task keeps its type) with its Russian and English
    labels, for event payloads; read once per transaction (one that publishes many task events asks once)."""
    transaction = session.get_transaction()
    key = f"labels:{model.__tablename__}"
    known = session.info.get(key)
    if known is not None and known[0] is transaction:
        return known[1]  # type: ignore[no-any-return]
    with session.no_autoflush:
        rows = await session.execute(select(model.code, model.label_ru, model.label_en))
    labels = {code: (ru, en) for code, ru, en in rows}
    session.info[key] = (transaction, labels)
    return labels


async def publish(
    session: AsyncSession,
    namespace: Namespace,
    actor: Caller,
    event_type: str,
    task: Task,
    *,
    changed_fields: list[str] | None = None,
    summary_kind: str = "",
    former_party_ids: list[str] | None = None,
    process: ProcessActor | None = None,
) -> None:
    """Outbox a task event naming the linked parties (their timelines show the activity).

    A change that unlinks parties names them too, so their timelines show the task leaving them.
    """
    type_ru, type_en = (await code_labels(session, TaskType)).get(task.type, (task.type, task.type))
    result = task.result_code or ""
    result_ru, result_en = (
        (await code_labels(session, TaskResult)).get(result, (result, result)) if result else ("", "")
    )
    payload = events.TaskChanged(
        task_id=task.id,
        type=task.type,
        subject=task.subject,
        status=task.status,
        priority=task.priority,
        due_at=timestamp(task.due_at),
        assignee_id=task.assignee_id,
        team_id=task.team_id or "",
        links=[f"{link['kind']}:{link['id']}" for link in task.links],
        result_code=task.result_code or "",
        outcome=task.outcome,
        follow_up_task_id=task.follow_up_task_id or "",
        changed_fields=changed_fields or [],
        process_key=process.key if process else "",
        process_name=process.name if process else "",
        type_label_ru=type_ru,
        type_label_en=type_en,
        result_label_ru=result_ru,
        result_label_en=result_en,
    )
    text = domain.summary(
        type_en,
        task.subject,
        summary_kind or event_type,
        result_code=task.result_code or "",
        due_at=task.due_at,
    )
    await record_event(
        session,
        namespace,
        DOMAIN,
        event_type,
        subject_id=task.id,
        payload=payload,
        actor=actor,
        version=task.version,
        party_ids=list(dict.fromkeys([*task.party_ids, *(former_party_ids or [])])),
        summary=text,
        scopes=[task_scope(task)],
    )


async def task_types(session: AsyncSession) -> dict[str, str]:
    """Codes and labels of the task types in use, read once per transaction (one that creates many tasks,
    e.g. a group of process trigger events, asks once)."""
    transaction = session.get_transaction()
    known = session.info.get("task_types")
    if known is not None and known[0] is transaction:
        return known[1]
    # Reference data only: pending changes need not be flushed first, so they go out together at commit.
    with session.no_autoflush:
        rows = await session.execute(select(TaskType.code, TaskType.label_en).where(TaskType.archived.is_(False)))
    types = {code: label for code, label in rows}
    session.info["task_types"] = (transaction, types)
    return types


async def insert_task(
    session: AsyncSession,
    namespace: Namespace,
    caller: Caller,
    draft: TaskDraft,
    now: datetime,
    allow_past_due: bool,
    previous_task_id: str | None = None,
    process_step: tuple[str, str] | None = None,
    process: ProcessActor | None = None,
) -> Task:
    """Insert an open task with its audit entry and task.created (in the caller's transaction).

    The assignee defaults to the caller, the team to the caller's only team.
    `process_step` (instance id, step id) marks a process's user task; `process` names the process creating it.
    """
    team_id = draft.team_id or (next(iter(caller.team_ids)) if len(caller.team_ids) == 1 else None)
    draft = replace(draft, assignee_id=draft.assignee_id or caller.user_id, team_id=team_id)
    types = await task_types(session)
    cols = domain.task_columns(draft, types, now, allow_past_due=allow_past_due)
    check_team_assignment(caller, cols["team_id"])
    task = Task(
        id=new_id(),
        **cols,
        status="open",
        creator_id=caller.user_id,
        outcome="",
        cancel_reason="",
        previous_task_id=previous_task_id,
        process_instance_id=process_step[0] if process_step else None,
        process_step_id=process_step[1] if process_step else None,
        version=1,
        created_at=now,
        updated_at=now,
    )
    session.add(task)
    record_audit(
        session,
        entity_type="task",
        entity_id=task.id,
        action="created",
        actor_id=caller.user_id,
        changes=diff({}, domain.audit_view(cols)),
    )
    await publish(session, namespace, caller, "task.created", task, process=process)
    return task


def _changed(
    session: AsyncSession, caller: Caller, task: Task, now: datetime, action: str, changes: dict[str, Any]
) -> None:
    task.version += 1
    task.updated_at = now
    record_audit(
        session, entity_type="task", entity_id=task.id, action=action, actor_id=caller.user_id, changes=changes
    )


async def cancel_open_task(
    session: AsyncSession,
    namespace: Namespace,
    caller: Caller,
    task: Task,
    now: datetime,
    reason: str,
    process: ProcessActor | None = None,
) -> None:
    """open / in_progress -> cancelled, audited, with task.cancelled (in the caller's transaction; `process`
    names the process cancelling it)."""
    old_status = task.status
    task.status, task.cancelled_at, task.cancel_reason = "cancelled", now, reason
    _changed(session, caller, task, now, "cancelled", {"status": {"old": old_status, "new": "cancelled"}})
    await publish(session, namespace, caller, "task.cancelled", task, process=process)


class Tasks:
    """Commands on tasks: create, update, start, complete (with the follow-up), cancel; reference data."""

    def __init__(self, db: Database, namespace: Namespace, clock: Clock, on_closed: TaskClosed | None = None) -> None:
        self.db = db
        self.namespace = namespace
        self.clock = clock
        # Told, in the same transaction, when a process's task is done or cancelled.
        self.on_closed = on_closed

    async def create_task(self, caller: Caller, draft: TaskDraft, allow_past_due: bool = False) -> Task:
        """Insert an open task (the assignee defaults to the caller)."""
        now = self.clock.now()
        async with self.db.transaction() as session:
            return await insert_task(session, self.namespace, caller, draft, now, allow_past_due)

    async def update_task(
        self,
        caller: Caller,
        task_id: str,
        changes: TaskChanges,
        expected_version: int,
    ) -> Task:
        """Replace the masked fields of an open task; a deadline move is recorded with who and why."""
        now = self.clock.now()
        async with self.db.transaction() as session:
            task = await TasksRepository(session, caller, now).get_task(task_id, lock=True)
            check_version("task", task, expected_version)
            domain.check_can_edit(task.status)
            old = columns_of(task)
            draft = changes.applied_to(_draft_of(task))
            due_changed = "due_at" in changes.paths and draft.due_at != old["due_at"]
            cols = domain.task_columns(draft, await task_types(session), now, due_changed=due_changed)
            if cols["team_id"] != task.team_id:
                check_team_assignment(caller, cols["team_id"])
            changed = diff(domain.audit_view({k: old[k] for k in cols}), domain.audit_view(cols))
            if not changed:
                return task
            if due_changed:
                reason = domain.check_due_change_reason(changes.due_change_reason)
                session.add(
                    DueChange(
                        task_id=task.id,
                        old_due_at=old["due_at"],
                        new_due_at=cols["due_at"],
                        changed_by=caller.user_id,
                        changed_at=now,
                        reason=reason,
                    )
                )
                changed["due_change_reason"] = {"old": None, "new": reason}
            if due_changed or cols["remind_at"] != old["remind_at"]:
                # A new deadline is watched afresh: its reminder and overdue events go out once more.
                task.reminder_sent_at = None
                task.overdue_notified_at = None
            for key, value in cols.items():
                setattr(task, key, value)
            task.version += 1
            task.updated_at = now
            record_audit(
                session,
                entity_type="task",
                entity_id=task.id,
                action="updated",
                actor_id=caller.user_id,
                changes=changed,
            )
            await publish(
                session,
                self.namespace,
                caller,
                "task.updated",
                task,
                changed_fields=sorted(changed),
                former_party_ids=old["party_ids"],
            )
        return task

    async def start_task(self, caller: Caller, task_id: str, expected_version: int) -> Task:
        """open -> in_progress."""
        now = self.clock.now()
        async with self.db.transaction() as session:
            task = await TasksRepository(session, caller, now).get_task(task_id, lock=True)
            check_version("task", task, expected_version)
            domain.check_can_start(task.status)
            task.status, task.started_at = "in_progress", now
            _changed(session, caller, task, now, "started", {"status": {"old": "open", "new": "in_progress"}})
            await publish(
                session,
                self.namespace,
                caller,
                "task.updated",
                task,
                changed_fields=["status"],
                summary_kind="task.started",
            )
        return task

    async def complete_task(
        self,
        caller: Caller,
        task_id: str,
        result_code: str,
        outcome: str,
        expected_version: int,
        next_task: TaskDraft | None = None,
    ) -> tuple[Task, Task | None]:
        """open / in_progress -> done with an outcome, and the follow-up task in the same transaction."""
        now = self.clock.now()
        async with self.db.transaction() as session:
            task = await TasksRepository(session, caller, now).get_task(task_id, lock=True)
            check_version("task", task, expected_version)
            domain.check_can_complete(task.status)
            results = [r.code for r in await list_codes(session, TaskResult, include_archived=False)]
            domain.check_outcome(result_code, outcome, results)
            follow_up = None
            if next_task is not None:
                draft = replace(
                    next_task,
                    links=next_task.links or tuple(TaskLink(link["kind"], link["id"]) for link in task.links),
                    assignee_id=next_task.assignee_id or task.assignee_id,
                    team_id=next_task.team_id or task.team_id,
                )
                try:
                    follow_up = await insert_task(
                        session, self.namespace, caller, draft, now, False, previous_task_id=task.id
                    )
                except CrmError as error:
                    _prefix_fields(error, "next_task.")
                    raise
                task.follow_up_task_id = follow_up.id
            old_status = task.status
            task.status, task.result_code, task.outcome = "done", result_code, outcome
            task.completed_at, task.completed_by = now, caller.user_id
            changes = {
                "status": {"old": old_status, "new": "done"},
                "result_code": {"old": None, "new": result_code},
                "outcome": {"old": "", "new": outcome},
            }
            _changed(session, caller, task, now, "completed", changes)
            await publish(session, self.namespace, caller, "task.completed", task)
            if task.process_instance_id and self.on_closed:
                await self.on_closed(session, task, now)
        return task, follow_up

    async def cancel_task(self, caller: Caller, cancellation: Cancellation) -> Task:
        """open / in_progress -> cancelled."""
        now = self.clock.now()
        async with self.db.transaction() as session:
            task = await TasksRepository(session, caller, now).get_task(cancellation.task_id, lock=True)
            check_version("task", task, cancellation.expected_version)
            domain.check_can_cancel(task.status)
            await cancel_open_task(session, self.namespace, caller, task, now, cancellation.reason)
            if task.process_instance_id and self.on_closed:
                await self.on_closed(session, task, now)
        return task


def _draft_of(task: Task) -> TaskDraft:
    """A stored task's values as a draft (what an update's changes apply to)."""
    return TaskDraft(
        type=task.type,
        subject=task.subject,
        description=task.description,
        due_at=task.due_at,
        duration_minutes=task.duration_minutes,
        priority=task.priority,
        assignee_id=task.assignee_id,
        co_executor_ids=tuple(task.co_executor_ids),
        watcher_ids=tuple(task.watcher_ids),
        team_id=task.team_id,
        links=tuple(TaskLink(link["kind"], link["id"]) for link in task.links),
        remind_before_minutes=task.remind_before_minutes,
    )


def _prefix_fields(error: CrmError, prefix: str) -> None:
    """Errors of the follow-up task name its fields as next_task.<field>."""
    for problem in error.fields:
        problem.field = prefix + problem.field
