"""Admins shape the sales process over REST: pipelines and stages (with ETags), loss reasons, custom fields."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.e2e


async def test_admin_adds_renames_reorders_and_archives_stages_with_etags(admin, users, board, sales) -> None:
    api = admin.client
    url = f"/api/v1/pipelines/{board.id}"
    manager = await users.user([await users.team("st")])
    deal = await sales.open(manager.client, board, (await sales.company(manager.client))["id"])
    deal = await sales.move(manager.client, deal, board.stage("Qualified"))

    got = await api.get(url)
    assert got.headers["ETag"] == f'"{board.version}"'
    added = await api.post(
        f"{url}/stages",
        json={"name": "Demo", "probability": 40, "position": 2},
        headers={"If-Match": got.headers["ETag"]},
    )
    assert added.status_code == 201, added.text
    assert [s["name"] for s in added.json()["stages"]][:4] == ["Lead", "Qualified", "Demo", "Proposal"]
    demo = next(s["id"] for s in added.json()["stages"] if s["name"] == "Demo")
    renamed = await api.patch(
        f"{url}/stages/{board.stage('Qualified')}",
        json={"name": "Квалификация", "probability": 30, "time_limit_days": 7},
        headers={"If-Match": added.headers["ETag"]},
    )
    assert renamed.status_code == 200, renamed.text
    order = [
        board.stage("Lead"),
        demo,
        board.stage("Qualified"),
        *[board.stage(n) for n in ("Proposal", "Negotiation", "Won", "Lost")],
    ]
    reordered = await api.put(f"{url}/stage-order", json={"stage_ids": order})
    assert [s["id"] for s in reordered.json()["stages"]] == order
    archived = await api.patch(f"{url}/stages/{board.stage('Qualified')}", json={"archived": True})
    assert archived.json()["stages"][-1] == {
        "id": board.stage("Qualified"),
        "name": "Квалификация",
        "name_ru": "Квалификация",
        "name_en": "Квалификация",
        "position": 6,
        "probability": 30,
        "category": "open",
        "time_limit_days": 7,
        "archived": True,
    }
    kept = (await manager.client.get(f"/api/v1/deals/{deal['id']}")).json()
    assert (kept["stage_name"], kept["distance"]["probability"], kept["version"]) == (
        "Квалификация",
        30,
        deal["version"],
    )
    blocked = await manager.client.post(f"/api/v1/deals/{deal['id']}/move", json={"stage_id": board.stage("Qualified")})
    assert blocked.status_code == 409  # already there; and nobody else can enter it
    patched = await api.patch(
        url, json={"name": "Тендеры 2027", "stale_days": 30}, headers={"If-Match": archived.headers["ETag"]}
    )
    assert patched.status_code == 200, patched.text
    assert (patched.json()["name"], patched.json()["stale_days"]) == ("Тендеры 2027", 30)
    listed = {p["id"]: p for p in (await manager.client.get("/api/v1/pipelines")).json()}
    assert listed[board.id]["name"] == "Тендеры 2027"
    archived_pipeline = await api.patch(url, json={"archived": True})
    assert archived_pipeline.json()["archived"] is True
    assert board.id not in {p["id"] for p in (await api.get("/api/v1/pipelines")).json()}
    assert board.id in {
        p["id"] for p in (await api.get("/api/v1/pipelines", params={"include_archived": "true"})).json()
    }


async def test_loss_reasons_and_custom_fields_are_managed_by_admins(admin, users, board, sales) -> None:
    code = f"r{uuid.uuid4().hex[:6]}"
    created = await admin.client.post(
        "/api/v1/deals/loss-reasons", json={"code": code, "label": "Ушли к дистрибьютору"}
    )
    assert created.status_code == 201, created.text
    relabeled = await admin.client.patch(f"/api/v1/deals/loss-reasons/{code}", json={"label": "Дистрибьютор"})
    assert relabeled.json() == {
        "code": code,
        "label": "Дистрибьютор",
        "label_ru": "Дистрибьютор",
        "label_en": "Дистрибьютор",
        "archived": False,
        "builtin": False,
        "order": created.json()["order"],
    }
    english = await admin.client.patch(
        f"/api/v1/deals/loss-reasons/{code}",
        json={"label_en": "Went to a distributor"},
        headers={"Accept-Language": "ru"},
    )
    assert (english.json()["label"], english.json()["label_en"]) == ("Дистрибьютор", "Went to a distributor")
    key = f"tender_{uuid.uuid4().hex[:6]}"
    field = await admin.client.post(
        "/api/v1/deals/custom-fields",
        json={"key": key, "label": "Тендер", "type": "enum", "options": ["44-ФЗ", "223-ФЗ"]},
    )
    assert field.status_code == 201, field.text
    assert field.json()["entity_type"] == "deal"
    updated = await admin.client.patch(
        f"/api/v1/deals/custom-fields/{field.json()['id']}", json={"options": ["44-ФЗ", "223-ФЗ", "коммерческий"]}
    )
    assert updated.json()["options"] == ["44-ФЗ", "223-ФЗ", "коммерческий"]

    manager = await users.user([await users.team("cf")])
    reasons = [r["code"] for r in (await manager.client.get("/api/v1/deals/loss-reasons")).json()]
    assert reasons[:6] == ["price", "competitor", "no_budget", "timing", "no_response", "other"] and code in reasons
    assert key in [f["key"] for f in (await manager.client.get("/api/v1/deals/custom-fields")).json()]
    deal = await sales.open(
        manager.client, board, (await sales.company(manager.client))["id"], custom_fields={key: "223-ФЗ"}
    )
    changed = await manager.client.patch(f"/api/v1/deals/{deal['id']}", json={"custom_fields": {key: "коммерческий"}})
    assert changed.json()["custom_fields"] == {key: "коммерческий"}
    found = (await manager.client.get("/api/v1/deals", params={"filter": f"cf.{key}:eq:коммерческий"})).json()["items"]
    assert [d["id"] for d in found] == [deal["id"]]
    lost = await sales.move(manager.client, deal, board.stage("Lost"), loss_reason=code)
    assert lost["loss_reason"] == code


async def test_pipelines_carry_names_in_russian_and_english_and_a_stage_is_renamed_per_language(admin, board) -> None:
    api = admin.client
    shipped = next(p for p in (await api.get("/api/v1/pipelines")).json() if p["name_en"] == "Sales")
    assert (shipped["name"], shipped["name_ru"]) == ("Продажи", "Продажи")  # CRM_DEFAULT_LANGUAGE=ru
    assert [(s["name_ru"], s["name_en"]) for s in shipped["stages"]][2] == ("Коммерческое предложение", "Proposal")
    created = await api.post(
        "/api/v1/pipelines",
        json={"name_ru": f"Тендеры {uuid.uuid4().hex[:4]}", "name_en": "Tenders", "stale_days": 14},
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["name"], body["name_en"]) == (body["name_ru"], "Tenders")
    assert [s["name_en"] for s in body["stages"]][:2] == ["Lead", "Qualified"]
    assert [s["name"] for s in body["stages"]][:2] == ["Новая", "Квалификация"]
    url = f"/api/v1/pipelines/{body['id']}/stages/{body['stages'][0]['id']}"
    renamed = await api.patch(url, json={"name_en": "New"}, headers={"If-Match": f'"{body["version"]}"'})
    assert renamed.status_code == 200, renamed.text
    first = renamed.json()["stages"][0]
    assert (first["name"], first["name_ru"], first["name_en"]) == ("Новая", "Новая", "New")
    empty = await api.patch(url, json={"name_ru": " "}, headers={"If-Match": f'"{renamed.json()["version"]}"'})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "stage.name_ru"
