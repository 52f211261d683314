"""The gateway's metrics are not on its public port (the Ingress publishes that one)."""

from __future__ import annotations

import httpx

from crm_gateway.app import create_app
from crm_gateway.settings import GatewaySettings


async def test_metrics_on_the_public_port_are_a_404_problem() -> None:
    app = create_app(GatewaySettings(grpc_port=0))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        response = await client.get("/metrics")
    assert response.status_code == 404
    assert "crm_http_requests_total" not in response.text


def test_the_metrics_port_is_its_own_and_can_be_turned_off(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert GatewaySettings().metrics_port == 9000
    monkeypatch.setenv("CRM_GATEWAY_METRICS_PORT", "0")
    assert GatewaySettings().metrics_port == 0
