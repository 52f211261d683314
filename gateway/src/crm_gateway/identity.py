"""Users, teams and sessions of the gateway's identity module.

Passwords are argon2 hashes. A login opens a session; its refresh tokens are
random, stored hashed, and rotate on every use: presenting a token that was
already rotated means it was copied, so the whole session is revoked (theft
detection). Access tokens are short-lived JWTs naming the user, the session
and the user's access version; each request checks them against the user's
current state (crm_gateway.sessions), so deactivation, new roles or teams and
a revoked session end access at once, not when the token expires.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from sqlalchemy import Boolean, ForeignKey, Integer, Text, select, update
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.auth import Caller
from crm_core.db import Base, new_id, utcnow
from crm_core.passwords import hash_password, verify_nobody, verify_password

ROLES = ("admin", "manager", "sales", "support", "marketing", "viewer", "catalog_manager", "accountant", "mail_intake")


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
    # "person" logs in with a password; "service" is a partner system's account, which calls with API keys.
    kind: Mapped[str] = mapped_column(Text, default="person")
    # Bumped when the user's access changes (deactivated, roles, teams, password): older access tokens stop working.
    access_version: Mapped[int] = mapped_column(Integer, default=1)

    def caller(self) -> Caller:
        return Caller(self.id, frozenset(self.roles), frozenset(self.team_ids))


class Team(Base):
    __tablename__ = "team"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    name: Mapped[str] = mapped_column(Text)


class UserSession(Base):
    """One login: the family of refresh tokens that rotate from it, revoked as a whole."""

    __tablename__ = "user_session"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    # Why it ended: "logout", "refresh_token_reused", "password_changed", "deactivated".
    revoked_reason: Mapped[str | None] = mapped_column(Text)


class RefreshToken(Base):
    __tablename__ = "refresh_token"

    token_hash: Mapped[str] = mapped_column(Text, primary_key=True)
    user_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("app_user.id"))
    session_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("user_session.id"))
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


async def authenticate(session: AsyncSession, username: str, password: str) -> User | None:
    user = await session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        await verify_nobody(password)  # timing does not reveal which users exist
        return None
    if not user.active or user.kind != "person" or not await verify_password(user.password_hash, password):
        return None
    return user


@dataclass(frozen=True)
class AccessClaims:
    """What a valid access token says: whose it is, of which session, at which access version."""

    user_id: str
    session_id: str
    access_version: int


def issue_access_token(user: User, session_id: str, secret: str, minutes: int) -> str:
    now = utcnow()
    claims = {
        "sub": user.id,
        "sid": session_id,
        "ver": user.access_version,
        "name": user.username,
        "iat": now,
        "exp": now + timedelta(minutes=minutes),
        "typ": "access",
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def decode_access_token(token: str, secret: str) -> AccessClaims | None:
    """The claims of a well-signed, unexpired access token; None otherwise (whether it still holds is
    crm_gateway.sessions' question)."""
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["sub", "exp", "sid", "ver"]})
    except jwt.PyJWTError:
        return None
    if claims.get("typ") != "access" or not isinstance(claims["ver"], int):
        return None
    return AccessClaims(str(claims["sub"]), str(claims["sid"]), claims["ver"])


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def open_session(session: AsyncSession, user: User) -> str:
    """A new login session of the user; returns its id."""
    login = UserSession(id=new_id(), user_id=user.id, created_at=utcnow())
    session.add(login)
    await session.flush()  # before its refresh token references it (no ORM relationship orders the inserts)
    return login.id


async def issue_refresh_token(session: AsyncSession, user: User, session_id: str, days: int) -> str:
    token = secrets.token_urlsafe(32)
    session.add(
        RefreshToken(
            token_hash=_digest(token),
            user_id=user.id,
            session_id=session_id,
            expires_at=utcnow() + timedelta(days=days),
        )
    )
    return token


@dataclass(frozen=True)
class Rotation:
    """The outcome of presenting a refresh token: the user and session to issue new tokens for, or why not."""

    user: User | None = None
    session_id: str = ""
    # Set when a rotated-away token came back: the session was revoked (announce it).
    revoked_user_id: str = ""


async def use_refresh_token(session: AsyncSession, token: str) -> Rotation:
    """Rotate: the presented token is revoked and its session continues; a token presented
    again after its rotation revokes its whole session (someone holds a copy)."""
    row = await session.get(RefreshToken, _digest(token), with_for_update=True)
    if row is None or row.expires_at < utcnow():
        return Rotation()
    login = await session.get(UserSession, row.session_id, with_for_update=True)
    if login is None or login.revoked_at is not None:
        return Rotation()
    if row.revoked_at is not None:
        await revoke_sessions(session, login.user_id, "refresh_token_reused", session_id=login.id)
        return Rotation(revoked_user_id=login.user_id)
    row.revoked_at = utcnow()
    user = await session.get(User, row.user_id)
    if user is None or not user.active:
        return Rotation()
    return Rotation(user=user, session_id=login.id)


async def revoke_sessions(
    session: AsyncSession, user_id: str, reason: str, *, session_id: str = "", except_session: str = ""
) -> None:
    """End one session of the user (or all of them but `except_session`) and every refresh token they hold."""
    now = utcnow()
    sessions = update(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    tokens = update(RefreshToken).where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
    if session_id:
        sessions = sessions.where(UserSession.id == session_id)
        tokens = tokens.where(RefreshToken.session_id == session_id)
    if except_session:
        sessions = sessions.where(UserSession.id != except_session)
        tokens = tokens.where(RefreshToken.session_id != except_session)
    await session.execute(sessions.values(revoked_at=now, revoked_reason=reason))
    await session.execute(tokens.values(revoked_at=now))


async def end_session_of(session: AsyncSession, token: str) -> str:
    """Log out: revoke the session the refresh token belongs to; returns its user id ("" if unknown)."""
    row = await session.get(RefreshToken, _digest(token))
    if row is None:
        return ""
    await revoke_sessions(session, row.user_id, "logout", session_id=row.session_id)
    return row.user_id


async def ensure_first_admin(session: AsyncSession, username: str, password: Callable[[], str]) -> bool:
    """Create the first admin when there are no users, with the password `password()` gives; True when created.

    `password` is asked only when the admin is created (it may refuse to start, or write a new one to a file).
    """
    if await session.scalar(select(User.id).limit(1)) is not None:
        return False
    session.add(
        User(
            id=new_id(),
            username=username.lower(),
            display_name="Administrator",
            password_hash=await hash_password(password()),
            roles=["admin"],
            team_ids=[],
        )
    )
    return True
