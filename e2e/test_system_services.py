"""GET /api/v1/system/services: every service of the registry with its gRPC health, for admins only."""

import httpx
import pytest

from crm_core.launcher import free_port
from crm_core.registry import REGISTRY

pytestmark = pytest.mark.e2e


async def test_admin_sees_every_registry_service_serving_at_its_target(admin, platform):
    response = await admin.client.get("/api/v1/system/services")
    assert response.status_code == 200, response.text
    services = response.json()
    assert [s["name"] for s in services] == list(REGISTRY)
    for service in services:
        entry = REGISTRY[service["name"]]
        assert (service["title_en"], service["title_ru"], service["grpc_port"]) == (
            entry.title_en,
            entry.title_ru,
            entry.grpc_port,
        )
        assert service["target"] == platform.config.target(service["name"])
        assert service["status"] == "SERVING", service
    # contacts follows every stream and deals follows contacts: their consumers report; a service without any
    # consumer reports none.
    consumers = {s["name"]: s["consumers"] for s in services}
    assert consumers["contacts"] == consumers["deals"] == "SERVING"


async def test_a_service_that_does_not_answer_is_unreachable(platform):
    nowhere = {"CRM_TASKS_GRPC_TARGET": f"127.0.0.1:{free_port()}"}
    with platform.replicas(["crm_gateway"], nowhere) as extra:
        async with httpx.AsyncClient(base_url=extra.url, timeout=15) as client:
            login = await client.post(
                "/api/v1/auth/login", json={"username": "admin", "password": "e2e-admin-password"}
            )
            client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
            services = {s["name"]: s for s in (await client.get("/api/v1/system/services")).json()}
    assert services["tasks"]["status"] == "UNREACHABLE"
    assert services["tasks"]["consumers"] is None
    assert services["contacts"]["status"] == "SERVING"


async def test_only_admins_see_the_services(users, anonymous):
    manager = await users.user(teams=[], roles=["manager"])
    response = await manager.client.get("/api/v1/system/services")
    assert response.status_code == 403
    assert response.json()["code"] == "admin_only"
    assert (await anonymous.get("/api/v1/system/services")).status_code == 401
