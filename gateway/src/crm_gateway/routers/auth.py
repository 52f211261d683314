"""/api/v1/auth and /api/v1/me: log in, refresh, log out, who am I."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from crm_core.auth import Caller
from crm_gateway import identity
from crm_gateway.problems import Problem
from crm_gateway.schemas.identity import LoginRequest, RefreshRequest, TokenPair, UserOut
from crm_gateway.security import current_caller

router = APIRouter(prefix="/api/v1", tags=["auth"])


async def _tokens(request: Request, session, user: identity.User) -> TokenPair:  # type: ignore[no-untyped-def]
    settings = request.app.state.settings
    return TokenPair(
        access_token=identity.issue_access_token(user, settings.jwt_secret, settings.access_token_minutes),
        refresh_token=await identity.issue_refresh_token(session, user, settings.refresh_token_days),
        expires_in=settings.access_token_minutes * 60,
    )


@router.post("/auth/login", response_model=TokenPair, summary="Exchange username and password for tokens")
async def login(body: LoginRequest, request: Request) -> TokenPair:
    async with request.app.state.db.transaction() as session:
        user = await identity.authenticate(session, body.username, body.password)
        if user is None:
            raise Problem(401, "invalid_credentials", "Wrong username or password.")
        return await _tokens(request, session, user)


@router.post("/auth/refresh", response_model=TokenPair, summary="Rotate a refresh token into new tokens")
async def refresh(body: RefreshRequest, request: Request) -> TokenPair:
    async with request.app.state.db.transaction() as session:
        user = await identity.use_refresh_token(session, body.refresh_token)
        if user is None:
            raise Problem(
                401, "invalid_refresh_token", "The refresh token is invalid, expired or revoked; log in again."
            )
        return await _tokens(request, session, user)


@router.post("/auth/logout", status_code=204, summary="Revoke a refresh token")
async def logout(body: RefreshRequest, request: Request) -> Response:
    async with request.app.state.db.transaction() as session:
        await identity.revoke_refresh_token(session, body.refresh_token)
    return Response(status_code=204)


@router.get("/me", response_model=UserOut, summary="The logged-in user")
async def me(request: Request, caller: Caller = Depends(current_caller)) -> UserOut:
    async with request.app.state.db.sessions() as session:
        user = await session.get(identity.User, caller.user_id)
    if user is None or not user.active:
        raise Problem(401, "unauthenticated", "This user no longer exists or is deactivated.")
    return UserOut.model_validate(user, from_attributes=True)
