"""Unexpected exceptions: a bug is 500 internal_error, the gateway's database being away is 503."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy.exc import InterfaceError

from crm_gateway.problems import install_handlers


def app_raising(exc: Exception) -> FastAPI:
    app = FastAPI()
    install_handlers(app)

    @app.get("/fails")
    async def fails() -> None:
        raise exc

    return app


async def answer(exc: Exception) -> httpx.Response:
    transport = httpx.ASGITransport(app=app_raising(exc), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        return await client.get("/fails")


async def test_a_database_that_refuses_connections_is_503_service_unavailable() -> None:
    response = await answer(ConnectionRefusedError(111, "Connection refused"))
    assert (response.status_code, response.json()["code"]) == (503, "service_unavailable")


async def test_a_pooled_connection_closed_by_a_database_restart_is_503_service_unavailable() -> None:
    closed = InterfaceError("DELETE FROM idempotency_key", {}, Exception("connection is closed"))
    response = await answer(closed)
    assert (response.status_code, response.json()["code"]) == (503, "service_unavailable")
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_bug_is_still_500_internal_error() -> None:
    response = await answer(KeyError("missing"))
    assert (response.status_code, response.json()["code"]) == (500, "internal_error")
