"""Authentication of HTTP requests: Bearer access tokens -> the caller."""

from __future__ import annotations

import structlog
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from crm_core.auth import Caller
from crm_gateway.identity import AccessClaims, decode_access_token
from crm_gateway.problems import Problem

bearer = HTTPBearer(auto_error=False, description="Access token from POST /api/v1/auth/login")


def token_claims(request: Request, secret: str) -> AccessClaims | None:
    """The claims of the request's well-signed, unexpired Bearer token (not yet checked against its session)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    return decode_access_token(token.strip(), secret)


async def current_caller(request: Request, _: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Caller:
    """The authenticated caller with their current roles and teams; 401 problem otherwise."""
    claims = token_claims(request, request.app.state.settings.jwt_secret)
    if claims is None:
        raise Problem(401, "unauthenticated", "Log in first: send 'Authorization: Bearer <access token>'.")
    caller = await request.app.state.sessions.caller(claims)
    if caller is None:
        raise Problem(
            401,
            "session_ended",
            "This session has ended (logged out, access changed or the user deactivated); refresh or log in again.",
        )
    request.state.caller = caller
    request.state.session_id = claims.session_id
    # Every line logged while serving the request names its user (RequestContextMiddleware unbinds it).
    structlog.contextvars.bind_contextvars(user_id=caller.user_id)
    return caller


async def admin_caller(caller: Caller = Depends(current_caller)) -> Caller:
    if not caller.is_admin:
        raise Problem(403, "admin_only", "Only an administrator can do this.")
    return caller
