"""An agent's day through the gateway: a ticket opened for a client, answered, noted, resolved; the client's
timeline shows it; other teams never see it; bad input is refused with codes."""

from __future__ import annotations

import uuid

import pytest

from crm_core.testing import eventually

from .conftest import client_company, open_ticket

pytestmark = pytest.mark.e2e


async def test_an_agent_answers_and_resolves_a_client_s_ticket(desk, fake) -> None:  # type: ignore[no-untyped-def]
    api = desk.agent.client
    client = await client_company(api, fake)
    ticket = await open_ticket(
        api, requester_party_id=client["id"], priority="high", channel="phone", queue_id=desk.queue["id"],
        description="Бухгалтер не получил счёт за ноябрь",
    )  # fmt: skip
    assert (ticket["status"], ticket["organisation_id"], ticket["team_id"]) == ("new", client["id"], desk.team)
    assert ticket["first_response"]["state"] == "on_track" and ticket["first_response"]["target_minutes"] == 60
    note = await api.post(f"/api/v1/tickets/{ticket['id']}/messages", json={"kind": "note", "body": "Проверить 1С"})
    assert note.status_code == 201, note.text
    reply = await api.post(
        f"/api/v1/tickets/{ticket['id']}/messages",
        json={"body": "Отправили счёт повторно", "status": "pending_customer"},
    )
    assert reply.status_code == 201, reply.text
    waiting = (await api.get(f"/api/v1/tickets/{ticket['id']}")).json()
    assert (waiting["status"], waiting["first_response"]["state"], waiting["sla_state"]) == (
        "pending_customer", "met", "paused",
    )  # fmt: skip
    etag = (await api.get(f"/api/v1/tickets/{ticket['id']}")).headers["ETag"]
    resolved = await api.post(
        f"/api/v1/tickets/{ticket['id']}/status", json={"status": "resolved"}, headers={"If-Match": etag}
    )
    assert resolved.status_code == 200, resolved.text
    stale = await api.post(
        f"/api/v1/tickets/{ticket['id']}/status", json={"status": "closed"}, headers={"If-Match": etag}
    )
    assert (stale.status_code, stale.json()["code"]) == (412, "version_conflict")
    listed = (await api.get("/api/v1/tickets", params={"queue_id": desk.queue["id"], "status": "resolved"})).json()
    assert [t["id"] for t in listed["items"]] == [ticket["id"]] and listed["total"] == 1
    thread = (await api.get(f"/api/v1/tickets/{ticket['id']}/messages")).json()["items"]
    assert [(m["kind"], m["body"]) for m in thread] == [("note", "Проверить 1С"), ("reply", "Отправили счёт повторно")]

    async def on_timeline() -> list[str] | None:
        items = (await api.get(f"/api/v1/parties/{client['id']}/timeline", params={"source": "helpdesk"})).json()
        types = [i["type"] for i in items.get("items", [])]
        return types if "ticket.resolved" in types else None

    types = await eventually(on_timeline, timeout=15)
    assert {"ticket.opened", "ticket.replied", "ticket.resolved"} <= set(types)


async def test_other_teams_get_404_and_never_count_a_ticket(desk, users, fake) -> None:  # type: ignore[no-untyped-def]
    client = await client_company(desk.agent.client, fake)
    ticket = await open_ticket(desk.agent.client, requester_party_id=client["id"], queue_id=desk.queue["id"])
    outsider = await users.user([await users.team("other")], ["support"])
    for method, path, body in (
        ("GET", f"/api/v1/tickets/{ticket['id']}", None),
        ("GET", f"/api/v1/tickets/{ticket['id']}/messages", None),
        ("POST", f"/api/v1/tickets/{ticket['id']}/messages", {"body": "Привет"}),
        ("POST", f"/api/v1/tickets/{ticket['id']}/status", {"status": "closed"}),
        ("PATCH", f"/api/v1/tickets/{ticket['id']}", {"priority": "low"}),
    ):
        response = await outsider.client.request(method, path, json=body)
        assert (response.status_code, response.json()["code"]) == (404, "ticket_not_found"), (method, path)
    listed = (await outsider.client.get("/api/v1/tickets", params={"queue_id": desk.queue["id"]})).json()
    assert (listed["items"], listed["total"]) == ([], 0)
    stats = (await outsider.client.get("/api/v1/tickets/stats", params={"queue_id": desk.queue["id"]})).json()
    assert sum(stats["by_status"].values()) == 0
    # The client's timeline shows the ticket only to those who may see it.
    items = (await outsider.client.get(f"/api/v1/parties/{client['id']}/timeline")).json()
    assert not [i for i in items.get("items", []) if i["type"].startswith("ticket.")]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"subject": ""}, "validation_failed"),
        ({"subject": "Тема", "priority": "asap", "requester_email": "a@example.ru"}, "validation_failed"),
        ({"subject": "Тема", "requester_email": "не почта"}, "validation_failed"),
        ({"subject": "Тема", "queue_id": str(uuid.uuid4()), "requester_email": "a@example.ru"}, "validation_failed"),
        ({"subject": "Тема\u0000", "requester_email": "a@example.ru"}, "invalid_text"),
        ({"subject": "Тема", "unknown": 1}, "validation_failed"),
    ],
)
async def test_bad_tickets_get_422_with_a_code(desk, body, code) -> None:  # type: ignore[no-untyped-def]
    response = await desk.agent.client.post("/api/v1/tickets", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code


async def test_bad_ids_and_filters_are_clear_4xx(desk) -> None:  # type: ignore[no-untyped-def]
    api = desk.agent.client
    assert (await api.get("/api/v1/tickets/not-a-uuid")).status_code == 404
    assert (await api.get("/api/v1/tickets", params={"status": "sleeping"})).status_code == 422
    assert (await api.get("/api/v1/tickets", params={"sort": "color"})).status_code == 422
    assert (await api.get("/api/v1/tickets", params={"cursor": "garbage"})).status_code in (400, 422)
    rating = await api.post(f"/api/v1/tickets/{uuid.uuid4()}/rating", json={"rating": 9})
    assert rating.status_code == 422
    admin_only = await api.post("/api/v1/helpdesk/queues", json={"name": "Своя"})
    assert (admin_only.status_code, admin_only.json()["code"]) == (403, "admin_only")


async def test_a_ticket_s_audit_trail_is_for_those_who_see_it(desk, users, fake) -> None:  # type: ignore[no-untyped-def]
    api = desk.agent.client
    client = await client_company(api, fake)
    ticket = await open_ticket(api, requester_party_id=client["id"], queue_id=desk.queue["id"])
    assert (await api.patch(f"/api/v1/tickets/{ticket['id']}", json={"priority": "urgent"})).status_code == 200
    trail = (await api.get(f"/api/v1/tickets/{ticket['id']}/audit")).json()["items"]
    assert [e["action"] for e in trail][:2] == ["update", "create"]
    assert trail[0]["changes"]["priority"] == {"old": "normal", "new": "urgent"}
    outsider = await users.user([await users.team("audit-other")], ["support"])
    assert (await outsider.client.get(f"/api/v1/tickets/{ticket['id']}/audit")).status_code == 404


async def test_a_ticket_links_only_to_a_deal_its_author_sees(desk, users, fake) -> None:  # type: ignore[no-untyped-def]
    api = desk.agent.client
    client = await client_company(api, fake)
    mine = await api.post("/api/v1/deals", json={"title": "Сопровождение", "client_id": client["id"]})
    assert mine.status_code == 201, mine.text
    stranger = await users.user([await users.team("sales-other")])
    their_client = await client_company(stranger.client, fake)
    theirs = await stranger.client.post(
        "/api/v1/deals", json={"title": "Чужая сделка", "client_id": their_client["id"]}
    )
    assert theirs.status_code == 201, theirs.text
    linked = await open_ticket(api, requester_party_id=client["id"], deal_id=mine.json()["id"])
    assert linked["deal_id"] == mine.json()["id"]
    refused = await api.post(
        "/api/v1/tickets", json={"subject": "Тема", "requester_party_id": client["id"], "deal_id": theirs.json()["id"]}
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "deal_not_found"
    patched = await api.patch(f"/api/v1/tickets/{linked['id']}", json={"deal_id": theirs.json()["id"]})
    assert patched.status_code == 422 and patched.json()["errors"][0]["code"] == "deal_not_found"
