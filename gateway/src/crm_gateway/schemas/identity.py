"""REST shapes of authentication, users and teams."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from crm_gateway.schemas.common import Out, Strict

Role = Literal["admin", "manager", "sales", "support", "marketing", "viewer"]


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


class UserCreate(Strict):
    username: str = Field(min_length=2, max_length=100, pattern=r"^[a-zA-Z0-9_.@-]+$")
    display_name: str = Field(min_length=1, max_length=300)
    email: str | None = Field(None, max_length=300)
    password: str = Field(min_length=8, max_length=200)
    roles: list[Role] = Field(default_factory=lambda: ["sales"], max_length=6)
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
