"""Whether an access token still holds: its user's and session's current state, cached briefly.

A token's signature and expiry say only that the gateway issued it. Each
request also needs the user active, the session not revoked and the token's
access version current (roles, teams and deactivation bump it); the caller's
roles and teams are the user's current ones. That state is read once per
session every few seconds and dropped at once on every gateway replica when
it changes (crm_core.access_signals), so the database is not asked per request.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import select

from crm_core.auth import Caller
from crm_core.db import Database, is_uuid
from crm_gateway.identity import AccessClaims, User, UserSession


@dataclass(frozen=True)
class SessionState:
    """A session's user as the database has it now."""

    user_id: str
    active: bool
    revoked: bool
    access_version: int
    roles: frozenset[str]
    team_ids: frozenset[str]


class SessionCache:
    """Session states by session id, each kept `ttl` seconds or until an access change is announced."""

    def __init__(self, db: Database, ttl: float = 10.0) -> None:
        self.db = db
        self.ttl = ttl
        self._states: dict[str, tuple[float, SessionState | None]] = {}

    def forget_user(self, user_id: str) -> None:
        """Drop every cached session of the user (their access changed)."""
        self._states = {sid: entry for sid, entry in self._states.items() if entry[1] and entry[1].user_id != user_id}

    async def state(self, session_id: str) -> SessionState | None:
        now = time.monotonic()
        cached = self._states.get(session_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        state = await self._load(session_id)
        if len(self._states) > 100_000:  # bounded: stale entries go first
            self._states = {sid: e for sid, e in self._states.items() if e[0] > now}
        self._states[session_id] = (now + self.ttl, state)
        return state

    async def _load(self, session_id: str) -> SessionState | None:
        if not is_uuid(session_id):
            return None
        async with self.db.sessions() as session:
            row = (
                await session.execute(
                    select(User, UserSession.revoked_at)
                    .join(UserSession, UserSession.user_id == User.id)
                    .where(UserSession.id == session_id)
                )
            ).first()
        if row is None:
            return None
        user, revoked_at = row
        return SessionState(
            user.id,
            user.active,
            revoked_at is not None,
            user.access_version,
            frozenset(user.roles),
            frozenset(user.team_ids),
        )

    async def caller(self, claims: AccessClaims) -> Caller | None:
        """The caller of a token whose session still holds, with current roles and teams; None otherwise."""
        state = await self.state(claims.session_id)
        if (
            state is None
            or state.user_id != claims.user_id
            or not state.active
            or state.revoked
            or state.access_version != claims.access_version
        ):
            return None
        return Caller(state.user_id, state.roles, state.team_ids)
