"""The caller of a request: who they are and what they may see.

Services take the caller only from a credential they can verify: the
internal token, a short-lived JWT that the gateway (or a service acting for
its caller) signs with the platform's internal secret, or a partner's API key
(crm_core.partner_keys). Metadata a caller merely sets (a user id, roles)
counts for nothing.
"""

from __future__ import annotations

import contextvars
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

import jwt

from crm_core.db import utcnow
from crm_core.errors import Unauthenticated

TOKEN_KEY = "x-crm-internal-token"
API_KEY_KEY = "x-api-key"
REQUEST_ID_KEY = "x-request-id"

ADMIN_ROLE = "admin"
SYSTEM_USER = "system"
# Internal tokens live long enough for one call chain, with leeway for clocks that drift apart.
INTERNAL_TOKEN_SECONDS = 300
_AUDIENCE = "crm-internal"


@dataclass(frozen=True)
class Caller:
    """An authenticated user (or the system) acting on a service."""

    user_id: str
    roles: frozenset[str] = field(default_factory=frozenset)
    team_ids: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_admin(self) -> bool:
        return ADMIN_ROLE in self.roles or self.user_id == SYSTEM_USER

    def metadata(self, internal_secret: str, request_id: str = "") -> list[tuple[str, str]]:
        """gRPC metadata that carries this caller to another service: an internal token signed for them."""
        pairs = [(TOKEN_KEY, internal_token(self, internal_secret))]
        if request_id:
            pairs.append((REQUEST_ID_KEY, request_id))
        return pairs


SYSTEM = Caller(SYSTEM_USER, frozenset({ADMIN_ROLE}))

_current: contextvars.ContextVar[Caller | None] = contextvars.ContextVar("crm_caller", default=None)


def internal_token(caller: Caller, secret: str) -> str:
    """A short-lived token, signed with the internal secret, that says who the caller is."""
    if not secret:
        raise ValueError("the internal secret is not set (CRM_INTERNAL_SECRET)")
    now = utcnow()
    claims = {
        "sub": caller.user_id,
        "roles": sorted(caller.roles),
        "teams": sorted(caller.team_ids),
        "aud": _AUDIENCE,
        "iat": now,
        "exp": now + timedelta(seconds=INTERNAL_TOKEN_SECONDS),
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def caller_from_internal_token(token: str, secret: str) -> Caller:
    """The caller an internal token names; UNAUTHENTICATED unless it is signed with `secret` and unexpired."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=["HS256"], audience=_AUDIENCE, leeway=30, options={"require": ["sub", "exp"]}
        )
    except jwt.PyJWTError as exc:
        raise Unauthenticated("unauthenticated", "the internal token is invalid or expired") from exc
    roles, teams = claims.get("roles", []), claims.get("teams", [])
    if not isinstance(roles, list) or not isinstance(teams, list):
        raise Unauthenticated("unauthenticated", "the internal token is malformed")
    return Caller(str(claims["sub"]), frozenset(map(str, roles)), frozenset(map(str, teams)))


def metadata_values(metadata: Sequence[tuple[str, str | bytes]]) -> dict[str, str]:
    """Text metadata of a call (binary `-bin` values are left out)."""
    return {k: v for k, v in metadata if isinstance(v, str)}


def current_caller() -> Caller:
    """The caller of the request being served (set by the server interceptor)."""
    caller = _current.get()
    if caller is None:
        raise Unauthenticated("unauthenticated", "no caller in context")
    return caller


def set_current_caller(caller: Caller | None) -> contextvars.Token:
    return _current.set(caller)


def reset_current_caller(token: contextvars.Token) -> None:
    _current.reset(token)
