"""Logging in, tokens and the user directory, through the gateway."""

import time
import uuid

import httpx
import pytest

from crm_core.testing import eventually

pytestmark = pytest.mark.e2e


async def test_login_with_wrong_password_is_401_problem(anonymous):
    response = await anonymous.post("/api/v1/auth/login", json={"username": "admin", "password": "nope"})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "invalid_credentials"


async def test_api_without_token_is_401(anonymous):
    response = await anonymous.get("/api/v1/parties")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


async def test_refresh_token_rotates_and_cannot_be_reused(anonymous, users):
    user = await users.user([])
    tokens = (
        await anonymous.post("/api/v1/auth/login", json={"username": user.username, "password": "password-123"})
    ).json()
    renewed = await anonymous.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert renewed.status_code == 200
    assert (
        await anonymous.get("/api/v1/me", headers={"Authorization": f"Bearer {renewed.json()['access_token']}"})
    ).json()["username"] == user.username
    reused = await anonymous.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert reused.status_code == 401
    assert reused.json()["code"] == "invalid_refresh_token"


async def test_logout_revokes_the_refresh_token(anonymous, users):
    user = await users.user([])
    tokens = (
        await anonymous.post("/api/v1/auth/login", json={"username": user.username, "password": "password-123"})
    ).json()
    assert (
        await anonymous.post("/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]})
    ).status_code == 204
    assert (
        await anonymous.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    ).status_code == 401


async def test_a_reused_refresh_token_ends_its_session_and_its_successor(anonymous, users):
    user = await users.user([])
    login = {"username": user.username, "password": "password-123"}
    stolen = (await anonymous.post("/api/v1/auth/login", json=login)).json()
    other_device = (await anonymous.post("/api/v1/auth/login", json=login)).json()
    successor = (await anonymous.post("/api/v1/auth/refresh", json={"refresh_token": stolen["refresh_token"]})).json()
    bearer = {"Authorization": f"Bearer {successor['access_token']}"}
    assert (await anonymous.get("/api/v1/me", headers=bearer)).status_code == 200

    reused = await anonymous.post("/api/v1/auth/refresh", json={"refresh_token": stolen["refresh_token"]})
    assert (reused.status_code, reused.json()["code"]) == (401, "invalid_refresh_token")
    # The whole login is over: its newest refresh token and its access token stop working at once.
    renewed = await anonymous.post("/api/v1/auth/refresh", json={"refresh_token": successor["refresh_token"]})
    assert (renewed.status_code, renewed.json()["code"]) == (401, "invalid_refresh_token")
    ended = await anonymous.get("/api/v1/me", headers=bearer)
    assert (ended.status_code, ended.json()["code"]) == (401, "session_ended")
    # Another login of the same user is not touched.
    other = await anonymous.post("/api/v1/auth/refresh", json={"refresh_token": other_device["refresh_token"]})
    assert other.status_code == 200


async def test_logout_ends_the_sessions_access_token_at_once(anonymous, users):
    user = await users.user([])
    tokens = (
        await anonymous.post("/api/v1/auth/login", json={"username": user.username, "password": "password-123"})
    ).json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert (await anonymous.get("/api/v1/parties", headers=bearer)).status_code == 200
    await anonymous.post("/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]})
    assert (await anonymous.get("/api/v1/parties", headers=bearer)).status_code == 401


async def test_a_deactivated_users_next_request_is_401_for_reads_and_writes(users, admin, fake):
    user = await users.user([])
    assert (await user.client.get("/api/v1/parties")).status_code == 200
    assert (await admin.client.patch(f"/api/v1/users/{user.id}", json={"active": False})).status_code == 200
    read = await user.client.get("/api/v1/parties")
    assert (read.status_code, read.json()["code"]) == (401, "session_ended")
    name = f"ООО Уволенный {uuid.uuid4().hex[:8]}"
    body = {"kind": "company", "company": {"legal_name": name, "inn": fake.businesses_inn()}}
    write = await user.client.post("/api/v1/parties", json=body, headers={"Idempotency-Key": "after-deactivation"})
    assert write.status_code == 401
    found = await admin.client.get("/api/v1/parties", params={"q": name})
    assert [p for p in found.json()["items"] if p["display_name"] == name] == []
    # Reactivated and logged in again, the same retry is carried out, not answered with the stored 401.
    assert (await admin.client.patch(f"/api/v1/users/{user.id}", json={"active": True})).status_code == 200
    login = await user.client.post("/api/v1/auth/login", json={"username": user.username, "password": "password-123"})
    user.client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
    retried = await user.client.post("/api/v1/parties", json=body, headers={"Idempotency-Key": "after-deactivation"})
    assert retried.status_code == 201, retried.text


async def test_a_user_moved_to_another_team_loses_the_old_teams_records_at_once(users, admin, fake):
    old, new = await users.team("old"), await users.team("new")
    owner, mover = await users.user([old]), await users.user([old])
    party = (
        await owner.client.post(
            "/api/v1/parties",
            json={"kind": "company", "company": {"legal_name": fake.company()}, "team_id": old},
        )
    ).json()
    assert (await mover.client.get(f"/api/v1/parties/{party['id']}")).status_code == 200
    moved = await admin.client.patch(f"/api/v1/users/{mover.id}", json={"team_ids": [new]})
    assert moved.status_code == 200
    assert (await mover.client.get(f"/api/v1/parties/{party['id']}")).status_code == 401
    # A refresh gives the user tokens of their new teams: the old team's client is now 404.
    login = await mover.client.post("/api/v1/auth/login", json={"username": mover.username, "password": "password-123"})
    mover.client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
    assert (await mover.client.get(f"/api/v1/parties/{party['id']}")).status_code == 404
    assert (await mover.client.get("/api/v1/me")).json()["team_ids"] == [new]


async def test_only_admins_create_users(users):
    user = await users.user([])
    response = await user.client.post(
        "/api/v1/users", json={"username": "intruder", "display_name": "X", "password": "password-123"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "admin_only"


async def test_deactivated_user_cannot_log_in(anonymous, users, admin):
    user = await users.user([])
    assert (await admin.client.patch(f"/api/v1/users/{user.id}", json={"active": False})).json()["active"] is False
    response = await anonymous.post("/api/v1/auth/login", json={"username": user.username, "password": "password-123"})
    assert response.status_code == 401


async def test_user_with_unknown_team_is_rejected(admin):
    response = await admin.client.post(
        "/api/v1/users",
        json={"username": "teamless1", "display_name": "T", "password": "password-123", "team_ids": ["no-such-team"]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "unknown_team"


async def test_openapi_documents_the_api(anonymous):
    spec = (await anonymous.get("/api/openapi.json")).json()
    assert "/api/v1/parties" in spec["paths"]
    assert "/api/v1/parties/{party_id}/timeline" in spec["paths"]


async def test_an_access_change_made_on_one_gateway_holds_on_every_replica_at_once(platform, users, admin):
    user = await users.user([])
    token = user.client.headers["Authorization"]
    with platform.gateway_replica() as replica_url:
        async with httpx.AsyncClient(base_url=replica_url, timeout=15, headers={"Authorization": token}) as replica:
            assert (await replica.get("/api/v1/parties")).status_code == 200  # the replica caches the session
            assert (await admin.client.patch(f"/api/v1/users/{user.id}", json={"active": False})).status_code == 200

            async def refused() -> bool:
                return (await replica.get("/api/v1/parties")).status_code == 401

            # Announced over NATS: well within the replica's cache lifetime (10 s).
            started = time.monotonic()
            await eventually(refused, timeout=5)
            assert time.monotonic() - started < 5


async def test_an_admin_cannot_lock_themselves_or_everyone_out(admin, users):
    me = admin.id
    for change in ({"active": False}, {"roles": ["sales"]}):
        response = await admin.client.patch(f"/api/v1/users/{me}", json=change)
        assert (response.status_code, response.json()["code"]) == (409, "own_admin_access")
    assert (await admin.client.get("/api/v1/me")).status_code == 200
    # Another admin may be demoted while someone else stays admin.
    deputy = await users.user([], roles=["admin"])
    demoted = await admin.client.patch(f"/api/v1/users/{deputy.id}", json={"roles": ["sales"]})
    assert demoted.status_code == 200 and demoted.json()["roles"] == ["sales"]


async def test_a_user_is_read_by_id_and_found_by_username_name_or_email(users, admin, anonymous):
    user = await users.user([])
    tag = uuid.uuid4().hex[:6]
    change = {"email": f"{user.username}@example.ru", "display_name": f"Иван Кузнецов-{tag}"}
    assert (await admin.client.patch(f"/api/v1/users/{user.id}", json=change)).status_code == 200
    # Anyone may read the directory (owners, mentions): one user by id, or by words of their username, name, e-mail.
    one = await user.client.get(f"/api/v1/users/{user.id}")
    assert one.status_code == 200, one.text
    got = one.json()
    assert (got["username"], got["email"], got["kind"]) == (user.username, change["email"], "person")
    for words in (user.username, f"кузнецов-{tag}", f"{user.username}@example"):
        found = (await user.client.get("/api/v1/users", params={"q": words})).json()
        assert [u["id"] for u in found] == [user.id], words
    for missing in ("00000000-0000-4000-8000-000000000000", "not-a-uuid"):
        response = await user.client.get(f"/api/v1/users/{missing}")
        assert (response.status_code, response.json()["code"]) == (404, "user_not_found")
    assert (await anonymous.get(f"/api/v1/users/{user.id}")).status_code == 401


async def test_a_password_guesser_is_refused_before_the_password_is_checked(anonymous, users):
    user = await users.user([])
    for attempt in range(10):
        wrong = await anonymous.post(
            "/api/v1/auth/login", json={"username": user.username, "password": f"guess{attempt}"}
        )
        assert (wrong.status_code, wrong.json()["code"]) == (401, "invalid_credentials")
    # The right password now waits too: the guesser cannot tell it from a wrong one.
    for password in ("password-123", "guess-more"):
        refused = await anonymous.post("/api/v1/auth/login", json={"username": user.username, "password": password})
        assert (refused.status_code, refused.json()["code"]) == (429, "too_many_attempts")
        assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    # Somebody else from the same address logs in as ever; case does not make a new account to guess.
    other = await users.user([])
    login = await anonymous.post("/api/v1/auth/login", json={"username": other.username, "password": "password-123"})
    assert login.status_code == 200
    shouted = await anonymous.post("/api/v1/auth/login", json={"username": user.username.upper(), "password": "x"})
    assert shouted.status_code == 429
