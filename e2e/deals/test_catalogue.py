"""The catalogue through the gateway: products, units, deal lines from products with VAT, access, bad input."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.e2e


def codes(response) -> set[str]:  # type: ignore[no-untyped-def]
    body = response.json()
    return {body["code"], *[e["code"] for e in body.get("errors", [])]}


def new_product(**fields) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {
        "name": f"Стеллаж складской {uuid.uuid4().hex[:6]}",
        "article": f"ST-{uuid.uuid4().hex[:8]}",
        "unit_code": "796",
        "vat_rate": "20",
        "prices": [{"price_list": "base", "currency": "RUB", "price": "10000.00"}],
        **fields,
    }


async def test_a_catalogue_product_on_a_deal_line_with_vat_on_top(users, admin, board, sales) -> None:
    created = await admin.client.post("/api/v1/products", json=new_product())
    assert created.status_code == 201, created.text
    product = created.json()
    assert created.headers["ETag"] == '"1"' and created.headers["Location"] == f"/api/v1/products/{product['id']}"
    api = (await users.user([await users.team("catalogue")])).client
    listed = (await api.get("/api/v1/products", params={"q": product["article"].lower()})).json()
    assert [p["id"] for p in listed["items"]] == [product["id"]]
    client = await sales.company(api)
    lines = [
        {"product_id": product["id"], "quantity": "3"},
        {"product": "Монтаж", "quantity": "8", "price": "1500", "unit_code": "356", "vat_rate": "20"},
    ]
    deal = await sales.open(api, board, client["id"], lines=lines, vat_mode="on_top")
    first, second = deal["lines"]
    assert (first["product"], first["article"], first["unit_code"], first["price"]) == (
        product["name"],
        product["article"],
        "796",
        "10000.00",
    )
    assert (first["vat_amount"], second["vat_amount"], second["unit_code"]) == ("6000.00", "2400.00", "356")
    assert (deal["amount"], deal["vat_amount"], deal["total_with_vat"]) == ("42000.00", "8400.00", "50400.00")
    assert deal["vat_by_rate"] == [{"rate": "20", "net": "42000.00", "vat": "8400.00", "gross": "50400.00"}]
    included = await api.patch(
        f"/api/v1/deals/{deal['id']}", json={"vat_mode": "included"}, headers={"If-Match": f'"{deal["version"]}"'}
    )
    assert included.status_code == 200, included.text
    assert (included.json()["vat_amount"], included.json()["total_with_vat"]) == ("7000.00", "42000.00")


async def test_units_are_listed_in_the_caller_s_language(users) -> None:
    api = (await users.user([await users.team("units")])).client
    ru = (await api.get("/api/v1/units", headers={"Accept-Language": "ru"})).json()
    en = (await api.get("/api/v1/units", headers={"Accept-Language": "en"})).json()
    assert {u["code"]: u["label"] for u in ru}["055"] == "м²"
    assert {u["code"]: u["label"] for u in en}["796"] == "pcs"


async def test_only_admins_and_catalogue_managers_change_the_catalogue(users, admin) -> None:
    team = await users.team("cm")
    seller = (await users.user([team])).client
    refused = await seller.post("/api/v1/products", json=new_product())
    assert refused.status_code == 403 and refused.json()["code"] == "catalog_manager_only"
    manager = (await users.user([team], roles=["sales", "catalog_manager"])).client
    created = await manager.post("/api/v1/products", json=new_product())
    assert created.status_code == 201, created.text
    product = created.json()
    patched = await seller.patch(f"/api/v1/products/{product['id']}", json={"archived": True})
    assert patched.status_code == 403
    archived = await manager.patch(
        f"/api/v1/products/{product['id']}", json={"archived": True}, headers={"If-Match": '"1"'}
    )
    assert archived.status_code == 200 and archived.json()["archived"] and archived.headers["ETag"] == '"2"'
    stale = await manager.patch(f"/api/v1/products/{product['id']}", json={"name": "x"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert (await seller.get(f"/api/v1/products/{product['id']}")).json()["archived"]
    listed = (await seller.get("/api/v1/products", params={"q": product["article"]})).json()
    assert listed["items"] == []


async def test_an_archived_product_is_refused_on_a_new_line(users, admin, board, sales) -> None:
    product = (await admin.client.post("/api/v1/products", json=new_product())).json()
    await admin.client.patch(f"/api/v1/products/{product['id']}", json={"archived": True})
    api = (await users.user([await users.team("archived")])).client
    client = await sales.company(api)
    body = {"title": "x", "client_id": client["id"], "pipeline_id": board.id}
    refused = await api.post("/api/v1/deals", json={**body, "lines": [{"product_id": product["id"], "quantity": "1"}]})
    assert refused.status_code == 409 and refused.json()["code"] == "product_archived"


async def test_bad_catalogue_input_is_a_clear_422(admin, board, sales) -> None:
    cases = [
        (new_product(unit_code="штука"), "unknown_unit"),
        (new_product(unit_code="999"), "unknown_unit"),
        (new_product(vat_rate="18"), "unknown_vat_rate"),
        (new_product(kind="gadget"), "unknown_kind"),
        (new_product(prices=[{"price": "-5"}]), "negative_amount"),
        (new_product(prices=[{"price": "1"}, {"price": "2"}]), "duplicate_price"),
        (new_product(name="Стеллаж\x00"), "invalid_text"),
        (new_product(name="x" * 301), "string_too_long"),
        (new_product(name="   "), "required"),
        ({"article": "A-1"}, "missing"),
    ]
    for body, code in cases:
        response = await admin.client.post("/api/v1/products", json=body)
        assert response.status_code == 422, (code, response.text)
        assert code in codes(response), (code, response.text)
    deal_cases = [
        ({"product": "A", "quantity": "1", "price": "1", "vat_rate": "18"}, "unknown_vat_rate"),
        ({"product": "A", "quantity": "1", "price": "1", "unit_code": "000"}, "unknown_unit"),
        ({"product_id": str(uuid.uuid4()), "quantity": "1"}, "unknown_product"),
    ]
    client = await sales.company(admin.client)
    for line, code in deal_cases:
        response = await admin.client.post(
            "/api/v1/deals", json={"title": "x", "client_id": client["id"], "pipeline_id": board.id, "lines": [line]}
        )
        assert response.status_code == 422, response.text
        assert code in codes(response), (code, response.text)
    bad_mode = await admin.client.post(
        "/api/v1/deals", json={"title": "x", "client_id": client["id"], "pipeline_id": board.id, "vat_mode": "gross"}
    )
    assert bad_mode.status_code == 422 and "unknown_vat_mode" in codes(bad_mode)
    missing = await admin.client.get(f"/api/v1/products/{uuid.uuid4()}")
    assert missing.status_code == 404 and missing.json()["code"] == "product_not_found"
    bad_kind = await admin.client.get("/api/v1/products", params={"kind": "gadget"})
    assert bad_kind.status_code == 422 and "unknown_kind" in codes(bad_kind)
