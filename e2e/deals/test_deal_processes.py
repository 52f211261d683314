"""Business processes through the gateway: a deal event starts one, tasks and a timer move it, the deal is updated.

Definitions are uploaded as YAML by the admin; each test's trigger names
its own pipeline, so the processes of one test never start on another's
deals.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from crm_core.testing import eventually

pytestmark = pytest.mark.e2e

YAML = {"Content-Type": "application/yaml"}


def proposal_definition(key: str, pipeline_id: str) -> str:
    """The issue's example: a deal moved to Proposal gives its owner "prepare the quote", due in a working day."""
    return f"""
key: {key}
name: Quote at Proposal
trigger:
  event: deal.stage_changed
  condition: pipeline_id == "{pipeline_id}" and stage_name == "Proposal"
steps:
  - id: quote
    name: Prepare the quote
    type: user_task
    task: {{type: todo, subject: "Prepare the quote for {{title}}", priority: high}}
    assignee: owner
    deadline: {{working_days: 1}}
    result_variable: quote_result
    next: sent
  - id: sent
    type: gateway
    branches:
      - {{when: quote_result == "reached", next: mark_deal}}
    default: done
  - id: mark_deal
    type: action
    action: update_record
    record: deal
    fields: {{title: "{{title}} (КП отправлено)"}}
    next: done
  - {{id: done, type: end}}
"""


async def publish(admin_client: httpx.AsyncClient, source: str) -> httpx.Response:
    return await admin_client.post("/api/v1/process-definitions", content=source.encode(), headers=YAML)


async def test_a_deal_moved_to_proposal_gives_its_owner_a_task_and_completing_it_updates_the_deal(
    admin, users, board, sales
) -> None:
    key = f"quote-{uuid.uuid4().hex[:8]}"
    published = await publish(admin.client, proposal_definition(key, board.id))
    assert published.status_code == 201, published.text
    assert published.json()["version"] == 1 and published.json()["trigger_event"] == "deal.stage_changed"
    owner = await users.user([await users.team("quotes")])
    client = await sales.company(owner.client)
    deal = await sales.open(owner.client, board, client["id"], title="Поставка станков")
    await sales.move(owner.client, deal, board.stage("Qualified"))
    await sales.move(owner.client, deal, board.stage("Proposal"))

    async def quote_task() -> dict | None:  # type: ignore[type-arg]
        mine = (await owner.client.get("/api/v1/tasks", params={"mine": "true"})).json()["items"]
        return next((t for t in mine if t["process_instance_id"]), None)

    task = await eventually(quote_task, timeout=15)
    assert task["subject"] == "Prepare the quote for Поставка станков"
    assert task["assignee_id"] == owner.id and task["priority"] == "high"
    assert {"kind": "deal", "id": deal["id"]} in task["links"]
    instance = (await admin.client.get(f"/api/v1/process-instances/{task['process_instance_id']}")).json()
    assert (instance["status"], instance["current_step"], instance["record_id"]) == ("running", "quote", deal["id"])
    monitored = (await admin.client.get("/api/v1/process-instances", params={"key": key})).json()["items"]
    assert [i["id"] for i in monitored] == [instance["id"]]  # Qualified did not match the condition

    done = await owner.client.post(
        f"/api/v1/tasks/{task['id']}/complete", json={"result_code": "reached", "text": "КП отправлено клиенту"}
    )
    assert done.status_code == 200, done.text

    async def completed() -> dict | None:  # type: ignore[type-arg]
        current = (await admin.client.get(f"/api/v1/process-instances/{instance['id']}")).json()
        return current if current["status"] == "completed" else None

    finished = await eventually(completed, timeout=15)
    assert [s["step_id"] for s in finished["steps"]] == ["quote", "sent", "mark_deal", "done"]
    assert finished["variables"]["quote_result"] == "reached"
    assert finished["steps"][0]["result"] == "reached" and finished["steps"][0]["seconds"] >= 0
    renamed = (await owner.client.get(f"/api/v1/deals/{deal['id']}")).json()
    assert renamed["title"] == "Поставка станков (КП отправлено)"
    # The owner's stage move started it, so the owner sees it whole; the client's timeline tells the story.
    seen = (await owner.client.get(f"/api/v1/process-instances/{instance['id']}")).json()
    assert (seen["started_by"], seen["status"], seen["variables"]["stage_name"]) == (owner.id, "completed", "Proposal")

    async def on_timeline() -> list[dict] | None:  # type: ignore[type-arg]
        items = (await owner.client.get(f"/api/v1/parties/{client['id']}/timeline", params={"source": "tasks"})).json()[
            "items"
        ]
        return items if "process.completed" in {i["type"] for i in items} else None

    entries = {e["type"]: e for e in await eventually(on_timeline, timeout=15)}
    assert {"process.started", "task.created", "task.completed", "process.completed"} <= set(entries)
    # Each entry carries its event's fields, and the process's actions name the process (not "someone").
    assert entries["process.started"]["data"]["name"] == "Quote at Proposal"
    assert entries["process.started"]["data"]["definition_key"] == key
    created = entries["task.created"]
    assert (created["actor_id"], created["data"]["process_name"], created["data"]["process_key"]) == (
        "system",
        "Quote at Proposal",
        key,
    )
    assert created["data"]["subject"] == "Prepare the quote for Поставка станков"
    assert entries["task.completed"]["data"]["result_code"] == "reached"


@pytest.fixture(scope="module")
def hours_later(platform) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A gateway whose tasks service (and its process worker) lives three hours ahead."""
    with platform.ahead_of_time("tasks", "PT3H", {"CRM_TASKS_PROCESS_INTERVAL": "0.2"}) as url:
        yield url


async def test_a_timer_step_fires_when_the_clock_passes_it(admin, users, board, sales, hours_later) -> None:
    owner = await users.user([await users.team("timers")])
    key = f"later-{uuid.uuid4().hex[:8]}"
    source = f"""
key: {key}
name: Call back in two hours
trigger: manual
steps:
  - {{id: pause, type: timer, wait: {{hours: 2}}, next: call_back}}
  - id: call_back
    type: user_task
    task: {{type: call, subject: "Call back"}}
    assignee: owner
    next: done
  - {{id: done, type: end}}
"""
    assert (await publish(admin.client, source)).status_code == 201
    client = await sales.company(owner.client)
    deal = await sales.open(owner.client, board, client["id"])
    started = await owner.client.post(
        "/api/v1/process-instances", json={"key": key, "record": {"kind": "deal", "id": deal["id"]}}
    )
    assert started.status_code == 201, started.text
    instance = started.json()
    assert instance["current_step"] == "pause" and instance["steps"][0]["due_at"]
    # Today nothing happens; three hours later the timer has fired and the owner has the call.
    token = admin.client.headers["Authorization"]
    async with httpx.AsyncClient(base_url=hours_later, headers={"Authorization": token}, timeout=15) as later:

        async def fired() -> dict | None:  # type: ignore[type-arg]
            current = (await later.get(f"/api/v1/process-instances/{instance['id']}")).json()
            return current if current["current_step"] == "call_back" else None

        current = await eventually(fired, timeout=20)
    task = (await owner.client.get(f"/api/v1/tasks/{current['steps'][-1]['task_id']}")).json()
    assert task["subject"] == "Call back" and task["assignee_id"] == owner.id


async def test_bad_definitions_are_refused_with_the_reason(admin, users) -> None:
    cyclic = """
key: spin
name: Spins forever
trigger: manual
steps:
  - id: check
    type: gateway
    branches: [{when: "true", next: shout}]
    default: done
  - {id: shout, type: action, action: publish_event, event: again, next: check}
  - {id: done, type: end}
"""
    response = await publish(admin.client, cyclic)
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("steps[0]", "cycle_without_wait")]
    invalid = """
key: broken
name: Broken
trigger: {event: deal.stage_changed, condition: "stage_name =="}
steps:
  - {id: a, type: sleep, next: b}
  - {id: b, type: user_task, task: {subject: Hi}, assignee: {user: 00000000-0000-0000-0000-000000000000}, next: c}
  - {id: orphan, type: end}
"""
    codes = {(e["field"], e["code"]) for e in (await publish(admin.client, invalid)).json()["errors"]}
    assert {("trigger.condition", "bad_condition"), ("steps[0].type", "unknown_step_type")} <= codes
    assert ("steps[1]", "unknown_step") in codes
    unknown_user = """
key: unknown-user
name: To nobody
trigger: manual
steps:
  - {id: a, type: user_task, task: {subject: Hi}, assignee: {user: 00000000-0000-0000-0000-000000000000}, next: b}
  - {id: b, type: end}
"""
    response = await publish(admin.client, unknown_user)
    assert response.status_code == 422 and response.json()["errors"][0]["code"] == "unknown_user"
    assert (await publish(admin.client, "key: [")).json()["errors"][0]["code"] == "unparsable"
    dry = await admin.client.post(
        "/api/v1/process-definitions",
        params={"dry_run": "true"},
        content=cyclic.replace("event: again, next: check", "event: again, next: done").encode(),
        headers=YAML,
    )
    assert dry.status_code == 200 and dry.json()["id"] == ""
    assert dry.json()["variables"] == {}
    wrong_type = await admin.client.post(
        "/api/v1/process-definitions", content=b"<xml/>", headers={"Content-Type": "text/xml"}
    )
    assert wrong_type.status_code == 415
    seller = await users.user([await users.team("no-admin")])
    assert (await publish(seller.client, cyclic)).status_code in (403, 422)
    assert (await seller.client.get("/api/v1/process-instances")).status_code == 403


async def test_nobody_starts_a_process_on_a_deal_they_cannot_see(admin, users, board, sales) -> None:
    key = f"manual-{uuid.uuid4().hex[:8]}"
    source = f"key: {key}\nname: Manual\ntrigger: manual\nsteps:\n  - {{id: done, type: end}}\n"
    assert (await publish(admin.client, source)).status_code == 201
    owner = await users.user([await users.team("seen")])
    stranger = await users.user([await users.team("unseen")])
    deal = await sales.open(owner.client, board, (await sales.company(owner.client))["id"])
    response = await stranger.client.post(
        "/api/v1/process-instances", json={"key": key, "record": {"kind": "deal", "id": deal["id"]}}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["code"] == "deal_not_found"
    mine = await owner.client.post(
        "/api/v1/process-instances", json={"key": key, "record": {"kind": "deal", "id": deal["id"]}}
    )
    assert mine.status_code == 201 and mine.json()["status"] == "completed"
    assert (await stranger.client.get(f"/api/v1/process-instances/{mine.json()['id']}")).status_code == 404
    shipped = {d["key"]: d for d in (await admin.client.get("/api/v1/process-definitions")).json()}
    for key in ("lead-qualification", "new-company-qualification", "deal-won-onboarding"):
        assert not shipped[key]["active"], key


async def test_a_won_deal_gives_its_owner_a_russian_onboarding_task_counted_in_the_owners_team(
    admin, users, board, sales
) -> None:
    team = await users.team("onboarding")
    owner, lead = await users.user([team]), await users.user([team], roles=["manager"])
    definitions = {d["key"]: d for d in (await admin.client.get("/api/v1/process-definitions")).json()}
    onboarding = definitions["deal-won-onboarding"]
    assert (onboarding["name"], onboarding["name_en"]) == (
        "Запуск работы после выигранной сделки",
        "Onboarding after a won deal",
    )
    assert (await admin.client.post("/api/v1/process-definitions/deal-won-onboarding/activate")).status_code == 200
    try:
        # The admin (no team) opens it for the owner: the deal has no team, the owner's task still gets one.
        client = await sales.company(admin.client)
        deal = await sales.open(
            admin.client, board, client["id"], title="Внедрение CRM", owner_id=owner.id, amount="120000.00"
        )
        assert not deal.get("team_id")
        deal = await sales.move(admin.client, deal, board.stage("Won"))
        assert deal["status"] == "won"

        async def kickoff() -> dict | None:  # type: ignore[type-arg]
            mine = (await owner.client.get("/api/v1/tasks", params={"mine": "true"})).json()["items"]
            return next((t for t in mine if t["process_instance_id"]), None)

        task = await eventually(kickoff, timeout=15)
    finally:
        await admin.client.post("/api/v1/process-definitions/deal-won-onboarding/deactivate")
    assert task["subject"] == "Стартовый звонок: Внедрение CRM"
    assert task["description"].startswith("Поблагодарить клиента")
    assert task["team_id"] == team
    counters = (await lead.client.get("/api/v1/tasks/counters")).json()
    per_user = {u["user_id"]: u["counts"]["open"] for u in counters["users"]}
    per_team = {t["team_id"]: t["counts"]["open"] for t in counters["teams"]}
    assert per_user[owner.id] == 1
    assert per_team[team] == per_user[owner.id] + per_user.get(lead.id, 0)
