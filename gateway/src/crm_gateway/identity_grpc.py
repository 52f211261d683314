"""The identity module over gRPC: the services ask it who a partner's API key belongs to, and users' teams."""

from __future__ import annotations

import grpc
from sqlalchemy import select

from crm.identity.v1 import identity_pb2, identity_pb2_grpc
from crm_core.db import Database
from crm_core.errors import NotFound, invalid
from crm_gateway.api_keys import active_key
from crm_gateway.identity import User

MAX_USERS = 1000


class IdentityServicer(identity_pb2_grpc.IdentityServiceServicer):
    def __init__(self, db: Database) -> None:
        self.db = db

    async def VerifyApiKey(
        self, request: identity_pb2.VerifyApiKeyRequest, context: grpc.aio.ServicerContext
    ) -> identity_pb2.ApiKeyPrincipal:
        """The service account and scopes of an active key (NOT_FOUND for any other)."""
        async with self.db.transaction() as session:
            found = await active_key(session, request.key_sha256)
        if found is None:
            raise NotFound("api_key_not_found", "no active API key with that hash")
        key, account = found
        return identity_pb2.ApiKeyPrincipal(
            key_id=key.id, user_id=account.id, roles=account.roles, team_ids=account.team_ids, scopes=key.scopes
        )

    async def GetUserTeams(
        self, request: identity_pb2.GetUserTeamsRequest, context: grpc.aio.ServicerContext
    ) -> identity_pb2.GetUserTeamsResponse:
        """The teams of the users named (unknown ones left out)."""
        if len(request.user_ids) > MAX_USERS:
            raise invalid("user_ids", "too_many", f"at most {MAX_USERS} users per call")
        async with self.db.readers() as session:
            rows = (
                await session.execute(select(User.id, User.team_ids).where(User.id.in_(sorted(set(request.user_ids)))))
            ).all()
        return identity_pb2.GetUserTeamsResponse(
            users=[identity_pb2.UserTeams(user_id=user_id, team_ids=team_ids or []) for user_id, team_ids in rows]
        )
