"""Partner systems over gRPC: an admin's API key works within its scopes, until revoked; nothing else gets in."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
import pytest
from partner_client import PartnerClient  # e2e/partner/partner_client.py (see conftest)

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2, contacts_pb2_grpc
from crm.deals.v1 import deals_pb2, deals_pb2_grpc
from crm_core.auth import Caller
from crm_core.grpc_client import error_detail
from crm_core.testing import eventually

pytestmark = pytest.mark.e2e


async def service_account(admin: Any, team: str, roles: list[str]) -> dict:  # type: ignore[type-arg]
    response = await admin.client.post(
        "/api/v1/service-accounts",
        json={"username": f"erp-{uuid.uuid4().hex[:8]}", "display_name": "1С:ERP", "roles": roles, "team_ids": [team]},
    )
    assert response.status_code == 201, response.text
    assert response.json()["kind"] == "service"
    return response.json()


async def api_key(admin: Any, account_id: str, scopes: list[str]) -> dict:  # type: ignore[type-arg]
    response = await admin.client.post(
        f"/api/v1/service-accounts/{account_id}/api-keys", json={"name": "Обмен с 1С", "scopes": scopes}
    )
    assert response.status_code == 201, response.text
    return response.json()


async def refused(call: Any) -> tuple[grpc.StatusCode, str]:
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await call
    detail = error_detail(info.value)
    return info.value.code(), detail.code if detail else ""


async def refused_soon(call: Callable[[], Awaitable[Any]]) -> tuple[grpc.StatusCode, str]:
    """The refusal of `call()` once the change announced over NATS reached the service (milliseconds; a
    loaded test machine may take longer, so up to 5 s)."""

    async def attempt() -> tuple[grpc.StatusCode, str] | None:
        try:
            await call()
        except grpc.aio.AioRpcError as error:
            detail = error_detail(error)
            return error.code(), detail.code if detail else ""
        return None

    return await eventually(attempt, timeout=5)


@pytest.fixture
def contacts_target(platform) -> str:  # type: ignore[no-untyped-def]
    return f"127.0.0.1:{platform.config.grpc_ports['contacts']}"


async def test_a_partner_key_lists_and_creates_parties_as_its_service_account(
    admin, users, fake, contacts_target, platform
) -> None:
    team = await users.team("erp")
    colleague = await users.user([team])
    account = await service_account(admin, team, ["sales"])
    key = await api_key(admin, account["id"], ["contacts:read", "contacts:write"])
    assert key["key"].startswith(key["prefix"]) and key["scopes"] == ["contacts:read", "contacts:write"]
    teams_client = (
        await colleague.client.post(
            "/api/v1/parties", json={"kind": "company", "company": {"legal_name": fake.company()}, "team_id": team}
        )
    ).json()
    hidden = (
        await admin.client.post("/api/v1/parties", json={"kind": "company", "company": {"legal_name": fake.company()}})
    ).json()

    partner = PartnerClient(contacts_target, key["key"])
    try:
        created = await partner.create_company(fake.company(), fake.businesses_inn())
        assert created.owner_id == account["id"]
        seen = {p.id for p in await partner.companies(limit=200)}
        assert {teams_client["id"], created.id} <= seen
        assert hidden["id"] not in seen  # the key sees what its account may see, no more
    finally:
        await partner.close()
    # The partner's company is an ordinary record: its team sees it through the gateway.
    assert (await colleague.client.get(f"/api/v1/parties/{created.id}")).status_code == 200
    # The key itself is never shown again.
    listed = (await admin.client.get("/api/v1/api-keys")).json()
    mine = next(k for k in listed if k["id"] == key["id"])
    assert "key" not in mine and mine["last_used_at"] and key["key"] not in repr(listed)
    # The service's line about each call names the key (not the key itself) and its service account.
    lines = [
        json.loads(line) for line in (platform.log_dir / "contacts.log").read_text().splitlines() if key["id"] in line
    ]
    calls = {line["method"].rsplit("/", 1)[-1]: line for line in lines if line["event"] == "rpc_served"}
    assert (calls["CreateParty"]["key_id"], calls["CreateParty"]["user_id"]) == (key["id"], account["id"])
    assert key["key"] not in (platform.log_dir / "contacts.log").read_text()


async def test_a_key_is_refused_outside_its_scopes_and_at_once_after_revocation(
    admin, users, platform, contacts_target
) -> None:
    account = await service_account(admin, await users.team("bi"), ["viewer"])
    key = await api_key(admin, account["id"], ["contacts:read"])
    partner = PartnerClient(contacts_target, key["key"])
    deals_channel = grpc.aio.insecure_channel(f"127.0.0.1:{platform.config.grpc_ports['deals']}")
    try:
        assert isinstance(await partner.companies(), list)
        assert await refused(partner.create_company("ООО Ромашка", "7707083893")) == (
            grpc.StatusCode.PERMISSION_DENIED,
            "scope_missing",
        )
        deals = deals_pb2_grpc.DealsServiceStub(deals_channel)
        assert await refused(deals.ListDeals(deals_pb2.ListDealsRequest(), metadata=partner.metadata, timeout=5)) == (
            grpc.StatusCode.PERMISSION_DENIED,
            "scope_missing",
        )

        assert (await admin.client.delete(f"/api/v1/api-keys/{key['id']}")).status_code == 204
        assert await refused_soon(partner.companies) == (grpc.StatusCode.UNAUTHENTICATED, "invalid_api_key")
        listed = (await admin.client.get("/api/v1/api-keys")).json()
        assert next(k for k in listed if k["id"] == key["id"])["revoked_at"]
    finally:
        await partner.close()
        await deals_channel.close()


async def test_a_deactivated_service_accounts_keys_stop_working(admin, users, contacts_target) -> None:
    account = await service_account(admin, await users.team("crm-sync"), ["sales"])
    partner = PartnerClient(contacts_target, (await api_key(admin, account["id"], ["contacts:read"]))["key"])
    try:
        await partner.companies()
        assert (await admin.client.patch(f"/api/v1/users/{account['id']}", json={"active": False})).status_code == 200
        assert await refused_soon(partner.companies) == (grpc.StatusCode.UNAUTHENTICATED, "invalid_api_key")
    finally:
        await partner.close()


async def test_identity_claimed_in_metadata_without_a_valid_credential_is_refused(contacts_target) -> None:
    forged_token = Caller("admin-id", frozenset({"admin"})).metadata("a-guessed-secret-of-at-least-32-chars!")
    attempts = [
        [("x-crm-user-id", "admin-id"), ("x-crm-roles", "admin")],
        forged_token,
        [("x-api-key", "crm_" + "A" * 43)],
        [("x-crm-internal-token", "")],
    ]
    async with grpc.aio.insecure_channel(contacts_target) as channel:
        contacts = contacts_pb2_grpc.ContactsServiceStub(channel)
        request = contacts_pb2.CountPartiesRequest(filters=[common_pb2.Filter(field="kind", op="eq", value="company")])
        for metadata in attempts:
            code, _ = await refused(contacts.CountParties(request, metadata=metadata, timeout=5))
            assert code == grpc.StatusCode.UNAUTHENTICATED, metadata


async def test_only_admins_manage_service_accounts_and_keys(users) -> None:
    user = await users.user([])
    for method, path, body in [
        ("POST", "/api/v1/service-accounts", {"username": "sneaky", "display_name": "S"}),
        ("GET", "/api/v1/service-accounts", None),
        ("GET", "/api/v1/api-keys", None),
        ("POST", f"/api/v1/service-accounts/{user.id}/api-keys", {"name": "k", "scopes": ["contacts:read"]}),
        ("DELETE", f"/api/v1/api-keys/{uuid.uuid4()}", None),
    ]:
        response = await user.client.request(method, path, json=body)
        assert (response.status_code, response.json()["code"]) == (403, "admin_only"), path


async def test_keys_are_for_service_accounts_with_known_scopes(admin, users) -> None:
    person = await users.user([])
    response = await admin.client.post(
        f"/api/v1/service-accounts/{person.id}/api-keys", json={"name": "k", "scopes": ["contacts:read"]}
    )
    assert (response.status_code, response.json()["code"]) == (404, "service_account_not_found")
    account = await service_account(admin, await users.team("x"), [])
    response = await admin.client.post(
        f"/api/v1/service-accounts/{account['id']}/api-keys", json={"name": "k", "scopes": ["everything:write"]}
    )
    assert response.status_code == 422
    # A service account cannot log in with a password.
    login = await admin.client.post("/api/v1/auth/login", json={"username": account["username"], "password": "!"})
    assert login.status_code == 401
