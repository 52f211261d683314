"""SIGTERM drains instead of dropping work, and every line a process writes is JSON.

The test starts processes of its own (the contacts service and a gateway routed to it through a
HoldingProxy) on databases and an event namespace of its own, holds work in flight, sends SIGTERM
and watches: health says NOT_SERVING (gRPC) and 503 (/readyz) while the process still serves, the
work in flight finishes, the events it wrote reach the stream, the process exits 0. Then every line
the processes and the migrations wrote is parsed as JSON. The tests run in file order on the same
processes: the request and event lines, then the gateway's shutdown, then the service's, then the logs.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import grpc
import httpx
import nats
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from crm.contacts.v1 import contacts_pb2 as pb
from crm.contacts.v1 import contacts_pb2_grpc
from crm_core.auth import Caller
from crm_core.db import asyncpg_connect_params, drop_database
from crm_core.events.envelope import Namespace
from crm_core.launcher import PlatformConfig, _answers, _port_open
from crm_core.testing import RUN_ID, CallerStub, HoldingProxy, eventually, nats_test_url, stream_messages

pytestmark = pytest.mark.e2e

ADMIN_PASSWORD = f"shutdown-admin-{uuid.uuid4().hex}"
DRAIN_SECONDS = 2.0
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "shutdown-logs"
SERVING, NOT_SERVING = health_pb2.HealthCheckResponse.SERVING, health_pb2.HealthCheckResponse.NOT_SERVING


@dataclass
class Stack:
    """The test's own contacts service and gateway, their log files and what the tests learnt on the way."""

    config: PlatformConfig
    proxy: HoldingProxy
    logs: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    exit_codes: dict[str, int] = field(default_factory=dict)
    admin_id: str = ""

    @property
    def contacts_port(self) -> int:
        return self.config.grpc_ports["contacts"]

    def spawn(self, name: str, module: str, env: dict[str, str]) -> None:
        output = (self.logs / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", module], env=env, stdout=output, stderr=subprocess.STDOUT
        )

    def wait_exit(self, name: str, timeout: float = 30) -> int:
        self.exit_codes[name] = self.processes[name].wait(timeout)
        return self.exit_codes[name]

    def lines(self, name: str) -> list[str]:
        return (self.logs / f"{name}.log").read_text().splitlines()


@pytest.fixture(scope="module")
async def stack() -> AsyncIterator[Stack]:
    tag = f"sd{RUN_ID}"
    config = PlatformConfig.isolated(tag, ADMIN_PASSWORD, extra_env={"CRM_SHUTDOWN_DRAIN_SECONDS": str(DRAIN_SECONDS)})
    logs = ARTIFACTS / tag
    logs.mkdir(parents=True, exist_ok=True)
    proxy = HoldingProxy(config.grpc_ports["contacts"])
    await proxy.start()
    running = Stack(config, proxy, logs)
    env = {**config.env(), "PYTHONUNBUFFERED": "1"}
    try:
        for name, module in (("contacts-migrate", "crm_contacts.migrate"), ("gateway-migrate", "crm_gateway.migrate")):
            with (logs / f"{name}.log").open("wb") as output:
                subprocess.run(
                    [sys.executable, "-m", module], env=env, stdout=output, stderr=subprocess.STDOUT, check=True
                )
        running.spawn("contacts", "crm_contacts", env)
        # The gateway reaches contacts through the proxy, so a test can hold a request in flight.
        running.spawn("gateway", "crm_gateway", {**env, "CRM_CONTACTS_GRPC_TARGET": f"127.0.0.1:{proxy.port}"})
        deadline = time.monotonic() + 60
        while not (_port_open(running.contacts_port) and _answers(f"{config.gateway_url}/readyz")):
            exited = {n: p.returncode for n, p in running.processes.items() if p.poll() is not None}
            assert not exited and time.monotonic() < deadline, f"did not start (exited: {exited})"
            await asyncio.sleep(0.1)
        yield running
    finally:
        await proxy.close()
        for process in running.processes.values():  # only the processes this fixture started, by their handles
            if process.poll() is None:
                process.kill()
                process.wait()
        for name in ("contacts", "gateway"):
            await drop_database(config.database_url(name))
        nc = await nats.connect(nats_test_url())
        try:
            js = nc.jetstream()
            for info in await js.streams_info():
                if (info.config.name or "").startswith(f"{tag.upper()}_"):
                    await js.delete_stream(info.config.name or "")
        finally:
            await nc.close()


@contextlib.asynccontextmanager
async def logged_in(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stack.config.gateway_url, timeout=30) as client:
        response = await client.post("/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD})
        assert response.status_code == 200, response.text
        client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        yield client


def company(name: str) -> dict[str, object]:
    return {"kind": "company", "company": {"legal_name": name}}


async def health(port: int, service: str = "") -> int:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        answer = await health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service=service), timeout=2
        )
    return int(answer.status)


async def test_requests_are_served_and_their_events_handled(stack: Stack) -> None:
    async with logged_in(stack) as admin:
        stack.admin_id = (await admin.get("/api/v1/me")).json()["id"]
        created = await admin.post("/api/v1/parties", json=company(f"ООО Журнал {uuid.uuid4().hex[:6]}"))
        assert created.status_code == 201, created.text
        assert (await admin.get(f"/api/v1/parties/{created.json()['id']}")).status_code == 200

    def handled() -> bool:  # the timeline consumer applied the party.created event
        return any('"event_handled"' in line and '"applied"' in line for line in stack.lines("contacts"))

    await eventually(handled, timeout=20)


async def test_a_sigtermed_gateway_reports_503_serves_what_is_in_flight_and_exits_0(stack: Stack) -> None:
    gateway = stack.config.gateway_url
    async with logged_in(stack) as admin, httpx.AsyncClient(base_url=gateway, timeout=30) as probe:
        assert (await admin.get("/api/v1/parties")).status_code == 200  # the gateway's channel to contacts is up
        stack.proxy.hold()
        name = f"ООО Последний {uuid.uuid4().hex[:6]}"
        in_flight = asyncio.create_task(admin.post("/api/v1/parties", json=company(name)))
        await asyncio.sleep(0.5)  # the request reached the service; its answer is held by the proxy
        stack.processes["gateway"].send_signal(signal.SIGTERM)

        async def unready() -> bool:
            return (await probe.get("/readyz")).status_code == 503

        await eventually(unready, timeout=DRAIN_SECONDS)
        # Still serving during the drain: liveness answers, the identity module's health says NOT_SERVING.
        assert (await probe.get("/healthz")).status_code == 200
        assert await health(stack.config.identity_port) == NOT_SERVING
        assert not in_flight.done()
        await asyncio.sleep(DRAIN_SECONDS)  # past the drain: the server no longer accepts, the request is in flight
        stack.proxy.release()
        answer = await in_flight
    assert answer.status_code == 201, answer.text
    assert answer.json()["display_name"] == name
    assert await asyncio.to_thread(stack.wait_exit, "gateway") == 0


async def test_a_sigtermed_service_reports_not_serving_finishes_calls_and_publishes_their_events(
    stack: Stack,
) -> None:
    secret = stack.config.internal_secret
    stub = CallerStub(
        contacts_pb2_grpc.ContactsServiceStub(grpc.aio.insecure_channel(f"127.0.0.1:{stack.contacts_port}")),
        Caller(stack.admin_id or "u-shutdown", frozenset({"admin"})),
        secret,
    )
    database = stack.config.database_url("contacts")
    # Hold the call inside its transaction: the party table is locked until the test lets go.
    lock = await asyncpg.connect(**asyncpg_connect_params(database, database.rsplit("/", 1)[-1]))
    transaction = lock.transaction()
    await transaction.start()
    await lock.execute("LOCK TABLE party IN ACCESS EXCLUSIVE MODE")
    name = f"ООО Напоследок {uuid.uuid4().hex[:6]}"
    in_flight = asyncio.create_task(
        stub.CreateParty(
            pb.CreatePartyRequest(party=pb.Party(kind="company", company=pb.CompanyDetails(legal_name=name)))
        )
    )
    try:
        await asyncio.sleep(0.5)
        assert not in_flight.done()
        assert await health(stack.contacts_port) == SERVING
        stack.processes["contacts"].send_signal(signal.SIGTERM)

        async def not_serving() -> bool:
            return await health(stack.contacts_port) == NOT_SERVING and (
                await health(stack.contacts_port, "crm.contacts.v1.ContactsService") == NOT_SERVING
            )

        await eventually(not_serving, timeout=DRAIN_SECONDS)
        await asyncio.sleep(DRAIN_SECONDS)  # the drain is over: the server stopped accepting, the call waits
        assert not in_flight.done()
    finally:
        await transaction.rollback()
        await lock.close()
    created = (await in_flight).party
    assert created.display_name == name
    assert await asyncio.to_thread(stack.wait_exit, "contacts") == 0

    # The event of a call that committed after SIGTERM is on the stream: the relay flushed before exiting.
    nc = await nats.connect(nats_test_url())
    try:
        stream = Namespace(stack.config.events_namespace).stream("contacts")
        messages = await stream_messages(nc.jetstream(), stream)
    finally:
        await nc.close()
    assert any(created.id.encode() in m.data and m.subject.endswith("party.created") for m in messages)


def parsed(stack: Stack, name: str) -> list[dict[str, object]]:
    """Every line of a log file as JSON (a line that is not JSON fails the test, naming it)."""
    entries = []
    for number, line in enumerate(stack.lines(name), 1):
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            pytest.fail(f"{name}.log line {number} is not JSON: {line!r}")
    return entries


def test_every_line_is_json_with_request_rpc_and_event_lines_and_no_password(stack: Stack) -> None:
    assert stack.exit_codes == {"gateway": 0, "contacts": 0}, "the shutdown tests run first"
    logs = {name: parsed(stack, name) for name in ("contacts-migrate", "gateway-migrate", "contacts", "gateway")}

    assert any(e.get("logger") == "alembic.runtime.migration" for e in logs["contacts-migrate"])
    assert any(e.get("logger", "").startswith("uvicorn") for e in logs["gateway"])  # type: ignore[union-attr]

    requests = [e for e in logs["gateway"] if e["event"] == "http_request"]
    create = next(e for e in requests if e["route"] == "/api/v1/parties" and e["method"] == "POST")
    assert (create["status"], create["user_id"]) == (201, stack.admin_id)
    assert isinstance(create["ms"], float | int)
    read = next(e for e in requests if e["route"] == "/api/v1/parties/{party_id}")
    assert read["path"] != read["route"] and read["user_id"] == stack.admin_id

    rpcs = [e for e in logs["contacts"] if e["event"] == "rpc_served"]
    rpc = next(e for e in rpcs if e["method"] == "/crm.contacts.v1.ContactsService/CreateParty")
    assert (rpc["status"], rpc["user_id"]) == ("OK", stack.admin_id) and isinstance(rpc["ms"], float | int)

    event = next(e for e in logs["contacts"] if e["event"] == "event_handled")
    assert {"consumer", "event_type", "outcome", "ms"} <= event.keys()
    assert str(event["event_type"]).endswith("party.created") and event["outcome"] == "applied"

    stopping = [e["event"] for e in logs["contacts"]]
    assert stopping.index("service_stopping") < stopping.index("outbox_flushed") < stopping.index("service_stopped")
    assert "gateway_draining" in [e["event"] for e in logs["gateway"]]

    for name in logs:
        assert ADMIN_PASSWORD not in (stack.logs / f"{name}.log").read_text(), f"{name}.log shows the password"
