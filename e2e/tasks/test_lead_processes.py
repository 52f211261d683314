"""A lead captured in marketing starts a process in tasks: the owner's call carries the lead's scope.

Each test's trigger names its own campaign, so its process never starts on another test's leads.
"""

from __future__ import annotations

import uuid

import pytest
from faker import Faker

from crm_core.testing import eventually

pytestmark = pytest.mark.e2e

YAML = {"Content-Type": "application/yaml"}


def lead_call_definition(key: str, campaign_id: str) -> str:
    return f"""
key: {key}
name: Call new leads of one campaign
trigger:
  event: lead.captured
  condition: campaign_id == "{campaign_id}"
steps:
  - id: call
    type: user_task
    task: {{type: call, subject: "Qualification call: {{name}}"}}
    assignee: owner
    deadline: {{working_days: 1}}
    next: done
  - {{id: done, type: end}}
"""


async def test_a_captured_lead_gives_its_owner_a_call_that_others_neither_see_nor_can_link(
    admin, users, fake: Faker
) -> None:
    team = await users.team("leads")
    owner, stranger = await users.user([team]), await users.user([await users.team("elsewhere")])
    campaign = await owner.client.post("/api/v1/campaigns", json={"name": fake.catch_phrase(), "type": "web_form"})
    assert campaign.status_code == 201, campaign.text
    key = f"lead-call-{uuid.uuid4().hex[:8]}"
    published = await admin.client.post(
        "/api/v1/process-definitions", content=lead_call_definition(key, campaign.json()["id"]).encode(), headers=YAML
    )
    assert published.status_code == 201, published.text
    company = fake.company()
    lead = await owner.client.post(
        "/api/v1/leads",
        json={
            "company_name": company,
            "person_name": fake.name(),
            "email": fake.company_email(),
            "campaign_id": campaign.json()["id"],
            "owner_id": owner.id,
            "team_id": team,
        },
    )
    assert lead.status_code == 201, lead.text
    lead_id = lead.json()["id"]

    async def call_task() -> dict | None:  # type: ignore[type-arg]
        mine = (await owner.client.get("/api/v1/tasks", params={"filter": f"link:eq:lead:{lead_id}"})).json()
        return mine["items"][0] if mine["items"] else None

    task = await eventually(call_task, timeout=15)
    assert task["subject"] == f"Qualification call: {company}" and task["assignee_id"] == owner.id
    assert task["team_id"] == team and {"kind": "lead", "id": lead_id} in task["links"]
    assert (await stranger.client.get(f"/api/v1/tasks/{task['id']}")).status_code == 404
    listed = await stranger.client.get("/api/v1/tasks", params={"filter": f"link:eq:lead:{lead_id}"})
    assert listed.status_code == 200 and listed.json()["items"] == []

    about_lead = {"type": "todo", "subject": "Отправить презентацию", "links": [{"kind": "lead", "id": lead_id}]}
    assert (await owner.client.post("/api/v1/tasks", json=about_lead)).status_code == 201
    refused = await stranger.client.post("/api/v1/tasks", json=about_lead)
    assert refused.status_code == 422
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [("links[0].id", "lead_not_found")]


async def test_a_lead_given_to_another_owner_moves_its_next_calls_to_them(admin, users, fake: Faker) -> None:
    north, south = await users.team("north"), await users.team("south")
    first, second = await users.user([north]), await users.user([south])
    campaign = await first.client.post("/api/v1/campaigns", json={"name": fake.catch_phrase(), "type": "web_form"})
    assert campaign.status_code == 201, campaign.text
    key = f"lead-calls-{uuid.uuid4().hex[:8]}"
    two_calls = lead_call_definition(key, campaign.json()["id"]).replace(
        "    next: done\n",
        "    next: again\n"
        "  - {id: again, type: user_task, task: {type: call, subject: 'Second call: {name}'}, assignee: owner,"
        " next: done}\n",
    )
    published = await admin.client.post("/api/v1/process-definitions", content=two_calls.encode(), headers=YAML)
    assert published.status_code == 201, published.text
    lead = await first.client.post(
        "/api/v1/leads",
        json={
            "person_name": fake.name(),
            "phone": fake.phone_number(),
            "campaign_id": campaign.json()["id"],
            "owner_id": first.id,
            "team_id": north,
        },
    )
    assert lead.status_code == 201, lead.text
    lead_id = lead.json()["id"]

    async def task_of(user) -> dict | None:  # type: ignore[no-untyped-def, type-arg]
        page = (await user.client.get("/api/v1/tasks", params={"filter": f"link:eq:lead:{lead_id}"})).json()
        return next((t for t in page["items"] if t["status"] == "open"), None)

    call = await eventually(lambda: task_of(first), timeout=15)
    given = await admin.client.post(f"/api/v1/leads/{lead_id}/assign", json={"owner_id": second.id, "team_id": south})
    assert given.status_code == 200, given.text

    async def followed() -> bool:
        instance = (await admin.client.get(f"/api/v1/process-instances/{call['process_instance_id']}")).json()
        return instance["variables"]["owner_id"] == second.id

    await eventually(followed, timeout=15)
    done = await first.client.post(f"/api/v1/tasks/{call['id']}/complete", json={"result_code": "reached"})
    assert done.status_code == 200, done.text
    again = await eventually(lambda: task_of(second), timeout=15)
    assert again["subject"].startswith("Second call: ") and (again["assignee_id"], again["team_id"]) == (
        second.id,
        south,
    )
    assert (await first.client.get(f"/api/v1/tasks/{again['id']}")).status_code == 404
