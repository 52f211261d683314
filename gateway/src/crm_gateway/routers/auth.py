"""/api/v1/auth and /api/v1/me: log in, refresh, log out, who am I."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from crm_core.auth import Caller
from crm_gateway import identity
from crm_gateway.login_throttle import LOGIN_ERRORS, guarded_login
from crm_gateway.problems import Problem
from crm_gateway.schemas.identity import LoginRequest, RefreshRequest, TokenPair, UserOut
from crm_gateway.security import current_caller

router = APIRouter(prefix="/api/v1", tags=["auth"])


async def _tokens(request: Request, session, user: identity.User, session_id: str) -> TokenPair:  # type: ignore[no-untyped-def]
    settings = request.app.state.settings
    return TokenPair(
        access_token=identity.issue_access_token(user, session_id, settings.jwt_secret, settings.access_token_minutes),
        refresh_token=await identity.issue_refresh_token(session, user, session_id, settings.refresh_token_days),
        expires_in=settings.access_token_minutes * 60,
    )


@router.post(
    "/auth/login",
    response_model=TokenPair,
    summary="Exchange username and password for tokens",
    responses=LOGIN_ERRORS,
    description="401 invalid_credentials alike for an unknown user, a wrong password or a deactivated user; "
    "429 too_many_attempts (with Retry-After) after too many failures from one address or for one account.",
)
async def login(body: LoginRequest, request: Request) -> TokenPair:
    async with guarded_login(request, "staff", body.username):
        async with request.app.state.db.transaction() as session:
            user = await identity.authenticate(session, body.username, body.password)
            if user is None:
                raise Problem(401, "invalid_credentials", "Wrong username or password.")
            return await _tokens(request, session, user, await identity.open_session(session, user))


@router.post(
    "/auth/refresh",
    response_model=TokenPair,
    summary="Rotate a refresh token into new tokens",
    description="Each refresh token works once. Presenting one again after it was rotated ends its whole session "
    "(someone holds a copy): every token of that login stops working.",
)
async def refresh(body: RefreshRequest, request: Request) -> TokenPair:
    async with request.app.state.db.transaction() as session:
        rotation = await identity.use_refresh_token(session, body.refresh_token)
        tokens = await _tokens(request, session, rotation.user, rotation.session_id) if rotation.user else None
    if rotation.revoked_user_id:
        await request.app.state.access_signals.announce(rotation.revoked_user_id)
    if tokens is None:
        raise Problem(401, "invalid_refresh_token", "The refresh token is invalid, expired or revoked; log in again.")
    return tokens


@router.post("/auth/logout", status_code=204, summary="End the session of a refresh token (its access tokens too)")
async def logout(body: RefreshRequest, request: Request) -> Response:
    async with request.app.state.db.transaction() as session:
        user_id = await identity.end_session_of(session, body.refresh_token)
    if user_id:
        await request.app.state.access_signals.announce(user_id)
    return Response(status_code=204)


@router.get("/me", response_model=UserOut, summary="The logged-in user")
async def me(request: Request, caller: Caller = Depends(current_caller)) -> UserOut:
    async with request.app.state.db.sessions() as session:
        user = await session.get(identity.User, caller.user_id)
    if user is None or not user.active:
        raise Problem(401, "unauthenticated", "This user no longer exists or is deactivated.")
    return UserOut.model_validate(user, from_attributes=True)
