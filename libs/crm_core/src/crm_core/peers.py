"""Calling another service as the user who asked, with its refusals kept as this service's own errors.

A service that needs another's record now (marketing converting a lead into a
party and a deal, documents checking that the caller sees the deal a file is
attached to) calls it over gRPC with the caller's internal token: the peer
applies that user's access, so nothing the user may not see is found or
changed. `PeerChannels` opens one channel per peer on first use; `call` sends
the caller (and an idempotency key for a write that must happen once, see
crm_core.answered) within the default deadline and turns a failure into the
CrmError of the same kind, code and fields (`peer_failure`), so the caller's
client gets the peer's answer, not a 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import grpc

from crm_core.answered import IDEMPOTENCY_KEY
from crm_core.auth import Caller
from crm_core.errors import CrmError, FailedPrecondition, FieldProblem, InvalidArgument, NotFound, Unavailable
from crm_core.grpc_client import DEFAULT_DEADLINE, error_detail, open_channel


def peer_failure(error: grpc.aio.AioRpcError, service: str) -> CrmError:
    """The peer's refusal as this service's own error, so its code and fields reach the caller unchanged;
    a peer that cannot answer is Unavailable `<service>_unavailable`."""
    detail = error_detail(error)
    code = detail.code if detail else error.code().name.lower()
    message = f"{service}: {detail.message if detail else error.details()}"
    status = error.code()
    if status == grpc.StatusCode.INVALID_ARGUMENT:
        problems = [FieldProblem(v.field, v.code, v.message) for v in detail.field_violations] if detail else []
        return InvalidArgument(code, message, problems)
    if status == grpc.StatusCode.NOT_FOUND:
        return NotFound(code, message)
    if status in (
        grpc.StatusCode.FAILED_PRECONDITION,
        grpc.StatusCode.ALREADY_EXISTS,
        grpc.StatusCode.PERMISSION_DENIED,
    ):
        return FailedPrecondition(code, message)
    return Unavailable(f"{service}_unavailable", message)


class PeerChannels:
    """Channels to the peers a service calls (by registry name), opened once, and calls on them as a caller."""

    def __init__(self, targets: Mapping[str, str], internal_secret: str) -> None:
        self.internal_secret = internal_secret
        self._targets = dict(targets)
        self._channels: dict[str, grpc.aio.Channel] = {}

    def channel(self, service: str) -> grpc.aio.Channel:
        """The channel to `service`, opened on first use."""
        channel = self._channels.get(service)
        if channel is None:
            channel = self._channels[service] = open_channel(self._targets[service])
        return channel

    async def close(self) -> None:
        """Close every channel opened."""
        for channel in self._channels.values():
            await channel.close()
        self._channels.clear()

    async def call(self, service: str, method: Any, request: Any, caller: Caller, key: str = "") -> Any:
        """`method(request)` as `caller` (with `key` as the idempotency key when given), within the default
        deadline; a refusal raises peer_failure's error."""
        metadata = caller.metadata(self.internal_secret)
        if key:
            metadata.append((IDEMPOTENCY_KEY, key))
        try:
            return await method(request, metadata=metadata, timeout=DEFAULT_DEADLINE)
        except grpc.aio.AioRpcError as error:
            raise peer_failure(error, service) from error
