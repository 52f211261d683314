"""The caller of a request: who they are and what they may see.

The gateway authenticates users and passes the caller to services in gRPC
metadata together with the internal token; services trust nothing else.
"""

from __future__ import annotations

import contextvars
import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field

from crm_core.errors import Unauthenticated

USER_KEY = "x-crm-user-id"
ROLES_KEY = "x-crm-roles"
TEAMS_KEY = "x-crm-teams"
TOKEN_KEY = "x-crm-internal-token"
REQUEST_ID_KEY = "x-request-id"

ADMIN_ROLE = "admin"
SYSTEM_USER = "system"


@dataclass(frozen=True)
class Caller:
    """An authenticated user (or the system) acting on a service."""

    user_id: str
    roles: frozenset[str] = field(default_factory=frozenset)
    team_ids: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_admin(self) -> bool:
        return ADMIN_ROLE in self.roles or self.user_id == SYSTEM_USER

    def metadata(self, internal_token: str, request_id: str = "") -> list[tuple[str, str]]:
        """gRPC metadata that carries this caller to another service."""
        pairs = [
            (TOKEN_KEY, internal_token),
            (USER_KEY, self.user_id),
            (ROLES_KEY, ",".join(sorted(self.roles))),
            (TEAMS_KEY, ",".join(sorted(self.team_ids))),
        ]
        if request_id:
            pairs.append((REQUEST_ID_KEY, request_id))
        return pairs


SYSTEM = Caller(SYSTEM_USER, frozenset({ADMIN_ROLE}))

_current: contextvars.ContextVar[Caller | None] = contextvars.ContextVar("crm_caller", default=None)


def _split(value: str) -> frozenset[str]:
    return frozenset(v for v in value.split(",") if v)


def caller_from_metadata(metadata: Sequence[tuple[str, str | bytes]], internal_token: str) -> Caller:
    """Authenticate a call by the internal token and read the caller from it."""
    values = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in metadata}
    token = values.get(TOKEN_KEY, "")
    # Compared as bytes: compare_digest rejects non-ASCII str with a TypeError.
    if not token or not hmac.compare_digest(token.encode(), internal_token.encode()):
        raise Unauthenticated("unauthenticated", "missing or wrong internal token")
    user_id = values.get(USER_KEY, "")
    if not user_id:
        raise Unauthenticated("unauthenticated", "the call carries no caller")
    return Caller(user_id, _split(values.get(ROLES_KEY, "")), _split(values.get(TEAMS_KEY, "")))


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
