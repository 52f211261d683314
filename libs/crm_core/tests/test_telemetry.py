"""The tracing setup read from the standard OTEL_* variables, the local file exporter and query redaction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor

from crm_core.telemetry import (
    JsonLinesFileExporter,
    dev_environment,
    exporter_names,
    redacted_query,
    service_resource,
    traces_exporters,
)


def test_without_exporter_or_endpoint_nothing_is_exported_and_an_endpoint_alone_turns_otlp_on() -> None:
    assert exporter_names({}) == []
    assert exporter_names({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4317"}) == ["otlp"]
    assert exporter_names({"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317"}) == []
    assert exporter_names({"OTEL_TRACES_EXPORTER": "console, file"}) == ["console", "file"]


def test_exporters_come_from_the_sdk_entry_points_and_an_unknown_one_is_refused(tmp_path: Path) -> None:
    exporters = traces_exporters({"OTEL_TRACES_EXPORTER": "console,file", "CRM_TRACES_FILE": str(tmp_path / "t")})
    assert [type(e) for e in exporters] == [ConsoleSpanExporter, JsonLinesFileExporter]
    with pytest.raises(RuntimeError, match="no trace exporter 'zipkin_json'"):
        traces_exporters({"OTEL_TRACES_EXPORTER": "zipkin_json"})


def test_service_name_defaults_to_crm_service_and_otel_service_name_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OTEL_SERVICE_NAME", raising=False)
    monkeypatch.setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=staging")
    resource = service_resource("deals").attributes
    assert (resource["service.name"], resource["deployment.environment.name"]) == ("crm-deals", "staging")
    monkeypatch.setenv("OTEL_SERVICE_NAME", "deals-eu")
    assert service_resource("deals").attributes["service.name"] == "deals-eu"


def test_make_dev_writes_to_the_file_unless_an_endpoint_or_exporter_is_chosen(tmp_path: Path) -> None:
    assert dev_environment({}, tmp_path) == {
        "OTEL_TRACES_EXPORTER": "file",
        "CRM_TRACES_FILE": str(tmp_path.resolve() / "traces.jsonl"),
    }
    assert dev_environment({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4317"}, tmp_path) == {}
    assert dev_environment({"OTEL_TRACES_EXPORTER": "console"}, tmp_path) == {}


def test_the_file_holds_one_otlp_json_line_per_batch_with_hex_ids(tmp_path: Path) -> None:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(JsonLinesFileExporter(str(tmp_path / "dev" / "traces.jsonl"))))
    with provider.get_tracer("t").start_as_current_span("outer") as outer, provider.get_tracer("t").start_span("inner"):
        pass
    lines = (tmp_path / "dev" / "traces.jsonl").read_text().splitlines()
    spans = [
        s for line in lines for r in json.loads(line)["resourceSpans"] for sc in r["scopeSpans"] for s in sc["spans"]
    ]
    assert sorted(s["name"] for s in spans) == ["inner", "outer"]
    by_name = {s["name"]: s for s in spans}
    assert by_name["outer"]["traceId"] == format(outer.get_span_context().trace_id, "032x")
    assert by_name["inner"]["parentSpanId"] == by_name["outer"]["spanId"]


def test_query_values_are_redacted_names_kept() -> None:
    assert redacted_query("q=%D0%98%D0%B2%D0%B0%D0%BD&filter=stage_id:eq:7&limit=20") == (
        "q=REDACTED&filter=REDACTED&limit=REDACTED"
    )
    assert redacted_query("") == ""
