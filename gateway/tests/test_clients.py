"""The gateway's service calls, `await call.deals.GetDeal(request)`, against a real in-process gRPC server.

The server runs the services' own interceptor (crm_core.grpc_server) in front of small servicers of the
generated deals and processes APIs, so the caller's token is verified and errors travel in the same
trailers a service sends.
"""

from __future__ import annotations

import ast
import asyncio
import hashlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from opentelemetry import context as otel_context
from opentelemetry import trace
from prometheus_client import REGISTRY as REGISTRY_METRICS

from crm.deals.v1 import deals_pb2, deals_pb2_grpc
from crm.tasks.v1 import processes_pb2, processes_pb2_grpc
from crm_core.answered import IDEMPOTENCY_KEY
from crm_core.auth import REQUEST_ID_KEY, Caller, current_caller, metadata_values
from crm_core.errors import FieldProblem, NotFound, PermissionDenied, Unavailable
from crm_core.grpc_server import ServiceInterceptor
from crm_core.launcher import free_port
from crm_core.registry import REGISTRY
from crm_gateway.clients import ServiceCall, ServiceClients
from crm_gateway.problems import Problem
from crm_gateway.settings import GatewaySettings

GATEWAY_SRC = Path(__file__).resolve().parents[1] / "src" / "crm_gateway"
ALICE = Caller("u-alice", frozenset({"manager"}), frozenset({"team-north"}))


class Deals(deals_pb2_grpc.DealsServiceServicer):
    """GetDeal answers a deal named after the request, remembering who asked and with what metadata."""

    def __init__(self) -> None:
        self.metadata: list[dict[str, str]] = []
        self.callers: list[Caller] = []

    async def GetDeal(self, request: Any, context: grpc.aio.ServicerContext) -> deals_pb2.Deal:
        self.metadata.append(metadata_values(tuple(context.invocation_metadata() or ())))
        self.callers.append(current_caller())
        if request.id == "hidden":
            problem = FieldProblem("id", "not_visible", "you may not see it")
            raise NotFound("deal_not_found", f"no deal {request.id}", [problem])
        if request.id == "slow":
            await asyncio.sleep(5)
        return deals_pb2.Deal(id=request.id, title="Поставка оборудования")


class Processes(processes_pb2_grpc.ProcessesServiceServicer):
    """ListRoles answers one role, or raises `failure` when a test sets one."""

    def __init__(self) -> None:
        self.failure: Exception | None = None

    async def ListRoles(self, request: Any, context: grpc.aio.ServicerContext) -> processes_pb2.ListRolesResponse:
        if self.failure is not None:
            raise self.failure
        return processes_pb2.ListRolesResponse(roles=[processes_pb2.ProcessRole(code="lawyer")])


@pytest.fixture(scope="module")
def settings() -> GatewaySettings:
    return GatewaySettings()


@pytest.fixture(scope="module")
async def server(settings: GatewaySettings) -> AsyncIterator[tuple[int, Deals, Processes]]:
    deals, processes = Deals(), Processes()
    server = grpc.aio.server(interceptors=[ServiceInterceptor("deals", settings.internal_secret)])
    deals_pb2_grpc.add_DealsServiceServicer_to_server(deals, server)
    processes_pb2_grpc.add_ProcessesServiceServicer_to_server(processes, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    yield port, deals, processes
    await server.stop(None)


def clients_to(port: int, services: set[str], deadline: float = 5.0) -> ServiceClients:
    """Clients whose `services` answer on `port`; every other service of the registry on a port nobody serves."""
    nobody = free_port()
    targets = {name: f"127.0.0.1:{port if name in services else nobody}" for name in REGISTRY}
    return ServiceClients(GatewaySettings(targets=targets, grpc_deadline=deadline))


@pytest.fixture
async def clients(server: tuple[int, Deals, Processes]) -> AsyncIterator[ServiceClients]:
    clients = clients_to(server[0], set(REGISTRY))
    yield clients
    await clients.close()


@pytest.fixture
def deals(server: tuple[int, Deals, Processes]) -> Iterator[Deals]:
    server[1].metadata.clear()
    server[1].callers.clear()
    yield server[1]


@pytest.fixture
def processes(server: tuple[int, Deals, Processes]) -> Iterator[Processes]:
    yield server[2]
    server[2].failure = None


async def test_a_call_returns_the_service_s_answer(clients: ServiceClients, deals: Deals) -> None:
    call = ServiceCall(clients, ALICE, "req-1")
    deal = await call.deals.GetDeal(deals_pb2.GetDealRequest(id="d-1"))
    assert (deal.id, deal.title) == ("d-1", "Поставка оборудования")


async def test_the_service_sees_the_request_s_caller_and_request_id(clients: ServiceClients, deals: Deals) -> None:
    await ServiceCall(clients, ALICE, "req-42").deals.GetDeal(deals_pb2.GetDealRequest(id="d-1"))
    assert deals.callers == [ALICE]  # from the internal token the interceptor verified, not from plain metadata
    assert deals.metadata[0][REQUEST_ID_KEY] == "req-42"


async def test_an_idempotency_key_travels_as_its_sha256_digest(clients: ServiceClients, deals: Deals) -> None:
    key = "повтор-1"  # an HTTP header may carry what gRPC metadata may not
    await ServiceCall(clients, ALICE, "req-1", key).deals.GetDeal(deals_pb2.GetDealRequest(id="d-1"))
    await ServiceCall(clients, ALICE, "req-2").deals.GetDeal(deals_pb2.GetDealRequest(id="d-1"))
    with_key, without_key = deals.metadata
    assert with_key[IDEMPOTENCY_KEY] == hashlib.sha256(key.encode()).hexdigest()
    assert IDEMPOTENCY_KEY not in without_key


async def test_the_current_trace_context_is_sent(clients: ServiceClients, deals: Deals) -> None:
    span = trace.SpanContext(
        0x0AF7651916CD43DD8448EB211C80319C, 0xB7AD6B7169203331, is_remote=False, trace_flags=trace.TraceFlags(1)
    )
    token = otel_context.attach(trace.set_span_in_context(trace.NonRecordingSpan(span)))
    try:
        await ServiceCall(clients, ALICE, "req-1").deals.GetDeal(deals_pb2.GetDealRequest(id="d-1"))
    finally:
        otel_context.detach(token)
    # The request's trace, below the call's CLIENT span (the request's span itself when no SDK records spans).
    version, trace_id, _parent, flags = deals.metadata[0]["traceparent"].split("-")
    assert (version, trace_id, flags) == ("00", "0af7651916cd43dd8448eb211c80319c", "01")


async def test_a_service_error_is_the_problem_of_its_trailer_with_field_violations(
    clients: ServiceClients, deals: Deals
) -> None:
    with pytest.raises(Problem) as info:
        await ServiceCall(clients, ALICE, "req-1").deals.GetDeal(deals_pb2.GetDealRequest(id="hidden"))
    problem = info.value
    assert (problem.status, problem.code, problem.detail) == (404, "deal_not_found", "no deal hidden")
    assert problem.errors == [{"field": "id", "code": "not_visible", "message": "you may not see it"}]
    assert isinstance(problem.__cause__, grpc.aio.AioRpcError)


async def test_a_call_past_the_deadline_is_503_naming_the_service(server: tuple[int, Deals, Processes]) -> None:
    clients = clients_to(server[0], set(REGISTRY), deadline=0.3)
    try:
        started = asyncio.get_running_loop().time()
        with pytest.raises(Problem) as info:
            await ServiceCall(clients, ALICE, "req-1").deals.GetDeal(deals_pb2.GetDealRequest(id="slow"))
        assert asyncio.get_running_loop().time() - started < 3
    finally:
        await clients.close()
    assert (info.value.status, info.value.code) == (503, "service_unavailable")
    assert info.value.detail == "The deals service is unavailable; try again shortly."


async def test_processes_are_called_on_the_tasks_channel(server: tuple[int, Deals, Processes]) -> None:
    clients = clients_to(server[0], {"tasks"})
    try:
        roles = await ServiceCall(clients, ALICE, "req-1").processes.ListRoles(processes_pb2.ListRolesRequest())
    finally:
        await clients.close()
    assert [r.code for r in roles.roles] == ["lawyer"]


async def test_processes_errors_name_the_tasks_service(clients: ServiceClients, processes: Processes) -> None:
    call = ServiceCall(clients, ALICE, "req-1")
    processes.failure = Unavailable("unavailable", "draining")
    with pytest.raises(Problem) as info:
        await call.processes.ListRoles(processes_pb2.ListRolesRequest())
    assert (info.value.status, info.value.detail) == (503, "The tasks service is unavailable; try again shortly.")
    processes.failure = PermissionDenied("admin_only", "only an administrator can do this")
    with pytest.raises(Problem) as info:
        await call.processes.ListRoles(processes_pb2.ListRolesRequest())
    assert (info.value.status, info.value.code) == (403, "admin_only")


async def test_a_service_nobody_answers_for_is_503_naming_it(server: tuple[int, Deals, Processes]) -> None:
    clients = clients_to(server[0], set(), deadline=2.0)
    try:
        with pytest.raises(Problem) as info:
            await ServiceCall(clients, ALICE, "req-1").deals.GetDeal(deals_pb2.GetDealRequest(id="d-1"))
    finally:
        await clients.close()
    assert (info.value.status, info.value.detail) == (503, "The deals service is unavailable; try again shortly.")


async def test_a_method_the_proto_does_not_have_is_an_attribute_error(clients: ServiceClients) -> None:
    with pytest.raises(AttributeError):
        ServiceCall(clients, ALICE, "req-1").deals.GetDealz  # noqa: B018


async def test_there_is_one_channel_per_registered_service(clients: ServiceClients) -> None:
    assert set(clients.channels) == set(REGISTRY)
    assert {name: stub.service for name, stub in ServiceCall.stubs().items()} == {
        "contacts": "contacts",
        "deals": "deals",
        "tasks": "tasks",
        "processes": "tasks",
        "marketing": "marketing",
        "helpdesk": "helpdesk",
        "knowledge": "helpdesk",
        "documents": "documents",
        "attachments": "documents",
    }


def called_methods() -> set[tuple[str, str]]:
    """(stub, method) of every `<x>.<stub>.<Method>(...)` in the gateway whose stub is declared on ServiceCall."""
    stubs = ServiceCall.stubs()
    found = set()
    for path in GATEWAY_SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            target = node.func.value
            if isinstance(target, ast.Attribute) and target.attr in stubs and node.func.attr[:1].isupper():
                found.add((target.attr, node.func.attr))
    return found


async def test_every_method_the_gateway_calls_is_in_its_service_s_api(clients: ServiceClients) -> None:
    """mypy sees the generated stubs as untyped, so a misspelt method would only fail when called."""
    called = called_methods()
    assert len(called) > 50
    assert sorted(f"{stub}.{method}" for stub, method in called if not hasattr(clients.stubs[stub], method)) == []


def common_called_methods() -> set[tuple[str, str]]:
    """(kind, method) of every `call.common(service).<kind>.<Method>(...)` in the gateway."""
    found = set()
    for path in GATEWAY_SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            target = node.func.value
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Call)
                and isinstance(target.value.func, ast.Attribute)
                and target.value.func.attr == "common"
            ):
                found.add((target.attr, node.func.attr))
    return found


async def test_every_common_method_the_gateway_calls_is_in_crm_common_v1(clients: ServiceClients) -> None:
    """The audit, custom-field and code-list routes call the crm.common.v1 stubs on every service's channel."""
    called = common_called_methods()
    assert {kind for kind, _ in called} == {"audit", "custom_fields", "code_lists"}
    assert set(clients.common) == set(REGISTRY)
    for stubs in clients.common.values():
        assert sorted(f"{kind}.{method}" for kind, method in called if not hasattr(stubs[kind], method)) == []


async def test_common_calls_go_to_the_named_service_s_channel(clients: ServiceClients) -> None:
    bound = ServiceCall(clients, ALICE, "req-1").common("deals").audit
    assert bound._service == "deals" and bound._stub is clients.common["deals"]["audit"]


def client_calls(method: str, code: str) -> float:
    return (
        REGISTRY_METRICS.get_sample_value(
            "crm_grpc_client_requests_total", {"service": "deals", "method": method, "code": code}
        )
        or 0.0
    )


async def test_calls_are_counted_and_timed_per_service_method_and_status(clients: ServiceClients, deals: Deals) -> None:
    ok, not_found = client_calls("DealsService/GetDeal", "OK"), client_calls("DealsService/GetDeal", "NOT_FOUND")
    timed = (
        REGISTRY_METRICS.get_sample_value(
            "crm_grpc_client_duration_seconds_count", {"service": "deals", "method": "DealsService/GetDeal"}
        )
        or 0.0
    )
    call = ServiceCall(clients, ALICE, "req-1")
    await call.deals.GetDeal(deals_pb2.GetDealRequest(id="d-1"))
    with pytest.raises(Problem):
        await call.deals.GetDeal(deals_pb2.GetDealRequest(id="hidden"))
    assert client_calls("DealsService/GetDeal", "OK") == ok + 1
    assert client_calls("DealsService/GetDeal", "NOT_FOUND") == not_found + 1
    assert (
        REGISTRY_METRICS.get_sample_value(
            "crm_grpc_client_duration_seconds_count", {"service": "deals", "method": "DealsService/GetDeal"}
        )
        == timed + 2
    )
