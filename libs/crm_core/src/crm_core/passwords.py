"""Passwords of people who log in (staff in the gateway, portal users in helpdesk): one hashing, one rule.

argon2id with argon2-cffi's default parameters; a hash stores its parameters, so raising them later
still verifies older hashes. Checking a password for an unknown login verifies against a dummy hash,
so the time taken does not reveal which logins exist.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# The length rule of every password a person sets.
MIN_PASSWORD = 8
MAX_PASSWORD = 200

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """The argon2 hash to store."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches the stored hash (False for a malformed hash)."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def verify_nobody(password: str) -> None:
    """Spend the time of one verification for a login that does not exist."""
    verify_password(_DUMMY_HASH, password)
