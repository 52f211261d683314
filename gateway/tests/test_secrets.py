"""No built-in secrets: the gateway and the services refuse to start without their own."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

STRONG = "s" * 40


def start(module: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("CRM_JWT_SECRET", "CRM_INTERNAL_SECRET")}
    ports = {"CRM_CONTACTS_METRICS_PORT": "0", "CRM_CONTACTS_GRPC_PORT": "0", "CRM_GATEWAY_PORT": "0"}
    clean.update({**ports, "CRM_GATEWAY_METRICS_PORT": "0", **env})
    return subprocess.run([sys.executable, "-m", module], env=clean, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({}, "CRM_JWT_SECRET"),
        (
            {"CRM_JWT_SECRET": "dev-only-jwt-secret-change-me-in-production"[:20], "CRM_INTERNAL_SECRET": STRONG},
            "too short",
        ),
        ({"CRM_JWT_SECRET": STRONG}, "CRM_INTERNAL_SECRET"),
        ({"CRM_JWT_SECRET": STRONG, "CRM_INTERNAL_SECRET": STRONG}, "must differ"),
    ],
    ids=["none", "short", "no-internal", "same"],
)
def test_the_gateway_refuses_to_start_without_strong_distinct_secrets(env: dict[str, str], says: str) -> None:
    result = start("crm_gateway", **env)
    assert result.returncode != 0
    assert says in result.stderr


def test_a_service_refuses_to_start_without_the_internal_secret() -> None:
    result = start("crm_contacts")
    assert result.returncode != 0
    assert "CRM_INTERNAL_SECRET" in result.stderr
