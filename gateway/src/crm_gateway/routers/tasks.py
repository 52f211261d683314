"""/api/v1/tasks: tasks and activities, their lifecycle and counters; /api/v1/task-types and /task-results.

Users named by a task are checked in the gateway's directory, and linked
parties, deals and leads are fetched from their services as the caller before the
task names them, so nothing the caller cannot see can be linked (422).
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from google.protobuf import field_mask_pb2

from crm.tasks.v1 import tasks_pb2 as pb
from crm_gateway import rest
from crm_gateway.clients import ServiceCall
from crm_gateway.deps import Call, Cursor, IfMatch, Limit
from crm_gateway.directory import check_user_refs
from crm_gateway.records import visible_record
from crm_gateway.schemas.common import Page
from crm_gateway.schemas.tasks import (
    Cancellation,
    Completion,
    CompletionOut,
    CountersOut,
    TaskCreate,
    TaskFields,
    TaskOut,
    TaskPatch,
)

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"])

TASK_FILTER_HELP = (
    "field:op:value, e.g. status:in:open,in_progress, type:eq:call, priority:eq:urgent, assignee_id:eq:<user>, "
    "due_at:lt:2026-12-01T00:00:00+03:00, overdue:eq:true, party_id:eq:<party>, link:eq:deal:<deal>"
)
TaskFilters = Annotated[list[str], Query(alias="filter", description=TASK_FILTER_HELP)]


def _task(message: pb.Task, response: Response) -> TaskOut:
    return rest.versioned(message, TaskOut, response)


async def _check_link(call: ServiceCall, kind: str, object_id: str, field: str) -> None:
    """A linked party, deal or lead must exist for the caller (other kinds have no service to ask yet)."""
    if kind in ("party", "deal", "lead"):
        await visible_record(call, kind, object_id, field)


async def _check_refs(call: ServiceCall, request: Request, fields: dict[str, Any], prefix: str = "") -> None:
    """422 for unknown users or teams and for linked parties, deals and leads the caller cannot see."""
    await check_user_refs(
        request,
        fields.get("assignee_id"),
        fields.get("team_id"),
        fields.get("co_executor_ids"),
        field=f"{prefix}co_executor_ids",
        owner_field=f"{prefix}assignee_id",
    )
    await check_user_refs(request, None, None, fields.get("watcher_ids"), field=f"{prefix}watcher_ids")
    links = fields.get("links") or []
    await asyncio.gather(
        *[_check_link(call, link["kind"], link["id"], f"{prefix}links[{i}].id") for i, link in enumerate(links)]
    )


def _task_message(fields: dict[str, Any]) -> pb.Task:
    return rest.body_message(TaskFields.model_validate(fields), pb.Task)


# --- tasks (fixed paths before /{task_id}) -----------------------------------------------------


@router.get(
    "/counters",
    response_model=CountersOut,
    summary="Open, due-today and overdue counts: yours, per assignee and per team (tasks you can see)",
)
async def counters(
    call: Call,
    time_zone: Annotated[str, Query(max_length=64, description="IANA zone 'today' is counted in")] = "UTC",
) -> CountersOut:
    result = await call.tasks.GetTaskCounters(pb.GetTaskCountersRequest(time_zone=time_zone))
    return rest.out(result, CountersOut)


@router.get("", response_model=Page[TaskOut], summary="List tasks (mine=true: where you are the assignee)")
async def list_tasks(
    call: Call,
    filters: TaskFilters = [],
    sort: Annotated[
        str,
        Query(max_length=100, description="Comma-separated: due_at, created_at, updated_at, priority; '-' descending"),
    ] = "",
    mine: Annotated[bool, Query(description="Only tasks assigned to you ('My tasks')")] = False,
    team: Annotated[bool, Query(description="Only tasks of your teams")] = False,
    limit: Limit = 50,
    cursor: Cursor = "",
) -> Page[TaskOut]:
    request = pb.ListTasksRequest(
        filters=rest.parse_filters(filters), sort=sort, limit=limit, cursor=cursor, mine=mine, team=team
    )
    result = await call.tasks.ListTasks(request)
    return Page[TaskOut](items=[rest.out(t, TaskOut) for t in result.tasks], next_cursor=result.next_cursor)


@router.post("", response_model=TaskOut, status_code=201, summary="Create a task (a due time in the past is 422)")
async def create_task(
    body: TaskCreate,
    call: Call,
    request: Request,
    response: Response,
    allow_past_due: Annotated[bool, Query(description="Accept a due time in the past (recording past work)")] = False,
) -> TaskOut:
    await _check_refs(call, request, body.model_dump(mode="json"))
    task = rest.body_message(body, pb.Task)
    message = await call.tasks.CreateTask(pb.CreateTaskRequest(task=task, allow_past_due=allow_past_due))
    response.headers["Location"] = f"/api/v1/tasks/{message.id}"
    return _task(message, response)


@router.get("/{task_id}", response_model=TaskOut, summary="A task with its deadline history (ETag = version)")
async def get_task(task_id: str, call: Call, response: Response) -> TaskOut:
    return _task(await call.tasks.GetTask(pb.GetTaskRequest(id=task_id)), response)


@router.patch(
    "/{task_id}",
    response_model=TaskOut,
    summary="Change an open task (JSON merge patch; If-Match); a new due_at needs due_change_reason",
)
async def update_task(
    task_id: str, body: TaskPatch, call: Call, request: Request, response: Response, if_match: IfMatch = None
) -> TaskOut:
    raw = body.model_dump(mode="json", exclude_unset=True)
    reason = raw.pop("due_change_reason", None) or ""
    patch, paths = rest.merge_patch(raw)
    await _check_refs(call, request, patch)
    task = _task_message(patch)
    task.id = task_id
    message = await call.tasks.UpdateTask(
        pb.UpdateTaskRequest(
            task=task,
            update_mask=field_mask_pb2.FieldMask(paths=paths),
            expected_version=rest.expected_version(if_match),
            due_change_reason=reason,
        )
    )
    return _task(message, response)


@router.post("/{task_id}/start", response_model=TaskOut, summary="Start a task (open -> in_progress)")
async def start_task(task_id: str, call: Call, response: Response, if_match: IfMatch = None) -> TaskOut:
    request = pb.StartTaskRequest(id=task_id, expected_version=rest.expected_version(if_match))
    return _task(await call.tasks.StartTask(request), response)


@router.post(
    "/{task_id}/complete",
    response_model=CompletionOut,
    summary="Complete a task with its outcome and optionally schedule the next one (one transaction)",
)
async def complete_task(
    task_id: str, body: Completion, call: Call, request: Request, response: Response, if_match: IfMatch = None
) -> CompletionOut:
    completion = pb.CompleteTaskRequest(
        id=task_id,
        outcome=pb.Outcome(result_code=body.result_code, text=body.text),
        expected_version=rest.expected_version(if_match),
    )
    if body.next_task is not None:
        await _check_refs(call, request, body.next_task.model_dump(mode="json"), prefix="next_task.")
        completion.next_task.CopyFrom(rest.body_message(body.next_task, pb.Task))
    result = await call.tasks.CompleteTask(completion)
    rest.set_etag(response, result.task.version)
    return rest.out(result, CompletionOut)


@router.post("/{task_id}/cancel", response_model=TaskOut, summary="Cancel a task (open or in progress)")
async def cancel_task(
    task_id: str, body: Cancellation, call: Call, response: Response, if_match: IfMatch = None
) -> TaskOut:
    request = pb.CancelTaskRequest(id=task_id, reason=body.reason, expected_version=rest.expected_version(if_match))
    return _task(await call.tasks.CancelTask(request), response)
