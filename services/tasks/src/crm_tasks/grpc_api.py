"""gRPC servicer of crm.tasks.v1.TasksService: protobuf <-> domain, nothing more.

A change request is parsed into its typed input (inputs.py, which applies the
rules of its values), handed to a command, and the result turned back into a
message.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import grpc

from crm.tasks.v1 import tasks_pb2 as pb
from crm.tasks.v1 import tasks_pb2_grpc
from crm_core.auth import current_caller
from crm_core.clock import Clock
from crm_core.db import Database
from crm_core.pagination import clamp_limit
from crm_core.protojson import timestamp
from crm_tasks import domain
from crm_tasks.commands import Tasks
from crm_tasks.inputs import parse_cancellation, parse_task_changes, parse_task_draft
from crm_tasks.models import DueChange, Task
from crm_tasks.repository import Counts, TaskQuery, TasksRepository

Context: TypeAlias = grpc.aio.ServicerContext


def task_message(task: Task, due_changes: list[DueChange], now: Any) -> pb.Task:
    message = pb.Task(
        id=task.id,
        type=task.type,
        subject=task.subject,
        description=task.description,
        due_at=timestamp(task.due_at),
        duration_minutes=task.duration_minutes or 0,
        priority=task.priority,
        status=task.status,
        assignee_id=task.assignee_id,
        co_executor_ids=task.co_executor_ids,
        watcher_ids=task.watcher_ids,
        creator_id=task.creator_id,
        team_id=task.team_id or "",
        links=[pb.TaskLink(kind=link["kind"], id=link["id"]) for link in task.links],
        remind_before_minutes=task.remind_before_minutes,
        overdue=domain.is_overdue(task.status, task.due_at, now),
        started_at=timestamp(task.started_at),
        completed_at=timestamp(task.completed_at),
        cancelled_at=timestamp(task.cancelled_at),
        cancel_reason=task.cancel_reason,
        follow_up_task_id=task.follow_up_task_id or "",
        previous_task_id=task.previous_task_id or "",
        due_changes=[
            pb.DueChange(
                old_due_at=timestamp(c.old_due_at),
                new_due_at=timestamp(c.new_due_at),
                changed_by=c.changed_by,
                changed_at=timestamp(c.changed_at),
                reason=c.reason,
            )
            for c in due_changes
        ],
        overdue_notified_at=timestamp(task.overdue_notified_at),
        version=task.version,
        created_at=timestamp(task.created_at),
        updated_at=timestamp(task.updated_at),
        process_instance_id=task.process_instance_id or "",
        process_step_id=task.process_step_id or "",
    )
    if task.result_code:
        message.outcome.CopyFrom(pb.Outcome(result_code=task.result_code, text=task.outcome))
    return message


def _counts(counts: Counts) -> pb.Counts:
    return pb.Counts(open=counts.open, due_today=counts.due_today, overdue=counts.overdue)


class TasksServicer(tasks_pb2_grpc.TasksServiceServicer):
    """Every method reads the caller from context; access rules live in the repository."""

    def __init__(self, db: Database, tasks: Tasks, clock: Clock) -> None:
        self.db = db
        self.tasks = tasks
        self.clock = clock

    def _repo(self, session: Any) -> TasksRepository:
        return TasksRepository(session, current_caller(), self.clock.now())

    async def _messages(self, tasks: list[Task]) -> list[pb.Task]:
        if not tasks:
            return []
        async with self.db.readers() as session:
            changes = await self._repo(session).due_changes(*[t.id for t in tasks])
        now = self.clock.now()
        return [task_message(t, changes[t.id], now) for t in tasks]

    async def _message(self, task: Task) -> pb.Task:
        return (await self._messages([task]))[0]

    async def CreateTask(self, request: pb.CreateTaskRequest, context: Context) -> pb.Task:
        """Create an open task."""
        task = await self.tasks.create_task(current_caller(), parse_task_draft(request.task), request.allow_past_due)
        return await self._message(task)

    async def GetTask(self, request: pb.GetTaskRequest, context: Context) -> pb.Task:
        """A visible task with its deadline history."""
        async with self.db.readers() as session:
            task = await self._repo(session).get_task(request.id)
        return await self._message(task)

    async def UpdateTask(self, request: pb.UpdateTaskRequest, context: Context) -> pb.Task:
        """Replace the masked fields (If-Match through expected_version)."""
        changes = parse_task_changes(request)
        task = await self.tasks.update_task(current_caller(), request.task.id, changes, request.expected_version)
        return await self._message(task)

    async def StartTask(self, request: pb.StartTaskRequest, context: Context) -> pb.Task:
        """open -> in_progress."""
        return await self._message(await self.tasks.start_task(current_caller(), request.id, request.expected_version))

    async def CompleteTask(self, request: pb.CompleteTaskRequest, context: Context) -> pb.CompleteTaskResponse:
        """Done with an outcome; the follow-up task in the same transaction."""
        next_task = parse_task_draft(request.next_task, "next_task.") if request.HasField("next_task") else None
        task, follow_up = await self.tasks.complete_task(
            current_caller(),
            request.id,
            request.outcome.result_code,
            request.outcome.text,
            request.expected_version,
            next_task,
        )
        messages = await self._messages([task] + ([follow_up] if follow_up else []))
        response = pb.CompleteTaskResponse(task=messages[0])
        if follow_up:
            response.next_task.CopyFrom(messages[1])
        return response

    async def CancelTask(self, request: pb.CancelTaskRequest, context: Context) -> pb.Task:
        """open / in_progress -> cancelled."""
        task = await self.tasks.cancel_task(current_caller(), parse_cancellation(request))
        return await self._message(task)

    async def ListTasks(self, request: pb.ListTasksRequest, context: Context) -> pb.ListTasksResponse:
        """Visible tasks by filters, sort and cursor."""
        query = TaskQuery(
            filters=[(f.field, f.op, f.value) for f in request.filters],
            sort=request.sort,
            mine=request.mine,
            team=request.team,
        )
        async with self.db.readers() as session:
            page = await self._repo(session).list_tasks(query, clamp_limit(request.limit), request.cursor)
        return pb.ListTasksResponse(tasks=await self._messages(page.items), next_cursor=page.next_cursor)

    async def GetTaskCounters(self, request: pb.GetTaskCountersRequest, context: Context) -> pb.TaskCounters:
        """Open, due-today and overdue counts: mine, per assignee, per team (visible tasks only)."""
        now = self.clock.now()
        start, end = domain.day_bounds(domain.local_today(now, request.time_zone), request.time_zone)
        async with self.db.readers() as session:
            counters = await self._repo(session).counters(start, end)
        return pb.TaskCounters(
            mine=_counts(counters.mine),
            users=[pb.UserCounters(user_id=u, counts=_counts(c)) for u, c in sorted(counters.users.items())],
            teams=[pb.TeamCounters(team_id=t, counts=_counts(c)) for t, c in sorted(counters.teams.items())],
        )
