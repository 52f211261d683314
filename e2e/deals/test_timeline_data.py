"""A client's timeline through the gateway carries each event's typed fields (`data`), for the web client to write
the entry in its reader's language and time zone: amounts as decimal text, times as RFC 3339 moments."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from crm_core.testing import eventually

pytestmark = pytest.mark.e2e

MOSCOW = timezone(timedelta(hours=3))


async def test_timeline_entries_carry_amounts_as_decimal_text_and_due_times_as_moments(users, board, sales) -> None:
    manager = await users.user([await users.team("sales")])
    api = manager.client
    client = await sales.company(api)
    deal = await sales.open(api, board, client["id"], title="Поставка стеллажей", amount="1250000.00")
    await sales.move(api, deal, board.stage("Proposal"))
    lost = await sales.open(api, board, client["id"], title="Монтаж", amount="99.50")
    await sales.move(api, lost, board.stage("Lost"), loss_reason="price", comment="Нашли дешевле")
    due = datetime.now(MOSCOW).replace(microsecond=0, second=0) + timedelta(days=3)
    task = await api.post(
        "/api/v1/tasks",
        json={
            "type": "call",
            "subject": "Обсудить КП",
            "due_at": due.isoformat(),
            "links": [{"kind": "party", "id": client["id"]}],
        },
    )
    assert task.status_code == 201, task.text

    async def entries() -> dict[str, dict] | None:  # type: ignore[type-arg]
        items = (await api.get(f"/api/v1/parties/{client['id']}/timeline")).json()["items"]
        by_type = {i["type"]: i for i in items}
        return by_type if {"deal.created", "deal.stage_changed", "deal.lost", "task.created"} <= set(by_type) else None

    timeline = await eventually(entries, timeout=15)
    moved = timeline["deal.stage_changed"]["data"]
    assert (moved["title"], moved["from_stage_name"], moved["to_stage_name"]) == (
        "Поставка стеллажей",
        "Lead",
        "Proposal",
    )
    assert (moved["amount"], moved["currency"]) == ("1250000.00", "RUB")
    assert moved["deal_id"] == deal["id"] and moved["category"] == "open"
    lost_data = timeline["deal.lost"]["data"]
    assert (lost_data["loss_reason"], lost_data["loss_comment"], lost_data["amount"]) == (
        "price",
        "Нашли дешевле",
        "99.50",
    )
    assert (lost_data["loss_reason_label_ru"], lost_data["loss_reason_label_en"]) == ("Дорого", "Price too high")
    planned = timeline["task.created"]["data"]
    assert (planned["type_label_ru"], planned["type_label_en"]) == ("Звонок", "Call")
    assert (planned["type"], planned["subject"], planned["task_id"]) == ("call", "Обсудить КП", task.json()["id"])
    moment = datetime.fromisoformat(planned["due_at"])
    assert moment.utcoffset() is not None and moment == due  # the same moment, whatever zone wrote it
    opened = timeline["deal.created"]["data"]
    assert (opened["stage_name"], opened["status"]) == ("Lead", "open")
