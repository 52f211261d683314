"""Replicas share the load: one gateway spreads its calls over every replica of a service."""

from __future__ import annotations

import httpx
import pytest

from crm_core.launcher import free_port

pytestmark = pytest.mark.e2e


def served_calls(metrics_port: int) -> float:
    """gRPC calls a contacts process served, from its Prometheus metrics."""
    text = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("crm_grpc_requests_total{") and 'service="contacts"' in line
    )


def test_two_replicas_of_contacts_both_serve_calls_from_one_gateway(platform, admin) -> None:
    first = platform.config.grpc_ports["contacts"]
    second, second_metrics = free_port(), free_port()
    env = {
        "CRM_CONTACTS_GRPC_PORT": str(second),
        "CRM_CONTACTS_METRICS_PORT": str(second_metrics),
        "CRM_CONTACTS_GRPC_TARGET": f"ipv4:127.0.0.1:{first},127.0.0.1:{second}",
    }
    token = admin.client.headers["Authorization"]
    with platform.replicas(["crm_contacts", "crm_gateway"], env) as extra:
        with httpx.Client(base_url=extra.url, headers={"Authorization": token}, timeout=10) as client:
            before = served_calls(second_metrics)
            for _ in range(40):
                assert client.get("/api/v1/parties", params={"limit": 1}).status_code == 200
            on_second = served_calls(second_metrics) - before
    # Round robin over both: the new replica served about half, the first the rest.
    assert 10 <= on_second <= 30, on_second
