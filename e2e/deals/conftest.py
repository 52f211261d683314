"""Helpers of the deals e2e tests: a pipeline per test, clients created in contacts, deals opened over REST."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from crm_core.testing import create_company

# A board like the default "Sales" one, with a 10-day limit on Proposal.
STAGES = [
    {"name": "Lead", "probability": 10},
    {"name": "Qualified", "probability": 25},
    {"name": "Proposal", "probability": 50, "time_limit_days": 10},
    {"name": "Negotiation", "probability": 75},
    {"name": "Won", "probability": 100, "category": "won"},
    {"name": "Lost", "probability": 0, "category": "lost"},
]


@dataclass
class Board:
    id: str
    stages: dict[str, str]  # name -> id
    version: int

    def stage(self, name: str) -> str:
        return self.stages[name]


async def new_board(admin_client: httpx.AsyncClient, name: str = "") -> Board:
    response = await admin_client.post(
        "/api/v1/pipelines",
        json={"name": name or f"Тендеры {uuid.uuid4().hex[:6]}", "stages": STAGES, "stale_days": 14},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return Board(body["id"], {s["name"]: s["id"] for s in body["stages"]}, body["version"])


@pytest.fixture
async def board(admin) -> Board:  # type: ignore[no-untyped-def]
    return await new_board(admin.client)


class Sales:
    """Creates clients in contacts and opens and moves deals, over REST as a given user."""

    def __init__(self, fake: Any) -> None:
        self.fake = fake

    async def company(self, api: httpx.AsyncClient, **extra: Any) -> dict:  # type: ignore[type-arg]
        return await create_company(api, self.fake, **extra)

    async def person(self, api: httpx.AsyncClient) -> dict:  # type: ignore[type-arg]
        fake = self.fake
        response = await api.post(
            "/api/v1/parties",
            json={
                "kind": "person",
                "person": {"first_name": fake.first_name_male(), "last_name": fake.last_name_male()},
            },
        )
        assert response.status_code == 201, response.text
        return response.json()

    async def open(self, api: httpx.AsyncClient, board: Board, client_id: str, **fields: Any) -> dict:  # type: ignore[type-arg]
        body = {"title": f"Сделка {uuid.uuid4().hex[:6]}", "client_id": client_id, "pipeline_id": board.id, **fields}
        response = await api.post("/api/v1/deals", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    async def move(self, api: httpx.AsyncClient, deal: dict, stage_id: str, **fields: Any) -> dict:  # type: ignore[type-arg]
        response = await api.post(f"/api/v1/deals/{deal['id']}/move", json={"stage_id": stage_id, **fields})
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def sales(fake: Any) -> Sales:
    return Sales(fake)
