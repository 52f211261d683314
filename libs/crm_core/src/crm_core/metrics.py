"""Prometheus metrics every process exposes on its metrics port (docs/observability.md#metrics lists them).

Figures that live elsewhere (a database pool, a package's version) are read at
scrape time by collectors registered here, not copied by a loop; JetStream's
figures about consumers need a request to the server, so the service samples
them every CRM_CONSUMER_SAMPLE_SECONDS (crm_core.service).
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterator
from contextvars import ContextVar
from importlib import metadata
from typing import TYPE_CHECKING

from prometheus_client import REGISTRY, Counter, Gauge, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from sqlalchemy.pool import Pool

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)

GRPC_REQUESTS = Counter("crm_grpc_requests_total", "gRPC calls served", ["service", "method", "code"])
GRPC_LATENCY = Histogram(
    "crm_grpc_request_duration_seconds",
    "gRPC call latency",
    ["service", "method"],
    buckets=LATENCY_BUCKETS,
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
CONSUMER_PENDING = Gauge(
    "crm_consumer_pending",
    "Messages of the stream the durable consumer has not been delivered yet (JetStream num_pending, sampled)",
    ["service", "consumer", "stream"],
)
CONSUMER_ACK_PENDING = Gauge(
    "crm_consumer_ack_pending",
    "Messages delivered to the durable consumer and not acked yet (JetStream num_ack_pending, sampled)",
    ["service", "consumer", "stream"],
)
CONSUMER_REDELIVERED = Gauge(
    "crm_consumer_redelivered",
    "Messages delivered more than once and not acked yet (JetStream num_redelivered, sampled)",
    ["service", "consumer", "stream"],
)
DEAD_LETTERS = Gauge(
    "crm_dead_letters",
    "Events parked on the dead-letter stream by this consumer (messages on its dead-letter subject, sampled)",
    ["service", "consumer"],
)
HANDLER_DURATION = Histogram(
    "crm_consumer_handler_duration_seconds",
    "Time to handle one event: inbox claim, handler and commit",
    ["service", "consumer", "type"],
    buckets=LATENCY_BUCKETS,
)
EVENTS_RECORDED = Counter(
    "crm_events_recorded_total",
    "Domain events committed to the outbox (counted when their transaction commits)",
    ["service", "type"],
)
BACKGROUND_PASSES = Counter(
    "crm_background_passes_total", "Passes of background work (schedulers, purges)", ["service", "work", "outcome"]
)
BACKGROUND_DONE = Counter(
    "crm_background_items_total",
    "Items background passes did (tasks notified, jobs run, rows purged)",
    ["service", "work"],
)
# Scheduled work (deadlines, reminders, timers, retried calls): any service's scheduler reports with these.
SCHEDULED_DUE = Gauge(
    "crm_scheduled_due",
    "Scheduled items whose time has come and which are not done yet (after the last pass)",
    ["service", "kind"],
)
SCHEDULED_FIRED = Counter("crm_scheduled_fired_total", "Scheduled items done when their time came", ["service", "kind"])
SCHEDULED_FAILED = Counter(
    "crm_scheduled_failed_total",
    "Attempts at scheduled items that failed (retried later, or final)",
    ["service", "kind"],
)
SCHEDULED_LATENESS = Histogram(
    "crm_scheduled_lateness_seconds",
    "How long after its time a scheduled item was done",
    ["service", "kind"],
    buckets=(0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600),
)
GRPC_CLIENT_REQUESTS = Counter(
    "crm_grpc_client_requests_total", "gRPC calls made to other services", ["service", "method", "code"]
)
GRPC_CLIENT_LATENCY = Histogram(
    "crm_grpc_client_duration_seconds",
    "Latency of gRPC calls made to other services, as the caller sees it",
    ["service", "method"],
    buckets=LATENCY_BUCKETS,
)
HTTP_REQUESTS = Counter("crm_http_requests_total", "HTTP requests served", ["method", "route", "status"])
HTTP_LATENCY = Histogram(
    "crm_http_request_duration_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)


# The service whose work the current task does (ServiceApp.start sets it; tasks it creates inherit it).
CURRENT_SERVICE: ContextVar[str] = ContextVar("crm_current_service", default="")

# Named counters of business events, by event type (business_counter).
_BUSINESS: dict[str, list[Counter]] = {}
_BUSINESS_BY_NAME: dict[str, Counter] = {}


def business_counter(event_type: str, name: str, documentation: str) -> Counter:
    """A counter `name` (labelled by service) that counts `event_type` events as their transaction commits.

    A service declares its business figures once, next to its wiring (crm_deals.main: deals won);
    the outbox counts them (count_recorded_events), so the count is of facts that happened.
    Declaring the same name again returns the same counter (tests build a service more than once).
    """
    counter = _BUSINESS_BY_NAME.get(name)
    if counter is None:
        counter = _BUSINESS_BY_NAME[name] = Counter(name, documentation, ["service"])
        _BUSINESS.setdefault(event_type, []).append(counter)
    return counter


def count_recorded_events(service: str, event_types: list[str]) -> None:
    """Count events whose transaction committed (crm_core.events.outbox calls it after commit)."""
    for event_type in event_types:
        EVENTS_RECORDED.labels(service, event_type).inc()
        for counter in _BUSINESS.get(event_type, ()):
            counter.labels(service).inc()


class PoolCollector(Collector):
    """Connection-pool figures of every open database of the process, read from SQLAlchemy's pool at scrape time.

    A Database registers its pool (register_pool); a disposed one drops out with its engine
    (weak references), so tests that open many databases leave nothing behind.
    """

    def __init__(self) -> None:
        self._pools: weakref.WeakKeyDictionary[Pool, tuple[str, str, int]] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def register(self, pool: Pool, service: str, database: str, max_overflow: int) -> None:
        with self._lock:
            self._pools[pool] = (service, database, max_overflow)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        labels = ["service", "database"]
        size = GaugeMetricFamily("crm_db_pool_size", "Connections the pool keeps open (pool_size)", labels=labels)
        limit = GaugeMetricFamily(
            "crm_db_pool_max_overflow", "Connections the pool may open beyond its size", labels=labels
        )
        checked_out = GaugeMetricFamily(
            "crm_db_pool_checked_out", "Connections in use by a session right now", labels=labels
        )
        overflow = GaugeMetricFamily(
            "crm_db_pool_overflow",
            "Connections open beyond the pool's size; at crm_db_pool_max_overflow new sessions wait",
            labels=labels,
        )
        with self._lock:
            pools = list(self._pools.items())
        for pool, (service, database, max_overflow) in pools:
            key = [service, database]
            pool_size = int(getattr(pool, "size", lambda: 0)())
            size.add_metric(key, pool_size)
            limit.add_metric(key, max_overflow)
            checked_out.add_metric(key, int(getattr(pool, "checkedout", lambda: 0)()))
            overflow.add_metric(key, max(int(getattr(pool, "overflow", lambda: 0)()), 0))
        yield from (size, limit, checked_out, overflow)


POOLS = PoolCollector()
REGISTRY.register(POOLS)


class BuildInfoCollector(Collector):
    """crm_build_info{service,version,commit} 1 for each process part that declared itself (declare_build)."""

    def __init__(self) -> None:
        self._builds: dict[str, tuple[str, str]] = {}

    def declare(self, service: str, package: str) -> None:
        self._builds[service] = (package_version(package), os.environ.get("CRM_BUILD_COMMIT", "") or "unknown")

    def collect(self) -> Iterator[GaugeMetricFamily]:
        info = GaugeMetricFamily(
            "crm_build_info",
            "The running build: version of the service's package, commit from CRM_BUILD_COMMIT",
            labels=["service", "version", "commit"],
        )
        for service, (version, commit) in sorted(self._builds.items()):
            info.add_metric([service, version, commit], 1)
        yield info


def package_version(package: str) -> str:
    """The installed distribution's version ("unknown" when not installed, e.g. run from a source tree)."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


BUILD = BuildInfoCollector()
REGISTRY.register(BUILD)


def declare_build(service: str, package: str) -> None:
    """Publish crm_build_info for `service`, its version read from the distribution `package` (crm-deals)."""
    BUILD.declare(service, package)


def serve_metrics(port: int) -> None:
    """Expose /metrics on `port` in a background thread (0 disables)."""
    if port:
        start_http_server(port, addr="0.0.0.0")
