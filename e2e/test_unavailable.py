"""A service that is down gives 503 with a clear message, quickly, not a hang."""

import os
import subprocess
import sys
import time

import httpx
import pytest

from crm_core.launcher import free_port

pytestmark = pytest.mark.e2e


def test_down_service_is_503_problem(platform):
    port = free_port()
    env = {
        **os.environ,
        **platform.config.env(),
        "CRM_GATEWAY_PORT": str(port),
        "CRM_CONTACTS_GRPC_TARGET": f"127.0.0.1:{free_port()}",  # nothing listens there
        "CRM_GATEWAY_GRPC_DEADLINE": "2",
    }
    gateway = subprocess.Popen(
        [sys.executable, "-m", "crm_gateway"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{base}/readyz").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "gateway did not start"
            time.sleep(0.1)
        token = httpx.post(
            f"{base}/api/v1/auth/login", json={"username": "admin", "password": "e2e-admin-password"}
        ).json()["access_token"]
        started = time.monotonic()
        response = httpx.get(f"{base}/api/v1/parties", headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert response.status_code == 503
        assert response.json()["code"] == "service_unavailable"
        assert "contacts" in response.json()["detail"]
        assert time.monotonic() - started < 5
    finally:
        gateway.terminate()
        gateway.wait(10)
