"""A gateway killed after the service committed, before it answered: the retry gets the original result."""

from __future__ import annotations

import asyncio
import signal
import uuid

import httpx
import pytest

from crm_core.testing import HoldingProxy, eventually

pytestmark = pytest.mark.e2e


async def test_a_retry_after_the_gateway_died_between_commit_and_answer_gets_the_created_party(
    platform, users, admin
) -> None:
    user = await users.user([])
    proxy = HoldingProxy(platform.config.grpc_ports["contacts"])
    await proxy.start()
    name = f"ООО Крах {uuid.uuid4().hex[:8]}"
    body = {"kind": "company", "company": {"legal_name": name}}
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    doomed_env = {
        "CRM_CONTACTS_GRPC_TARGET": f"127.0.0.1:{proxy.port}",
        "CRM_GATEWAY_IDEMPOTENCY_LEASE_SECONDS": "1",
    }
    try:
        with platform.replicas(["crm_gateway"], doomed_env) as doomed:
            async with httpx.AsyncClient(base_url=doomed.url, headers=user.client.headers, timeout=30) as client:
                assert (await client.get("/api/v1/parties")).status_code == 200  # its channel to contacts is up
                proxy.hold()
                in_flight = asyncio.create_task(client.post("/api/v1/parties", json=body, headers=headers))

                async def committed() -> bool:
                    found = await admin.client.get("/api/v1/parties", params={"q": name})
                    return any(p["display_name"] == name for p in found.json()["items"])

                await eventually(committed, timeout=15)  # the service committed; its answer is held
                doomed.processes[0].send_signal(signal.SIGKILL)
                with pytest.raises(httpx.TransportError):
                    await in_flight
    finally:
        await proxy.close()

    await asyncio.sleep(1.5)  # the dead request's lease on the key runs out
    retried = await user.client.post("/api/v1/parties", json=body, headers=headers)
    assert retried.status_code == 201, retried.text
    found = (await admin.client.get("/api/v1/parties", params={"q": name})).json()["items"]
    created = [p for p in found if p["display_name"] == name]
    assert [p["id"] for p in created] == [retried.json()["id"]]
    # Asked again, the gateway now replays its own stored answer.
    replayed = await user.client.post("/api/v1/parties", json=body, headers=headers)
    assert (replayed.status_code, replayed.json()["id"]) == (201, retried.json()["id"])
    assert replayed.headers.get("Idempotent-Replayed") == "true"


async def test_a_request_still_in_progress_holds_its_key_until_its_lease_runs_out(users) -> None:
    user = await users.user([])
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"kind": "company", "company": {"legal_name": f"ООО Ключ {uuid.uuid4().hex[:8]}"}}
    first, second = await asyncio.gather(
        user.client.post("/api/v1/parties", json=body, headers=key),
        user.client.post("/api/v1/parties", json=body, headers=key),
    )
    statuses = sorted([first.status_code, second.status_code])
    assert statuses in ([201, 201], [201, 409]), (first.text, second.text)
    ids = {r.json().get("id") for r in (first, second) if r.status_code == 201}
    assert len(ids) == 1
