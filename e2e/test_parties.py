"""Parties through the gateway: the card, notes, links, timeline, audit, search, merge."""

import uuid

import pytest

from crm_core.testing import eventually

pytestmark = pytest.mark.e2e


async def test_company_card_with_person_note_and_timeline(users, company_body, fake):
    team = await users.team("sales")
    manager = await users.user([team])
    api = manager.client
    company = await api.post(
        "/api/v1/parties", json=company_body(phones=[{"value": fake.phone_number(), "kind": "work"}])
    )
    assert company.status_code == 201, company.text
    assert company.headers["ETag"] == '"1"'
    company_id = company.json()["id"]
    assert company.json()["team_id"] == team
    person = await api.post(
        "/api/v1/parties",
        json={"kind": "person", "person": {"first_name": "Иван", "last_name": "Петров", "position": "Директор"}},
    )
    person_id = person.json()["id"]
    assert person.json()["display_name"] == "Петров Иван"

    link = await api.put(f"/api/v1/parties/{company_id}/people/{person_id}", json={"role": "director"})
    assert link.status_code == 200, link.text
    card = (await api.get(f"/api/v1/parties/{company_id}")).json()
    assert card["links"] == [
        {
            "company_id": company_id,
            "person_id": person_id,
            "role": "director",
            "company_name": card["display_name"],
            "person_name": "Петров Иван",
        }
    ]

    note = await api.post(
        f"/api/v1/parties/{company_id}/notes",
        json={"text": "Called: wants a quote by Friday", "mentions": [manager.id]},
    )
    assert note.status_code == 201, note.text
    notes = (await api.get(f"/api/v1/parties/{company_id}/notes")).json()["items"]
    assert [n["text"] for n in notes] == ["Called: wants a quote by Friday"]

    async def timeline_types():
        items = (await api.get(f"/api/v1/parties/{company_id}/timeline")).json()["items"]
        types = [i["type"] for i in items]
        return types if {"party.created", "party.person_linked", "note.added"} <= set(types) else None

    types = await eventually(timeline_types)
    assert types[0] == "note.added"  # newest first
    audit = (await api.get(f"/api/v1/parties/{company_id}/audit")).json()["items"]
    assert [a["action"] for a in audit] == ["person_linked", "created"]
    assert audit[-1]["actor_id"] == manager.id


async def test_update_with_if_match_and_stale_version_is_412(users, company_body):
    api = (await users.user([await users.team("t")])).client
    created = (await api.post("/api/v1/parties", json=company_body())).json()
    url = f"/api/v1/parties/{created['id']}"
    updated = await api.patch(
        url, json={"company": {"industry": "Retail"}, "tags": ["vip"]}, headers={"If-Match": '"1"'}
    )
    assert updated.status_code == 200, updated.text
    assert updated.headers["ETag"] == '"2"'
    body = updated.json()
    assert body["company"]["industry"] == "Retail"
    assert body["company"]["inn"] == created["company"]["inn"]  # merge patch keeps the rest
    stale = await api.patch(url, json={"tags": ["other"]}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.json()["code"] == "version_conflict"
    assert (await api.get(url)).json()["tags"] == ["vip"]
    audit = (await api.get(f"{url}/audit")).json()["items"][0]
    assert audit["changes"]["industry"] == {"old": None, "new": "Retail"}


async def test_delete_and_restore(users, company_body):
    api = (await users.user([await users.team("t")])).client
    party = (await api.post("/api/v1/parties", json=company_body())).json()
    url = f"/api/v1/parties/{party['id']}"
    assert (await api.delete(url)).status_code == 200
    assert (await api.get(url)).status_code == 404
    deleted = (await api.get("/api/v1/parties", params={"deleted": "only"})).json()["items"]
    assert party["id"] in [p["id"] for p in deleted]
    restored = await api.post(f"{url}/restore")
    assert restored.status_code == 200
    assert (await api.get(url)).status_code == 200


async def test_search_filters_sort_and_cursor_pages(users, fake):
    api = (await users.user([await users.team("t")])).client
    tag = f"t{uuid.uuid4().hex[:8]}"
    names = [f"Альфа {i:02d} {tag}" for i in range(7)]
    for i, name in enumerate(names):
        body = {
            "kind": "company",
            "company": {"legal_name": name, "industry": "Retail" if i % 2 else "Logistics"},
            "tags": [tag],
        }
        assert (await api.post("/api/v1/parties", json=body)).status_code == 201
    seen, cursor = [], ""
    while True:
        page = (
            await api.get(
                "/api/v1/parties",
                params={"filter": f"tags:eq:{tag}", "sort": "display_name", "limit": 3, "cursor": cursor},
            )
        ).json()
        seen += [p["display_name"] for p in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == sorted(names)
    retail = (
        await api.get("/api/v1/parties", params=[("filter", f"tags:eq:{tag}"), ("filter", "industry:eq:Retail")])
    ).json()["items"]
    assert len(retail) == 3
    assert (await api.get("/api/v1/parties/count", params={"filter": f"tags:eq:{tag}"})).json() == {
        "count": 7,
        "capped": False,
    }
    found = (await api.get("/api/v1/parties", params={"q": f"альф {tag}"})).json()["items"]
    assert len(found) == 7


async def test_saved_filter_lists_what_it_saved(users):
    api = (await users.user([await users.team("t")])).client
    tag = f"s{uuid.uuid4().hex[:8]}"
    await api.post(
        "/api/v1/parties", json={"kind": "company", "company": {"legal_name": f"Saved {tag}"}, "tags": [tag]}
    )
    saved = await api.post(
        "/api/v1/saved-filters", json={"name": "mine", "filters": [{"field": "tags", "op": "eq", "value": tag}]}
    )
    assert saved.status_code == 201, saved.text
    listed = (await api.get("/api/v1/parties", params={"saved_filter": saved.json()["id"]})).json()["items"]
    assert [p["display_name"] for p in listed] == [f"Saved {tag}"]
    bad = await api.post(
        "/api/v1/saved-filters", json={"name": "bad", "filters": [{"field": "nope", "op": "eq", "value": "x"}]}
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "validation_failed"


async def test_duplicate_inn_is_409_and_merge_folds_the_duplicate(users, fake):
    api = (await users.user([await users.team("t")])).client
    inn = fake.businesses_inn()
    email = f"{uuid.uuid4().hex[:8]}@example.ru"
    first = (
        await api.post("/api/v1/parties", json={"kind": "company", "company": {"legal_name": "ООО Первая", "inn": inn}})
    ).json()
    conflict = await api.post(
        "/api/v1/parties", json={"kind": "company", "company": {"legal_name": "ООО Вторая", "inn": inn}}
    )
    assert conflict.status_code == 409
    assert conflict.json()["code"] == "duplicate_party"
    second = await api.post(
        "/api/v1/parties",
        params={"allow_duplicate": "true"},
        json={
            "kind": "company",
            "company": {"legal_name": "ООО Вторая", "inn": inn, "website": "https://second.example"},
            "emails": [{"value": email}],
        },
    )
    assert second.status_code == 201
    assert [d["party"]["id"] for d in second.json()["possible_duplicates"]] == [first["id"]]
    await api.post(f"/api/v1/parties/{second.json()['id']}/notes", json={"text": "note on the duplicate"})
    duplicates = (await api.get(f"/api/v1/parties/{first['id']}/duplicates")).json()
    assert duplicates[0]["party"]["id"] == second.json()["id"] and "inn" in duplicates[0]["reasons"]
    merged = await api.post(f"/api/v1/parties/{first['id']}/merge", json={"merged_id": second.json()["id"]})
    assert merged.status_code == 200, merged.text
    assert merged.json()["company"]["website"] == "https://second.example"
    assert merged.json()["emails"][0]["value"] == email
    notes = (await api.get(f"/api/v1/parties/{first['id']}/notes")).json()["items"]
    assert [n["text"] for n in notes] == ["note on the duplicate"]
    assert (await api.get(f"/api/v1/parties/{second.json()['id']}")).status_code == 404


async def test_custom_fields_are_defined_by_admin_and_validated(users, admin):
    key = f"budget_{uuid.uuid4().hex[:6]}"
    created = await admin.client.post(
        "/api/v1/custom-fields", json={"entity_type": "company", "key": key, "label": "Budget", "type": "number"}
    )
    assert created.status_code == 201, created.text
    api = (await users.user([await users.team("t")])).client
    assert (
        await api.post(
            "/api/v1/custom-fields", json={"entity_type": "company", "key": "x_field", "label": "X", "type": "string"}
        )
    ).status_code == 403
    ok = await api.post(
        "/api/v1/parties",
        json={"kind": "company", "company": {"legal_name": f"CF {key}"}, "custom_fields": {key: 250000}},
    )
    assert ok.status_code == 201
    assert ok.json()["custom_fields"] == {key: 250000}
    wrong = await api.post(
        "/api/v1/parties", json={"kind": "company", "company": {"legal_name": "CF"}, "custom_fields": {key: "a lot"}}
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0] == {
        "field": f"custom_fields.{key}",
        "code": "invalid_custom_field",
        "message": f"custom field '{key}' must be a number",
    }
    found = (await api.get("/api/v1/parties", params={"filter": f"cf.{key}:gte:100000"})).json()["items"]
    assert [p["id"] for p in found] == [ok.json()["id"]]


async def test_client_knowledge_is_stored_and_reported(users):
    api = (await users.user([await users.team("t")])).client
    tag = f"k{uuid.uuid4().hex[:8]}"
    knowledge = {
        "needs": [{"product": "Доставка", "we_offer": True}, {"product": "Хранение", "we_offer": False}],
        "purchase_volume": {"amount": "150000.00", "currency": "RUB", "period": "month"},
        "season_months": [3, 4],
        "payment_discipline": "minor_delays",
        "refusal_reasons": [{"code": "price", "note": "дорого"}],
    }
    created = await api.post(
        "/api/v1/parties",
        json={"kind": "company", "company": {"legal_name": f"K {tag}"}, "tags": [tag], "knowledge": knowledge},
    )
    assert created.status_code == 201, created.text
    assert created.json()["knowledge"]["purchase_volume"] == {
        "amount": "150000.00",
        "currency": "RUB",
        "period": "month",
    }
    report = (await api.get("/api/v1/reports/client-knowledge", params={"filter": f"tags:eq:{tag}"})).json()
    assert report["parties"] == 1
    assert {"key": "Хранение", "count": 1} in report["unmet_needs"]
    assert report["refusal_reasons"] == [{"key": "price", "count": 1}]
    unmet = (await api.get("/api/v1/parties", params={"filter": "unmet_need:eq:Хранение"})).json()["items"]
    assert created.json()["id"] in [p["id"] for p in unmet]


async def test_admin_relabels_and_archives_a_custom_field(users, admin):
    key = f"segment_{uuid.uuid4().hex[:6]}"
    created = (
        await admin.client.post(
            "/api/v1/custom-fields", json={"entity_type": "company", "key": key, "label": "Segment", "type": "string"}
        )
    ).json()
    url = f"/api/v1/custom-fields/{created['id']}"
    changed = await admin.client.patch(url, json={"label": "Market segment", "archived": True})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["label"], changed.json()["archived"], changed.json()["type"]) == (
        "Market segment",
        True,
        "string",
    )
    api = (await users.user([await users.team("t")])).client
    assert (await api.patch(url, json={"label": "Mine"})).status_code == 403
    listed = (await api.get("/api/v1/custom-fields", params={"include_archived": "true"})).json()
    assert {"key": key, "label": "Market segment"} in [{"key": f["key"], "label": f["label"]} for f in listed]
