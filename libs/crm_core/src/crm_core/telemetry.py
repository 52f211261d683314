"""OpenTelemetry tracing, propagated gateway -> gRPC -> NATS -> consumers.

The SDK is configured from the standard variables: OTEL_TRACES_EXPORTER
(`otlp`, `console`, `none`, `file`, or any exporter registered under the SDK's
`opentelemetry_traces_exporter` entry points; comma-separated), the
OTEL_EXPORTER_OTLP_* variables (endpoint, protocol, headers, ...),
OTEL_TRACES_SAMPLER/_ARG, OTEL_BSP_*, OTEL_SERVICE_NAME and
OTEL_RESOURCE_ATTRIBUTES, all read by the SDK itself. Two defaults differ
from the SDK's: the service name is `crm-<service>` unless OTEL_SERVICE_NAME
(or service.name in OTEL_RESOURCE_ATTRIBUTES) names one, and without
OTEL_TRACES_EXPORTER spans are exported over OTLP only when an OTLP endpoint
is set (otherwise kept in process: trace ids still reach the logs and the
headers). `file` appends OTLP JSON lines to CRM_TRACES_FILE
(`.dev/traces.jsonl` by default; `make dev` uses it when no endpoint is set).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from google.protobuf import json_format
from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import SERVICE_NAME, OTELResourceDetector, Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.util._importlib_metadata import entry_points

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

_configured = False

DEFAULT_TRACES_FILE = ".dev/traces.jsonl"
REDACTED = "REDACTED"


def configure_tracing(service: str) -> None:
    """Install the process-wide tracer provider from the environment (idempotent)."""
    global _configured
    if _configured:
        return
    provider = TracerProvider(resource=service_resource(service))  # the sampler from OTEL_TRACES_SAMPLER
    for exporter in traces_exporters():
        provider.add_span_processor(BatchSpanProcessor(exporter))  # OTEL_BSP_* apply
    trace.set_tracer_provider(provider)
    _configured = True


def service_resource(service: str) -> Resource:
    """The resource from OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME, named `crm-<service>` when they do not."""
    from_env = OTELResourceDetector().detect()
    defaults: dict[str, str] = {"service.namespace": "crm"}
    if not from_env.attributes.get(SERVICE_NAME):
        defaults[SERVICE_NAME] = f"crm-{service}"
    return Resource.create(defaults).merge(from_env)


def exporter_names(environ: Mapping[str, str] | None = None) -> list[str]:
    """OTEL_TRACES_EXPORTER's names; unset: `otlp` when an OTLP endpoint is set, else none."""
    env = os.environ if environ is None else environ
    names = [n.strip().lower() for n in env.get("OTEL_TRACES_EXPORTER", "").split(",") if n.strip()]
    if not names:
        endpoint = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or env.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        names = ["otlp"] if endpoint else []
    return [n for n in names if n != "none"]


def traces_exporters(environ: Mapping[str, str] | None = None) -> list[SpanExporter]:
    """The exporters OTEL_TRACES_EXPORTER names (the OTLP one over the protocol OTEL_EXPORTER_OTLP_*PROTOCOL says)."""
    env = os.environ if environ is None else environ
    exporters: list[SpanExporter] = []
    for name in exporter_names(env):
        if name == "file":
            exporters.append(JsonLinesFileExporter(env.get("CRM_TRACES_FILE") or DEFAULT_TRACES_FILE))
            continue
        if name == "otlp":
            protocol = env.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") or env.get("OTEL_EXPORTER_OTLP_PROTOCOL") or "grpc"
            name = "otlp_proto_http" if protocol.startswith("http") else "otlp_proto_grpc"
        found = list(entry_points(group="opentelemetry_traces_exporter", name=name))
        if not found:
            raise RuntimeError(f"OTEL_TRACES_EXPORTER: no trace exporter '{name}' is installed")
        exporters.append(found[0].load()())
    return exporters


def dev_environment(environ: Mapping[str, str], dev_dir: Path) -> dict[str, str]:
    """What `make dev` adds: spans to `<dev_dir>/traces.jsonl` unless an exporter or an OTLP endpoint is chosen."""
    if environ.get("OTEL_TRACES_EXPORTER") or exporter_names(environ):
        return {}
    return {"OTEL_TRACES_EXPORTER": "file", "CRM_TRACES_FILE": str((dev_dir / "traces.jsonl").resolve())}


class JsonLinesFileExporter(SpanExporter):
    """Appends each batch as one line of OTLP JSON (an ExportTraceServiceRequest), like the collector's file exporter.

    Every process of `make dev` appends to the same file: one write per line on an O_APPEND file keeps lines whole.
    """

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans

        line = (
            json.dumps(
                otlp_json(json_format.MessageToDict(encode_spans(spans), use_integers_for_enums=True)),
                separators=(",", ":"),
            )
            + "\n"
        )
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line.encode())
            finally:
                os.close(fd)
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        return None


def otlp_json(value: object) -> object:
    """protobuf's JSON of an OTLP message as OTLP/JSON has it: trace and span ids in hex, not base64."""
    import base64

    if isinstance(value, dict):
        return {
            k: base64.b64decode(v).hex() if k in ("traceId", "spanId", "parentSpanId") and v else otlp_json(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [otlp_json(v) for v in value]
    return value


def tracer(name: str = "crm") -> trace.Tracer:
    return trace.get_tracer(name)


def inject_headers(carrier: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """The current trace context as headers (traceparent, tracestate)."""
    headers: dict[str, str] = dict(carrier or {})
    propagate.inject(headers)
    return headers


def extract_context(headers: Mapping[str, str]) -> Context:
    """The trace context carried by incoming headers or metadata."""
    return propagate.extract(dict(headers))


def redacted_query(query: str) -> str:
    """A query string with every value replaced (`filter=REDACTED&limit=REDACTED`): names tell what was asked,
    values may be search text or tokens."""
    if not query:
        return ""
    names = [part.split("=", 1)[0] for part in query.split("&") if part]
    return "&".join(f"{name}={REDACTED}" for name in names)


def trace_statements(engine: Engine, database: str) -> None:
    """A CLIENT span per SQL statement run inside a traced operation (a request, an event): the statement's text
    with its placeholders, never the values bound to them. Statements of background loops (the relay polling its
    outbox) run outside any span and make none, so they do not flood the traces."""
    from sqlalchemy import event

    statement_tracer = tracer("crm.db")

    @event.listens_for(engine, "before_cursor_execute")
    def _start(_conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool) -> None:
        if context is None or not trace.get_current_span().get_span_context().is_valid:
            return
        operation = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "SQL"
        context._crm_span = statement_tracer.start_span(
            f"{operation} {database}",
            kind=trace.SpanKind.CLIENT,
            attributes={
                "db.system.name": "postgresql",
                "db.namespace": database,
                "db.operation.name": operation,
                "db.query.text": statement[:4000],
            },
        )

    @event.listens_for(engine, "after_cursor_execute")
    def _end(_conn: Any, _cursor: Any, _statement: str, _params: Any, context: Any, _many: bool) -> None:
        span = getattr(context, "_crm_span", None)
        if span is not None:
            span.end()
            context._crm_span = None

    @event.listens_for(engine, "handle_error")
    def _failed(error: Any) -> None:
        span = getattr(error.execution_context, "_crm_span", None)
        if span is not None:
            span.set_status(trace.Status(trace.StatusCode.ERROR, type(error.original_exception).__name__))
            span.end()
            error.execution_context._crm_span = None


def messaging_attributes(subject: str, event_id: str, operation: str, **more: str | int) -> dict[str, str | int]:
    """Messaging semantic-convention attributes of a span about one event on NATS."""
    return {
        "messaging.system": "nats",
        "messaging.destination.name": subject,
        "messaging.message.id": event_id,
        "messaging.operation.type": operation,
        **more,
    }
