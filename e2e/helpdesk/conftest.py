"""Helpers of the helpdesk e2e tests: a support team with its queue, clients, tickets through the gateway."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from faker import Faker


@dataclass
class Desk:
    """A support team, its agent and lead, and the queue they work."""

    team: str
    agent: Any
    lead: Any
    queue: dict[str, Any]


async def new_desk(admin: Any, users: Any, **queue: Any) -> Desk:
    team = await users.team("support")
    agent = await users.user([team], ["support"])
    lead = await users.user([team], ["support", "manager"])
    body = {"name": f"Поддержка {uuid.uuid4().hex[:6]}", "team_id": team, "lead_id": lead.id, **queue}
    response = await admin.client.post("/api/v1/helpdesk/queues", json=body)
    assert response.status_code == 201, response.text
    return Desk(team, agent, lead, response.json())


@pytest.fixture
async def desk(admin, users) -> Desk:  # type: ignore[no-untyped-def]
    return await new_desk(admin, users)


async def client_company(api: httpx.AsyncClient, fake: Faker) -> dict[str, Any]:
    body = {
        "kind": "company",
        "company": {"legal_name": fake.company(), "inn": fake.businesses_inn()},
        "emails": [{"kind": "work", "value": f"office-{uuid.uuid4().hex[:8]}@example.ru"}],
    }
    response = await api.post("/api/v1/parties", json=body, params={"allow_duplicate": "true"})
    assert response.status_code == 201, response.text
    return dict(response.json())


async def open_ticket(api: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    response = await api.post("/api/v1/tickets", json={"subject": "Не приходит счёт", **body})
    assert response.status_code == 201, response.text
    return dict(response.json())
