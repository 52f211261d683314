"""A call linked to a client: create, complete with an outcome and the next task, see it on the client's timeline."""

from __future__ import annotations

import pytest

from crm_core.testing import eventually

pytestmark = pytest.mark.e2e


async def test_complete_a_call_schedule_the_next_and_see_both_on_the_clients_card(users, work, at) -> None:
    team = await users.team("calls")
    manager = await users.user([team])
    api = manager.client
    client = await work.company(api)
    call = await work.task(
        api,
        subject="Discuss the quote",
        priority="high",
        links=[{"kind": "party", "id": client["id"]}],
    )
    assert (call["status"], call["assignee_id"], call["creator_id"], call["team_id"]) == (
        "open",
        manager.id,
        manager.id,
        team,
    )
    response = await api.post(f"/api/v1/tasks/{call['id']}/start", headers={"If-Match": '"1"'})
    assert response.status_code == 200 and response.headers["ETag"] == '"2"'
    response = await api.post(
        f"/api/v1/tasks/{call['id']}/complete",
        json={
            "result_code": "reached",
            "text": "Клиент согласен, ждёт договор",
            "next_task": {"type": "email", "subject": "Send the contract", "due_at": at(days=1)},
        },
        headers={"If-Match": '"2"'},
    )
    assert response.status_code == 200, response.text
    done, follow_up = response.json()["task"], response.json()["next_task"]
    assert done["status"] == "done" and done["outcome"] == {
        "result_code": "reached",
        "text": "Клиент согласен, ждёт договор",
    }
    assert done["follow_up_task_id"] == follow_up["id"] and follow_up["previous_task_id"] == call["id"]
    assert follow_up["links"] == [{"kind": "party", "id": client["id"]}]
    mine = (await api.get("/api/v1/tasks", params={"mine": "true", "filter": f"party_id:eq:{client['id']}"})).json()
    assert [t["id"] for t in mine["items"]] == [call["id"], follow_up["id"]]  # by due time
    open_only = (
        await api.get(
            "/api/v1/tasks", params={"mine": "true", "filter": [f"party_id:eq:{client['id']}", "status:eq:open"]}
        )
    ).json()
    assert [t["id"] for t in open_only["items"]] == [follow_up["id"]]

    async def timeline() -> list[str] | None:
        items = (await api.get(f"/api/v1/parties/{client['id']}/timeline", params={"source": "tasks"})).json()["items"]
        summaries = [i["summary"] for i in items]
        return summaries if "Call: Discuss the quote — done (reached)" in summaries and len(items) >= 4 else None

    summaries = await eventually(timeline, timeout=15)
    assert any(s.startswith("E-mail: Send the contract — planned for") for s in summaries)
    audit = (await api.get(f"/api/v1/tasks/{call['id']}/audit")).json()["items"]
    assert [a["action"] for a in audit] == ["completed", "started", "created"]


async def test_reference_lists_and_counters(users, work, admin, at) -> None:
    types = (await admin.client.get("/api/v1/task-types")).json()
    assert [t["code"] for t in types][:4] == ["call", "meeting", "email", "todo"]
    results = (await admin.client.get("/api/v1/task-results")).json()
    assert [r["code"] for r in results][:4] == ["reached", "no_answer", "postponed", "other"]
    team = await users.team("count")
    worker = await users.user([team])
    boss = await users.user([team], roles=["manager"])
    await work.task(worker.client, due_at=at(days=5))
    response = await worker.client.post(
        "/api/v1/tasks",
        params={"allow_past_due": "true"},
        json={"type": "todo", "subject": "Отчёт", "due_at": at(hours=-1)},
    )
    assert response.status_code == 201 and response.json()["overdue"]
    mine = (await worker.client.get("/api/v1/tasks/counters", params={"time_zone": "Europe/Moscow"})).json()
    assert (mine["mine"]["open"], mine["mine"]["overdue"]) == (2, 1)
    teams = (await boss.client.get("/api/v1/tasks/counters")).json()
    assert [(t["team_id"], t["counts"]["open"]) for t in teams["teams"]] == [(team, 2)]
    assert teams["mine"]["open"] == 0
