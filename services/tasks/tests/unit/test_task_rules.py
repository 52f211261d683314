"""Task rules without servers: validation, lifecycle, reminder and overdue timing, summaries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crm_core.errors import FailedPrecondition, InvalidArgument
from crm_tasks import domain, inputs

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
TYPES = {"call", "meeting", "email", "todo"}


def task(**fields: object) -> inputs.TaskDraft:
    return inputs.task_draft(**{"type": "call", "subject": "Обсудить КП", "assignee_id": "u-1", **fields})  # type: ignore[arg-type]


def codes(info: pytest.ExceptionInfo[InvalidArgument]) -> dict[str, str]:
    return {p.field: p.code for p in info.value.fields}


def test_a_valid_task_gets_defaults_and_its_reminder_time() -> None:
    due = NOW + timedelta(hours=2)
    links = [inputs.TaskLink("party", "p1"), inputs.TaskLink("deal", "d1"), inputs.TaskLink("party", "p1")]
    cols = domain.task_columns(task(due_at=due, links=links), TYPES, NOW)
    assert cols["priority"] == "normal" and cols["remind_before_minutes"] == 15
    assert cols["remind_at"] == due - timedelta(minutes=15)
    assert cols["links"] == [{"kind": "party", "id": "p1"}, {"kind": "deal", "id": "d1"}]
    assert cols["party_ids"] == ["p1"]


def test_a_task_type_must_be_known_and_a_new_deadline_not_past() -> None:
    with pytest.raises(InvalidArgument) as info:
        domain.task_columns(task(type="fax", due_at=NOW - timedelta(minutes=1)), TYPES, NOW)
    assert codes(info) == {"type": "unknown_type", "due_at": "due_in_past"}


def test_a_past_due_time_is_accepted_when_asked_or_when_the_deadline_is_left_alone() -> None:
    past = NOW - timedelta(days=1)
    assert domain.task_columns(task(due_at=past), TYPES, NOW, allow_past_due=True)["due_at"] == past
    assert domain.task_columns(task(due_at=past), TYPES, NOW, due_changed=False)["due_at"] == past


@pytest.mark.parametrize(
    ("status", "check", "code"),
    [
        ("in_progress", domain.check_can_start, "already_started"),
        ("done", domain.check_can_start, "task_done"),
        ("cancelled", domain.check_can_complete, "task_cancelled"),
        ("done", domain.check_can_complete, "task_done"),
        ("done", domain.check_can_cancel, "task_done"),
        ("cancelled", domain.check_can_cancel, "task_cancelled"),
        ("done", domain.check_can_edit, "task_closed"),
    ],
)
def test_closed_or_started_tasks_refuse_the_move(status: str, check, code: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FailedPrecondition) as info:
        check(status)
    assert info.value.code == code


def test_open_and_in_progress_tasks_can_be_completed_or_cancelled() -> None:
    domain.check_can_start("open")
    for status in ("open", "in_progress"):
        domain.check_can_complete(status)
        domain.check_can_cancel(status)
        domain.check_can_edit(status)


def test_completing_needs_a_known_result_code() -> None:
    with pytest.raises(InvalidArgument) as missing:
        domain.check_outcome("", "ok", ["reached"])
    with pytest.raises(InvalidArgument) as unknown:
        domain.check_outcome("maybe", "ok", ["reached"])
    assert codes(missing) == {"outcome.result_code": "required"}
    assert codes(unknown) == {"outcome.result_code": "unknown_result"}
    domain.check_outcome("reached", "Договорились", ["reached"])


def test_overdue_only_after_the_deadline_and_only_while_open() -> None:
    due = NOW
    assert not domain.is_overdue("open", due, NOW)
    assert domain.is_overdue("open", due, NOW + timedelta(seconds=1))
    assert domain.is_overdue("in_progress", due, NOW + timedelta(days=1))
    assert not domain.is_overdue("done", due, NOW + timedelta(days=1))
    assert not domain.is_overdue("open", None, NOW)
    assert domain.overdue_is_due("open", due, False, NOW + timedelta(seconds=1))
    assert not domain.overdue_is_due("open", due, True, NOW + timedelta(seconds=1))


def test_a_reminder_is_due_between_its_time_and_the_deadline_once() -> None:
    due = NOW + timedelta(minutes=30)
    at = domain.remind_at(due, 15)
    assert at == NOW + timedelta(minutes=15)
    assert not domain.reminder_is_due("open", due, at, False, NOW)
    assert domain.reminder_is_due("open", due, at, False, NOW + timedelta(minutes=15))
    assert not domain.reminder_is_due("open", due, at, True, NOW + timedelta(minutes=20))
    assert not domain.reminder_is_due("open", due, at, False, due)  # past the deadline: overdue says it
    assert not domain.reminder_is_due("cancelled", due, at, False, NOW + timedelta(minutes=20))


def test_due_today_is_the_callers_day_in_their_time_zone() -> None:
    late_evening_utc = datetime(2026, 11, 26, 22, 30, tzinfo=UTC)
    today = domain.local_today(late_evening_utc, "Europe/Moscow")
    assert today.isoformat() == "2026-11-27"
    start, end = domain.day_bounds(today, "Europe/Moscow")
    assert start == datetime(2026, 11, 26, 21, 0, tzinfo=UTC) and end - start == timedelta(days=1)
    with pytest.raises(InvalidArgument):
        domain.day_bounds(today, "Mars/Olympus")


def test_summary_reads_like_the_timeline() -> None:
    assert domain.summary("Call", "Discuss the quote", "task.completed", result_code="reached") == (
        "Call: Discuss the quote — done (reached)"
    )
    assert (
        domain.summary("Meeting", "Demo", "task.created", due_at=NOW)
        == "Meeting: Demo — planned for 2026-11-26 12:00 UTC"
    )
