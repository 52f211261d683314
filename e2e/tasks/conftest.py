"""Helpers of the tasks e2e tests: clients created in contacts, tasks created over REST, times in ISO 8601."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from crm_core.testing import create_company


def iso_in(**delta: float) -> str:
    """An ISO 8601 time with an offset, `delta` from now (Moscow time, to exercise offsets)."""
    return (datetime.now(UTC) + timedelta(**delta)).astimezone(ZoneInfo("Europe/Moscow")).isoformat(timespec="seconds")


class Work:
    """Creates clients in contacts and tasks over REST as a given user."""

    def __init__(self, fake: Any) -> None:
        self.fake = fake

    async def company(self, api: httpx.AsyncClient, **extra: Any) -> dict:  # type: ignore[type-arg]
        return await create_company(api, self.fake, **extra)

    async def task(self, api: httpx.AsyncClient, **fields: Any) -> dict:  # type: ignore[type-arg]
        body = {"type": "call", "subject": "Обсудить коммерческое предложение", "due_at": iso_in(hours=2), **fields}
        response = await api.post("/api/v1/tasks", json=body)
        assert response.status_code == 201, response.text
        return response.json()


@pytest.fixture
def work(fake: Any) -> Work:
    return Work(fake)


@pytest.fixture
def at() -> Any:
    """`at(hours=2)`: an ISO 8601 time with an offset, that long from now."""
    return iso_in
