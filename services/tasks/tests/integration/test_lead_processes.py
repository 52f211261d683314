"""Processes about leads: marketing's lead.* events start them, and their tasks keep the lead's scope."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

import grpc
import pytest
from faker import Faker
from nats.js.errors import NotFoundError

from crm.common.v1 import common_pb2
from crm.events.v1 import envelope_pb2, marketing_pb2
from crm.tasks.v1 import processes_pb2 as ppb
from crm.tasks.v1 import processes_pb2_grpc, tasks_pb2_grpc
from crm.tasks.v1 import tasks_pb2 as pb
from crm_core.auth import SYSTEM, Caller
from crm_core.clock import Clock
from crm_core.db import Database
from crm_core.events.envelope import build_envelope
from crm_core.scopes import scope_of
from crm_core.service import ServiceApp
from crm_core.testing import CallerStub, eventually
from crm_tasks.processes.commands import install_shipped

from .test_processes import in_step, instance_of, new_key

TWO_OWNER_CALLS = """
  - {id: first, type: user_task, task: {type: call, subject: "First call: {name}"}, assignee: owner, next: second}
  - {id: second, type: user_task, task: {type: call, subject: "Second call: {name}"}, assignee: owner, next: done}
  - {id: done, type: end}
"""


@pytest.fixture
def user(channel: grpc.aio.Channel) -> Callable[..., CallerStub]:
    """A new user with tasks and processes stubs (own id, roles and teams)."""

    def make(roles: Iterable[str] = ("sales",), teams: Iterable[str] = ()) -> CallerStub:
        caller = Caller(f"u-{uuid.uuid4().hex[:8]}", frozenset(roles), frozenset(teams))
        stub = CallerStub(
            [tasks_pb2_grpc.TasksServiceStub(channel), processes_pb2_grpc.ProcessesServiceStub(channel)], caller
        )
        stub.user_id = caller.user_id  # type: ignore[attr-defined]
        return stub

    return make


def new_lead(fake: Faker, owner: CallerStub, team: str, **fields: Any) -> marketing_pb2.LeadChanged:
    """A lead as a web form captures it (Russian company, person, INN, phone, e-mail, UTM marks)."""
    data: dict[str, Any] = {
        "lead_id": str(uuid.uuid4()),
        "status": "new",
        "person_name": fake.name(),
        "company_name": fake.company(),
        "email": fake.company_email(),
        "phone": fake.phone_number(),
        "inn": fake.businesses_inn(),
        "campaign_id": str(uuid.uuid4()),
        "channel": "form",
        "form_id": str(uuid.uuid4()),
        "owner_id": owner.user_id,  # type: ignore[attr-defined]
        "team_id": team,
        "utm_source": "yandex",
        "utm_medium": "cpc",
    }
    data.update(fields)
    return marketing_pb2.LeadChanged(**data)


async def publish_lead(
    app: ServiceApp, verb: str, lead: marketing_pb2.LeadChanged, *, version: int = 1, times: int = 1
) -> envelope_pb2.EventEnvelope:
    """lead.<verb> on the marketing stream as marketing's relay publishes it, with the lead's scope."""
    scope = scope_of("lead", lead.lead_id, owner_id=lead.owner_id, team_id=lead.team_id, version=version)
    envelope = build_envelope(
        "marketing",
        f"lead.{verb}",
        subject_id=lead.lead_id,
        payload=lead,
        actor=SYSTEM,
        version=version,
        scopes=[scope],
    )
    await app.bus.ensure_stream("marketing")
    for _ in range(times):  # a redelivery carries the same event id
        await app.bus.js.publish(app.namespace.subject("marketing", f"lead.{verb}"), envelope.SerializeToString())
    return envelope


async def publish_campaign_definition(processes: CallerStub, campaign_id: str) -> str:
    """A definition started by leads of one campaign only, so other tests' leads never start it."""
    key = new_key()
    source = (
        f"key: {key}\nname: Process {key}\n"
        f'trigger:\n  event: lead.captured\n  condition: campaign_id == "{campaign_id}"\nsteps:\n{TWO_OWNER_CALLS}'
    )
    await processes.PublishDefinition(ppb.DefinitionSource(source=source))
    return key


async def test_the_trigger_consumer_follows_the_marketing_stream(tasks_app) -> None:
    # The consumer creates the stream when marketing has not run yet (crm_core's EventConsumer), so a
    # missing stream never stops tasks; its durable consumer on it is what proves tasks reads leads.
    stream = tasks_app.namespace.stream("marketing")
    await tasks_app.bus.ready.wait()

    async def following() -> bool:
        try:
            await tasks_app.bus.js.consumer_info(stream, "tasks-process-triggers")
        except NotFoundError:
            return False
        return True

    await eventually(following)


async def test_a_captured_lead_starts_lead_qualification_with_a_call_its_owner_and_team_see_and_no_one_else(
    tasks_app, tasks_db_url, processes, user, rejected, fake
) -> None:
    team = f"team-{uuid.uuid4().hex[:6]}"
    owner, manager = user(teams=(team,)), user(("manager",), (team,))
    outsider, colleague = user(("manager",), ("team-elsewhere",)), user(("sales",), (team,))
    db = Database(tasks_db_url)
    await install_shipped(db, Clock())
    await db.dispose()
    await processes.SetDefinitionActive(ppb.SetDefinitionActiveRequest(key="lead-qualification", active=True))
    try:
        lead = new_lead(fake, owner, team)
        await publish_lead(tasks_app, "captured", lead)

        instance = await instance_of(processes, "lead-qualification", lead.lead_id)
        assert (instance.record_kind, instance.record_id) == ("lead", lead.lead_id)
        assert instance.current_step == "first_call"
        assert instance.variables["email"] == lead.email and instance.variables["utm_source"] == "yandex"
        call = await owner.GetTask(pb.GetTaskRequest(id=instance.steps[-1].task_id))
        assert (call.assignee_id, call.team_id) == (owner.user_id, team)
        assert call.subject == f"Квалификационный звонок: {lead.company_name}" and call.type == "call"
        assert [(link.kind, link.id) for link in call.links] == [("lead", lead.lead_id)]

        about_lead = common_pb2.Filter(field="link", op="eq", value=f"lead:{lead.lead_id}")
        assert [t.id for t in (await manager.ListTasks(pb.ListTasksRequest(filters=[about_lead]))).tasks] == [call.id]
        assert (await manager.GetInstance(ppb.GetInstanceRequest(id=instance.id))).id == instance.id
        for stranger in (outsider, colleague):
            detail = await rejected(stranger.GetTask(pb.GetTaskRequest(id=call.id)), grpc.StatusCode.NOT_FOUND)
            assert detail.code == "task_not_found"
            assert not (await stranger.ListTasks(pb.ListTasksRequest(filters=[about_lead]))).tasks
            counters = await stranger.GetTaskCounters(pb.GetTaskCountersRequest())
            assert not counters.users and not counters.teams
            await rejected(stranger.GetInstance(ppb.GetInstanceRequest(id=instance.id)), grpc.StatusCode.NOT_FOUND)

        await owner.CompleteTask(pb.CompleteTaskRequest(id=call.id, outcome=pb.Outcome(result_code="reached")))
        meeting = await in_step(processes, instance.id, "needs_meeting")
        task = await owner.GetTask(pb.GetTaskRequest(id=meeting.steps[-1].task_id))
        assert task.subject == f"Выявление потребностей: {lead.company_name}" and task.team_id == team
    finally:
        await processes.SetDefinitionActive(ppb.SetDefinitionActiveRequest(key="lead-qualification", active=False))


async def test_a_reassigned_lead_gives_its_next_tasks_to_the_new_owner_and_team(
    tasks_app, processes, user, rejected, fake
) -> None:
    north, south = f"team-{uuid.uuid4().hex[:6]}", f"team-{uuid.uuid4().hex[:6]}"
    first_owner, new_owner, north_manager = user(teams=(north,)), user(teams=(south,)), user(("manager",), (north,))
    lead = new_lead(fake, first_owner, north, company_name="", person_name=fake.name())
    key = await publish_campaign_definition(processes, lead.campaign_id)
    await publish_lead(tasks_app, "captured", lead)
    instance = await instance_of(processes, key, lead.lead_id)
    first = await first_owner.GetTask(pb.GetTaskRequest(id=instance.steps[-1].task_id))
    assert first.subject == f"First call: {lead.person_name}"  # no company: the person names the lead

    handed_over = marketing_pb2.LeadChanged()
    handed_over.CopyFrom(lead)
    handed_over.status, handed_over.owner_id, handed_over.team_id = "in_work", new_owner.user_id, south
    await publish_lead(tasks_app, "assigned", handed_over, version=2)

    async def owner_followed() -> bool:
        current = await processes.GetInstance(ppb.GetInstanceRequest(id=instance.id))
        return (current.variables["owner_id"], current.variables["team_id"]) == (new_owner.user_id, south)

    await eventually(owner_followed)
    await first_owner.CompleteTask(pb.CompleteTaskRequest(id=first.id, outcome=pb.Outcome(result_code="reached")))
    second = await in_step(processes, instance.id, "second")
    task = await new_owner.GetTask(pb.GetTaskRequest(id=second.steps[-1].task_id))
    assert (task.assignee_id, task.team_id) == (new_owner.user_id, south)
    for former in (first_owner, north_manager):  # the lead left them: its new tasks do not show to them
        await rejected(former.GetTask(pb.GetTaskRequest(id=task.id)), grpc.StatusCode.NOT_FOUND)


async def test_a_capture_handled_after_the_assignment_starts_with_the_assigned_owner(
    tasks_app, processes, user, rejected, fake
) -> None:
    north, south = f"team-{uuid.uuid4().hex[:6]}", f"team-{uuid.uuid4().hex[:6]}"
    form_owner, assigned_owner = user(teams=(north,)), user(teams=(south,))
    lead = new_lead(fake, form_owner, north)
    key = await publish_campaign_definition(processes, lead.campaign_id)
    assigned = marketing_pb2.LeadChanged()
    assigned.CopyFrom(lead)
    assigned.status, assigned.owner_id, assigned.team_id = "in_work", assigned_owner.user_id, south
    # The capture's first delivery failed and came back after the assignment (or ran in a slower group).
    await publish_lead(tasks_app, "assigned", assigned, version=2)
    await publish_lead(tasks_app, "captured", lead, version=1)

    instance = await instance_of(processes, key, lead.lead_id)
    task = await assigned_owner.GetTask(pb.GetTaskRequest(id=instance.steps[-1].task_id))
    assert (task.assignee_id, task.team_id) == (assigned_owner.user_id, south)
    await rejected(form_owner.GetTask(pb.GetTaskRequest(id=task.id)), grpc.StatusCode.NOT_FOUND)


async def test_a_redelivered_lead_event_starts_one_instance_and_one_task(tasks_app, processes, user, fake) -> None:
    owner = user(teams=("team-north",))
    lead = new_lead(fake, owner, "team-north")
    key = await publish_campaign_definition(processes, lead.campaign_id)
    await publish_lead(tasks_app, "captured", lead, times=2)
    await instance_of(processes, key, lead.lead_id)
    marker = new_lead(fake, owner, "team-north", campaign_id=lead.campaign_id)
    await publish_lead(tasks_app, "captured", marker)  # consumed after the duplicate
    await instance_of(processes, key, marker.lead_id)

    page = await processes.ListInstances(ppb.ListInstancesRequest(key=key, record_id=lead.lead_id))
    assert len(page.instances) == 1
    about_lead = common_pb2.Filter(field="link", op="eq", value=f"lead:{lead.lead_id}")
    assert len((await owner.ListTasks(pb.ListTasksRequest(filters=[about_lead]))).tasks) == 1
