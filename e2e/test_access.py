"""Record-level access: a party you may not see does not exist for you."""

import uuid

import pytest

pytestmark = pytest.mark.e2e


async def test_hidden_party_is_404_and_absent_from_lists_search_counts_duplicates(users, fake):
    north, south = await users.team("north"), await users.team("south")
    owner = await users.user([north])
    teammate = await users.user([north])
    outsider = await users.user([south])
    tag = f"a{uuid.uuid4().hex[:8]}"
    inn = fake.businesses_inn()
    party = (
        await owner.client.post(
            "/api/v1/parties",
            json={"kind": "company", "company": {"legal_name": f"Секрет {tag}", "inn": inn}, "tags": [tag]},
        )
    ).json()
    url = f"/api/v1/parties/{party['id']}"

    assert (await teammate.client.get(url)).status_code == 200
    for method, path, body in [
        ("GET", url, None),
        ("PATCH", url, {"tags": ["x"]}),
        ("DELETE", url, None),
        ("GET", f"{url}/notes", None),
        ("POST", f"{url}/notes", {"text": "peek"}),
        ("GET", f"{url}/timeline", None),
        ("GET", f"{url}/audit", None),
        ("GET", f"{url}/duplicates", None),
    ]:
        response = await outsider.client.request(method, path, json=body)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["code"] == "party_not_found"

    async def visible_ids(client, **params):
        return [p["id"] for p in (await client.get("/api/v1/parties", params=params)).json()["items"]]

    assert party["id"] in await visible_ids(teammate.client, filter=f"tags:eq:{tag}")
    assert party["id"] not in await visible_ids(outsider.client, filter=f"tags:eq:{tag}")
    assert party["id"] not in await visible_ids(outsider.client, q=f"Секрет {tag}")
    assert party["id"] not in await visible_ids(outsider.client, q=inn)
    assert (await outsider.client.get("/api/v1/parties/count", params={"filter": f"tags:eq:{tag}"})).json() == {
        "count": 0,
        "capped": False,
    }
    report = (await outsider.client.get("/api/v1/reports/client-knowledge", params={"filter": f"tags:eq:{tag}"})).json()
    assert report["parties"] == 0
    # Creating a look-alike reveals nothing about the hidden party and is not blocked by it.
    lookalike = await outsider.client.post(
        "/api/v1/parties", json={"kind": "company", "company": {"legal_name": f"Секрет {tag}", "inn": inn}}
    )
    assert lookalike.status_code == 201
    assert lookalike.json()["possible_duplicates"] == []
    merge = await outsider.client.post(
        f"/api/v1/parties/{lookalike.json()['id']}/merge", json={"merged_id": party["id"]}
    )
    assert merge.status_code == 404


async def test_sharing_a_party_grants_access(users):
    owner = await users.user([await users.team("a")])
    guest = await users.user([await users.team("b")])
    party = (
        await owner.client.post("/api/v1/parties", json={"kind": "person", "person": {"last_name": "Гостев"}})
    ).json()
    url = f"/api/v1/parties/{party['id']}"
    assert (await guest.client.get(url)).status_code == 404
    shared = await owner.client.patch(url, json={"shared_with": [guest.id]})
    assert shared.status_code == 200, shared.text
    assert (await guest.client.get(url)).status_code == 200


async def test_admin_sees_every_party(users, admin):
    owner = await users.user([await users.team("c")])
    party = (
        await owner.client.post("/api/v1/parties", json={"kind": "person", "person": {"last_name": "Видимов"}})
    ).json()
    assert (await admin.client.get(f"/api/v1/parties/{party['id']}")).status_code == 200


async def test_putting_a_party_into_a_foreign_team_is_403(users):
    home, foreign = await users.team("home"), await users.team("foreign")
    user = await users.user([home])
    response = await user.client.post(
        "/api/v1/parties", json={"kind": "person", "person": {"last_name": "Чужой"}, "team_id": foreign}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "team_not_allowed"
