"""Who sees a task: its people, managers of its team, admins; nobody else, not even in lists or counters."""

from __future__ import annotations

import uuid

import grpc

from crm.common.v1 import common_pb2
from crm.tasks.v1 import tasks_pb2 as pb


async def test_hidden_task_is_404_and_never_listed_or_counted(person, admin, plan, rejected) -> None:
    team = f"team-{uuid.uuid4().hex[:6]}"
    owner = person(teams=(team,))
    manager, member = person(("manager",), (team,)), person(("sales",), (team,))
    outsider, watcher = person(("manager",), ("elsewhere",)), person()
    task = await owner.CreateTask(
        pb.CreateTaskRequest(task=plan.task(watcher_ids=[watcher.user_id], due_at=plan.at(hours=1)))
    )
    assert task.team_id == team
    for who in (owner, manager, watcher, admin):
        assert (await who.GetTask(pb.GetTaskRequest(id=task.id))).id == task.id
    mine = common_pb2.Filter(field="team_id", op="eq", value=team)
    for who in (member, outsider):
        detail = await rejected(who.GetTask(pb.GetTaskRequest(id=task.id)), grpc.StatusCode.NOT_FOUND)
        assert detail.code == "task_not_found"
        await rejected(
            who.CompleteTask(pb.CompleteTaskRequest(id=task.id, outcome=pb.Outcome(result_code="reached"))),
            grpc.StatusCode.NOT_FOUND,
        )
        assert not (await who.ListTasks(pb.ListTasksRequest(filters=[mine]))).tasks
        counters = await who.GetTaskCounters(pb.GetTaskCountersRequest())
        assert not counters.users and not counters.teams
    listed = await manager.ListTasks(pb.ListTasksRequest(filters=[mine], team=True))
    assert [t.id for t in listed.tasks] == [task.id]
    assert not (await manager.ListTasks(pb.ListTasksRequest(filters=[mine], mine=True))).tasks
    assert [t.id for t in (await owner.ListTasks(pb.ListTasksRequest(mine=True))).tasks] == [task.id]


async def test_counters_per_user_and_team(person, plan) -> None:
    team = f"team-{uuid.uuid4().hex[:6]}"
    me, manager = person(teams=(team,)), person(("manager",), (team,))
    await me.CreateTask(pb.CreateTaskRequest(task=plan.task(due_at=plan.at(minutes=30))))
    await me.CreateTask(pb.CreateTaskRequest(task=plan.task(due_at=plan.at(days=3))))
    await me.CreateTask(pb.CreateTaskRequest(task=plan.task(due_at=plan.at(hours=-2)), allow_past_due=True))
    done = await me.CreateTask(pb.CreateTaskRequest(task=plan.task()))
    await me.CompleteTask(pb.CompleteTaskRequest(id=done.id, outcome=pb.Outcome(result_code="reached")))
    counters = await me.GetTaskCounters(pb.GetTaskCountersRequest(time_zone="UTC"))
    # "due today" depends on the hour the test runs; the overdue one counts as open, not due today unless today.
    assert counters.mine.open == 3 and counters.mine.overdue == 1
    assert 0 <= counters.mine.due_today <= 2
    by_team = await manager.GetTaskCounters(pb.GetTaskCountersRequest())
    assert [(t.team_id, t.counts.open, t.counts.overdue) for t in by_team.teams] == [(team, 3, 1)]
    assert [(u.user_id, u.counts.open) for u in by_team.users] == [(me.user_id, 3)]
    assert by_team.mine.open == 0
