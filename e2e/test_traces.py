"""Traces: one deal created through the gateway is one trace across the gateway, the services, NATS and consumers.

The test runs its own OTLP gRPC receiver (opentelemetry.proto's TraceService) and a platform of its own whose
every process exports there (OTEL_EXPORTER_OTLP_ENDPOINT), then reads the trace the deal made.
"""

from __future__ import annotations

import asyncio
import signal
import threading
import uuid
from collections.abc import Iterator
from concurrent import futures
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest
from faker import Faker
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc
from opentelemetry.proto.common.v1 import common_pb2
from opentelemetry.proto.trace.v1 import trace_pb2

from crm_core.launcher import Platform, PlatformConfig
from crm_core.testing import RUN_ID, create_company

pytestmark = pytest.mark.e2e

PASSWORD = "traces-admin-password"
ARTIFACTS_LOGS = Path(__file__).resolve().parent.parent / "artifacts" / "e2e-traces-logs"
SERVER, CLIENT, PRODUCER, CONSUMER = (
    trace_pb2.Span.SPAN_KIND_SERVER,
    trace_pb2.Span.SPAN_KIND_CLIENT,
    trace_pb2.Span.SPAN_KIND_PRODUCER,
    trace_pb2.Span.SPAN_KIND_CONSUMER,
)


@dataclass
class Received:
    """A span as the receiver got it, with its process's service name and its attributes as text."""

    service: str
    span: trace_pb2.Span
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def trace_id(self) -> str:
        return self.span.trace_id.hex()


def text(value: common_pb2.AnyValue) -> str:
    """An attribute value as text (lists and maps flattened), so a secret anywhere in it is found."""
    kind = value.WhichOneof("value")
    if kind == "array_value":
        return " ".join(text(v) for v in value.array_value.values)
    if kind == "kvlist_value":
        return " ".join(f"{kv.key}={text(kv.value)}" for kv in value.kvlist_value.values)
    if kind == "bytes_value":
        return value.bytes_value.decode("utf-8", "replace")
    return str(getattr(value, kind)) if kind else ""


class Collector(trace_service_pb2_grpc.TraceServiceServicer):
    """An OTLP trace receiver keeping every span it is sent."""

    def __init__(self) -> None:
        self.spans: list[Received] = []
        self.resources: list[dict[str, str]] = []
        self._lock = threading.Lock()

    def Export(
        self, request: trace_service_pb2.ExportTraceServiceRequest, context: Any
    ) -> trace_service_pb2.ExportTraceServiceResponse:
        with self._lock:
            for resource_spans in request.resource_spans:
                resource = {kv.key: text(kv.value) for kv in resource_spans.resource.attributes}
                self.resources.append(resource)
                for scope_spans in resource_spans.scope_spans:
                    for span in scope_spans.spans:
                        attributes = {kv.key: text(kv.value) for kv in span.attributes}
                        for event in span.events:
                            attributes.update({f"event.{kv.key}": text(kv.value) for kv in event.attributes})
                        self.spans.append(Received(resource.get("service.name", ""), span, attributes))
        return trace_service_pb2.ExportTraceServiceResponse()

    def snapshot(self) -> list[Received]:
        with self._lock:
            return list(self.spans)


@pytest.fixture(scope="module")
def collector() -> Iterator[tuple[Collector, int]]:
    receiver = Collector()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(receiver, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield receiver, port
    server.stop(0)


@pytest.fixture(scope="module")
def traced_platform(collector: tuple[Collector, int]) -> Iterator[Platform]:
    _, port = collector
    config = PlatformConfig.isolated(
        f"tr{RUN_ID}",
        PASSWORD,
        extra_env={
            "OTEL_TRACES_EXPORTER": "otlp",
            "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{port}",
            "OTEL_EXPORTER_OTLP_INSECURE": "true",
            "OTEL_BSP_SCHEDULE_DELAY": "200",
            "OTEL_TRACES_SAMPLER": "parentbased_always_on",
        },
    )
    running = Platform(config, log_dir=ARTIFACTS_LOGS)
    running.migrate()
    running.start()
    yield running
    exit_codes = running.stop()
    running.drop_databases()
    assert all(code in (0, -signal.SIGTERM) for code in exit_codes.values()), exit_codes


def one_trace(spans: list[Received]) -> list[Received] | None:
    """The trace of the deal's creation once it holds every span the test expects (None while it does not)."""
    roots = [s for s in spans if s.service == "crm-gateway" and s.span.name == "POST /api/v1/deals"]
    if not roots:
        return None
    trace = [s for s in spans if s.trace_id == roots[0].trace_id]
    groups = {s.attributes.get("messaging.consumer.group.name") for s in trace if s.span.kind == CONSUMER}
    if not {"contacts-timeline", "tasks-process-triggers"} <= groups:
        return None
    ids = {s.span.span_id for s in trace}
    if any(s.span.parent_span_id and s.span.parent_span_id not in ids for s in trace):
        return None  # a parent not exported yet
    return trace


async def test_a_deal_created_through_the_gateway_is_one_trace_without_secrets(
    traced_platform: Platform, collector: tuple[Collector, int]
) -> None:
    receiver, _ = collector
    search_text = f"Искомое{uuid.uuid4().hex[:8]}"
    async with httpx.AsyncClient(base_url=traced_platform.config.gateway_url, timeout=15) as api:
        login = await api.post("/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})
        assert login.status_code == 200, login.text
        token = login.json()["access_token"]
        api.headers["Authorization"] = f"Bearer {token}"
        client = await create_company(api, Faker("ru_RU"))
        assert (await api.get("/api/v1/parties", params={"q": search_text})).status_code == 200
        response = await api.post("/api/v1/deals", json={"title": "Поставка", "client_id": client["id"]})
        assert response.status_code == 201, response.text
        assert (await api.get(f"/api/v1/deals/{response.json()['id']}")).status_code == 200

    trace: list[Received] | None = None
    for _ in range(150):
        trace = one_trace(receiver.snapshot())
        if trace is not None:
            break
        await asyncio.sleep(0.2)
    if trace is None:  # what arrived, for the reader of the failure
        (ARTIFACTS_LOGS / "spans.txt").write_text(
            "\n".join(
                f"{s.trace_id} {s.span.span_id.hex()} <- {s.span.parent_span_id.hex() or '-'} {s.service} "
                f"{s.span.kind} {s.span.name} {s.attributes}"
                for s in receiver.snapshot()
            )
        )
    assert trace is not None, f"the deal's trace is incomplete: see {ARTIFACTS_LOGS / 'spans.txt'}"

    def spans(service: str, kind: int, name_part: str = "") -> list[Received]:
        return [s for s in trace if s.service == service and s.span.kind == kind and name_part in s.span.name]

    # One root: the gateway's server span, named by its route; everything else hangs below it.
    roots = [s for s in trace if not s.span.parent_span_id]
    assert [(r.service, r.span.name, r.span.kind) for r in roots] == [("crm-gateway", "POST /api/v1/deals", SERVER)]
    assert roots[0].attributes["http.route"] == "/api/v1/deals"
    assert roots[0].attributes["http.response.status_code"] == "201"
    gateway_servers = [s for s in trace if s.service == "crm-gateway" and s.span.kind == SERVER]
    assert gateway_servers == roots  # one span per request, not a framework's and the project's
    # The gateway calls contacts and deals: client spans there, server spans in the services.
    assert spans("crm-gateway", CLIENT, "crm.contacts.v1.ContactsService/")
    assert spans("crm-gateway", CLIENT, "crm.deals.v1.DealsService/CreateDeal")
    assert spans("crm-contacts", SERVER, "crm.contacts.v1.ContactsService/")
    created = spans("crm-deals", SERVER, "crm.deals.v1.DealsService/CreateDeal")
    assert created and created[0].attributes["rpc.system"] == "grpc"
    # Database statements, with placeholders and no values.
    statements = [s for s in trace if "db.query.text" in s.attributes]
    assert {s.service for s in statements} >= {"crm-deals"}
    assert all(s.span.kind == CLIENT and s.attributes["db.system.name"] == "postgresql" for s in statements)
    # The outbox row's PRODUCER span, the relay's publish below it, the consumers below that.
    (written,) = [s for s in spans("crm-deals", PRODUCER, "create ") if s.span.name.endswith("deals.deal.created")]
    assert written.span.parent_span_id == created[0].span.span_id
    assert written.attributes["messaging.system"] == "nats"
    sends = [s for s in spans("crm-deals", PRODUCER, "send ") if s.span.parent_span_id == written.span.span_id]
    assert len(sends) == 1 and [link.span_id for link in sends[0].span.links] == [written.span.span_id]
    event_id = written.attributes["messaging.message.id"]
    for service, group in (("crm-contacts", "contacts-timeline"), ("crm-tasks", "tasks-process-triggers")):
        (consumed,) = [
            s
            for s in spans(service, CONSUMER)
            if s.attributes["messaging.consumer.group.name"] == group
            and s.attributes["messaging.message.id"] == event_id
        ]
        assert consumed.span.parent_span_id == sends[0].span.span_id
        assert consumed.attributes["messaging.system"] == "nats"
        assert consumed.attributes["messaging.destination.name"] == written.attributes["messaging.destination.name"]

    # A read is its own trace, named by its route template.
    assert any(s.span.name == "GET /api/v1/deals/{deal_id}" for s in receiver.snapshot())
    searched = [s for s in receiver.snapshot() if s.span.name == "GET /api/v1/parties"]
    assert searched and searched[0].attributes["url.query"] == "q=REDACTED"
    # No token, password or query value anywhere: span names, attributes, event attributes, resources.
    everything = [
        *(s.span.name for s in receiver.snapshot()),
        *(v for s in receiver.snapshot() for v in s.attributes.values()),
        *(v for r in receiver.resources for v in r.values()),
    ]
    for secret in (token, token.split(".")[-1], PASSWORD, search_text):
        assert not [v for v in everything if secret in v], secret


def process_definition(key: str, title: str) -> str:
    """A process started by the deal's creation whose one action renames the deal through the deals service."""
    return f"""
key: {key}
name: Traced rename
trigger:
  event: deal.created
  condition: title == "{title}"
steps:
  - id: rename
    type: action
    action: update_record
    record: deal
    fields: {{title: "{title} (traced)"}}
    next: done
  - {{id: done, type: end}}
"""


async def test_a_process_action_started_by_the_deal_joins_the_deal_s_trace(
    traced_platform: Platform, collector: tuple[Collector, int]
) -> None:
    receiver, _ = collector
    title = f"Трассируемая {uuid.uuid4().hex[:8]}"
    async with httpx.AsyncClient(base_url=traced_platform.config.gateway_url, timeout=15) as api:
        login = await api.post("/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})
        api.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        published = await api.post(
            "/api/v1/process-definitions",
            content=process_definition(f"traced-{uuid.uuid4().hex[:8]}", title).encode(),
            headers={"Content-Type": "application/yaml"},
        )
        assert published.status_code == 201, published.text
        client = await create_company(api, Faker("ru_RU"))
        response = await api.post("/api/v1/deals", json={"title": title, "client_id": client["id"]})
        assert response.status_code == 201, response.text

    def renamed_in_one_trace() -> list[Received] | None:
        spans = receiver.snapshot()
        jobs = [s for s in spans if s.service == "crm-tasks" and s.span.name == "process job update_record"]
        for job in jobs:
            trace = [s for s in spans if s.trace_id == job.trace_id]
            calls = [s for s in trace if s.span.name == "crm.deals.v1.DealsService/UpdateDeal"]
            if {(s.service, s.span.kind) for s in calls} == {("crm-tasks", CLIENT), ("crm-deals", SERVER)}:
                return trace
        return None

    trace: list[Received] | None = None
    for _ in range(150):
        trace = renamed_in_one_trace()
        if trace is not None:
            break
        await asyncio.sleep(0.2)
    assert trace is not None, "no process job with its UpdateDeal call in one trace"
    roots = [s for s in trace if not s.span.parent_span_id]
    assert [(r.service, r.span.name) for r in roots] == [("crm-gateway", "POST /api/v1/deals")]
    # The job hangs below the tasks consumer that started the process, which hangs below the relay's publish.
    by_id = {s.span.span_id: s for s in trace}
    (job,) = [s for s in trace if s.span.name == "process job update_record"]
    ancestors = []
    parent = by_id.get(job.span.parent_span_id)
    while parent is not None:
        ancestors.append((parent.service, parent.span.kind))
        parent = by_id.get(parent.span.parent_span_id)
    assert ("crm-tasks", CONSUMER) in ancestors and ("crm-deals", PRODUCER) in ancestors
