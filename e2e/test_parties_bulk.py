"""POST /api/v1/parties/bulk: many parties in one request, one result per item, retried safely."""

import uuid

import pytest

from crm_core.datagen import PartyGenerator

pytestmark = pytest.mark.e2e


def generated(count: int, owners: list[tuple[str, str]], tag: str) -> list[dict]:
    return [{**body, "tags": [tag]} for body in PartyGenerator(uuid.uuid4().int % 10**6, owners).parties(count)]


async def test_bulk_create_answers_each_item_and_a_retry_replays_it(users) -> None:
    team = await users.team("import")
    manager = await users.user([team])
    api = manager.client
    tag = f"bulk{uuid.uuid4().hex[:8]}"
    items = generated(4, [(manager.id, team)], tag)
    items[1]["company"] = {"legal_name": "ООО «Ошибка»", "inn": "7707083894"}
    items[1]["kind"] = "company"
    items[1].pop("person", None)
    items[3] = {**items[0], "emails": [{"value": f"{tag}@example.ru"}]}  # the same INN or name as item 0
    key = {"Idempotency-Key": uuid.uuid4().hex}

    response = await api.post("/api/v1/parties/bulk", json={"items": items, "on_duplicate": "skip"}, headers=key)

    assert response.status_code == 200, response.text
    results = response.json()["items"]
    assert [r["outcome"] for r in results] == ["created", "rejected", "created", "duplicate"]
    assert results[1]["error"]["errors"][0]["field"] == "company.inn"
    assert results[1]["error"]["errors"][0]["code"] == "invalid_inn"
    assert results[3]["duplicates"][0] == {**results[3]["duplicates"][0], "id": results[0]["id"], "item": 0}
    created = (await api.get(f"/api/v1/parties/{results[0]['id']}")).json()
    assert (created["owner_id"], created["team_id"]) == (manager.id, team)
    found = (await api.get("/api/v1/parties", params={"filter": f"tags:eq:{tag}"})).json()["items"]
    assert sorted(p["id"] for p in found) == sorted([results[0]["id"], results[2]["id"]])

    retried = await api.post("/api/v1/parties/bulk", json={"items": items, "on_duplicate": "skip"}, headers=key)
    assert retried.headers.get("Idempotent-Replayed") == "true"
    assert retried.json() == response.json()
    assert len((await api.get("/api/v1/parties", params={"filter": f"tags:eq:{tag}"})).json()["items"]) == 2


async def test_bulk_create_refuses_too_many_items_unknown_owners_and_foreign_teams(users) -> None:
    team, other = await users.team("import"), await users.team("other")
    manager = await users.user([team])
    api = manager.client
    tag = f"bulk{uuid.uuid4().hex[:8]}"
    one = generated(1, [], tag)[0]

    too_many = await api.post("/api/v1/parties/bulk", json={"items": [one] * 1001})
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "items"
    unknown = await api.post("/api/v1/parties/bulk", json={"items": [one, {**one, "owner_id": str(uuid.uuid4())}]})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "items[1].owner_id"
    foreign = await api.post("/api/v1/parties/bulk", json={"items": [{**one, "team_id": other}]})
    assert foreign.status_code == 200
    assert foreign.json()["items"][0]["error"]["code"] == "team_not_allowed"
    assert (await api.get("/api/v1/parties", params={"filter": f"tags:eq:{tag}"})).json()["items"] == []
