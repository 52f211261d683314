"""Deals through the gateway: a client's deals move through stages, are lost and won, show on the
client's timeline, pay, and add up on the board and in the forecast."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from crm_core.testing import eventually

pytestmark = pytest.mark.e2e


async def test_open_move_lose_win_and_see_it_all_on_the_clients_timeline(users, board, sales) -> None:
    manager = await users.user([await users.team("sales")])
    api = manager.client
    client = await sales.company(api)
    person = await sales.person(api)
    created = await api.post(
        "/api/v1/deals",
        json={
            "title": "Поставка стеллажей",
            "client_id": client["id"],
            "contact_ids": [person["id"]],
            "pipeline_id": board.id,
            "lines": [
                {"product": "Стеллаж складской", "quantity": "4", "price": "19999.99", "discount_percent": "5"},
                {"product": "Монтаж", "quantity": "1", "price": "15000"},
            ],
            "expected_close_date": "2027-02-15",
        },
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    assert created.status_code == 201, created.text
    assert created.headers["ETag"] == '"1"' and created.headers["Location"].endswith(created.json()["id"])
    lost_deal = created.json()
    assert (lost_deal["client_name"], lost_deal["stage_name"]) == (client["display_name"], "Lead")
    assert (lost_deal["amount"], lost_deal["discount_amount"]) == ("90999.96", "4000.00")
    assert lost_deal["distance"]["expected_amount"] == "9100.00"

    moved = await api.post(
        f"/api/v1/deals/{lost_deal['id']}/move", json={"stage_id": board.stage("Proposal")}, headers={"If-Match": '"1"'}
    )
    assert moved.status_code == 200, moved.text
    assert moved.headers["ETag"] == '"2"'
    lost = await sales.move(api, moved.json(), board.stage("Lost"), loss_reason="price", comment="Нашли дешевле")
    assert (lost["status"], lost["loss_reason"], lost["loss_comment"]) == ("lost", "price", "Нашли дешевле")

    won_deal = await sales.open(api, board, client["id"], title="Сервисный контракт", amount="250000.00")
    for stage in ("Qualified", "Negotiation", "Won"):
        won_deal = await sales.move(api, won_deal, board.stage(stage))
    assert (won_deal["status"], won_deal["closed_at"] is not None) == ("won", True)

    history = (await api.get(f"/api/v1/deals/{won_deal['id']}/stage-history")).json()
    assert [(h["from_stage_name"], h["to_stage_name"]) for h in history] == [
        ("", "Lead"),
        ("Lead", "Qualified"),
        ("Qualified", "Negotiation"),
        ("Negotiation", "Won"),
    ]
    assert all(h["moved_by"] == manager.id for h in history)
    audit = (await api.get(f"/api/v1/deals/{lost_deal['id']}/audit")).json()["items"]
    assert [a["action"] for a in audit] == ["lost", "stage_changed", "created"]

    async def timeline() -> list[dict] | None:
        items = (await api.get(f"/api/v1/parties/{client['id']}/timeline", params={"source": "deals"})).json()["items"]
        return items if {"deal.lost", "deal.won"} <= {i["type"] for i in items} and len(items) >= 7 else None

    entries = await eventually(timeline, timeout=15)
    assert [e["type"] for e in entries][:2] == ["deal.won", "deal.stage_changed"]
    lost_entry = next(e for e in entries if e["type"] == "deal.lost")
    assert lost_entry["subject_id"] == lost_deal["id"] and "price" in lost_entry["summary"]
    assert "won" in next(e for e in entries if e["type"] == "deal.won")["summary"]
    # The contact person's card shows the deal they are named in, too.
    person_items = (await api.get(f"/api/v1/parties/{person['id']}/timeline")).json()["items"]
    assert any(e["subject_id"] == lost_deal["id"] for e in person_items)


async def test_update_with_if_match_and_stale_version_is_412(users, board, sales) -> None:
    api = (await users.user([await users.team("upd")])).client
    deal = await sales.open(api, board, (await sales.company(api))["id"], amount="1000")
    url = f"/api/v1/deals/{deal['id']}"
    changed = await api.patch(
        url, json={"amount": "1500.50", "expected_close_date": "2027-01-31"}, headers={"If-Match": '"1"'}
    )
    assert changed.status_code == 200, changed.text
    assert changed.headers["ETag"] == '"2"' and changed.json()["amount"] == "1500.50"
    stale = await api.patch(url, json={"title": "Другое"}, headers={"If-Match": '"1"'})
    assert (stale.status_code, stale.json()["code"]) == (412, "version_conflict")
    stale_move = await api.post(f"{url}/move", json={"stage_id": board.stage("Qualified")}, headers={"If-Match": '"1"'})
    assert stale_move.status_code == 412
    got = await api.get(url)
    assert got.headers["ETag"] == '"2"' and got.json()["title"] == deal["title"]


async def test_changing_the_client_takes_its_name_from_contacts(users, board, sales) -> None:
    api = (await users.user([await users.team("cl")])).client
    first, second = await sales.company(api), await sales.company(api)
    deal = await sales.open(api, board, first["id"])
    changed = await api.patch(f"/api/v1/deals/{deal['id']}", json={"client_id": second["id"]})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["client_id"], changed.json()["client_name"]) == (second["id"], second["display_name"])


async def test_payments_late_days_and_the_clients_payment_summary(users, board, sales) -> None:
    api = (await users.user([await users.team("pay")])).client
    client = await sales.company(api)
    deal = await sales.open(api, board, client["id"], amount="300000")
    today = date.today()
    expected = await api.post(
        f"/api/v1/deals/{deal['id']}/payments",
        json={"status": "expected", "amount": "100000", "due_date": (today - timedelta(days=20)).isoformat()},
    )
    assert expected.status_code == 201, expected.text
    received = await api.post(
        f"/api/v1/deals/{deal['id']}/payments/{expected.json()['id']}/receive",
        json={"received_on": (today - timedelta(days=3)).isoformat()},
    )
    assert received.status_code == 200, received.text
    assert (received.json()["status"], received.json()["late_days"]) == ("received", 17)
    payments = (await api.get(f"/api/v1/deals/{deal['id']}/payments")).json()
    assert [p["amount"] for p in payments] == ["100000.00"]
    summary = (await api.get(f"/api/v1/parties/{client['id']}/payment-summary")).json()
    assert (summary["deals"], summary["paid_late"], summary["max_late_days"], summary["discipline"]) == (
        1,
        1,
        17,
        "chronic_delays",
    )
    assert summary["received"] == [{"currency": "RUB", "amount": "100000.00"}]

    async def on_timeline() -> bool:
        items = (await api.get(f"/api/v1/parties/{client['id']}/timeline")).json()["items"]
        return any(i["type"] == "payment.received" and "17 days late" in i["summary"] for i in items)

    await eventually(on_timeline, timeout=15)


async def test_kanban_and_forecast(users, board, sales) -> None:
    team = await users.team("fc")
    alice, carol = await users.user([team]), await users.user([team])
    client = await sales.company(alice.client)
    for amount, close in (("100000.00", "2027-03-10"), ("50000.00", "2027-04-02"), ("20000.00", "2027-03-30")):
        await sales.open(alice.client, board, client["id"], amount=amount, expected_close_date=close)
    proposal = await sales.open(carol.client, board, client["id"], amount="40000.00", expected_close_date="2027-03-05")
    await sales.move(carol.client, proposal, board.stage("Proposal"))
    # Open past its expected close date: the forecast shows it apart, not in its month's money.
    past = (date.today() - timedelta(days=20)).isoformat()
    await sales.open(alice.client, board, client["id"], amount="30000.00", expected_close_date=past)

    kanban = await alice.client.get(f"/api/v1/pipelines/{board.id}/kanban", params={"limit": 2})
    assert kanban.status_code == 200, kanban.text
    columns = {c["stage"]["name"]: c for c in kanban.json()["columns"]}
    assert list(columns) == ["Lead", "Qualified", "Proposal", "Negotiation"]
    lead = columns["Lead"]
    assert (lead["count"], len(lead["cards"]), bool(lead["next_cursor"])) == (4, 2, True)
    assert lead["sums"] == [{"currency": "RUB", "amount": "200000.00", "weighted_amount": "20000.00"}]
    assert columns["Proposal"]["sums"][0]["weighted_amount"] == "20000.00"
    assert all(card["next_step_at"] is None and card["has_next_step"] is False for card in lead["cards"])
    more = await alice.client.get(
        f"/api/v1/pipelines/{board.id}/kanban/{board.stage('Lead')}", params={"limit": 2, "cursor": lead["next_cursor"]}
    )
    assert more.status_code == 200, more.text
    assert len(more.json()["cards"]) == 2 and more.json()["next_cursor"] == ""
    assert {c["id"] for c in lead["cards"]}.isdisjoint({c["id"] for c in more.json()["cards"]})

    forecast = await alice.client.get(
        "/api/v1/deals/forecast", params={"pipeline_id": board.id, "group_by": "month,owner"}
    )
    assert forecast.status_code == 200, forecast.text
    rows = [
        (r["overdue"], r["month"], r["owner_id"], r["deals"], r["weighted_amount"]) for r in forecast.json()["rows"]
    ]
    assert rows[0] == (True, past[:7], alice.id, 1, "3000.00")  # overdue rows come first
    assert sorted(rows[1:]) == sorted(
        [
            (False, "2027-03", alice.id, 2, "12000.00"),
            (False, "2027-03", carol.id, 1, "20000.00"),
            (False, "2027-04", alice.id, 1, "5000.00"),
        ]
    )
    total = {"month": "", "owner_id": "", "team_id": "", "currency": "RUB"}
    assert forecast.json()["totals"] == [
        {**total, "deals": 5, "amount": "240000.00", "weighted_amount": "40000.00", "overdue": False}
    ]
    assert forecast.json()["overdue_totals"] == [
        {**total, "deals": 1, "amount": "30000.00", "weighted_amount": "3000.00", "overdue": True}
    ]
    by_team = (
        await alice.client.get("/api/v1/deals/forecast", params={"pipeline_id": board.id, "group_by": "team"})
    ).json()
    assert [(r["team_id"], r["deals"], r["overdue"]) for r in by_team["rows"]] == [(team, 1, True), (team, 4, False)]


async def test_deals_list_filters_sort_and_cursor(users, board, sales) -> None:
    api = (await users.user([await users.team("ls")])).client
    client = await sales.company(api)
    for amount in ("10.00", "30.00", "20.00"):
        await sales.open(api, board, client["id"], amount=amount, title=f"Счёт {amount}")
    seen, cursor = [], ""
    while True:
        params = {"filter": [f"pipeline_id:eq:{board.id}", "amount:gte:15"], "sort": "-amount", "limit": 1}
        page = (await api.get("/api/v1/deals", params={**params, "cursor": cursor} if cursor else params)).json()
        seen += [d["amount"] for d in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ["30.00", "20.00"]
    found = (await api.get("/api/v1/deals", params={"q": "счёт 3", "filter": f"pipeline_id:eq:{board.id}"})).json()
    assert [d["amount"] for d in found["items"]] == ["30.00"]
    by_client = (await api.get("/api/v1/deals", params={"filter": f"client_id:eq:{client['id']}"})).json()
    assert len(by_client["items"]) == 3


async def test_a_retried_create_with_the_same_idempotency_key_opens_one_deal(users, board, sales) -> None:
    api = (await users.user([await users.team("idem")])).client
    client = await sales.company(api)
    body = {"title": "Повторный запрос", "client_id": client["id"], "pipeline_id": board.id, "amount": "10"}
    key = {"Idempotency-Key": uuid.uuid4().hex}
    first, second = (
        await api.post("/api/v1/deals", json=body, headers=key),
        await api.post("/api/v1/deals", json=body, headers=key),
    )
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["id"] == first.json()["id"] and second.headers["Idempotent-Replayed"] == "true"
    listed = (await api.get("/api/v1/deals", params={"filter": f"client_id:eq:{client['id']}"})).json()["items"]
    assert len(listed) == 1
