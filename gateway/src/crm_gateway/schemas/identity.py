"""REST shapes of authentication, users and teams."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from crm_gateway.api_keys import SCOPES
from crm_gateway.schemas.common import Moment, Out, Strict

Role = Literal[
    "admin", "manager", "sales", "support", "marketing", "viewer", "catalog_manager", "accountant", "mail_intake"
]


class LoginRequest(Strict):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class RefreshRequest(Strict):
    refresh_token: str = Field(min_length=1, max_length=200)


class TokenPair(Out):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int


def _default_roles() -> list[Role]:
    return ["sales"]


class UserCreate(Strict):
    username: str = Field(min_length=2, max_length=100, pattern=r"^[a-zA-Z0-9_.@-]+$")
    display_name: str = Field(min_length=1, max_length=300)
    email: str | None = Field(None, max_length=300)
    password: str = Field(min_length=8, max_length=200)
    roles: list[Role] = Field(default_factory=_default_roles, max_length=6)
    team_ids: list[str] = Field(default_factory=list, max_length=20)


class UserPatch(Strict):
    display_name: str | None = Field(None, min_length=1, max_length=300)
    email: str | None = Field(None, max_length=300)
    password: str | None = Field(None, min_length=8, max_length=200)
    roles: list[Role] | None = Field(None, max_length=6)
    team_ids: list[str] | None = Field(None, max_length=20)
    active: bool | None = None


class UserOut(Out):
    id: str
    # "person" (logs in) or "service" (a partner system's account, calls with API keys).
    kind: str = "person"
    username: str
    display_name: str
    email: str | None = None
    roles: list[str]
    team_ids: list[str]
    active: bool
    created_at: datetime


class TeamCreate(Strict):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str = Field(min_length=1, max_length=300)


class TeamOut(Out):
    id: str
    name: str


class ServiceAccountCreate(Strict):
    username: str = Field(min_length=2, max_length=100, pattern=r"^[a-zA-Z0-9_.@-]+$")
    display_name: str = Field(min_length=1, max_length=300)
    roles: list[Role] = Field(default_factory=list, max_length=6)
    team_ids: list[str] = Field(default_factory=list, max_length=20)


Scope = Literal[tuple(SCOPES)]  # type: ignore[valid-type]


class ApiKeyCreate(Strict):
    name: str = Field(min_length=1, max_length=200, description="What the key is for, e.g. '1C exchange'")
    scopes: list[Scope] = Field(  # type: ignore[valid-type]
        min_length=1, max_length=len(SCOPES), description="'<service>:read' and/or '<service>:write'"
    )
    expires_at: Moment | None = Field(None, description="When the key stops working (ISO 8601 with an offset)")


class ApiKeyOut(Out):
    id: str
    name: str
    prefix: str = Field(description="The key's first characters, to tell keys apart")
    service_account_id: str
    scopes: list[str]
    created_by: str
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The key itself: shown this once, stored only as a hash")
