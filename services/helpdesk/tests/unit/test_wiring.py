"""The service is wired like every other: its API next to gRPC health and reflection."""

from __future__ import annotations

from grpc_reflection.v1alpha import reflection

from crm_core.registry import REGISTRY
from crm_helpdesk.main import build
from crm_helpdesk.settings import HelpdeskSettings


def test_the_service_serves_its_api_health_and_reflection() -> None:
    app = build(HelpdeskSettings.for_domain("helpdesk", grpc_port=0, metrics_port=0))
    assert set(app.grpc.service_names) >= {
        "crm.helpdesk.v1.HelpdeskService",
        "grpc.health.v1.Health",
        reflection.SERVICE_NAME,
    }


def test_the_service_listens_on_its_registry_port_by_default() -> None:
    assert HelpdeskSettings.for_domain("helpdesk").grpc_port == REGISTRY["helpdesk"].grpc_port
