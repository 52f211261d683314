"""/api/v1/users and /api/v1/teams: the user directory (admins change it, everyone reads it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import or_, select

from crm_core.auth import Caller
from crm_core.db import is_uuid, new_id
from crm_gateway import identity
from crm_gateway.problems import Problem
from crm_gateway.schemas.identity import TeamCreate, TeamOut, UserCreate, UserOut, UserPatch
from crm_gateway.security import admin_caller, current_caller

router = APIRouter(prefix="/api/v1", tags=["users"])


async def check_teams(session, team_ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    """422 unless every team exists."""
    if team_ids:
        known = set((await session.scalars(select(identity.Team.id).where(identity.Team.id.in_(team_ids)))).all())
        missing = [t for t in team_ids if t not in known]
        if missing:
            raise Problem(
                422,
                "validation_failed",
                f"no team {missing[0]}",
                [{"field": "team_ids", "code": "unknown_team", "message": f"no team {t}"} for t in missing],
            )


async def unique_username(session, username: str) -> str:  # type: ignore[no-untyped-def]
    """The username in lower case; 409 when someone has it."""
    username = username.lower()
    if await session.scalar(select(identity.User.id).where(identity.User.username == username)):
        raise Problem(409, "username_taken", f"username {username} is taken")
    return username


async def added_user(session, user: identity.User) -> UserOut:  # type: ignore[no-untyped-def]
    """Insert a new user (or service account) and answer it with its defaults filled in."""
    session.add(user)
    await session.flush()
    await session.refresh(user)
    return UserOut.model_validate(user, from_attributes=True)


@router.get(
    "/users",
    response_model=list[UserOut],
    summary="Users (for assigning owners and mentions)",
    description="At most 500, by username; `q` finds words in the username, the name or the e-mail.",
)
async def list_users(
    request: Request, _: Caller = Depends(current_caller), q: Annotated[str, Query(max_length=100)] = ""
) -> list[UserOut]:
    async with request.app.state.db.sessions() as session:
        query = select(identity.User).order_by(identity.User.username)
        if q:
            like = f"%{q.lower()}%"
            query = query.where(
                or_(
                    identity.User.username.ilike(like),
                    identity.User.display_name.ilike(like),
                    identity.User.email.ilike(like),
                )
            )
        users = (await session.scalars(query.limit(500))).all()
    return [UserOut.model_validate(u, from_attributes=True) for u in users]


@router.get("/users/{user_id}", response_model=UserOut, summary="One user of the directory")
async def get_user(user_id: str, request: Request, _: Caller = Depends(current_caller)) -> UserOut:
    async with request.app.state.db.sessions() as session:
        user = await session.get(identity.User, user_id) if is_uuid(user_id) else None
    if user is None:
        raise Problem(404, "user_not_found", f"User {user_id} not found")
    return UserOut.model_validate(user, from_attributes=True)


@router.post("/users", response_model=UserOut, status_code=201, summary="Create a user (admin)")
async def create_user(body: UserCreate, request: Request, _: Caller = Depends(admin_caller)) -> UserOut:
    async with request.app.state.db.transaction() as session:
        username = await unique_username(session, body.username)
        await check_teams(session, body.team_ids)
        user = identity.User(
            id=new_id(),
            username=username,
            display_name=body.display_name,
            email=body.email,
            password_hash=await identity.hash_password(body.password),
            roles=list(dict.fromkeys(body.roles)),
            team_ids=list(dict.fromkeys(body.team_ids)),
        )
        return await added_user(session, user)


@router.patch(
    "/users/{user_id}", response_model=UserOut, summary="Change a user's roles, teams, password or status (admin)"
)
async def update_user(
    user_id: str, body: UserPatch, request: Request, caller: Caller = Depends(admin_caller)
) -> UserOut:
    async with request.app.state.db.transaction() as session:
        user = await session.get(identity.User, user_id, with_for_update=True) if is_uuid(user_id) else None
        if user is None:
            raise Problem(404, "user_not_found", f"User {user_id} not found")
        changes = body.model_dump(exclude_unset=True)
        _refuse_own_lockout(user, changes, caller)
        if "team_ids" in changes:
            await check_teams(session, changes["team_ids"] or [])
        before = (user.active, sorted(user.roles), sorted(user.team_ids))
        if changes.pop("password", None):
            user.password_hash = await identity.hash_password(body.password or "")
            # Every login with the old password ends; an admin changing their own keeps the one they use.
            own = request.state.session_id if user.id == caller.user_id else ""
            await identity.revoke_sessions(session, user.id, "password_changed", except_session=own)
        for key, value in changes.items():
            if value is not None or key == "email":
                setattr(user, key, list(dict.fromkeys(value)) if key in ("roles", "team_ids") else value)
        if not user.active:
            await identity.revoke_sessions(session, user.id, "deactivated")
        if (user.active, sorted(user.roles), sorted(user.team_ids)) != before:
            # Tokens issued before stop working at once; a refresh gives the user their new roles and teams.
            user.access_version += 1
        result = UserOut.model_validate(user, from_attributes=True)
    await request.app.state.access_signals.announce(user_id)
    return result


def _refuse_own_lockout(user: identity.User, changes: dict, caller: Caller) -> None:  # type: ignore[type-arg]
    """409 when an admin would deactivate themselves or drop their own admin role. Whoever else they
    change, they remain an active admin, so the platform always keeps one."""
    if user.id != caller.user_id:
        return
    roles = changes["roles"] if changes.get("roles") is not None else user.roles
    if changes.get("active") is False or "admin" not in roles:
        raise Problem(409, "own_admin_access", "You cannot deactivate yourself or take away your own admin role.")


@router.get("/teams", response_model=list[TeamOut], summary="Teams")
async def list_teams(request: Request, _: Caller = Depends(current_caller)) -> list[TeamOut]:
    async with request.app.state.db.sessions() as session:
        teams = (await session.scalars(select(identity.Team).order_by(identity.Team.name))).all()
    return [TeamOut.model_validate(t, from_attributes=True) for t in teams]


@router.post("/teams", response_model=TeamOut, status_code=201, summary="Create a team (admin)")
async def create_team(body: TeamCreate, request: Request, _: Caller = Depends(admin_caller)) -> TeamOut:
    async with request.app.state.db.transaction() as session:
        if await session.get(identity.Team, body.id) is not None:
            raise Problem(409, "team_exists", f"team {body.id} exists")
        team = identity.Team(id=body.id, name=body.name)
        session.add(team)
    return TeamOut(id=team.id, name=team.name)
