"""Look-ups in the user directory that requests about other domains need."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import Request
from sqlalchemy import select

from crm_core.db import is_uuid
from crm_gateway.identity import Team, User
from crm_gateway.problems import Problem


async def check_user_refs(
    request: Request,
    owner_id: str | None,
    team_id: str | None,
    user_ids: Iterable[str] | None,
    field: str = "shared_with",
    owner_field: str = "owner_id",
) -> None:
    """422 when a request names a user or team that does not exist (`owner_field` names the owner's field)."""
    wanted = {u for u in (user_ids or []) if u}
    if owner_id:
        wanted.add(owner_id)
    errors = []
    async with request.app.state.db.sessions() as session:
        known = set()
        ids = [u for u in wanted if is_uuid(u)]
        if ids:
            known = set((await session.scalars(select(User.id).where(User.id.in_(ids), User.active.is_(True)))).all())
        for user_id in sorted(wanted - known):
            path = owner_field if user_id == owner_id else field
            errors.append({"field": path, "code": "unknown_user", "message": f"no active user {user_id}"})
        if team_id and await session.get(Team, team_id) is None:
            errors.append({"field": "team_id", "code": "unknown_team", "message": f"no team {team_id}"})
    if errors:
        raise Problem(422, "validation_failed", errors[0]["message"], errors)
