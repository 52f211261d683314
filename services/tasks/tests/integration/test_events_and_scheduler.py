"""Task events reach JetStream naming the linked parties; the scheduler publishes overdue and reminders once."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import timedelta

from prometheus_client import REGISTRY

from crm.common.v1 import common_pb2
from crm.events.v1 import contacts_pb2 as contact_events
from crm.events.v1 import tasks_pb2 as task_events
from crm.tasks.v1 import tasks_pb2 as pb
from crm_core.events.envelope import build_envelope
from crm_core.testing import ADMIN, eventually


async def test_changes_publish_events_naming_linked_parties_with_a_readable_summary(
    tasks_app, alice, plan, published
) -> None:
    party, deal = str(uuid.uuid4()), str(uuid.uuid4())
    task = await alice.CreateTask(
        pb.CreateTaskRequest(
            task=plan.task(
                subject="Discuss the quote",
                links=[pb.TaskLink(kind="party", id=party), pb.TaskLink(kind="deal", id=deal)],
            )
        )
    )
    await alice.StartTask(pb.StartTaskRequest(id=task.id))
    await alice.CompleteTask(pb.CompleteTaskRequest(id=task.id, outcome=pb.Outcome(result_code="reached", text="ok")))
    created, started, completed = await published(tasks_app, task.id, 3)
    assert [e.type for e in (created, started, completed)] == ["task.created", "task.updated", "task.completed"]
    assert all(list(e.party_ids) == [party] for e in (created, started, completed))
    assert completed.summary == "Call: Discuss the quote — done (reached)"
    assert [e.version for e in (created, started, completed)] == [1, 2, 3]
    payload = task_events.TaskChanged()
    assert completed.payload.Unpack(payload)
    assert (payload.status, payload.result_code, list(payload.links)) == (
        "done",
        "reached",
        [f"party:{party}", f"deal:{deal}"],
    )
    # The codes' labels travel with them: a timeline writes an installation's own codes in its reader's language.
    labels = (payload.type_label_ru, payload.type_label_en, payload.result_label_ru, payload.result_label_en)
    assert labels == ("Звонок", "Call", "Дозвонились", "Reached")


async def test_a_reminder_is_published_once_before_the_deadline(tasks_app, alice, plan, published) -> None:
    task = await alice.CreateTask(
        pb.CreateTaskRequest(task=plan.task(due_at=plan.at(minutes=10), remind_before_minutes=15))
    )
    _, reminder = await published(tasks_app, task.id, 2)
    assert reminder.type == "task.reminder_due" and reminder.actor.user_id == "system"
    await asyncio.sleep(0.3)  # a few more scheduler passes
    assert [e.type for e in await published(tasks_app, task.id, 2)] == ["task.created", "task.reminder_due"]


async def test_two_replicas_publish_task_overdue_exactly_once_per_task(
    tasks_app, another_tasks_app, alice, plan, published, time_travel
) -> None:
    tasks = [
        await alice.CreateTask(pb.CreateTaskRequest(task=plan.task(due_at=plan.at(minutes=20 + i)))) for i in range(30)
    ]
    time_travel(timedelta(hours=1))  # both replicas share the shifted clock; their schedulers race for the rows

    async def overdue_counts() -> Counter[str] | None:
        envelopes = [e for e in await published(tasks_app, "", 0) if e.type == "task.overdue"]
        counts = Counter(e.subject_id for e in envelopes)
        return counts if all(counts[t.id] for t in tasks) else None

    await eventually(overdue_counts)
    await asyncio.sleep(0.5)  # more passes of both schedulers must add nothing
    counts = await overdue_counts()
    assert counts is not None and [counts[t.id] for t in tasks] == [1] * 30
    got = await alice.GetTask(pb.GetTaskRequest(id=tasks[0].id))
    assert got.overdue and got.HasField("overdue_notified_at")
    reminders = Counter(e.subject_id for e in await published(tasks_app, "", 0) if e.type == "task.reminder_due")
    assert all(reminders[t.id] == 0 for t in tasks)  # past the deadline a reminder is not sent late


async def test_a_moved_deadline_is_watched_again(tasks_app, alice, plan, published, time_travel) -> None:
    task = await alice.CreateTask(pb.CreateTaskRequest(task=plan.task(due_at=plan.at(minutes=30))))
    time_travel(timedelta(hours=1))
    await published(tasks_app, task.id, 2)  # created, overdue
    current = await alice.GetTask(pb.GetTaskRequest(id=task.id))
    await alice.UpdateTask(
        pb.UpdateTaskRequest(
            task=pb.Task(id=task.id, due_at=plan.at(minutes=20)),
            update_mask={"paths": ["due_at"]},
            expected_version=current.version,
            due_change_reason="Перенесли звонок",
        )
    )
    time_travel(timedelta(hours=1))
    types = [e.type for e in await published(tasks_app, task.id, 4)]
    assert types == ["task.created", "task.overdue", "task.updated", "task.overdue"]


async def test_unlinking_a_party_names_it_in_the_update(tasks_app, alice, plan, published) -> None:
    task = await alice.CreateTask(pb.CreateTaskRequest(task=plan.task()))
    former, new = task.links[0].id, str(uuid.uuid4())
    await alice.UpdateTask(
        pb.UpdateTaskRequest(
            task=pb.Task(id=task.id, links=[pb.TaskLink(kind="party", id=new)]), update_mask={"paths": ["links"]}
        )
    )
    created, updated = await published(tasks_app, task.id, 2)
    assert list(created.party_ids) == [former]
    assert list(updated.party_ids) == [new, former]
    changed = task_events.TaskChanged()
    assert updated.payload.Unpack(changed) and list(changed.changed_fields) == ["links", "party_ids"]


async def test_tasks_of_a_merged_party_follow_the_survivor(tasks_app, alice, plan) -> None:
    merged_id, survivor_id, deal = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    links = [pb.TaskLink(kind="party", id=merged_id), pb.TaskLink(kind="deal", id=deal)]
    task = await alice.CreateTask(pb.CreateTaskRequest(task=plan.task(links=links)))
    envelope = build_envelope(
        "contacts",
        "party.merged",
        subject_id=survivor_id,
        payload=contact_events.PartyMerged(survivor_id=survivor_id, merged_id=merged_id),
        actor=ADMIN,
        party_ids=[survivor_id],
    )
    namespace = tasks_app.namespace
    await tasks_app.bus.ensure_stream("contacts")
    await tasks_app.bus.js.publish(namespace.subject("contacts", "party.merged"), envelope.SerializeToString())

    async def relinked():
        current = await alice.GetTask(pb.GetTaskRequest(id=task.id))
        return current if current.links[0].id == survivor_id else None

    current = await eventually(relinked)
    assert [(link.kind, link.id) for link in current.links] == [("party", survivor_id), ("deal", deal)]
    survivors = await alice.ListTasks(
        pb.ListTasksRequest(filters=[common_pb2.Filter(field="party_id", op="eq", value=survivor_id)])
    )
    assert [t.id for t in survivors.tasks] == [task.id]


def figure(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, {"service": "tasks", **labels}) or 0.0


async def test_the_scheduler_reports_what_it_fired_how_late_and_what_is_overdue(
    tasks_app, alice, plan, published, time_travel
) -> None:
    fired = figure("crm_scheduled_fired_total", kind="task_overdue")
    late = figure("crm_scheduled_lateness_seconds_count", kind="task_overdue")
    counted = figure("crm_tasks_overdue_total")
    tasks = [await alice.CreateTask(pb.CreateTaskRequest(task=plan.task(due_at=plan.at(minutes=20)))) for _ in range(2)]
    time_travel(timedelta(hours=1))
    for task in tasks:
        await published(tasks_app, task.id, 2)  # created, overdue
    await eventually(lambda: figure("crm_tasks_overdue_total") >= counted + 2)  # counted as its transaction commits
    assert figure("crm_scheduled_fired_total", kind="task_overdue") >= fired + 2
    assert figure("crm_scheduled_lateness_seconds_count", kind="task_overdue") >= late + 2
    # Measured after the pass: both are open past their deadline, neither waits to be notified.
    await eventually(
        lambda: figure("crm_tasks_open_overdue") >= 2 and figure("crm_scheduled_due", kind="task_overdue") == 0
    )
    assert figure("crm_background_passes_total", work="task-notifications", outcome="ok") >= 1
