"""Time passing: a month later (a deals process started with CRM_DEALS_CLOCK_OFFSET) the quiet deals are stalled.

The later deals process shares the platform's databases and NATS; a second
gateway routes to it, so the test still talks HTTP only.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def month_later(platform) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Base URL of a gateway whose deals service lives 31 days ahead."""
    with platform.ahead_of_time("deals", "P31D", None) as url:
        yield url


async def test_a_month_later_quiet_deals_are_stalled_and_listed_as_such(users, board, sales, month_later) -> None:
    manager = await users.user([await users.team("later")])
    client = await sales.company(manager.client)
    quiet = await sales.open(manager.client, board, client["id"], title="Тихая", amount="100000")
    proposal = await sales.open(manager.client, board, client["id"], title="В предложении", amount="100000")
    proposal = await sales.move(manager.client, proposal, board.stage("Proposal"))
    assert not quiet["distance"]["stalled"] and proposal["distance"]["expected_amount"] == "50000.00"

    token = manager.client.headers["Authorization"]
    async with httpx.AsyncClient(base_url=month_later, headers={"Authorization": token}, timeout=15) as later:
        # A month later somebody works on a third deal; the first two stayed untouched.
        busy = (
            await later.post(
                "/api/v1/deals", json={"title": "Живая", "client_id": client["id"], "pipeline_id": board.id}
            )
        ).json()
        stalled = (
            await later.get(
                "/api/v1/deals", params={"filter": [f"pipeline_id:eq:{board.id}", "stalled:eq:true"], "sort": "title"}
            )
        ).json()["items"]
        assert [d["title"] for d in stalled] == ["В предложении", "Тихая"]
        by_title = {d["title"]: d["distance"] for d in stalled}
        assert by_title["Тихая"]["stalled_reasons"] == ["no_activity"]
        assert by_title["В предложении"]["stalled_reasons"] == ["stage_time_limit", "no_activity"]
        # 10-day limit, ~31 days in the stage: about a third of the weighted amount is still expected.
        assert 0.3 < by_title["В предложении"]["time_factor"] < 0.35
        assert 15000 < float(by_title["В предложении"]["expected_amount"]) < 17500
        kanban = (await later.get(f"/api/v1/pipelines/{board.id}/kanban")).json()
        cards = {c["title"]: c["stalled"] for column in kanban["columns"] for c in column["cards"]}
        assert cards == {"Тихая": True, "В предложении": True, "Живая": False}
        moving = (
            await later.get("/api/v1/deals", params={"filter": [f"pipeline_id:eq:{board.id}", "stalled:eq:false"]})
        ).json()["items"]
        assert [d["id"] for d in moving] == [busy["id"]]
    # Today (the platform's own clock) nothing is stalled yet.
    now = (
        await manager.client.get("/api/v1/deals", params={"filter": [f"pipeline_id:eq:{board.id}", "stalled:eq:true"]})
    ).json()
    assert now["items"] == []
