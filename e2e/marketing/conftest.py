"""Helpers of the marketing e2e tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from faker import Faker

from crm_core.testing import create_company


@pytest.fixture
def sales_client_company(fake: Faker) -> Callable[[httpx.AsyncClient], Awaitable[dict[str, Any]]]:
    """Creates a company as the given user (a client a deal can name)."""

    async def make(api: httpx.AsyncClient) -> dict[str, Any]:
        return await create_company(api, fake)

    return make
