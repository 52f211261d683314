"""Every process's metrics endpoint, scraped from a running platform (docs/observability.md#metrics).

This module runs a platform of its own with metrics on (the session's has them off, so its ports
stay free), and samples the consumers' JetStream figures twice a second.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from crm_core.db import asyncpg_connect_params
from crm_core.launcher import Platform, PlatformConfig
from crm_core.testing import RUN_ID, eventually

pytestmark = pytest.mark.e2e

ADMIN_PASSWORD = "e2e-metrics-admin-password"
LOGS = Path(__file__).resolve().parent.parent / "artifacts" / "e2e-logs" / "metrics"

# Families every domain service exposes (crm_core), whatever its domain.
SERVICE_FAMILIES = {
    "crm_build_info",
    "crm_grpc_requests",
    "crm_grpc_request_duration_seconds",
    "crm_outbox_pending",
    "crm_outbox_oldest_pending_seconds",
    "crm_db_pool_size",
    "crm_db_pool_max_overflow",
    "crm_db_pool_checked_out",
    "crm_db_pool_overflow",
    "crm_background_passes",
}
# Families of a service with consumers (all but marketing, which has none yet).
CONSUMER_FAMILIES = {
    "crm_consumer_pending",
    "crm_consumer_ack_pending",
    "crm_consumer_redelivered",
    "crm_dead_letters",
    "crm_consumer_stalled",
}
# A labelled family shows samples once something happened to it: the gRPC figures of a service nobody called
# yet are only declared; every other family has samples within a consumer sample or two.
DECLARED_ONLY = {"crm_grpc_requests", "crm_grpc_request_duration_seconds"}
GATEWAY_FAMILIES = {
    "crm_build_info",
    "crm_http_requests",
    "crm_http_request_duration_seconds",
    "crm_grpc_client_requests",
    "crm_grpc_client_duration_seconds",
    "crm_db_pool_checked_out",
}


@pytest.fixture(scope="module")
def metered() -> Iterator[Platform]:
    config = PlatformConfig.isolated(
        f"m{RUN_ID}", ADMIN_PASSWORD, metrics=True, extra_env={"CRM_CONSUMER_SAMPLE_SECONDS": "0.5"}
    )
    running = Platform(config, log_dir=LOGS)
    running.migrate()
    running.start(timeout=180)  # a loaded machine (other suites running) starts slowly
    yield running
    running.stop()
    running.drop_databases()


@pytest.fixture
async def api(metered: Platform) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=metered.config.gateway_url, timeout=15) as client:
        response = await client.post("/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD})
        assert response.status_code == 200, response.text
        client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        yield client


Samples = dict[str, list[tuple[str, dict[str, str], float]]]


def scrape(port: int) -> Samples:
    """Samples by family name (counters without their _total), each as (sample name, labels, value)."""
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    return {
        family.name: [(sample.name, sample.labels, sample.value) for sample in family.samples]
        for family in text_string_to_metric_families(text)
    }


def value(families: Samples, name: str, **labels: str) -> float | None:
    """The first sample named `name` (or of the family `name`) whose labels include `labels`."""
    for family, samples in families.items():
        for sample_name, sample_labels, sample_value in samples:
            if name in (sample_name, family) and labels.items() <= sample_labels.items():
                return float(sample_value)
    return None


async def create_party(api: httpx.AsyncClient, body: dict) -> None:
    response = await api.post("/api/v1/parties", json=body)
    assert response.status_code == 201, response.text


async def test_every_process_serves_the_platform_metric_families(
    metered: Platform, api: httpx.AsyncClient, company_body: Callable[..., dict]
) -> None:
    await create_party(api, company_body())
    ports = metered.config.metrics_ports()
    assert set(ports) == {*metered.config.services, "gateway"}
    for name, port in ports.items():
        if name == "gateway":
            expected = GATEWAY_FAMILIES
        elif name == "marketing":
            expected = SERVICE_FAMILIES
        else:
            expected = SERVICE_FAMILIES | CONSUMER_FAMILIES

        def missing(p: int = port, e: set[str] = expected) -> set[str]:
            families = scrape(p)
            return {f for f in e if f not in families or (f not in DECLARED_ONLY and not families[f])}

        try:
            await eventually(lambda m=missing: not m(), timeout=15)
        except AssertionError:
            raise AssertionError(f"{name} lacks {sorted(missing())}") from None
        families = scrape(port)
        (_, labels, one), *_ = families["crm_build_info"]
        assert one == 1 and labels["service"] == name and labels["version"] == "0.1.0", labels
    gateway = scrape(ports["gateway"])
    assert value(
        gateway, "crm_grpc_client_requests_total", service="contacts", method="ContactsService/CreateParty", code="OK"
    )
    contacts = await eventually(
        lambda: (f := scrape(ports["contacts"])) and value(f, "crm_events_recorded_total", type="party.created") and f
    )
    assert value(contacts, "crm_parties_created_total", service="contacts") >= 1
    # The pool size the platform gives its processes (PlatformConfig.isolated: CRM_DB_POOL_SIZE=2).
    assert value(contacts, "crm_db_pool_size", database=f"crm_m{RUN_ID}_contacts") == 2
    deals = await eventually(
        lambda: (
            (f := scrape(ports["deals"]))
            and value(f, "crm_consumer_handler_duration_seconds_count", type="party.created")
            and f
        )
    )
    assert value(deals, "crm_dead_letters", consumer="parties") == 0


async def test_public_port_does_not_serve_metrics(metered: Platform) -> None:
    response = httpx.get(f"{metered.config.gateway_url}/metrics", timeout=5)
    assert response.status_code == 404
    assert "crm_" not in response.text


async def test_consumer_pending_rises_while_it_is_held_and_falls_after(
    metered: Platform, api: httpx.AsyncClient, company_body: Callable[..., dict]
) -> None:
    """The deals service's `parties` consumer is held by a lock on its inbox: events it has not been given pile up
    as pending; once the lock goes they are handled and pending falls back to zero."""
    port = metered.config.metrics_ports()["deals"]
    stream = f"M{RUN_ID}_CONTACTS".upper()

    def figure(name: str) -> float:
        return value(scrape(port), name, consumer="parties", stream=stream) or 0.0

    await eventually(
        lambda: figure("crm_consumer_pending") == 0 and figure("crm_consumer_ack_pending") == 0, timeout=20
    )
    holder = await asyncpg.connect(
        **asyncpg_connect_params(metered.config.database_url("deals"), f"crm_m{RUN_ID}_deals")
    )
    try:
        transaction = holder.transaction()
        await transaction.start()
        await holder.execute("LOCK TABLE inbox IN ACCESS EXCLUSIVE MODE")
        await create_party(api, company_body())
        # The consumer took the first event and waits on the lock with it: nothing more is fetched.
        await eventually(lambda: figure("crm_consumer_ack_pending") >= 1, timeout=20)
        # Its pull request for more (it fetches up to 50 per 2 s request) expires unanswered: what comes next
        # stays in the stream, pending, instead of being delivered to a consumer that cannot take it.
        await asyncio.sleep(3)
        for _ in range(5):
            await create_party(api, company_body())
        await eventually(lambda: figure("crm_consumer_pending") >= 5, timeout=20)
        await transaction.rollback()
    finally:
        await holder.close()
    await eventually(
        lambda: figure("crm_consumer_pending") == 0 and figure("crm_consumer_ack_pending") == 0, timeout=30
    )
