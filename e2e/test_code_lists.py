"""Code lists through the gateway: the same routes and rules for every list (crm_gateway.routers.common)."""

import uuid

import pytest

pytestmark = pytest.mark.e2e

LISTS = ["/api/v1/relationship-types", "/api/v1/deals/loss-reasons", "/api/v1/task-types", "/api/v1/task-results"]


@pytest.mark.parametrize("path", LISTS)
async def test_every_code_list_is_added_to_relabelled_archived_and_listed_alike(admin, users, path):
    code = f"c_{uuid.uuid4().hex[:8]}"
    created = await admin.client.post(path, json={"code": code, "label_ru": "Выставка", "label_en": "Trade show"})
    assert created.status_code == 201, created.text
    assert {k: created.json()[k] for k in ("code", "label", "builtin", "archived")} == {
        "code": code,
        "label": "Trade show",
        "builtin": False,
        "archived": False,
    }
    russian = await admin.client.patch(
        f"{path}/{code}", json={"label_ru": "Отраслевая выставка"}, headers={"Accept-Language": "ru-RU"}
    )
    assert (russian.json()["label"], russian.json()["label_en"]) == ("Отраслевая выставка", "Trade show")
    assert (await admin.client.patch(f"{path}/{code}", json={"archived": True})).json()["archived"] is True

    member = await users.user([await users.team("codes")])
    active = [c["code"] for c in (await member.client.get(path)).json()]
    everything = (await member.client.get(path, params={"include_archived": "true"})).json()
    assert code not in active and code in [c["code"] for c in everything]
    shipped = [c for c in everything if c["builtin"]]
    assert shipped and all(c["label_ru"] and c["label_en"] for c in shipped)


@pytest.mark.parametrize("path", LISTS)
async def test_code_lists_refuse_bad_codes_strangers_and_unknown_codes(admin, users, path):
    member = await users.user([await users.team("codes")])
    refused = await member.client.post(path, json={"code": "visit", "label": "Визит"})
    assert refused.status_code == 403 and refused.json()["code"] == "admin_only"
    for body in ({"code": "Bad Code", "label": "x"}, {"code": "x" * 64, "label": "x"}, {"code": "ok_code"}):
        assert (await admin.client.post(path, json=body)).status_code == 422, body
    missing = await admin.client.patch(f"{path}/no_such_code", json={"archived": True})
    assert missing.status_code == 404 and missing.json()["code"].endswith("_not_found")
    assert (await admin.client.patch(f"{path}/no_such_code", json={})).status_code == 422
