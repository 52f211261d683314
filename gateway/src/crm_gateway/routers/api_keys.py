"""/api/v1/service-accounts and /api/v1/api-keys: partner systems' accounts and their keys (admins only)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import select

from crm_core.auth import Caller
from crm_core.db import is_uuid, new_id, utcnow
from crm_gateway import api_keys, identity
from crm_gateway.problems import Problem
from crm_gateway.routers.users import added_user, check_teams, unique_username
from crm_gateway.schemas.identity import ApiKeyCreate, ApiKeyCreated, ApiKeyOut, ServiceAccountCreate, UserOut
from crm_gateway.security import admin_caller

router = APIRouter(prefix="/api/v1", tags=["partner access"])


def _key_out(key: api_keys.ApiKey) -> ApiKeyOut:
    return ApiKeyOut(
        id=key.id,
        name=key.name,
        prefix=key.prefix,
        service_account_id=key.user_id,
        scopes=key.scopes,
        created_by=key.created_by,
        created_at=key.created_at,
        expires_at=key.expires_at,
        revoked_at=key.revoked_at,
        last_used_at=key.last_used_at,
    )


@router.post(
    "/service-accounts",
    response_model=UserOut,
    status_code=201,
    summary="Create a service account for a partner system (admin)",
    description="A user of kind `service`: it owns what the partner creates and sees what its roles and teams "
    "allow. It cannot log in; it calls the services' gRPC APIs with API keys.",
)
async def create_service_account(
    body: ServiceAccountCreate, request: Request, _: Caller = Depends(admin_caller)
) -> UserOut:
    async with request.app.state.db.transaction() as session:
        username = await unique_username(session, body.username)
        await check_teams(session, body.team_ids)
        account = identity.User(
            id=new_id(),
            kind="service",
            username=username,
            display_name=body.display_name,
            password_hash="!",  # never matches: service accounts do not log in
            roles=list(dict.fromkeys(body.roles)),
            team_ids=list(dict.fromkeys(body.team_ids)),
        )
        return await added_user(session, account)


@router.get("/service-accounts", response_model=list[UserOut], summary="Service accounts (admin)")
async def list_service_accounts(request: Request, _: Caller = Depends(admin_caller)) -> list[UserOut]:
    async with request.app.state.db.sessions() as session:
        accounts = await session.scalars(
            select(identity.User).where(identity.User.kind == "service").order_by(identity.User.username)
        )
        return [UserOut.model_validate(a, from_attributes=True) for a in accounts]


@router.post(
    "/service-accounts/{account_id}/api-keys",
    response_model=ApiKeyCreated,
    status_code=201,
    summary="Create an API key for a service account (admin; the key is shown once)",
)
async def create_api_key(
    account_id: str, body: ApiKeyCreate, request: Request, caller: Caller = Depends(admin_caller)
) -> ApiKeyCreated:
    if body.expires_at is not None and body.expires_at <= utcnow():
        raise Problem(
            422,
            "validation_failed",
            "expires_at is in the past",
            [{"field": "expires_at", "code": "in_the_past", "message": "expires_at is in the past"}],
        )
    async with request.app.state.db.transaction() as session:
        account = await session.get(identity.User, account_id) if is_uuid(account_id) else None
        if account is None or account.kind != "service":
            raise Problem(404, "service_account_not_found", f"Service account {account_id} not found")
        key, text = api_keys.new_key(session, account, body.name, list(body.scopes), caller.user_id, body.expires_at)
        return ApiKeyCreated(**_key_out(key).model_dump(), key=text)


@router.get("/api-keys", response_model=list[ApiKeyOut], summary="API keys of every service account (admin)")
async def list_api_keys(request: Request, _: Caller = Depends(admin_caller)) -> list[ApiKeyOut]:
    async with request.app.state.db.sessions() as session:
        keys = await session.scalars(select(api_keys.ApiKey).order_by(api_keys.ApiKey.created_at.desc()))
        return [_key_out(k) for k in keys]


@router.delete("/api-keys/{key_id}", status_code=204, summary="Revoke an API key (admin; takes effect at once)")
async def revoke_api_key(key_id: str, request: Request, _: Caller = Depends(admin_caller)) -> Response:
    async with request.app.state.db.transaction() as session:
        key = await session.get(api_keys.ApiKey, key_id, with_for_update=True) if is_uuid(key_id) else None
        if key is None:
            raise Problem(404, "api_key_not_found", f"API key {key_id} not found")
        key.revoked_at = key.revoked_at or utcnow()
        account_id = key.user_id
    await request.app.state.access_signals.announce(account_id)
    return Response(status_code=204)
