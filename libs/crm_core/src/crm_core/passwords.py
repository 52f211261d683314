"""Passwords of people who log in (staff in the gateway, portal users in helpdesk): one hashing, one rule.

argon2id with argon2-cffi's default parameters; a hash stores its parameters, so raising them later
still verifies older hashes. Checking a password for an unknown login verifies against a dummy hash,
so the time taken does not reveal which logins exist. Hashing takes a tenth of a second of a core by design:
it runs in a worker thread (argon2 lets go of the GIL), so the event loop serves other requests meanwhile.

CRM_PASSWORD_HASH_COST=low hashes at argon2id's smallest cost. It is for test runs alone, which create
hundreds of users and would otherwise spend minutes hashing; a deployment leaves it unset.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# The length rule of every password a person sets.
MIN_PASSWORD = 8
MAX_PASSWORD = 200


@cache
def _hasher() -> PasswordHasher:
    if os.environ.get("CRM_PASSWORD_HASH_COST") == "low":
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    return _hasher().hash(secrets.token_urlsafe(16))


async def hash_password(password: str) -> str:
    """The argon2 hash to store."""
    return await asyncio.to_thread(_hasher().hash, password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches the stored hash (False for a malformed hash)."""
    return await asyncio.to_thread(_verify, password_hash, password)


def _verify_nobody(password: str) -> None:
    _verify(_dummy_hash(), password)


async def verify_nobody(password: str) -> None:
    """Spend the time of one verification for a login that does not exist (the dummy hash made in the worker
    thread too, on the first such login)."""
    await asyncio.to_thread(_verify_nobody, password)
