"""Partner API keys at a service's gRPC edge: who a key belongs to and what it may do.

Partner systems call the services' gRPC APIs with an API key (metadata
`x-api-key`) that an admin created for a service account in the gateway's
identity module. A service asks the identity module who the key belongs to
(sending only its SHA-256) and caches the answer for a few seconds; a revoked
key or a changed service account is announced (crm_core.access_signals) and
forgotten at once. A key's scopes say which services it may read
("contacts:read": methods marked `idempotency_level = NO_SIDE_EFFECTS` in the
proto) and write ("contacts:write": every other method).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

import grpc

from crm.identity.v1 import identity_pb2, identity_pb2_grpc
from crm_core.auth import SYSTEM, Caller
from crm_core.errors import PermissionDenied, Unauthenticated, Unavailable
from crm_core.grpc_client import open_channel
from crm_core.logging import get_logger
from crm_core.rpc_methods import is_read_only

log = get_logger("crm.partner_keys")

POSITIVE_SECONDS = 10.0
# Unknown keys are remembered briefly too, so guessing costs the identity module nothing.
NEGATIVE_SECONDS = 2.0


@dataclass(frozen=True)
class Principal:
    """The service account behind a key, and the key's scopes."""

    key_id: str
    caller: Caller
    scopes: frozenset[str]


def required_scope(service: str, method: str) -> str:
    """The scope a key needs to call `method` of `service`."""
    return f"{service}:{'read' if is_read_only(method) else 'write'}"


class PartnerKeys:
    """Verifies API keys with the identity module (gateway) and caches the answers briefly."""

    def __init__(self, identity_target: str, internal_secret: str, timeout: float = 3.0) -> None:
        self.identity_target = identity_target
        self.internal_secret = internal_secret
        self.timeout = timeout
        self._stub: identity_pb2_grpc.IdentityServiceStub | None = None
        self._channel: grpc.aio.Channel | None = None
        self._answers: dict[str, tuple[float, Principal | None]] = {}

    def forget_user(self, user_id: str) -> None:
        """Drop cached answers about the user's keys (and unknown keys: one may have just been created)."""
        self._answers = {k: a for k, a in self._answers.items() if a[1] is not None and a[1].caller.user_id != user_id}

    async def principal(self, key: str) -> Principal:
        """The principal of an active key; UNAUTHENTICATED for any other key."""
        digest = hashlib.sha256(key.encode()).hexdigest()
        now = time.monotonic()
        cached = self._answers.get(digest)
        if cached is None or cached[0] <= now:
            principal = await self._verify(digest)
            if len(self._answers) > 100_000:
                self._answers = {k: a for k, a in self._answers.items() if a[0] > now}
            self._answers[digest] = (now + (POSITIVE_SECONDS if principal else NEGATIVE_SECONDS), principal)
            cached = self._answers[digest]
        if cached[1] is None:
            raise Unauthenticated("invalid_api_key", "the API key is unknown, revoked or expired")
        return cached[1]

    async def authorize(self, key: str, service: str, method: str) -> Principal:
        """The principal (service account and key id) of a call made with `key`; PERMISSION_DENIED when the
        key lacks the method's scope."""
        principal = await self.principal(key)
        scope = required_scope(service, method)
        if scope not in principal.scopes:
            raise PermissionDenied("scope_missing", f"the API key lacks the scope '{scope}'")
        return principal

    async def _verify(self, digest: str) -> Principal | None:
        if self._stub is None:
            self._channel = open_channel(self.identity_target)
            self._stub = identity_pb2_grpc.IdentityServiceStub(self._channel)
        try:
            answer = await self._stub.VerifyApiKey(
                identity_pb2.VerifyApiKeyRequest(key_sha256=digest),
                metadata=SYSTEM.metadata(self.internal_secret),
                timeout=self.timeout,
            )
        except grpc.aio.AioRpcError as error:
            if error.code() == grpc.StatusCode.NOT_FOUND:
                return None
            log.warning("api_key_check_failed", status=error.code().name, details=error.details())
            raise Unavailable(
                "identity_unavailable", "API keys cannot be checked right now; try again shortly"
            ) from error
        return Principal(
            answer.key_id,
            Caller(answer.user_id, frozenset(answer.roles), frozenset(answer.team_ids)),
            frozenset(answer.scopes),
        )

    async def close(self) -> None:
        if self._channel is not None:
            await self._channel.close()
