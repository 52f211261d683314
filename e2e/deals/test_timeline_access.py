"""The relationship history keeps the access promise: what a reader may not see is not on a card they may see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from crm_core.testing import eventually

pytestmark = pytest.mark.e2e


async def timeline(api: Any, party_id: str) -> list[dict]:  # type: ignore[type-arg]
    response = await api.get(f"/api/v1/parties/{party_id}/timeline", params={"limit": 200})
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_a_shared_companys_history_hides_the_deal_and_call_its_reader_may_not_see_until_handed_over(
    users, board, sales
) -> None:
    a = await users.user([await users.team("north")])
    b = await users.user([await users.team("south")])
    company = await sales.company(a.client, shared_with=[b.id])
    deal = await sales.open(a.client, board, company["id"], title="Поставка 2027", amount="9999999")
    call = (
        await a.client.post(
            "/api/v1/tasks",
            json={
                "type": "call",
                "subject": "Обсудить скидку для клиента",
                "due_at": (datetime.now(UTC) + timedelta(hours=3)).isoformat(),
                "links": [{"kind": "party", "id": company["id"]}, {"kind": "deal", "id": deal["id"]}],
            },
        )
    ).json()
    note = await b.client.post(f"/api/v1/parties/{company['id']}/notes", json={"text": "Позвонил, ждут КП"})
    assert note.status_code == 201, note.text

    async def projected() -> list | None:  # type: ignore[type-arg]
        entries = await timeline(a.client, company["id"])
        subjects = {e["subject_id"] for e in entries}
        return entries if {deal["id"], call["id"], note.json()["id"]} <= subjects else None

    await eventually(projected, timeout=15)
    seen = await timeline(b.client, company["id"])
    text = repr(seen)
    assert {e["subject_id"] for e in seen} >= {company["id"], note.json()["id"]}  # the company and B's own note
    assert deal["id"] not in text and call["id"] not in text
    assert "Поставка 2027" not in text and "9999999" not in text and "скидку" not in text
    assert (await b.client.get(f"/api/v1/deals/{deal['id']}")).status_code == 404
    assert (await b.client.get(f"/api/v1/tasks/{call['id']}")).status_code == 404
    by_client = {"filter": f"client_id:eq:{company['id']}"}
    assert (await b.client.get("/api/v1/deals", params=by_client)).json()["items"] == []
    assert (await b.client.get("/api/v1/tasks", params={"q": "скидку"})).json()["items"] == []

    # A hands the deal to B: its history (opened, with title and amount) shows to B at once; the call stays A's.
    handed = await a.client.patch(
        f"/api/v1/deals/{deal['id']}", json={"owner_id": b.id}, headers={"If-Match": f'"{deal["version"]}"'}
    )
    assert handed.status_code == 200, handed.text

    async def deal_visible_to_b() -> list | None:  # type: ignore[type-arg]
        entries = await timeline(b.client, company["id"])
        return entries if sum(e["subject_id"] == deal["id"] for e in entries) >= 2 else None

    entries = await eventually(deal_visible_to_b, timeout=15)
    assert any("Поставка 2027" in e["summary"] and e["type"] == "deal.created" for e in entries)
    assert call["id"] not in repr(entries)


async def test_a_shared_deal_shows_its_client_only_to_those_who_may_see_the_client(users, board, sales) -> None:
    a = await users.user([await users.team("east")])
    b = await users.user([await users.team("west")])
    company = await sales.company(a.client)
    deal = await sales.open(a.client, board, company["id"], shared_with=[b.id])

    async def name_seen_by_b() -> str:
        return (await b.client.get(f"/api/v1/deals/{deal['id']}")).json()["client_name"]

    async def hidden() -> bool:
        return await name_seen_by_b() == ""

    await eventually(hidden, timeout=15)
    assert company["display_name"] not in (await b.client.get("/api/v1/deals", params={"q": deal["title"]})).text
    shared = await a.client.patch(
        f"/api/v1/parties/{company['id']}",
        json={"shared_with": [b.id]},
        headers={"If-Match": f'"{company["version"]}"'},
    )
    assert shared.status_code == 200, shared.text

    async def shown() -> bool:
        return await name_seen_by_b() == company["display_name"]

    await eventually(shown, timeout=15)
