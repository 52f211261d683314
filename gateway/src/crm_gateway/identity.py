"""Users, teams and sessions of the gateway's identity module.

Passwords are argon2 hashes; access tokens are short-lived JWTs carrying the
user's roles and teams (so services get the caller without a lookup);
refresh tokens are random, stored hashed, and revocable.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import Boolean, ForeignKey, Text, select
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.auth import Caller
from crm_core.db import Base, new_id, utcnow

ROLES = ("admin", "manager", "sales", "support", "marketing", "viewer")
_hasher = PasswordHasher()


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(Text, unique=True)
    display_name: Mapped[str] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    password_hash: Mapped[str] = mapped_column(Text)
    roles: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    team_ids: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def caller(self) -> Caller:
        return Caller(self.id, frozenset(self.roles), frozenset(self.team_ids))


class Team(Base):
    __tablename__ = "team"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    name: Mapped[str] = mapped_column(Text)


class RefreshToken(Base):
    __tablename__ = "refresh_token"

    token_hash: Mapped[str] = mapped_column(Text, primary_key=True)
    user_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("app_user.id"))
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


# Verified against when the username is unknown, so timing does not reveal which users exist.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


async def authenticate(session: AsyncSession, username: str, password: str) -> User | None:
    user = await session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not user.active or not verify_password(user.password_hash, password):
        return None
    return user


def issue_access_token(user: User, secret: str, minutes: int) -> str:
    now = utcnow()
    claims = {
        "sub": user.id,
        "name": user.username,
        "roles": sorted(user.roles),
        "teams": sorted(user.team_ids),
        "iat": now,
        "exp": now + timedelta(minutes=minutes),
        "typ": "access",
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def decode_access_token(token: str, secret: str) -> Caller | None:
    """The caller of a valid, unexpired access token; None otherwise."""
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["sub", "exp"]})
    except jwt.PyJWTError:
        return None
    if claims.get("typ") != "access":
        return None
    return Caller(claims["sub"], frozenset(claims.get("roles", [])), frozenset(claims.get("teams", [])))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_refresh_token(session: AsyncSession, user: User, days: int) -> str:
    token = secrets.token_urlsafe(32)
    session.add(RefreshToken(token_hash=_digest(token), user_id=user.id, expires_at=utcnow() + timedelta(days=days)))
    return token


async def use_refresh_token(session: AsyncSession, token: str) -> User | None:
    """Rotate: the presented token is revoked; its active user is returned (None if invalid)."""
    row = await session.get(RefreshToken, _digest(token), with_for_update=True)
    if row is None or row.revoked_at is not None or row.expires_at < utcnow():
        return None
    row.revoked_at = utcnow()
    user = await session.get(User, row.user_id)
    return user if user is not None and user.active else None


async def revoke_refresh_token(session: AsyncSession, token: str) -> None:
    row = await session.get(RefreshToken, _digest(token))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()


async def ensure_first_admin(session: AsyncSession, username: str, password: str) -> str | None:
    """Create the first admin when there are no users; returns the password used (generated if empty)."""
    if await session.scalar(select(User.id).limit(1)) is not None:
        return None
    password = password or secrets.token_urlsafe(12)
    session.add(
        User(
            id=new_id(),
            username=username.lower(),
            display_name="Administrator",
            password_hash=hash_password(password),
            roles=["admin"],
            team_ids=[],
        )
    )
    return password
