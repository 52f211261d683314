"""The identity module over gRPC: the services ask it who a partner's API key belongs to."""

from __future__ import annotations

import grpc

from crm.identity.v1 import identity_pb2, identity_pb2_grpc
from crm_core.db import Database
from crm_core.errors import NotFound
from crm_gateway.api_keys import active_key


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
