"""Access: a deal you may not see is 404 everywhere and leaks nowhere; admin-only setup is 403; no token is 401."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

NOWHERE = "00000000-0000-0000-0000-000000000000"


async def test_hidden_deal_is_404_and_absent_from_lists_kanban_forecast_and_summary(users, board, sales) -> None:
    north, south = await users.team("north"), await users.team("south")
    owner, teammate, outsider = await users.user([north]), await users.user([north]), await users.user([south])
    client = await sales.company(owner.client, shared_with=[outsider.id])  # the outsider sees the client, not the deal
    deal = await sales.open(owner.client, board, client["id"], amount="500000", expected_close_date="2027-06-01")
    payment = (
        await owner.client.post(
            f"/api/v1/deals/{deal['id']}/payments",
            json={"status": "received", "amount": "1000", "received_on": "2026-01-01"},
        )
    ).json()
    url = f"/api/v1/deals/{deal['id']}"
    assert (await teammate.client.get(url)).status_code == 200
    for method, path, body in [
        ("GET", url, None),
        ("PATCH", url, {"title": "peek"}),
        ("POST", f"{url}/move", {"stage_id": board.stage("Qualified")}),
        ("GET", f"{url}/stage-history", None),
        ("GET", f"{url}/audit", None),
        ("GET", f"{url}/payments", None),
        ("POST", f"{url}/payments", {"status": "received", "amount": "1", "received_on": "2026-01-01"}),
        ("POST", f"{url}/payments/{payment['id']}/receive", {"received_on": "2026-01-01"}),
    ]:
        response = await outsider.client.request(method, path, json=body)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["code"] == "deal_not_found"
        assert deal["title"] not in response.text

    def ids(page: dict) -> list[str]:  # type: ignore[type-arg]
        return [d["id"] for d in page["items"]]

    by_board = {"filter": f"pipeline_id:eq:{board.id}"}
    assert ids((await teammate.client.get("/api/v1/deals", params=by_board)).json()) == [deal["id"]]
    assert ids((await outsider.client.get("/api/v1/deals", params=by_board)).json()) == []
    assert ids((await outsider.client.get("/api/v1/deals", params={"q": deal["title"]})).json()) == []
    kanban = (await outsider.client.get(f"/api/v1/pipelines/{board.id}/kanban")).json()
    assert kanban["count"] == 0 and kanban["sums"] == []
    assert all(c["count"] == 0 and c["cards"] == [] and c["sums"] == [] for c in kanban["columns"])
    column = (await outsider.client.get(f"/api/v1/pipelines/{board.id}/kanban/{board.stage('Lead')}")).json()
    assert (column["count"], column["cards"]) == (0, [])
    forecast = (await outsider.client.get("/api/v1/deals/forecast", params={"pipeline_id": board.id})).json()
    assert forecast == {"rows": [], "totals": [], "overdue_totals": []}
    summary = (await outsider.client.get(f"/api/v1/parties/{client['id']}/payment-summary")).json()
    assert (summary["deals"], summary["payments_received"], summary["received"]) == (0, 0, [])
    teammate_summary = (await teammate.client.get(f"/api/v1/parties/{client['id']}/payment-summary")).json()
    assert teammate_summary["received"] == [{"currency": "RUB", "amount": "1000.00"}]


async def test_a_client_you_cannot_see_cannot_get_a_deal_and_its_card_summary_is_404(users, board, sales) -> None:
    owner = await users.user([await users.team("own")])
    outsider = await users.user([await users.team("out")])
    hidden = await sales.company(owner.client)
    response = await outsider.client.post(
        "/api/v1/deals", json={"title": "Чужой клиент", "client_id": hidden["id"], "pipeline_id": board.id}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "client_id", "code": "party_not_found", "message": f"no party {hidden['id']} (or you may not see it)"}
    ]
    assert hidden["display_name"] not in response.text
    summary = await outsider.client.get(f"/api/v1/parties/{hidden['id']}/payment-summary")
    assert (summary.status_code, summary.json()["code"]) == (404, "party_not_found")


async def test_sharing_a_deal_grants_access_and_admins_see_all(users, admin, board, sales) -> None:
    owner = await users.user([await users.team("a")])
    guest = await users.user([await users.team("b")])
    deal = await sales.open(owner.client, board, (await sales.company(owner.client))["id"])
    url = f"/api/v1/deals/{deal['id']}"
    assert (await guest.client.get(url)).status_code == 404
    shared = await owner.client.patch(url, json={"shared_with": [guest.id]})
    assert shared.status_code == 200, shared.text
    assert (await guest.client.get(url)).status_code == 200
    assert (await admin.client.get(url)).status_code == 200
    foreign = await owner.client.patch(url, json={"team_id": await users.team("c")})
    assert (foreign.status_code, foreign.json()["code"]) == (403, "team_not_allowed")


async def test_pipeline_setup_is_admin_only_but_readable_by_everyone(users, board) -> None:
    api = (await users.user([await users.team("r")])).client
    pipeline = f"/api/v1/pipelines/{board.id}"
    assert (await api.get("/api/v1/pipelines")).status_code == 200
    assert (await api.get(pipeline)).json()["id"] == board.id
    assert (await api.get("/api/v1/deals/loss-reasons")).status_code == 200
    assert (await api.get("/api/v1/deals/custom-fields")).status_code == 200
    for method, path, body in [
        ("POST", "/api/v1/pipelines", {"name": "Мой"}),
        ("PATCH", pipeline, {"name": "Мой"}),
        ("POST", f"{pipeline}/stages", {"name": "Demo"}),
        ("PATCH", f"{pipeline}/stages/{board.stage('Lead')}", {"name": "x"}),
        ("PUT", f"{pipeline}/stage-order", {"stage_ids": list(board.stages.values())}),
        ("POST", "/api/v1/deals/loss-reasons", {"code": "weather", "label": "Weather"}),
        ("PATCH", "/api/v1/deals/loss-reasons/price", {"archived": True}),
        ("POST", "/api/v1/deals/custom-fields", {"key": "k", "label": "K", "type": "string"}),
        ("PATCH", f"/api/v1/deals/custom-fields/{NOWHERE}", {"label": "x"}),
    ]:
        response = await api.request(method, path, json=body)
        assert (response.status_code, response.json()["code"]) == (403, "admin_only"), (method, path, response.text)


async def test_every_deals_endpoint_needs_a_token(anonymous, board) -> None:
    deal = f"/api/v1/deals/{NOWHERE}"
    for method, path in [
        ("GET", "/api/v1/deals"),
        ("POST", "/api/v1/deals"),
        ("GET", deal),
        ("PATCH", deal),
        ("POST", f"{deal}/move"),
        ("GET", f"{deal}/stage-history"),
        ("GET", f"{deal}/audit"),
        ("GET", f"{deal}/payments"),
        ("POST", f"{deal}/payments"),
        ("POST", f"{deal}/payments/{NOWHERE}/receive"),
        ("GET", "/api/v1/deals/forecast"),
        ("GET", "/api/v1/deals/loss-reasons"),
        ("GET", "/api/v1/deals/custom-fields"),
        ("GET", "/api/v1/pipelines"),
        ("GET", f"/api/v1/pipelines/{board.id}"),
        ("GET", f"/api/v1/pipelines/{board.id}/kanban"),
        ("GET", f"/api/v1/parties/{NOWHERE}/payment-summary"),
    ]:
        response = await anonymous.request(method, path, json={})
        assert response.status_code == 401, (method, path, response.text)
