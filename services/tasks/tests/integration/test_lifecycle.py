"""A task's life over gRPC: create, start, complete with an outcome and a follow-up, cancel; rules and versions."""

from __future__ import annotations

import uuid
from datetime import timedelta

import grpc

from crm.common.v1 import common_pb2
from crm.tasks.v1 import tasks_pb2 as pb


def new_code(list_name: str, code: str, label: str) -> common_pb2.CreateCodeRequest:
    return common_pb2.CreateCodeRequest(list=list_name, code=common_pb2.Code(code=code, label_ru=label))


async def test_complete_with_outcome_schedules_the_follow_up_in_the_same_call(alice, plan) -> None:
    task = await alice.CreateTask(pb.CreateTaskRequest(task=plan.task(priority="high")))
    assert (task.status, task.priority, task.assignee_id, task.creator_id, task.team_id) == (
        "open",
        "high",
        "u-alice",
        "u-alice",
        "team-north",
    )
    assert task.remind_before_minutes == 15 and task.version == 1 and not task.overdue
    started = await alice.StartTask(pb.StartTaskRequest(id=task.id, expected_version=1))
    assert started.status == "in_progress" and started.HasField("started_at")
    done = await alice.CompleteTask(
        pb.CompleteTaskRequest(
            id=task.id,
            outcome=pb.Outcome(result_code="reached", text="Клиент согласен, ждёт договор"),
            next_task=pb.Task(type="email", subject="Отправить договор", due_at=plan.at(days=1)),
            expected_version=2,
        )
    )
    assert (done.task.status, done.task.outcome.result_code, done.task.version) == ("done", "reached", 3)
    assert done.task.follow_up_task_id == done.next_task.id
    follow_up = await alice.GetTask(pb.GetTaskRequest(id=done.next_task.id))
    assert (follow_up.status, follow_up.previous_task_id, follow_up.assignee_id) == ("open", task.id, "u-alice")
    assert list(follow_up.links) == list(task.links)


async def test_a_bad_follow_up_leaves_the_task_open(alice, plan, rejected) -> None:
    task = await alice.CreateTask(pb.CreateTaskRequest(task=plan.task()))
    detail = await rejected(
        alice.CompleteTask(
            pb.CompleteTaskRequest(
                id=task.id,
                outcome=pb.Outcome(result_code="no_answer"),
                next_task=pb.Task(subject="Перезвонить", type="call", due_at=plan.at(hours=-1)),
            )
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert [(f.field, f.code) for f in detail.field_violations] == [("next_task.due_at", "due_in_past")]
    assert (await alice.GetTask(pb.GetTaskRequest(id=task.id))).status == "open"


async def test_closed_tasks_refuse_moves_and_stale_versions_conflict(alice, plan, rejected) -> None:
    task = await alice.CreateTask(pb.CreateTaskRequest(task=plan.task()))
    cancelled = await alice.CancelTask(pb.CancelTaskRequest(id=task.id, reason="Клиент отменил"))
    assert cancelled.status == "cancelled" and cancelled.cancel_reason == "Клиент отменил"
    complete = pb.CompleteTaskRequest(id=task.id, outcome=pb.Outcome(result_code="reached"))
    detail = await rejected(alice.CompleteTask(complete), grpc.StatusCode.FAILED_PRECONDITION)
    assert detail.code == "task_cancelled"
    detail = await rejected(
        alice.UpdateTask(
            pb.UpdateTaskRequest(task=pb.Task(id=task.id, subject="x"), update_mask={"paths": ["subject"]})
        ),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    assert detail.code == "task_closed"
    other = await alice.CreateTask(pb.CreateTaskRequest(task=plan.task()))
    detail = await rejected(
        alice.StartTask(pb.StartTaskRequest(id=other.id, expected_version=7)), grpc.StatusCode.ABORTED
    )
    assert detail.code == "version_conflict"
    detail = await rejected(
        alice.CompleteTask(pb.CompleteTaskRequest(id=other.id, outcome=pb.Outcome(result_code="maybe"))),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert detail.field_violations[0].code == "unknown_result"


async def test_bad_input_is_invalid_argument_naming_the_fields(alice, plan, rejected) -> None:
    detail = await rejected(
        alice.CreateTask(pb.CreateTaskRequest(task=plan.task(type="fax", due_at=plan.at(minutes=-5)))),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert {(f.field, f.code) for f in detail.field_violations} == {("type", "unknown_type"), ("due_at", "due_in_past")}
    past = await alice.CreateTask(pb.CreateTaskRequest(task=plan.task(due_at=plan.at(hours=-3)), allow_past_due=True))
    assert past.overdue


async def test_a_deadline_move_is_recorded_with_who_and_why(alice, carol, plan, rejected) -> None:
    task = await alice.CreateTask(pb.CreateTaskRequest(task=plan.task()))
    later = plan.at(days=3)
    move = pb.UpdateTaskRequest(task=pb.Task(id=task.id, due_at=later), update_mask={"paths": ["due_at"]})
    detail = await rejected(carol.UpdateTask(move), grpc.StatusCode.INVALID_ARGUMENT)
    assert detail.field_violations[0].field == "due_change_reason"
    move.due_change_reason = "Клиент в отпуске"
    moved = await carol.UpdateTask(move)  # carol manages team-north
    assert moved.version == 2 and plan.utc(moved.due_at) == plan.utc(later)
    (change,) = moved.due_changes
    assert (change.changed_by, change.reason) == ("u-carol", "Клиент в отпуске")
    assert plan.utc(change.old_due_at) == plan.utc(task.due_at) and plan.utc(change.new_due_at) == plan.utc(later)


async def test_admins_extend_task_types_and_result_codes(admin, alice, plan, rejected) -> None:
    code = f"visit_{uuid.uuid4().hex[:6]}"
    await admin.CreateCode(new_code("task_types", code, "Выезд к клиенту"))
    types = await alice.ListCodes(common_pb2.ListCodesRequest(list="task_types"))
    assert [t.code for t in types.codes][:4] == ["call", "meeting", "email", "todo"] and code in [
        t.code for t in types.codes
    ]
    detail = await rejected(alice.CreateCode(new_code("task_types", "x", "x")), grpc.StatusCode.PERMISSION_DENIED)
    assert detail.code == "admin_only"
    result = f"sent_{uuid.uuid4().hex[:6]}"
    await admin.CreateCode(new_code("task_results", result, "КП отправлено"))
    task = await alice.CreateTask(
        pb.CreateTaskRequest(task=plan.task(type=code, duration_minutes=90, due_at=plan.at(days=1)))
    )
    done = await alice.CompleteTask(pb.CompleteTaskRequest(id=task.id, outcome=pb.Outcome(result_code=result)))
    assert done.task.outcome.result_code == result and task.duration_minutes == 90
    assert timedelta(0) < plan.utc(task.due_at) - plan.clock.now() < timedelta(days=2)
