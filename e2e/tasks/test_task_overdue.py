"""Time passing: three hours later (a tasks process started with CRM_TASKS_CLOCK_OFFSET) a call is overdue.

The later tasks process shares the platform's database and NATS; its
scheduler claims the overdue task and publishes task.overdue, which the
client's timeline shows. A second gateway routes to it, so the test still
talks HTTP only.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from crm_core.testing import eventually

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def hours_later(platform) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Base URL of a gateway whose tasks service (and its scheduler) lives three hours ahead."""
    with platform.ahead_of_time("tasks", "PT3H", {"CRM_TASKS_SCHEDULER_INTERVAL": "0.2"}) as url:
        yield url


async def test_three_hours_later_the_call_is_overdue_counted_and_on_the_timeline(users, work, at, hours_later) -> None:
    manager = await users.user([await users.team("later")])
    client = await work.company(manager.client)
    call = await work.task(
        manager.client, subject="Уточнить сроки", due_at=at(hours=1), links=[{"kind": "party", "id": client["id"]}]
    )
    later_task = await work.task(manager.client, subject="Послезавтра", due_at=at(days=2))
    assert not call["overdue"]
    token = manager.client.headers["Authorization"]
    async with httpx.AsyncClient(base_url=hours_later, headers={"Authorization": token}, timeout=15) as later:

        async def notified() -> dict | None:  # type: ignore[type-arg]
            task = (await later.get(f"/api/v1/tasks/{call['id']}")).json()
            return task if task.get("overdue_notified_at") else None

        task = await eventually(notified, timeout=15)
        assert task["overdue"]
        overdue = (await later.get("/api/v1/tasks", params={"mine": "true", "filter": "overdue:eq:true"})).json()
        assert [t["id"] for t in overdue["items"]] == [call["id"]]
        counters = (await later.get("/api/v1/tasks/counters")).json()
        assert (counters["mine"]["open"], counters["mine"]["overdue"]) == (2, 1)
        assert not (await later.get(f"/api/v1/tasks/{later_task['id']}")).json()["overdue"]

    async def on_timeline() -> list[dict] | None:  # type: ignore[type-arg]
        items = (
            await manager.client.get(f"/api/v1/parties/{client['id']}/timeline", params={"source": "tasks"})
        ).json()["items"]
        found = [i for i in items if i["type"] == "task.overdue"]
        return found or None

    (entry,) = await eventually(on_timeline, timeout=15)
    assert entry["summary"].startswith("Call: Уточнить сроки — overdue")
    # Today (the platform's own clock) the call is not overdue yet.
    assert not (await manager.client.get(f"/api/v1/tasks/{call['id']}")).json()["overdue"]
