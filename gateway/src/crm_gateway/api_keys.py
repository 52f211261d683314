"""Partner API keys: created by an admin for a service account, shown once, stored hashed, revocable.

A partner system calls the services' gRPC APIs with its key (metadata
`x-api-key`); the service asks the identity module (crm_gateway.identity_grpc)
who the key belongs to. The key acts as its service account, a user of kind
"service" with roles and teams like anyone, within the key's scopes
("<service>:read" / "<service>:write").
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Text, select, update
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.db import Base, new_id, utcnow
from crm_core.registry import SERVICES
from crm_gateway.identity import User

KEY_PREFIX = "crm_"
SCOPES = tuple(f"{service}:{access}" for service in SERVICES for access in ("read", "write"))
# How often a key's last use is written down (verifications are cached by the services anyway).
LAST_USED_PRECISION = timedelta(minutes=1)


class ApiKey(Base):
    __tablename__ = "api_key"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    # SHA-256 of the whole key: enough for a random 256-bit secret (no password hashing needed).
    key_sha256: Mapped[str] = mapped_column(Text, unique=True)
    # The first characters of the key, so an admin can tell keys apart.
    prefix: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    user_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("app_user.id"))
    scopes: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


def sha256(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key(
    session: AsyncSession, account: User, name: str, scopes: list[str], created_by: str, expires_at: datetime | None
) -> tuple[ApiKey, str]:
    """A new key of the service account; returns it with the key text (shown once, never stored)."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        id=new_id(),
        key_sha256=sha256(key),
        prefix=key[:12],
        name=name,
        user_id=account.id,
        scopes=sorted(set(scopes)),
        created_by=created_by,
        created_at=utcnow(),
        expires_at=expires_at,
    )
    session.add(row)
    return row, key


async def active_key(session: AsyncSession, key_sha256: str) -> tuple[ApiKey, User] | None:
    """The unrevoked, unexpired key with this hash and its active service account; None otherwise.

    Notes when it was last used (at most once a minute).
    """
    row = (
        await session.execute(
            select(ApiKey, User).join(User, User.id == ApiKey.user_id).where(ApiKey.key_sha256 == key_sha256)
        )
    ).first()
    if row is None:
        return None
    key, account = row
    now = utcnow()
    if key.revoked_at is not None or (key.expires_at is not None and key.expires_at <= now) or not account.active:
        return None
    if key.last_used_at is None or key.last_used_at < now - LAST_USED_PRECISION:
        await session.execute(update(ApiKey).where(ApiKey.id == key.id).values(last_used_at=now))
    return key, account
