"""Business processes on a real database and broker: events start them, tasks and timers move them on."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import grpc
import pytest
from google.protobuf import struct_pb2
from sqlalchemy import func, select

from crm.events.v1 import contacts_pb2 as contact_events
from crm.events.v1 import deals_pb2 as deal_events
from crm.events.v1 import tasks_pb2 as task_events
from crm.tasks.v1 import processes_pb2 as ppb
from crm.tasks.v1 import processes_pb2_grpc
from crm.tasks.v1 import tasks_pb2 as pb
from crm_core.clock import Clock
from crm_core.db import Database
from crm_core.events.envelope import build_envelope
from crm_core.service import ServiceApp
from crm_core.testing import ALICE, BOB, CallerStub, eventually
from crm_tasks.models import ProcessDefinition, ProcessJob, Task
from crm_tasks.processes.calendar import WorkCalendar
from crm_tasks.processes.commands import install_shipped
from crm_tasks.processes.engine import ProcessEngine

USER_TASK_THEN_END = """
  - id: quote
    type: user_task
    task: {type: todo, subject: "Prepare the quote for {title}"}
    assignee: owner
    deadline: {working_days: 1}
    result_variable: quote_result
    next: done
  - id: done
    type: end
"""


def definition(key: str, steps: str, trigger: str = "trigger: manual", variables: str = "") -> str:
    return f"key: {key}\nname: Process {key}\n{trigger}\n{variables}\nsteps:\n{steps}"


def new_key() -> str:
    return f"p-{uuid.uuid4().hex[:10]}"


async def publish_stage_change(app: ServiceApp, pipeline_id: str, stage_name: str, **fields: Any) -> str:
    """A deal.stage_changed on the deals stream, as deals publishes it; returns the deal id."""
    deal_id = str(uuid.uuid4())
    payload = deal_events.DealStageChanged(
        deal_id=deal_id,
        title=fields.get("title", "Поставка оборудования"),
        pipeline_id=pipeline_id,
        to_stage_id=str(uuid.uuid4()),
        to_stage_name=stage_name,
        category="open",
        amount=fields.get("amount", "250000.00"),
        currency="RUB",
        client_id=fields.get("client_id", str(uuid.uuid4())),
        owner_id=fields.get("owner_id", ALICE.user_id),
    )
    envelope = build_envelope(
        "deals", "deal.stage_changed", subject_id=deal_id, payload=payload, actor=BOB, party_ids=[payload.client_id]
    )
    await app.bus.ensure_stream("deals")
    if "occurred_at" in fields:
        envelope.occurred_at.FromDatetime(fields["occurred_at"])
    for _ in range(fields.get("times", 1)):  # a redelivery carries the same event id
        await app.bus.js.publish(app.namespace.subject("deals", "deal.stage_changed"), envelope.SerializeToString())
    return deal_id


async def instance_of(processes: CallerStub, key: str, record_id: str = "") -> ppb.ProcessInstance:
    async def found() -> ppb.ProcessInstance | None:
        page = await processes.ListInstances(ppb.ListInstancesRequest(key=key, record_id=record_id))
        return page.instances[0] if page.instances else None

    summary = await eventually(found)
    return await processes.GetInstance(ppb.GetInstanceRequest(id=summary.id))


async def in_step(processes: CallerStub, instance_id: str, step: str, status: str = "running") -> ppb.ProcessInstance:
    async def arrived() -> ppb.ProcessInstance | None:
        current = await processes.GetInstance(ppb.GetInstanceRequest(id=instance_id))
        return current if current.current_step == step and current.status == status else None

    return await eventually(arrived)


async def test_a_stage_change_starts_a_process_that_gives_the_deal_owner_a_task(
    tasks_app, processes, alice, clock
) -> None:
    key, pipeline = new_key(), str(uuid.uuid4())
    trigger = (
        f'trigger:\n  event: deal.stage_changed\n  condition: pipeline_id == "{pipeline}" and stage_name == "Proposal"'
    )
    await processes.PublishDefinition(ppb.DefinitionSource(source=definition(key, USER_TASK_THEN_END, trigger)))
    await publish_stage_change(tasks_app, pipeline, "Negotiation")
    await publish_stage_change(tasks_app, pipeline, "Proposal", occurred_at=clock.now() - timedelta(days=1))
    deal_id = await publish_stage_change(tasks_app, pipeline, "Proposal", title="Станки ЧПУ")

    instance = await instance_of(processes, key)
    assert instance.record_kind == "deal" and instance.record_id == deal_id
    assert instance.current_step == "quote" and instance.status == "running"
    assert instance.variables["stage_name"] == "Proposal" and instance.variables["amount"] == 250000.0
    task = await alice.GetTask(pb.GetTaskRequest(id=instance.steps[-1].task_id))
    assert task.assignee_id == ALICE.user_id
    assert task.subject == "Prepare the quote for Станки ЧПУ"
    assert task.process_instance_id == instance.id and task.process_step_id == "quote"
    assert ("deal", deal_id) in [(link.kind, link.id) for link in task.links]
    assert task.due_at.ToDatetime(tzinfo=UTC) > clock.now() + timedelta(hours=20)  # a working day ahead
    only_one = await processes.ListInstances(ppb.ListInstancesRequest(key=key))
    # Negotiation did not match the condition; yesterday's move happened before the definition existed.
    assert len(only_one.instances) == 1


async def test_a_redelivered_event_starts_one_instance(tasks_app, processes) -> None:
    key, pipeline = new_key(), str(uuid.uuid4())
    trigger = f'trigger:\n  event: deal.stage_changed\n  condition: pipeline_id == "{pipeline}"'
    await processes.PublishDefinition(ppb.DefinitionSource(source=definition(key, USER_TASK_THEN_END, trigger)))
    deal_id = await publish_stage_change(tasks_app, pipeline, "Proposal", times=2)
    await instance_of(processes, key, deal_id)
    marker = await publish_stage_change(tasks_app, pipeline, "Proposal")  # consumed after the duplicate
    await instance_of(processes, key, marker)
    page = await processes.ListInstances(ppb.ListInstancesRequest(key=key, record_id=deal_id))
    assert len(page.instances) == 1


async def test_completing_the_task_advances_the_process_and_records_the_result(
    processes, alice, alice_processes, channel, rejected
) -> None:
    key = new_key()
    steps = """
  - id: call
    type: user_task
    task: {type: call, subject: "Call the client"}
    assignee: {variable: caller_id}
    result_variable: call_result
    next: check
  - id: check
    type: gateway
    branches:
      - {when: call_result == "reached", next: meeting}
    default: done
  - id: meeting
    type: user_task
    task: {type: meeting, subject: "Meet", duration_minutes: 60}
    assignee: {variable: caller_id}
    deadline: {days: 2}
    next: done
  - id: done
    type: end
"""
    published = await processes.PublishDefinition(
        ppb.DefinitionSource(source=definition(key, steps, variables="variables: {caller_id: null}"))
    )
    assert "caller_id" in published.variables  # declared, so a manual start may set it
    started = await processes.StartProcess(
        ppb.StartProcessRequest(key=key, variables=struct({"caller_id": ALICE.user_id}))
    )
    call = await alice.GetTask(pb.GetTaskRequest(id=started.steps[0].task_id))
    # The assignee sees where the process stands, not its variables; someone without its tasks sees nothing.
    as_assignee = await alice_processes.GetInstance(ppb.GetInstanceRequest(id=started.id))
    assert as_assignee.current_step == "call" and not as_assignee.variables.fields
    outsider = CallerStub(processes_pb2_grpc.ProcessesServiceStub(channel), BOB)
    await rejected(outsider.GetInstance(ppb.GetInstanceRequest(id=started.id)), grpc.StatusCode.NOT_FOUND)
    await alice.CompleteTask(
        pb.CompleteTaskRequest(id=call.id, outcome=pb.Outcome(result_code="reached", text="Интересуются"))
    )
    after = await processes.GetInstance(ppb.GetInstanceRequest(id=started.id))
    assert after.current_step == "meeting" and after.variables["call_result"] == "reached"
    assert [(s.step_id, s.result) for s in after.steps[:2]] == [
        ("call", "reached"),
        ("check", 'call_result == "reached"'),
    ]
    assert after.steps[0].HasField("left_at") and after.steps[0].seconds >= 0
    meeting = await alice.GetTask(pb.GetTaskRequest(id=after.steps[-1].task_id))
    await alice.CompleteTask(pb.CompleteTaskRequest(id=meeting.id, outcome=pb.Outcome(result_code="reached")))
    done = await processes.GetInstance(ppb.GetInstanceRequest(id=started.id))
    assert done.status == "completed" and done.current_step == "done" and done.HasField("finished_at")


async def test_a_timer_step_fires_when_its_time_comes(processes, alice, time_travel) -> None:
    key = new_key()
    steps = """
  - {id: wait, type: timer, wait: {hours: 2}, next: follow_up}
  - id: follow_up
    type: user_task
    task: {type: call, subject: "Follow up"}
    assignee: {user: u-alice}
    next: done
  - {id: done, type: end}
"""
    await processes.PublishDefinition(ppb.DefinitionSource(source=definition(key, steps)))
    started = await processes.StartProcess(ppb.StartProcessRequest(key=key))
    assert started.current_step == "wait" and started.steps[0].HasField("due_at")
    time_travel(timedelta(minutes=90))
    await in_step(processes, started.id, "wait")  # not yet
    time_travel(timedelta(minutes=31))
    fired = await in_step(processes, started.id, "follow_up")
    assert fired.steps[0].result == "timer fired"
    task = await alice.GetTask(pb.GetTaskRequest(id=fired.steps[-1].task_id))
    assert task.subject == "Follow up" and task.assignee_id == ALICE.user_id


async def test_running_instances_finish_on_their_version(processes, alice) -> None:
    key = new_key()
    steps = USER_TASK_THEN_END.replace("{title}", "v1")
    v1 = await processes.PublishDefinition(
        ppb.DefinitionSource(source=definition(key, steps, variables="variables: {owner: null}"))
    )
    old = await processes.StartProcess(
        ppb.StartProcessRequest(key=key, record_kind="deal", record_id=str(uuid.uuid4()), owner_id=ALICE.user_id)
    )
    v2 = await processes.PublishDefinition(
        ppb.DefinitionSource(
            source=definition(key, steps.replace("for v1", "for v2"), variables="variables: {owner: null}")
        )
    )
    new = await processes.StartProcess(
        ppb.StartProcessRequest(key=key, record_kind="deal", record_id=str(uuid.uuid4()), owner_id=ALICE.user_id)
    )
    assert (v1.version, v2.version) == (1, 2)
    assert (old.definition_version, new.definition_version) == (1, 2)
    old_task = await alice.GetTask(pb.GetTaskRequest(id=old.steps[0].task_id))
    new_task = await alice.GetTask(pb.GetTaskRequest(id=new.steps[0].task_id))
    assert (old_task.subject, new_task.subject) == ("Prepare the quote for v1", "Prepare the quote for v2")
    listed = await processes.ListDefinitions(ppb.ListDefinitionsRequest())
    mine = next(d for d in listed.definitions if d.key == key)
    assert mine.version == 2 and mine.counts.running == 2


async def test_role_tasks_go_to_the_least_busy_member_and_an_empty_role_fails_until_fixed(
    processes, person, plan
) -> None:
    busy, free = person(), person()
    await busy.CreateTask(pb.CreateTaskRequest(task=plan.task()))
    role = f"r_{uuid.uuid4().hex[:8]}"
    steps = f"""
  - id: invoice
    type: user_task
    task: {{type: todo, subject: "Issue the invoice"}}
    assignee: {{role: {role}}}
    next: done
  - {{id: done, type: end}}
"""
    key = new_key()
    await processes.PublishDefinition(ppb.DefinitionSource(source=definition(key, steps)))
    failed = await processes.StartProcess(ppb.StartProcessRequest(key=key))
    assert failed.status == "failed" and f"role '{role}' has no members" in failed.error

    await processes.SetRole(ppb.ProcessRole(code=role, label="Бухгалтерия", member_ids=[busy.user_id, free.user_id]))
    retried = await processes.RetryInstance(ppb.GetInstanceRequest(id=failed.id))
    assert retried.status == "running" and retried.current_step == "invoice"
    task = await free.GetTask(pb.GetTaskRequest(id=retried.steps[-1].task_id))
    assert task.assignee_id == free.user_id


async def test_cancelling_an_instance_cancels_its_open_tasks(tasks_app, processes, alice, published) -> None:
    key = new_key()
    steps = USER_TASK_THEN_END.replace("{title}", "the deal")
    await processes.PublishDefinition(ppb.DefinitionSource(source=definition(key, steps)))
    started = await processes.StartProcess(
        ppb.StartProcessRequest(key=key, record_kind="deal", record_id=str(uuid.uuid4()), owner_id=ALICE.user_id)
    )
    cancelled = await processes.CancelInstance(ppb.CancelInstanceRequest(id=started.id, reason="deal lost"))
    assert cancelled.status == "cancelled"
    task = await alice.GetTask(pb.GetTaskRequest(id=started.steps[0].task_id))
    assert task.status == "cancelled" and "deal lost" in task.cancel_reason
    # The task's events name the process that created and cancelled it: timelines attribute them to it.
    for envelope in await published(tasks_app, task.id, 2):
        payload = task_events.TaskChanged()
        assert envelope.payload.Unpack(payload)
        assert (payload.process_key, payload.process_name) == (key, f"Process {key}")


class _Hook(BaseHTTPRequestHandler):
    calls: list[dict[str, Any]] = []
    answer = 200

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).calls.append({"body": body, "key": self.headers["Idempotency-Key"]})
        self.send_response(type(self).answer)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[tuple[str, type[_Hook]]]:
    hook = type("Hook", (_Hook,), {"calls": [], "answer": 200})
    server = ThreadingHTTPServer(("127.0.0.1", 0), hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", hook
    server.shutdown()


async def test_a_webhook_step_posts_the_instance_and_moves_on(processes, webhook) -> None:
    url, hook = webhook
    key = new_key()
    steps = f"""
  - {{id: notify, type: action, action: webhook, url: "{url}", next: signal}}
  - {{id: signal, type: action, action: publish_event, event: notified, next: done}}
  - {{id: done, type: end}}
"""
    await processes.PublishDefinition(
        ppb.DefinitionSource(source=definition(key, steps, variables="variables: {order: null}"))
    )
    started = await processes.StartProcess(ppb.StartProcessRequest(key=key, variables=struct({"order": "A-17"})))
    done = await in_step(processes, started.id, "done", "completed")
    assert [s.step_id for s in done.steps] == ["notify", "signal", "done"]
    assert done.steps[0].result == "HTTP 200"
    (call,) = hook.calls
    assert call["body"]["instance_id"] == started.id and call["body"]["variables"]["order"] == "A-17"
    assert call["key"]  # the job id, for the receiver to drop repeats


async def test_a_refused_webhook_fails_the_instance_with_the_reason(processes, webhook) -> None:
    url, hook = webhook
    hook.answer = 422
    key = new_key()
    steps = (
        f"  - {{id: notify, type: action, action: webhook, url: '{url}', next: done}}\n  - {{id: done, type: end}}\n"
    )
    await processes.PublishDefinition(ppb.DefinitionSource(source=definition(key, steps)))
    started = await processes.StartProcess(ppb.StartProcessRequest(key=key))
    failed = await in_step(processes, started.id, "notify", "failed")
    assert "HTTP 422" in failed.error and len(hook.calls) == 1


async def test_invalid_definitions_and_non_admins_are_refused(processes, alice_processes, rejected) -> None:
    cyclic = definition(
        new_key(),
        "  - id: g\n    type: gateway\n    branches: [{when: 'true', next: s}]\n    default: z\n"
        "  - {id: s, type: action, action: publish_event, event: again, next: g}\n  - {id: z, type: end}\n",
    )
    detail = await rejected(
        processes.PublishDefinition(ppb.DefinitionSource(source=cyclic)), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert [(v.field, v.code) for v in detail.field_violations] == [("steps[0]", "cycle_without_wait")]
    valid = definition(new_key(), USER_TASK_THEN_END.replace("{title}", "the deal"))
    await rejected(
        alice_processes.PublishDefinition(ppb.DefinitionSource(source=valid)), grpc.StatusCode.PERMISSION_DENIED
    )
    await rejected(alice_processes.ListInstances(ppb.ListInstancesRequest()), grpc.StatusCode.PERMISSION_DENIED)
    checked = await alice_processes.ValidateDefinition(ppb.DefinitionSource(source=valid))
    assert [s.id for s in checked.steps] == ["quote", "done"]
    published = await processes.PublishDefinition(ppb.DefinitionSource(source=valid))
    as_user = await alice_processes.GetDefinition(ppb.GetDefinitionRequest(key=published.key))
    assert as_user.name == published.name and not as_user.source  # the source may hold webhook URLs
    assert (await processes.GetDefinition(ppb.GetDefinitionRequest(key=published.key))).source == valid


def struct(values: dict[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(values)
    return message


async def test_a_new_owner_of_the_deal_gets_the_next_tasks(tasks_app, processes, alice, bob) -> None:
    key, pipeline = new_key(), str(uuid.uuid4())
    steps = """
  - {id: first, type: user_task, task: {type: call, subject: "First"}, assignee: owner, next: second}
  - {id: second, type: user_task, task: {type: call, subject: "Second"}, assignee: owner, next: done}
  - {id: done, type: end}
"""
    trigger = f'trigger:\n  event: deal.stage_changed\n  condition: pipeline_id == "{pipeline}"'
    await processes.PublishDefinition(ppb.DefinitionSource(source=definition(key, steps, trigger)))
    deal_id = await publish_stage_change(tasks_app, pipeline, "Proposal", owner_id=ALICE.user_id)
    instance = await instance_of(processes, key, deal_id)
    handed_over = deal_events.DealChanged(
        deal_id=deal_id, pipeline_id=pipeline, owner_id=BOB.user_id, team_id="team-south", changed_fields=["owner_id"]
    )
    envelope = build_envelope("deals", "deal.updated", subject_id=deal_id, payload=handed_over, actor=BOB)
    await tasks_app.bus.js.publish(tasks_app.namespace.subject("deals", "deal.updated"), envelope.SerializeToString())

    async def owner_followed() -> bool:
        current = await processes.GetInstance(ppb.GetInstanceRequest(id=instance.id))
        return current.variables["owner_id"] == BOB.user_id

    await eventually(owner_followed)
    await alice.CompleteTask(
        pb.CompleteTaskRequest(id=instance.steps[-1].task_id, outcome=pb.Outcome(result_code="reached"))
    )
    second = await in_step(processes, instance.id, "second")
    task = await bob.GetTask(pb.GetTaskRequest(id=second.steps[-1].task_id))
    assert (task.assignee_id, task.team_id) == (BOB.user_id, "team-south")


async def test_shipped_new_company_qualification_calls_every_new_company(
    tasks_app, tasks_db_url, processes, alice
) -> None:
    db = Database(tasks_db_url)
    await install_shipped(db, Clock())
    assert await install_shipped(db, Clock()) == []  # installed once
    await db.dispose()
    shipped = {
        d.key: d
        for d in (await processes.ListDefinitions(ppb.ListDefinitionsRequest(include_inactive=True))).definitions
    }
    assert not any(shipped[key].active for key in ("lead-qualification", "new-company-qualification"))
    assert not shipped["deal-won-onboarding"].active
    onboarding = shipped["deal-won-onboarding"]
    assert (onboarding.name_ru, onboarding.name_en) == (
        "Запуск работы после выигранной сделки",
        "Onboarding after a won deal",
    )
    assert onboarding.name == onboarding.name_ru  # CRM_DEFAULT_LANGUAGE: ru
    assert onboarding.steps[0].name_en == "Kick-off call" and onboarding.steps[0].name == "Стартовый звонок"
    await processes.SetDefinitionActive(ppb.SetDefinitionActiveRequest(key="new-company-qualification", active=True))
    try:
        company, person = str(uuid.uuid4()), str(uuid.uuid4())
        for party_id, kind in ((person, "person"), (company, "company")):
            created = contact_events.PartyChanged(
                party_id=party_id, kind=kind, display_name="ООО «Вектор»", owner_id=ALICE.user_id
            )
            envelope = build_envelope(
                "contacts", "party.created", subject_id=party_id, payload=created, actor=ALICE, party_ids=[party_id]
            )
            await tasks_app.bus.ensure_stream("contacts")
            subject = tasks_app.namespace.subject("contacts", "party.created")
            await tasks_app.bus.js.publish(subject, envelope.SerializeToString())
        instance = await instance_of(processes, "new-company-qualification", company)
        call = await alice.GetTask(pb.GetTaskRequest(id=instance.steps[-1].task_id))
        assert call.subject == "Квалификационный звонок: ООО «Вектор»" and call.type == "call"
        assert [(link.kind, link.id) for link in call.links] == [("party", company)]
        await alice.CompleteTask(pb.CompleteTaskRequest(id=call.id, outcome=pb.Outcome(result_code="reached")))
        meeting = await in_step(processes, instance.id, "needs_meeting")
        assert [s.step_id for s in meeting.steps] == ["first_call", "reached_first", "needs_meeting"]
        persons = await processes.ListInstances(
            ppb.ListInstancesRequest(key="new-company-qualification", record_id=person)
        )
        assert not persons.instances  # the condition starts it for companies only
    finally:
        await processes.SetDefinitionActive(
            ppb.SetDefinitionActiveRequest(key="new-company-qualification", active=False)
        )


async def test_a_changed_shipped_definition_updates_only_an_untouched_installed_one(
    tasks_db_url, processes, tmp_path
) -> None:
    key = new_key()
    shipped = tmp_path / f"{key}.yaml"
    one_call = USER_TASK_THEN_END.replace("{title}", "{name}")
    db = Database(tasks_db_url)
    try:
        shipped.write_text(definition(key, one_call, "trigger:\n  event: party.created"), encoding="utf-8")
        assert await install_shipped(db, Clock(), tmp_path) == [key]
        assert await install_shipped(db, Clock(), tmp_path) == []  # unchanged: nothing to do
        shipped.write_text(definition(key, one_call, "trigger:\n  event: lead.captured"), encoding="utf-8")
        assert await install_shipped(db, Clock(), tmp_path) == [key]
        newest = await processes.GetDefinition(ppb.GetDefinitionRequest(key=key))
        assert (newest.version, newest.trigger_event, newest.active) == (2, "lead.captured", False)

        await processes.SetDefinitionActive(ppb.SetDefinitionActiveRequest(key=key, active=True))
        shipped.write_text(definition(key, one_call, "trigger:\n  event: lead.qualified"), encoding="utf-8")
        assert await install_shipped(db, Clock(), tmp_path) == []  # turned on by an admin: theirs now
        await processes.SetDefinitionActive(ppb.SetDefinitionActiveRequest(key=key, active=False))
        edited = definition(key, one_call.replace("Prepare", "Send"), "trigger:\n  event: lead.captured")
        await processes.PublishDefinition(ppb.DefinitionSource(source=edited))
        await processes.SetDefinitionActive(ppb.SetDefinitionActiveRequest(key=key, active=False))
        assert await install_shipped(db, Clock(), tmp_path) == []  # published by an admin: theirs too
        newest = await processes.GetDefinition(ppb.GetDefinitionRequest(key=key))
        assert (newest.version, newest.trigger_event) == (3, "lead.captured")
    finally:
        await db.dispose()


async def test_two_replicas_fire_each_timer_once(processes, another_tasks_app, time_travel, tasks_db_url) -> None:
    key = new_key()
    steps = """
  - {id: wait, type: timer, wait: {hours: 1}, next: call}
  - {id: call, type: user_task, task: {type: call, subject: "After the pause"}, assignee: {user: u-alice}, next: done}
  - {id: done, type: end}
"""
    await processes.PublishDefinition(ppb.DefinitionSource(source=definition(key, steps)))
    started = [await processes.StartProcess(ppb.StartProcessRequest(key=key)) for _ in range(20)]
    time_travel(timedelta(hours=2))  # both replicas' workers now find the same 20 due timers

    async def all_fired() -> bool:
        page = await processes.ListInstances(ppb.ListInstancesRequest(key=key, limit=50))
        return all(i.current_step == "call" for i in page.instances) and len(page.instances) == 20

    await eventually(all_fired)
    for instance in started:
        current = await processes.GetInstance(ppb.GetInstanceRequest(id=instance.id))
        assert [s.step_id for s in current.steps] == ["wait", "call"]  # one timer firing, one task
    db = Database(tasks_db_url)
    async with db.readers() as session:
        ids = [i.id for i in started]
        tasks = await session.scalar(select(func.count()).where(Task.process_instance_id.in_(ids)))
        fired = await session.scalar(
            select(func.count()).where(ProcessJob.instance_id.in_(ids), ProcessJob.status == "done")
        )
    await db.dispose()
    assert (tasks, fired) == (20, 20)


async def test_a_process_task_takes_its_assignees_team_so_the_team_counters_count_it(
    tasks_app, processes, person, directory
) -> None:
    team = f"team-{uuid.uuid4().hex[:8]}"
    member, lead = person(teams=(team,)), person(roles=("manager",), teams=(team,))
    directory.teams[member.user_id] = [team]
    key, pipeline = new_key(), str(uuid.uuid4())
    trigger = f'trigger:\n  event: deal.stage_changed\n  condition: pipeline_id == "{pipeline}"'
    await processes.PublishDefinition(ppb.DefinitionSource(source=definition(key, USER_TASK_THEN_END, trigger)))
    deal_id = await publish_stage_change(tasks_app, pipeline, "Proposal", owner_id=member.user_id)  # no team
    owners = await instance_of(processes, key, deal_id)
    named = new_key()
    steps = USER_TASK_THEN_END.replace("assignee: owner", f"assignee: {{user: {member.user_id}}}")
    await processes.PublishDefinition(ppb.DefinitionSource(source=definition(named, steps.replace("{title}", "x"))))
    started = await processes.StartProcess(ppb.StartProcessRequest(key=named))

    for task_id in (owners.steps[-1].task_id, started.steps[-1].task_id):
        task = await member.GetTask(pb.GetTaskRequest(id=task_id))
        assert (task.assignee_id, task.team_id) == (member.user_id, team)
    counters = await lead.GetTaskCounters(pb.GetTaskCountersRequest())
    teams = {t.team_id: t.counts.open for t in counters.teams}
    users = {u.user_id: u.counts.open for u in counters.users}
    assert teams[team] == users[member.user_id] == 2


async def test_a_process_task_is_written_in_the_installation_language(tasks_app, tasks_db_url, processes) -> None:
    key = new_key()
    steps = USER_TASK_THEN_END.replace(
        'subject: "Prepare the quote for {title}"', 'subject: {ru: "КП: {title}", en: "Quote: {title}"}'
    )
    published = await processes.PublishDefinition(
        ppb.DefinitionSource(source=definition(key, steps, variables="variables:\n  title: ''"))
    )
    db = Database(tasks_db_url)
    subjects = {}
    try:
        for language in ("en", "ru"):
            calendar = WorkCalendar("Europe/Moscow", "RU")
            engine = ProcessEngine(tasks_app.namespace, Clock(), calendar, language=language)
            async with db.transaction() as session:
                row = await session.get(ProcessDefinition, published.id)
                assert row is not None
                started = await engine.start(
                    session,
                    row,
                    record_kind="deal",
                    record_id=str(uuid.uuid4()),
                    party_ids=[],
                    variables={"title": "Станки", "owner_id": ALICE.user_id, "team_id": "team-north"},
                    started_by=ALICE.user_id,
                )
                task = await session.scalar(select(Task).where(Task.process_instance_id == started.id))
                assert task is not None
                subjects[language] = (task.subject, task.description.splitlines()[-1])
    finally:
        await db.dispose()
    assert subjects == {
        "en": ("Quote: Станки", f"Process {key} ({key} v1)"),
        "ru": ("КП: Станки", f"Process {key} ({key} v1)"),
    }
