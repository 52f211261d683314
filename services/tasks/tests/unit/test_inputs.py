"""Typed inputs of the task commands: each parse function's good values and every refusal, with code and field."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from google.protobuf import field_mask_pb2, timestamp_pb2

from crm.tasks.v1 import tasks_pb2 as pb
from crm_core.errors import CrmError, InvalidArgument
from crm_tasks import inputs


def problems(info: pytest.ExceptionInfo[CrmError]) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in info.value.fields}


def message(**fields: object) -> pb.Task:
    return pb.Task(**{"type": "call", "subject": "Обсудить КП", **fields})  # type: ignore[arg-type]


def test_a_task_draft_takes_its_defaults() -> None:
    due = timestamp_pb2.Timestamp(seconds=1_800_000_000)
    draft = inputs.parse_task_draft(
        message(
            subject="  Позвонить ",
            due_at=due,
            duration_minutes=0,
            co_executor_ids=["u-2", "u-2", ""],
            links=[pb.TaskLink(kind="deal", id="d1"), pb.TaskLink(kind="deal", id="d1")],
        )
    )
    assert draft.subject == "Позвонить"
    assert draft.due_at == datetime.fromtimestamp(1_800_000_000, UTC)
    assert (draft.priority, draft.duration_minutes, draft.remind_before_minutes) == ("normal", None, 15)
    assert (draft.assignee_id, draft.team_id) == ("", None)  # the caller and their team, in the command
    assert draft.co_executor_ids == ("u-2",)
    assert draft.links == (inputs.TaskLink("deal", "d1"),)
    leads = inputs.parse_task_draft(message(links=[pb.TaskLink(kind="lead", id="l1")]))
    assert leads.links == (inputs.TaskLink("lead", "l1"),)  # a process's task about a lead links it
    assert inputs.parse_task_draft(message(remind_before_minutes=0)).remind_before_minutes == 0


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"subject": " "}, {("subject", "required")}),
        ({"subject": "x" * 501}, {("subject", "too_long")}),
        ({"description": "x" * 20001}, {("description", "too_long")}),
        ({"priority": "asap"}, {("priority", "unknown_priority")}),
        ({"duration_minutes": -5}, {("duration_minutes", "out_of_range")}),
        ({"duration_minutes": 1441}, {("duration_minutes", "out_of_range")}),
        ({"remind_before_minutes": -1}, {("remind_before_minutes", "out_of_range")}),
        ({"remind_before_minutes": 10081}, {("remind_before_minutes", "out_of_range")}),
        ({"links": [pb.TaskLink(kind="invoice", id="x")]}, {("links[0].kind", "unknown_link_kind")}),
        ({"links": [pb.TaskLink(kind="deal", id="")]}, {("links[0].id", "required")}),
        ({"links": [pb.TaskLink(kind="deal", id="x" * 101)]}, {("links[0].id", "required")}),
    ],
)
def test_a_task_draft_names_each_bad_field_with_its_code(fields: dict, expected: set) -> None:  # type: ignore[type-arg]
    with pytest.raises(InvalidArgument) as info:
        inputs.parse_task_draft(message(**fields))
    assert problems(info) == expected
    with pytest.raises(InvalidArgument) as info:
        inputs.parse_task_draft(message(**fields), "next_task.")
    assert problems(info) == {(f"next_task.{field}", code) for field, code in expected}


def test_every_bad_field_is_reported_at_once() -> None:
    with pytest.raises(InvalidArgument) as info:
        inputs.parse_task_draft(message(subject=" ", priority="asap", duration_minutes=-5, remind_before_minutes=-1))
    assert problems(info) == {
        ("subject", "required"),
        ("priority", "unknown_priority"),
        ("duration_minutes", "out_of_range"),
        ("remind_before_minutes", "out_of_range"),
    }


def update(task: pb.Task, *paths: str, reason: str = "") -> inputs.TaskChanges:
    return inputs.parse_task_changes(
        pb.UpdateTaskRequest(task=task, update_mask=field_mask_pb2.FieldMask(paths=paths), due_change_reason=reason)
    )


def test_task_changes_check_the_mask_and_only_the_masked_fields() -> None:
    with pytest.raises(InvalidArgument) as info:
        update(message(), "status")
    assert problems(info) == {("update_mask", "unknown_field")}
    with pytest.raises(InvalidArgument) as info:
        update(message())
    assert problems(info) == {("update_mask", "required")}
    changes = update(message(subject="Новая тема", priority="asap"), "subject", reason="клиент просил")
    assert (changes.values.subject, changes.due_change_reason) == ("Новая тема", "клиент просил")
    with pytest.raises(InvalidArgument) as info:
        update(message(priority="asap"), "priority", "assignee_id")
    assert problems(info) == {("priority", "unknown_priority"), ("assignee_id", "required")}


def test_changes_replace_the_masked_fields_and_clear_them_to_their_defaults() -> None:
    current = inputs.task_draft(
        type="call", subject="Старая", priority="high", remind_before_minutes=60, assignee_id="u-1"
    )
    changed = update(message(subject="Новая"), "subject", "priority", "remind_before_minutes").applied_to(current)
    assert (changed.subject, changed.priority, changed.remind_before_minutes) == ("Новая", "normal", 15)
    assert (changed.type, changed.assignee_id) == ("call", "u-1")


def test_a_cancellation_reason_is_at_most_1000_characters() -> None:
    assert inputs.parse_cancellation(pb.CancelTaskRequest(id="t", reason="не нужно")).reason == "не нужно"
    with pytest.raises(InvalidArgument) as info:
        inputs.parse_cancellation(pb.CancelTaskRequest(id="t", reason="x" * 1001))
    assert problems(info) == {("reason", "too_long")}
