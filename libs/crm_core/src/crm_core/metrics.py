"""Prometheus metrics every service exposes on its metrics port."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram, start_http_server

GRPC_REQUESTS = Counter("crm_grpc_requests_total", "gRPC calls served", ["service", "method", "code"])
GRPC_LATENCY = Histogram(
    "crm_grpc_request_duration_seconds",
    "gRPC call latency",
    ["service", "method"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
OUTBOX_PENDING = Gauge("crm_outbox_pending", "Outbox rows not yet published", ["service"])
OUTBOX_OLDEST_SECONDS = Gauge(
    "crm_outbox_oldest_pending_seconds", "Age of the oldest unpublished outbox row", ["service"]
)
OUTBOX_PUBLISHED = Counter("crm_outbox_published_total", "Events published by the relay", ["service"])
INBOX_HANDLED = Counter("crm_inbox_handled_total", "Events handled by consumers", ["service", "consumer", "outcome"])
CONSUMER_FAILURES = Counter(
    "crm_consumer_failures_total", "Handler failures (each is redelivered or dead-lettered)", ["service", "consumer"]
)
CONSUMER_RESUBSCRIBES = Counter(
    "crm_consumer_resubscribes_total",
    "Durable consumers declared again after their stream or consumer went away",
    ["service", "consumer"],
)
CONSUMER_STALLED = Gauge(
    "crm_consumer_stalled", "1 while a consumer has made no progress for longer than allowed", ["service", "consumer"]
)
STREAM_RESETS = Counter(
    "crm_stream_resets_total", "Times the relay found its stream reset and re-published its outbox", ["service"]
)
HTTP_REQUESTS = Counter("crm_http_requests_total", "HTTP requests served", ["method", "route", "status"])
HTTP_LATENCY = Histogram(
    "crm_http_request_duration_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)


def serve_metrics(port: int) -> None:
    """Expose /metrics on `port` in a background thread (0 disables)."""
    if port:
        start_http_server(port, addr="0.0.0.0")
