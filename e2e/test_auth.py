"""Logging in, tokens and the user directory, through the gateway."""

import pytest

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
