"""The money dashboard and sales plans through the gateway: a head of sales sees more than a salesman,
a deal hidden from both is never counted, and a deal's next step follows its tasks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from crm_core.testing import eventually


def iso_in(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat(timespec="seconds")


async def test_a_head_of_sales_sees_more_than_a_salesman_and_a_hidden_deal_is_never_counted(
    admin, users, board, sales
) -> None:
    north, desk = await users.team("north"), await users.team("desk")
    head = await users.user([north, desk], roles=["manager"])
    rep = await users.user([desk])
    month = date.today().isoformat()[:7]
    client = await sales.company(rep.client)  # in the desk team: the head sees it too

    won = await sales.open(rep.client, board, client["id"], amount="100000", team_id=desk)
    await sales.move(rep.client, won, board.stage("Won"))
    ahead = (date.today() + timedelta(days=45)).isoformat()
    open_deal = await sales.open(
        head.client, board, client["id"], amount="200000", team_id=north, expected_close_date=ahead
    )
    hidden_team = await users.team("hidden")
    hidden = await sales.open(admin.client, board, client["id"], amount="999999", team_id=hidden_team)
    await sales.move(admin.client, hidden, board.stage("Won"))
    plan = await head.client.put("/api/v1/sales-plans", json={"month": month, "team_id": desk, "amount": "300000"})
    assert plan.status_code == 200, plan.text

    # A task about the open deal is its next step; an overdue one counts against its assignee.
    task = {"type": "call", "subject": "Согласовать договор", "due_at": iso_in(days=1)}
    task["links"] = [{"kind": "deal", "id": open_deal["id"]}]
    assert (await head.client.post("/api/v1/tasks", json=task)).status_code == 201
    late = {"type": "todo", "subject": "Выставить счёт", "due_at": iso_in(hours=-3)}
    created = await head.client.post("/api/v1/tasks", params={"allow_past_due": "true"}, json=late)
    assert created.status_code == 201, created.text

    async def next_step_known() -> dict | None:
        deal = (await head.client.get(f"/api/v1/deals/{open_deal['id']}")).json()
        return deal if deal["has_next_step"] else None

    deal = await eventually(next_step_known, timeout=15)
    assert deal["next_step_at"] is not None
    without = await head.client.get(
        "/api/v1/deals", params={"filter": [f"pipeline_id:eq:{board.id}", "has_next_step:eq:false"]}
    )
    assert without.status_code == 200 and without.json()["items"] == []

    mine = (await head.client.get("/api/v1/dashboard/sales")).json()
    assert [(w["currency"], w["deals"], w["amount"], w["plan"]) for w in mine["month"]["won"]] == [
        ("RUB", 1, "100000.00", "300000.00")
    ]
    assert [(p["count"], p["amount"]) for p in mine["pipeline"]] == [(1, "200000.00")]
    assert mine["no_next_step_count"] == 0
    assert [(t["user_id"], t["overdue"]) for t in mine["overdue_tasks"]] == [(head.id, 1)]
    by_month = {m["month"]: m for m in mine["months"]}
    assert (by_month[month]["won"], by_month[month]["plan"]) == ("100000.00", "300000.00")
    assert by_month[ahead[:7]]["expected"] == "200000.00"

    theirs = (await rep.client.get("/api/v1/dashboard/sales", params={"period": "quarter"})).json()
    assert [(w["deals"], w["amount"], w["plan"]) for w in theirs["month"]["won"]] == [(1, "100000.00", "300000.00")]
    assert theirs["pipeline"] == [] and theirs["overdue_tasks"] == []
    other_team = (await rep.client.get("/api/v1/dashboard/sales", params={"team_id": north})).json()
    assert other_team["month"]["won"] == [] and other_team["pipeline"] == []
    everything = (await admin.client.get("/api/v1/dashboard/sales", params={"team_id": hidden_team})).json()
    assert [w["amount"] for w in everything["month"]["won"]] == ["999999.00"]


async def test_plans_are_set_by_managers_for_their_teams_and_bad_input_is_a_clear_4xx(users) -> None:
    team = await users.team("plans")
    head = await users.user([team], roles=["manager"])
    rep, stranger = await users.user([team]), await users.user([await users.team("other")], roles=["manager"])
    month = date.today().isoformat()[:7]
    plan = await head.client.put(
        "/api/v1/sales-plans", json={"month": month, "team_id": team, "user_id": rep.id, "amount": "1250000"}
    )
    assert plan.status_code == 200, plan.text
    listed = (await rep.client.get("/api/v1/sales-plans", params={"from": month, "to": month})).json()["items"]
    assert [(p["user_id"], p["amount"]) for p in listed] == [(rep.id, "1250000.00")]
    assert (await stranger.client.get("/api/v1/sales-plans", params={"team_id": team})).json()["items"] == []

    refused = await rep.client.put("/api/v1/sales-plans", json={"month": month, "team_id": team, "amount": "1"})
    assert (refused.status_code, refused.json()["code"]) == (403, "plan_not_allowed")
    hidden = await stranger.client.delete(f"/api/v1/sales-plans/{plan.json()['id']}")
    assert (hidden.status_code, hidden.json()["code"]) == (404, "sales_plan_not_found")
    bad = await head.client.put("/api/v1/sales-plans", json={"month": "2027-13", "team_id": team, "amount": "x"})
    assert bad.status_code == 422
    assert sorted((e["field"], e["code"]) for e in bad.json()["errors"]) == [
        ("amount", "invalid_decimal"),
        ("month", "invalid_month"),
    ]
    unknown = await head.client.put(
        "/api/v1/sales-plans", json={"month": month, "team_id": team, "user_id": "nobody", "amount": "1"}
    )
    assert [(e["field"], e["code"]) for e in unknown.json()["errors"]] == [("user_id", "unknown_user")]
    period = await head.client.get("/api/v1/dashboard/sales", params={"period": "year"})
    assert (period.status_code, period.json()["errors"][0]["code"]) == (422, "not_allowed")
    assert (await head.client.delete(f"/api/v1/sales-plans/{plan.json()['id']}")).status_code == 200
