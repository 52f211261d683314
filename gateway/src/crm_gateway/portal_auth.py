"""Authentication of the customer portal's requests: portal tokens -> the portal caller.

Portal users are not staff: they live in helpdesk (PortalService), which
checks their password and keeps their sessions. The gateway signs a portal
token naming the portal user and the session, with an audience of its own
(`crm-portal`) and type `portal`: staff routes decode tokens without an
audience and of type `access`, so a portal token never works there, and a
staff token (no audience) never works on portal routes. Each request checks
that the session is still live (helpdesk's CheckPortalSession, cached a few
seconds like crm_gateway.sessions does for staff), then calls the services as
Caller("portal:<id>", {"portal"}).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

import jwt
import structlog
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from crm.helpdesk.v1 import portal_pb2
from crm_core.auth import Caller
from crm_core.db import utcnow
from crm_gateway.clients import ServiceCall, service_call
from crm_gateway.problems import Problem

PORTAL_AUDIENCE = "crm-portal"
PORTAL_ROLE = "portal"
# A portal token holds this long; the session row is what ends access (logout, deactivation).
PORTAL_TOKEN_HOURS = 12
# Seconds a session's check is trusted (deactivation ends sessions in helpdesk at once; this bounds the delay).
SESSION_TTL = 5.0

portal_bearer = HTTPBearer(auto_error=False, description="Portal token from POST /api/v1/portal/login")


@dataclass(frozen=True)
class PortalClaims:
    portal_user_id: str
    session_id: str


def portal_caller(portal_user_id: str) -> Caller:
    """The caller the services see for a portal user (crm_helpdesk.portal.portal_caller)."""
    return Caller(f"portal:{portal_user_id}", frozenset({PORTAL_ROLE}))


def issue_portal_token(portal_user_id: str, session_id: str, secret: str) -> str:
    now = utcnow()
    claims = {
        "sub": portal_user_id,
        "sid": session_id,
        "aud": PORTAL_AUDIENCE,
        "typ": "portal",
        "iat": now,
        "exp": now + timedelta(hours=PORTAL_TOKEN_HOURS),
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def decode_portal_token(token: str, secret: str) -> PortalClaims | None:
    """The claims of a well-signed, unexpired portal token; None otherwise (a staff token included)."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=["HS256"], audience=PORTAL_AUDIENCE, options={"require": ["sub", "sid", "exp"]}
        )
    except jwt.PyJWTError:
        return None
    if claims.get("typ") != "portal":
        return None
    return PortalClaims(str(claims["sub"]), str(claims["sid"]))


def portal_token_claims(request: Request, secret: str) -> PortalClaims | None:
    """The claims of the request's well-signed, unexpired portal token (not yet checked against its session)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    return decode_portal_token(token.strip(), secret)


class PortalSessionCache:
    """Live portal sessions' users by session id, each checked at most every `ttl` seconds."""

    def __init__(self, ttl: float = SESSION_TTL) -> None:
        self.ttl = ttl
        self._users: dict[str, tuple[float, Any]] = {}

    def forget(self, session_id: str) -> None:
        self._users.pop(session_id, None)

    async def user(self, call: ServiceCall, session_id: str) -> Any:
        """The session's portal user (portal_pb2.PortalUser) while it is live; None once it has ended."""
        now = time.monotonic()
        cached = self._users.get(session_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        try:
            user = await call.portal.CheckPortalSession(portal_pb2.CheckPortalSessionRequest(session_id=session_id))
        except Problem as problem:
            if problem.status not in (401, 403, 404):
                raise
            user = None
        if len(self._users) > 100_000:  # bounded: stale entries go first
            self._users = {sid: e for sid, e in self._users.items() if e[0] > now}
        self._users[session_id] = (now + self.ttl, user)
        return user


@dataclass(frozen=True)
class PortalContext:
    """A portal request: its user (as helpdesk has them now), session, and the services called as them."""

    user: Any
    session_id: str
    call: ServiceCall


async def current_portal(
    request: Request, _: HTTPAuthorizationCredentials | None = Depends(portal_bearer)
) -> PortalContext:
    """The portal user of a live session; 401 problem otherwise."""
    claims = portal_token_claims(request, request.app.state.settings.jwt_secret)
    if claims is None:
        raise Problem(
            401, "unauthenticated", "Log in to the portal first: send 'Authorization: Bearer <portal token>'."
        )
    caller = portal_caller(claims.portal_user_id)
    call = service_call(request, caller)
    user = await request.app.state.portal_sessions.user(call, claims.session_id)
    if user is None or user.id != claims.portal_user_id:
        raise Problem(401, "session_ended", "This portal session has ended (logged out or deactivated); log in again.")
    request.state.caller = caller
    structlog.contextvars.bind_contextvars(user_id=f"portal:{user.id}")
    return PortalContext(user, claims.session_id, call)


Portal = Annotated[PortalContext, Depends(current_portal)]
