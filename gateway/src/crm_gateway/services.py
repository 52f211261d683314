"""gRPC clients of the domain services, with deadlines, caller metadata and error mapping."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import grpc
from fastapi import Request

from crm.common.v1 import common_pb2_grpc
from crm.contacts.v1 import contacts_pb2_grpc
from crm.deals.v1 import deals_pb2_grpc
from crm.tasks.v1 import processes_pb2_grpc, tasks_pb2_grpc
from crm_core.answered import IDEMPOTENCY_KEY
from crm_core.auth import Caller
from crm_core.grpc_client import open_channel
from crm_core.telemetry import inject_headers
from crm_gateway.problems import problem_from_grpc
from crm_gateway.settings import GatewaySettings

T = TypeVar("T")


class ServiceClients:
    """One channel per service for the life of the gateway."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        self.channels = {name: open_channel(target) for name, target in settings.targets.items()}
        self.contacts = contacts_pb2_grpc.ContactsServiceStub(self.channels["contacts"])
        self.deals = deals_pb2_grpc.DealsServiceStub(self.channels["deals"])
        self.tasks = tasks_pb2_grpc.TasksServiceStub(self.channels["tasks"])
        self.processes = processes_pb2_grpc.ProcessesServiceStub(self.channels["tasks"])
        # crm.common.v1, served by every domain service on its own port (crm_core.common), by service name.
        self.audit = {n: common_pb2_grpc.AuditServiceStub(c) for n, c in self.channels.items()}
        self.custom_fields = {n: common_pb2_grpc.CustomFieldsServiceStub(c) for n, c in self.channels.items()}
        self.code_lists = {n: common_pb2_grpc.CodeListsServiceStub(c) for n, c in self.channels.items()}

    async def close(self) -> None:
        for channel in self.channels.values():
            await channel.close()


class ServiceCall:
    """Calls a service method as the request's caller; maps failures to problems."""

    def __init__(self, clients: ServiceClients, caller: Caller, request_id: str, idempotency_key: str = "") -> None:
        self.clients = clients
        self.metadata = caller.metadata(clients.settings.internal_secret, request_id)
        if idempotency_key:
            # Services answer a retried write once (crm_core.answered); reads ignore it. Sent as a digest:
            # an HTTP header may hold what gRPC metadata may not (only printable ASCII).
            self.metadata.append((IDEMPOTENCY_KEY, hashlib.sha256(idempotency_key.encode()).hexdigest()))
        self.deadline = clients.settings.grpc_deadline

    async def __call__(self, service: str, method: Callable[..., Awaitable[T]], request: Any) -> T:
        metadata = self.metadata + list(inject_headers().items())
        try:
            return await method(request, metadata=metadata, timeout=self.deadline)
        except grpc.aio.AioRpcError as error:
            raise problem_from_grpc(error, service) from error


def service_call(request: Request, caller: Caller) -> ServiceCall:
    key = getattr(request.state, "idempotency_key", "")
    return ServiceCall(request.app.state.clients, caller, request.state.request_id, key)
