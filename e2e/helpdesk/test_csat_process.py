"""A rating of 1 starts the shipped follow-up process: the agent who handled the ticket gets a call task, in
Russian, linked to the ticket; the rating is on the client's timeline."""

from __future__ import annotations

import pytest

from crm_core.testing import eventually

from .conftest import client_company, open_ticket

pytestmark = pytest.mark.e2e


async def test_a_rating_of_one_gives_the_agent_a_follow_up_call(admin, desk, fake) -> None:  # type: ignore[no-untyped-def]
    definitions = {d["key"]: d for d in (await admin.client.get("/api/v1/process-definitions")).json()}
    followup = definitions["low-csat-followup"]
    assert (followup["name"], followup["name_en"], followup["active"]) == (
        "Звонок недовольному клиенту после оценки заявки", "Follow-up call after a low ticket rating", False,
    )  # fmt: skip
    assert (await admin.client.post("/api/v1/process-definitions/low-csat-followup/activate")).status_code == 200
    try:
        api = desk.agent.client
        client = await client_company(api, fake)
        ticket = await open_ticket(
            api, subject="Долго не отвечали", requester_party_id=client["id"], queue_id=desk.queue["id"],
            assignee_id=desk.agent.id,
        )  # fmt: skip
        fine = await open_ticket(api, subject="Всё хорошо", requester_party_id=client["id"], queue_id=desk.queue["id"],
                                 assignee_id=desk.agent.id)  # fmt: skip
        for t in (ticket, fine):
            assert (await api.post(f"/api/v1/tickets/{t['id']}/status", json={"status": "resolved"})).status_code == 200
        rated = await api.post(f"/api/v1/tickets/{ticket['id']}/rating", json={"rating": 1, "comment": "Ждали три дня"})
        assert rated.status_code == 200, rated.text
        assert (await api.post(f"/api/v1/tickets/{fine['id']}/rating", json={"rating": 5})).status_code == 200

        async def followup_tasks() -> list[dict] | None:  # type: ignore[type-arg]
            tasks = (await api.get("/api/v1/tasks", params={"mine": "true", "limit": 100})).json()["items"]
            found = [t for t in tasks if t["subject"].startswith("Низкая оценка заявки")]
            return found or None

        (task,) = await eventually(followup_tasks, timeout=20)
        assert task["subject"] == f"Низкая оценка заявки #{ticket['number']}: Долго не отвечали"
        assert "Ждали три дня" in task["description"] and task["type"] == "call"
        assert {"kind": "ticket", "id": ticket["id"]} in [
            {"kind": link["kind"], "id": link["id"]} for link in task["links"]
        ]

        async def rating_on_timeline() -> dict | None:  # type: ignore[type-arg]
            items = (await api.get(f"/api/v1/parties/{client['id']}/timeline", params={"source": "helpdesk"})).json()
            found = [i for i in items["items"] if i["type"] == "csat.rated" and i["data"]["rating"] == 1]
            return found[0] if found else None

        entry = await eventually(rating_on_timeline, timeout=15)
        assert entry["data"]["comment"] == "Ждали три дня"
    finally:
        await admin.client.post("/api/v1/process-definitions/low-csat-followup/deactivate")
