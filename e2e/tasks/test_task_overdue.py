"""Time passing: three hours later (a tasks process started with CRM_TASKS_CLOCK_OFFSET) a call is overdue.

The later tasks process shares the platform's database and NATS; its
scheduler claims the overdue task and publishes task.overdue, which the
client's timeline shows. A second gateway routes to it, so the test still
talks HTTP only.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from crm_core.launcher import free_port
from crm_core.testing import eventually

pytestmark = pytest.mark.e2e


def _wait(url: str, process: subprocess.Popen[bytes], deadline: float) -> None:
    while True:
        assert process.poll() is None, f"exited with {process.returncode}"
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, f"{url} did not answer"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def hours_later(platform) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Base URL of a gateway whose tasks service (and its scheduler) lives three hours ahead."""
    grpc_port, http_port = free_port(), free_port()
    env = {
        **platform.config.env(),
        "CRM_TASKS_CLOCK_OFFSET": "PT3H",
        "CRM_TASKS_SCHEDULER_INTERVAL": "0.2",
        "CRM_TASKS_GRPC_PORT": str(grpc_port),
        "CRM_TASKS_METRICS_PORT": "0",
        "CRM_TASKS_GRPC_TARGET": f"127.0.0.1:{grpc_port}",
        "CRM_GATEWAY_PORT": str(http_port),
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "crm_tasks"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    ]
    try:
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "crm_gateway"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        )
        base = f"http://127.0.0.1:{http_port}"
        _wait(f"{base}/readyz", processes[1], time.monotonic() + 20)
        yield base
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


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
