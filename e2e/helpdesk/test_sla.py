"""SLA through the gateway with the clock moved on: two helpdesk replicas twenty days ahead (their SLA passes
running every 0.2 s) publish a breach once; a ticket waiting on the customer is paused, not breached."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import httpx
import pytest

from crm_core.testing import eventually

from .conftest import client_company, open_ticket

pytestmark = pytest.mark.e2e


@contextmanager
def days_later(platform) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    """Two gateways, each on a helpdesk replica whose clock runs 20 days ahead (past every target, whatever
    the weekday and holidays), sharing the platform's database and NATS."""
    with ExitStack() as stack:
        env = {"CRM_HELPDESK_SLA_INTERVAL": "0.2"}
        yield [stack.enter_context(platform.ahead_of_time("helpdesk", "P20D", env)) for _ in range(2)]


async def test_a_breach_fires_once_with_two_replicas_and_a_waiting_ticket_stays_paused(desk, fake, platform) -> None:  # type: ignore[no-untyped-def]
    api = desk.agent.client
    client = await client_company(api, fake)
    running = await open_ticket(api, subject="Не работает вход", priority="urgent", requester_party_id=client["id"],
                                queue_id=desk.queue["id"])  # fmt: skip
    waiting = await open_ticket(api, subject="Ждём скриншот", priority="urgent", requester_party_id=client["id"],
                                queue_id=desk.queue["id"])  # fmt: skip
    paused = await api.post(f"/api/v1/tickets/{waiting['id']}/status", json={"status": "pending_customer"})
    assert paused.status_code == 200, paused.text
    # The replicas start once the waiting ticket waits: in the moment before, they would rightly breach it.
    with days_later(platform) as urls:
        headers = {"Authorization": api.headers["Authorization"]}
        async with httpx.AsyncClient(base_url=urls[0], headers=headers, timeout=15) as later:

            async def breached() -> dict | None:  # type: ignore[type-arg]
                ticket = (await later.get(f"/api/v1/tickets/{running['id']}")).json()
                return (
                    ticket
                    if ticket["sla_state"] == "breached" and ticket["first_response"]["state"] == "breached"
                    else None
                )

            ticket = await eventually(breached, timeout=30)
            assert ticket["first_response"]["minutes_left"] < 0

            async def listed_breached() -> list[str] | None:
                found = (
                    await later.get("/api/v1/tickets", params={"queue_id": desk.queue["id"], "sla_state": "breached"})
                ).json()
                return [t["id"] for t in found["items"]] or None

            assert await eventually(listed_breached, timeout=10) == [running["id"]]
            still = (await later.get(f"/api/v1/tickets/{waiting['id']}")).json()
            assert (still["sla_state"], still["first_response"]["state"]) == ("paused", "paused")
        # Both replicas keep passing for a while: still one breach event per target, one escalation.
        await asyncio.sleep(1.5)

    async def timeline() -> list[dict] | None:  # type: ignore[type-arg]
        items = (
            await desk.lead.client.get(
                f"/api/v1/parties/{client['id']}/timeline", params={"source": "helpdesk", "limit": 100}
            )
        ).json()["items"]
        found = [i for i in items if i["type"] in ("ticket.sla_breached", "ticket.escalated")]
        return found if len(found) >= 3 else None

    entries = await eventually(timeline, timeout=15)
    await asyncio.sleep(1)
    entries = await timeline() or entries
    breaches = [e for e in entries if e["type"] == "ticket.sla_breached"]
    assert len(breaches) == 2  # first response and resolution, once each
    assert len([e for e in entries if e["type"] == "ticket.escalated"]) == 1
    assert all(e["data"]["ticket_id"] == running["id"] for e in entries)
