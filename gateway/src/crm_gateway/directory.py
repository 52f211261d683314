"""Look-ups in the user directory that requests about other domains need."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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
    await check_user_refs_of(request, [("", owner_id, team_id, user_ids)], field, owner_field)


async def check_user_refs_of(
    request: Request,
    records: Sequence[tuple[str, str | None, str | None, Iterable[str] | None]],
    field: str = "shared_with",
    owner_field: str = "owner_id",
) -> None:
    """`check_user_refs` for many records of one request (a bulk create), in one look-up of users and teams.

    `records` are (path prefix such as "items[3].", owner_id, team_id, user_ids); errors name each record's field.
    """
    wanted = {u for _, owner_id, _, user_ids in records for u in [owner_id, *(user_ids or [])] if u}
    teams = {team_id for _, _, team_id, _ in records if team_id}
    errors = []
    async with request.app.state.db.sessions() as session:
        known, known_teams = set(), set()
        ids = [u for u in wanted if is_uuid(u)]
        if ids:
            known = set((await session.scalars(select(User.id).where(User.id.in_(ids), User.active.is_(True)))).all())
        if teams:
            known_teams = set((await session.scalars(select(Team.id).where(Team.id.in_(sorted(teams))))).all())
    for prefix, owner_id, team_id, user_ids in records:
        for user_id in sorted({u for u in [owner_id, *(user_ids or [])] if u} - known):
            path = prefix + (owner_field if user_id == owner_id else field)
            errors.append({"field": path, "code": "unknown_user", "message": f"no active user {user_id}"})
        if team_id and team_id not in known_teams:
            errors.append({"field": f"{prefix}team_id", "code": "unknown_team", "message": f"no team {team_id}"})
    if errors:
        raise Problem(422, "validation_failed", errors[0]["message"], errors)


async def team_member_ids(request: Request, team_id: str) -> set[str]:
    """The active users of a team."""
    async with request.app.state.db.sessions() as session:
        rows = await session.scalars(select(User.id).where(User.team_ids.contains([team_id]), User.active.is_(True)))
        return set(rows.all())
