"""Access: a task you may not see is 404 everywhere and never listed or counted. Bad input: clear 4xx codes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from google.protobuf import json_format

from crm.tasks.v1 import tasks_pb2 as pb
from crm_core.errors import CrmError
from crm_tasks import inputs

pytestmark = pytest.mark.e2e

NOWHERE = "00000000-0000-0000-0000-000000000000"


def codes(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [e["code"] for e in response.json().get("errors", [])]


async def test_hidden_task_is_404_everywhere_and_absent_from_lists_and_counters(users, work) -> None:
    north, south = await users.team("north"), await users.team("south")
    owner, teammate = await users.user([north]), await users.user([north])
    manager, watcher = await users.user([north], roles=["manager"]), await users.user([south])
    task = await work.task(
        owner.client, subject="Секретная встреча", type="meeting", duration_minutes=60, watcher_ids=[watcher.id]
    )
    url = f"/api/v1/tasks/{task['id']}"
    for who in (owner, manager, watcher):
        assert (await who.client.get(url)).status_code == 200
    for method, path, body in [
        ("GET", url, None),
        ("PATCH", url, {"subject": "peek"}),
        ("POST", f"{url}/start", None),
        ("POST", f"{url}/complete", {"result_code": "reached"}),
        ("POST", f"{url}/cancel", {}),
        ("GET", f"{url}/audit", None),
    ]:
        response = await teammate.client.request(method, path, json=body)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["code"] == "task_not_found" and "Секретная" not in response.text
    listed = (await teammate.client.get("/api/v1/tasks", params={"filter": f"team_id:eq:{north}"})).json()
    assert listed["items"] == []
    counters = (await teammate.client.get("/api/v1/tasks/counters")).json()
    assert counters["users"] == [] and counters["teams"] == []
    team_view = (await manager.client.get("/api/v1/tasks", params={"team": "true"})).json()
    assert [t["id"] for t in team_view["items"]] == [task["id"]]


async def test_a_party_or_deal_you_cannot_see_cannot_be_linked(users, work) -> None:
    owner, stranger = await users.user([await users.team("own")]), await users.user([await users.team("other")])
    hidden = await work.company(owner.client)
    for link in ({"kind": "party", "id": hidden["id"]}, {"kind": "deal", "id": NOWHERE}):
        response = await stranger.client.post(
            "/api/v1/tasks", json={"type": "call", "subject": "Позвонить", "links": [link]}
        )
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0] == {
            "field": "links[0].id",
            "code": f"{link['kind']}_not_found",
            "message": f"no {link['kind']} {link['id']} (or you may not see it)",
        }


async def test_bad_input_answers_clear_codes(users, work, admin, at) -> None:
    user = await users.user([await users.team("input")])
    api = user.client
    body = {"type": "call", "subject": "Перезвонить"}
    past = await api.post("/api/v1/tasks", json={**body, "due_at": at(hours=-1)})
    assert past.status_code == 422 and codes(past) == ["due_in_past"]
    no_offset = await api.post("/api/v1/tasks", json={**body, "due_at": "2030-01-01T10:00:00"})
    assert no_offset.status_code == 422
    unknown_user = await api.post("/api/v1/tasks", json={**body, "assignee_id": NOWHERE})
    assert unknown_user.status_code == 422 and codes(unknown_user) == ["unknown_user"]
    assert unknown_user.json()["errors"][0]["field"] == "assignee_id"
    unknown_type = await api.post("/api/v1/tasks", json={**body, "type": "fax"})
    assert unknown_type.status_code == 422 and codes(unknown_type) == ["unknown_type"]
    assert (await api.post("/api/v1/task-types", json={"code": "visit", "label": "Визит"})).status_code == 403
    assert (await admin.client.post("/api/v1/task-types", json={"code": "Bad Code", "label": "x"})).status_code == 422

    task = await work.task(api)
    stale = await api.patch(f"/api/v1/tasks/{task['id']}", json={"subject": "Новая тема"}, headers={"If-Match": '"7"'})
    assert stale.status_code == 412 and stale.json()["code"] == "version_conflict"
    no_reason = await api.patch(f"/api/v1/tasks/{task['id']}", json={"due_at": at(days=2)})
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "due_change_reason"
    moved = await api.patch(
        f"/api/v1/tasks/{task['id']}",
        json={"due_at": at(days=2), "due_change_reason": "Клиент попросил перенести"},
        headers={"If-Match": '"1"'},
    )
    assert moved.status_code == 200 and moved.headers["ETag"] == '"2"'
    assert [(c["changed_by"], c["reason"]) for c in moved.json()["due_changes"]] == [
        (user.id, "Клиент попросил перенести")
    ]
    cancelled = await api.post(f"/api/v1/tasks/{task['id']}/cancel", json={"reason": "Не актуально"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = await api.post(f"/api/v1/tasks/{task['id']}/complete", json={"result_code": "reached"})
    assert again.status_code == 409 and again.json()["code"] == "task_cancelled"
    other = await work.task(api)
    bad_result = await api.post(f"/api/v1/tasks/{other['id']}/complete", json={"result_code": "maybe"})
    assert bad_result.status_code == 422 and codes(bad_result) == ["unknown_result"]
    bad_next = await api.post(
        f"/api/v1/tasks/{other['id']}/complete",
        json={"result_code": "no_answer", "next_task": {"type": "call", "subject": "Ещё раз", "due_at": at(hours=-2)}},
    )
    assert bad_next.status_code == 422 and bad_next.json()["errors"][0]["field"] == "next_task.due_at"
    assert (await api.get(f"/api/v1/tasks/{other['id']}")).json()["status"] == "open"
    assert (await api.get("/api/v1/tasks", params={"filter": "nope:eq:1"})).status_code == 422
    assert (await api.get("/api/v1/tasks/counters", params={"time_zone": "Mars/Olympus"})).status_code == 422


# One rule per field, in the tasks service: the gateway checks only shape, so each value gets the
# verdict (and the code) the service's own rule gives it.
TASK_CASES: list[dict[str, Any]] = [
    {"duration_minutes": 0},
    {"duration_minutes": 60},
    {"duration_minutes": 1441},
    {"duration_minutes": -1},
    {"duration_minutes": 2**40},
    {"priority": "asap"},
    {"priority": "urgent"},
    {"priority": ""},
    {"remind_before_minutes": 0},
    {"remind_before_minutes": 10080},
    {"remind_before_minutes": 10081},
    {"remind_before_minutes": -1},
    {"subject": " "},
    {"subject": "x" * 500},
    {"description": "x" * 20000},
    {"links": [{"kind": "invoice", "id": "x"}]},
    {"links": [{"kind": "ticket", "id": ""}]},
    {"links": [{"kind": "ticket", "id": "T-17"}]},
]


@pytest.mark.parametrize("fields", TASK_CASES, ids=lambda c: json.dumps(c, ensure_ascii=False)[:60])
async def test_gateway_and_service_give_a_task_value_the_same_verdict(users, at, fields) -> None:
    api = (await users.user([await users.team("agree")])).client
    body = {"type": "call", "subject": "Перезвонить", "due_at": at(hours=2), **fields}
    try:
        inputs.parse_task_draft(json_format.ParseDict(body, pb.Task()))
        expected: set[tuple[str, str]] = set()
    except CrmError as exc:
        expected = {(e.field, e.code) for e in exc.fields}
    except json_format.ParseError:  # a number protobuf cannot hold: the gateway names it as out of range
        expected = {(next(iter(fields)), "out_of_range")}
    response = await api.post("/api/v1/tasks", json=body)
    if expected:
        assert response.status_code == 422, response.text
        assert {(e["field"], e["code"]) for e in response.json()["errors"]} == expected
    else:
        assert response.status_code == 201, response.text
