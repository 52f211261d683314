"""Password hashing: argon2id at its deployed cost, checked off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from crm_core import passwords


@pytest.fixture
def deployed_cost(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The hasher as a deployment has it (tests run at the low cost)."""
    monkeypatch.delenv("CRM_PASSWORD_HASH_COST", raising=False)
    passwords._hasher.cache_clear()
    yield
    monkeypatch.undo()
    passwords._hasher.cache_clear()


async def test_a_hash_verifies_its_password_only() -> None:
    stored = await passwords.hash_password("Пароль-123")
    assert stored.startswith("$argon2id$")
    assert await passwords.verify_password(stored, "Пароль-123")
    assert not await passwords.verify_password(stored, "пароль-123")
    assert not await passwords.verify_password("not a hash", "Пароль-123")
    await passwords.verify_nobody("Пароль-123")  # an unknown login: no answer, the time of one check


async def test_a_hash_made_at_another_cost_still_verifies() -> None:
    stored = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=2).hash("password-123")
    assert await passwords.verify_password(stored, "password-123")


@pytest.mark.usefixtures("deployed_cost")
async def test_a_deployment_hashes_at_argon2_s_default_cost_while_the_event_loop_goes_on() -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.002)

    running = asyncio.create_task(ticker())
    stored = await passwords.hash_password("password-123")
    running.cancel()
    defaults = PasswordHasher()
    assert f"m={defaults.memory_cost},t={defaults.time_cost},p={defaults.parallelism}" in stored
    # A tenth of a second of hashing happened in a thread: the loop kept ticking meanwhile.
    assert ticks >= 5
