"""A service that is down gives 503 with a clear message, quickly, not a hang."""

import time

import httpx
import pytest

from crm_core.launcher import free_port

pytestmark = pytest.mark.e2e


def test_down_service_is_503_problem(platform):
    unreachable = {
        "CRM_CONTACTS_GRPC_TARGET": f"127.0.0.1:{free_port()}",  # nothing listens there
        "CRM_GATEWAY_GRPC_DEADLINE": "2",
    }
    with platform.replicas(["crm_gateway"], unreachable) as extra:
        base = extra.url
        token = httpx.post(
            f"{base}/api/v1/auth/login", json={"username": "admin", "password": "e2e-admin-password"}
        ).json()["access_token"]
        started = time.monotonic()
        response = httpx.get(f"{base}/api/v1/parties", headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert response.status_code == 503
        assert response.json()["code"] == "service_unavailable"
        assert "contacts" in response.json()["detail"]
        assert time.monotonic() - started < 5
