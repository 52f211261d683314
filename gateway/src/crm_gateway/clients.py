"""gRPC clients of the domain services, called as the request's caller, with deadlines and error mapping.

A router calls `await call.deals.CreateDeal(request)`: the stub's method sends
the caller's internal token, the request id, the Idempotency-Key's digest and
the trace context, waits at most the gateway's deadline and turns a failure
into a problem named after the service that failed. Channels come from the
service registry (settings.targets); the stubs on them are declared once, on
ServiceCall.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Protocol, TypeVar, overload

import grpc
from fastapi import Request
from google.protobuf.message import Message

from crm.common.v1 import common_pb2_grpc
from crm.contacts.v1 import contacts_pb2_grpc
from crm.deals.v1 import deals_pb2_grpc
from crm.documents.v1 import attachments_pb2_grpc, documents_pb2_grpc
from crm.helpdesk.v1 import helpdesk_pb2_grpc, knowledge_pb2_grpc
from crm.marketing.v1 import marketing_pb2_grpc
from crm.tasks.v1 import processes_pb2_grpc, tasks_pb2_grpc
from crm_core.answered import IDEMPOTENCY_KEY
from crm_core.auth import Caller
from crm_core.grpc_client import open_channel
from crm_core.metrics import GRPC_CLIENT_LATENCY, GRPC_CLIENT_REQUESTS
from crm_gateway.problems import problem_from_grpc
from crm_gateway.settings import GatewaySettings

T = TypeVar("T")
# A stub method as a request calls it: the request message in, the response message out. mypy checks the
# stub's name, the request (and an optional deadline in seconds) and the await; it sees the generated crm_proto
# modules as untyped (Any), so the method names are checked by a test instead (gateway/tests/test_clients.py).


class Rpc(Protocol):
    def __call__(self, request: Message, timeout: float | None = None) -> Coroutine[Any, Any, Any]: ...


class Stub:
    """Declares `call.<attribute>`: a generated stub class on the channel of `service`, whose name errors carry."""

    def __init__(self, service: str, stub_class: Callable[[grpc.aio.Channel], object]) -> None:
        self.service = service
        self.stub_class = stub_class
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, call: None, owner: type | None = None) -> Stub: ...

    @overload
    def __get__(self, call: ServiceCall, owner: type | None = None) -> BoundStub: ...

    def __get__(self, call: ServiceCall | None, owner: type | None = None) -> Stub | BoundStub:
        if call is None:
            return self
        return BoundStub(call, self.service, call.clients.stubs[self.name])


class BoundStub:
    """A service's stub as one request's caller: `await stub.Method(request)` (see ServiceCall.invoke)."""

    __slots__ = ("_call", "_service", "_stub")

    def __init__(self, call: ServiceCall, service: str, stub: object) -> None:
        self._call = call
        self._service = service
        self._stub = stub

    def __getattr__(self, method: str) -> Rpc:
        rpc = getattr(self._stub, method)  # AttributeError for a method the service's proto does not have

        async def send(request: Message, timeout: float | None = None) -> Any:
            return await self._call.invoke(self._service, rpc, request, timeout)

        send.__name__ = method
        return send


# The crm.common.v1 services every domain service serves on its own port (crm_core.common), by attribute.
COMMON_STUBS: dict[str, Callable[[grpc.aio.Channel], object]] = {
    "audit": common_pb2_grpc.AuditServiceStub,
    "custom_fields": common_pb2_grpc.CustomFieldsServiceStub,
    "code_lists": common_pb2_grpc.CodeListsServiceStub,
}


class CommonStubs:
    """The crm.common.v1 stubs of one service as one request's caller: `call.common("deals").audit.ListAudit(r)`."""

    __slots__ = ("_call", "_service")

    def __init__(self, call: ServiceCall, service: str) -> None:
        self._call = call
        self._service = service

    def _bound(self, kind: str) -> BoundStub:
        return BoundStub(self._call, self._service, self._call.clients.common[self._service][kind])

    @property
    def audit(self) -> BoundStub:
        return self._bound("audit")

    @property
    def custom_fields(self) -> BoundStub:
        return self._bound("custom_fields")

    @property
    def code_lists(self) -> BoundStub:
        return self._bound("code_lists")


class ServiceCall:
    """Calls service methods as the request's caller; maps failures to problems."""

    # The stubs a request calls, `call.<attribute>.<Method>(request)`: Stub(service, generated stub class).
    # The service names the channel (from the registry) and the service in errors; a service with two
    # gRPC APIs on its port (tasks) has two lines. A new service adds one line here.
    contacts = Stub("contacts", contacts_pb2_grpc.ContactsServiceStub)
    deals = Stub("deals", deals_pb2_grpc.DealsServiceStub)
    tasks = Stub("tasks", tasks_pb2_grpc.TasksServiceStub)
    processes = Stub("tasks", processes_pb2_grpc.ProcessesServiceStub)
    marketing = Stub("marketing", marketing_pb2_grpc.MarketingServiceStub)
    documents = Stub("documents", documents_pb2_grpc.DocumentsServiceStub)
    attachments = Stub("documents", attachments_pb2_grpc.AttachmentsServiceStub)
    helpdesk = Stub("helpdesk", helpdesk_pb2_grpc.HelpdeskServiceStub)
    knowledge = Stub("helpdesk", knowledge_pb2_grpc.KnowledgeServiceStub)

    def __init__(self, clients: ServiceClients, caller: Caller, request_id: str, idempotency_key: str = "") -> None:
        self.clients = clients
        self.metadata = caller.metadata(clients.settings.internal_secret, request_id)
        if idempotency_key:
            # Services answer a retried write once (crm_core.answered); reads ignore it. Sent as a digest:
            # an HTTP header may hold what gRPC metadata may not (only printable ASCII).
            self.metadata.append((IDEMPOTENCY_KEY, hashlib.sha256(idempotency_key.encode()).hexdigest()))
        self.deadline = clients.settings.grpc_deadline

    def common(self, service: str) -> CommonStubs:
        """The audit, custom-field and code-list services on `service`'s port (crm.common.v1)."""
        return CommonStubs(self, service)

    @classmethod
    def stubs(cls) -> dict[str, Stub]:
        """The declared stubs by attribute name."""
        return {name: value for name, value in vars(cls).items() if isinstance(value, Stub)}

    async def invoke(
        self, service: str, method: Callable[..., Awaitable[T]], request: Any, timeout: float | None = None
    ) -> T:
        """Call one stub method with the caller's metadata and the deadline (`timeout` for the few calls that do
        heavy work, e.g. rendering a PDF; the channel's interceptor adds the trace context); a failed call
        raises the Problem for it (problems.problem_from_grpc)."""
        name = rpc_name(method)
        started = time.perf_counter()
        code = grpc.StatusCode.OK
        try:
            return await method(request, metadata=self.metadata, timeout=timeout or self.deadline)
        except grpc.aio.AioRpcError as error:
            code = error.code()
            raise problem_from_grpc(error, service) from error
        except BaseException:
            code = grpc.StatusCode.CANCELLED  # the request went away (client gone, gateway stopping)
            raise
        finally:
            GRPC_CLIENT_REQUESTS.labels(service, name, code.name).inc()
            GRPC_CLIENT_LATENCY.labels(service, name).observe(time.perf_counter() - started)


def rpc_name(method: object) -> str:
    """`Service/Method` of a stub's method ("crm.deals.v1.DealsService/CreateDeal" -> "DealsService/CreateDeal")."""
    path = getattr(method, "_method", b"")
    path = path.decode() if isinstance(path, bytes) else str(path)
    service, _, name = path.strip("/").partition("/")
    return f"{service.rsplit('.', 1)[-1]}/{name}" if name else getattr(method, "__name__", "unknown")


class ServiceClients:
    """One channel per service of the registry, and the declared stubs on them, for the life of the gateway."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        self.channels = {name: open_channel(target) for name, target in settings.targets.items()}
        self.stubs = {name: stub.stub_class(self.channels[stub.service]) for name, stub in ServiceCall.stubs().items()}
        self.common = {
            name: {kind: stub_class(channel) for kind, stub_class in COMMON_STUBS.items()}
            for name, channel in self.channels.items()
        }

    async def close(self) -> None:
        for channel in self.channels.values():
            await channel.close()


def service_call(request: Request, caller: Caller) -> ServiceCall:
    key = getattr(request.state, "idempotency_key", "")
    return ServiceCall(request.app.state.clients, caller, request.state.request_id, key)
