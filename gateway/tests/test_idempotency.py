"""Idempotency-Key on POST, against the gateway's real database: what is replayed, refused, stored and taken over.

The middleware wraps a small app whose endpoints count their runs, so a test can tell a replay (no run)
from a second effect (a run).
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from crm_core.db import Database
from crm_core.testing import TestDatabases
from crm_gateway.idempotency import HEADER, IdempotencyKey, IdempotencyMiddleware
from crm_gateway.identity import User, issue_access_token

MIGRATIONS = Path(__file__).resolve().parents[1] / "src" / "crm_gateway" / "migrations"
SECRET = "idempotency-test-secret-" + "x" * 20


def token(user_id: str, secret: str = SECRET) -> str:
    user = User(id=user_id, username=user_id, access_version=1)
    return issue_access_token(user, f"session-{user_id}", secret, minutes=5)


class Endpoints:
    """The app behind the middleware: each endpoint counts its runs per Idempotency-Key."""

    def __init__(self) -> None:
        self.runs: Counter[str] = Counter()
        self.release = asyncio.Event()
        self.app = FastAPI()
        app = self.app

        @app.post("/api/v1/deals")
        async def create(request: Request) -> JSONResponse:
            key = self.count(request)
            body = {"run": self.runs[key], "key": request.state.idempotency_key, "body": (await request.json())}
            headers = {"Location": "/api/v1/deals/d-1", "ETag": '"1"', "X-Served-By": "replica-1"}
            return JSONResponse(body, status_code=201, headers=headers)

        @app.post("/api/v1/uploads")
        async def upload(request: Request) -> JSONResponse:
            key = self.count(request)
            received = 0
            pieces = 0
            async for piece in request.stream():  # the body arrives as it is sent, not read ahead
                received += len(piece)
                pieces += bool(piece)
            return JSONResponse({"run": self.runs[key], "bytes": received, "pieces": pieces}, status_code=201)

        @app.post("/api/v1/slow")
        async def slow(request: Request) -> JSONResponse:
            key = self.count(request)
            await self.release.wait()
            return JSONResponse({"run": self.runs[key]}, status_code=201)

        @app.post("/api/v1/answers/{status}")
        async def answers(status: int, request: Request) -> JSONResponse:
            self.count(request)
            return JSONResponse({"status": status}, status_code=status)

        @app.post("/api/v1/crash")
        async def crash(request: Request) -> JSONResponse:
            self.count(request)
            raise RuntimeError("the endpoint failed")

    def count(self, request: Request) -> str:
        key = request.headers.get(HEADER, "")
        self.runs[key] += 1
        return key


@pytest.fixture(scope="module")
def gateway_db_url(test_databases: TestDatabases) -> str:
    return test_databases.create("gateway_idempotency", MIGRATIONS)


@pytest.fixture(scope="module")
async def db(gateway_db_url: str) -> AsyncIterator[Database]:
    database = Database(gateway_db_url, pool_size=2)
    yield database
    await database.dispose()


@pytest.fixture
def endpoints() -> Endpoints:
    return Endpoints()


Client = Callable[..., httpx.AsyncClient]


@pytest.fixture
async def client(db: Database, endpoints: Endpoints) -> AsyncIterator[Client]:
    """Clients of the app behind the middleware; `lease` and `hours` as the gateway's settings."""
    opened: list[httpx.AsyncClient] = []

    def make(lease: float = 15.0, hours: int = 24) -> httpx.AsyncClient:
        app = IdempotencyMiddleware(endpoints.app, db, SECRET, hours, lease)
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        opened.append(httpx.AsyncClient(transport=transport, base_url="http://gateway"))
        return opened[-1]

    yield make
    for each in opened:
        await each.aclose()


def new_key() -> str:
    return f"key-{uuid.uuid4()}"


async def post(
    api: httpx.AsyncClient, path: str, key: str | None, body: object = None, user: str = "alice"
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token(user)}"}
    if key is not None:
        headers[HEADER] = key
    return await api.post(path, json=body if body is not None else {"title": "Поставка"}, headers=headers)


async def test_a_retry_with_the_same_key_and_body_gets_the_first_response(client: Client, endpoints: Endpoints) -> None:
    api, key = client(), new_key()
    first = await post(api, "/api/v1/deals", key)
    again = await post(api, "/api/v1/deals", key)
    assert endpoints.runs[key] == 1
    assert (again.status_code, again.content) == (201, first.content)
    assert first.json()["key"] == key  # handed to the endpoint, which sends it on to the services
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers


async def test_a_replay_carries_content_type_location_and_etag_only(client: Client) -> None:
    api, key = client(), new_key()
    await post(api, "/api/v1/deals", key)
    again = await post(api, "/api/v1/deals", key)
    assert again.headers["content-type"] == "application/json"
    assert (again.headers["location"], again.headers["etag"]) == ("/api/v1/deals/d-1", '"1"')
    assert "x-served-by" not in again.headers


async def test_the_same_key_with_another_body_is_422_idempotency_key_reused(
    client: Client, endpoints: Endpoints
) -> None:
    api, key = client(), new_key()
    await post(api, "/api/v1/deals", key, {"title": "Поставка"})
    other = await post(api, "/api/v1/deals", key, {"title": "Другая сделка"})
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    assert other.headers["content-type"] == "application/problem+json"
    assert endpoints.runs[key] == 1


async def test_the_same_key_and_body_on_another_path_is_422_idempotency_key_reused(
    client: Client, endpoints: Endpoints
) -> None:
    api, key = client(), new_key()
    await post(api, "/api/v1/deals", key)
    other = await post(api, "/api/v1/answers/201", key)
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    assert endpoints.runs[key] == 1


async def test_keys_belong_to_their_user(client: Client, endpoints: Endpoints) -> None:
    api, key = client(), new_key()
    alice = await post(api, "/api/v1/deals", key, user="alice")
    bob = await post(api, "/api/v1/deals", key, user="bob")
    assert (alice.json()["run"], bob.json()["run"]) == (1, 2)
    assert "Idempotent-Replayed" not in bob.headers


async def test_a_key_of_up_to_200_characters_is_taken_longer_is_422(client: Client, endpoints: Endpoints) -> None:
    api = client()
    assert (await post(api, "/api/v1/deals", "k" * 200)).status_code == 201
    refused = await post(api, "/api/v1/deals", "k" * 201)
    assert (refused.status_code, refused.json()["code"]) == (422, "invalid_idempotency_key")
    assert endpoints.runs["k" * 201] == 0


async def test_without_a_key_every_request_runs(client: Client, endpoints: Endpoints) -> None:
    api = client()
    await post(api, "/api/v1/deals", None)
    again = await post(api, "/api/v1/deals", None)
    assert endpoints.runs[""] == 2 and "Idempotent-Replayed" not in again.headers


async def test_without_a_valid_token_the_key_is_not_stored(client: Client, endpoints: Endpoints, db: Database) -> None:
    """The endpoint answers 401 itself; a key stored for nobody would replay to whoever sends it next."""
    api, key = client(), new_key()
    forged = {"Authorization": f"Bearer {token('alice', secret='another-secret-' + 'y' * 30)}", HEADER: key}
    for headers in ({HEADER: key}, forged):
        await api.post("/api/v1/deals", json={"title": "x"}, headers=headers)
    assert endpoints.runs[key] == 2
    async with db.sessions() as session:
        assert await session.get(IdempotencyKey, ("alice", key)) is None


async def test_a_multipart_upload_streams_through_and_is_not_replayed(client: Client, endpoints: Endpoints) -> None:
    """An upload's body is never read ahead to compare it (the route streams the file to its service)."""
    api, key = client(), new_key()
    headers = {
        "Authorization": f"Bearer {token('alice')}",
        HEADER: key,
        "Content-Type": "multipart/form-data; boundary=b",
    }

    async def body() -> AsyncIterator[bytes]:
        for _ in range(4):
            yield b"x" * 1000

    for run in (1, 2):
        answer = await api.post("/api/v1/uploads", content=body(), headers=headers)
        assert answer.json() == {"run": run, "bytes": 4000, "pieces": 4}
        assert "Idempotent-Replayed" not in answer.headers


async def test_only_post_is_deduplicated(client: Client, endpoints: Endpoints) -> None:
    api, key = client(), new_key()
    headers = {"Authorization": f"Bearer {token('alice')}", HEADER: key}
    for _ in range(2):
        assert (await api.get("/api/v1/deals", headers=headers)).status_code == 405
    assert (await post(api, "/api/v1/deals", key)).json()["run"] == 1


async def test_a_duplicate_while_the_first_runs_is_409_request_in_progress(
    client: Client, endpoints: Endpoints
) -> None:
    api, key = client(), new_key()
    first = asyncio.create_task(post(api, "/api/v1/slow", key))
    while endpoints.runs[key] == 0:
        await asyncio.sleep(0.01)
    duplicate = await post(api, "/api/v1/slow", key)
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "request_in_progress")
    endpoints.release.set()
    assert (await first).status_code == 201
    replayed = await post(api, "/api/v1/slow", key)
    assert replayed.headers["Idempotent-Replayed"] == "true" and endpoints.runs[key] == 1


async def test_a_retry_after_the_lease_ran_out_takes_the_key_over(client: Client, endpoints: Endpoints) -> None:
    """The first request's gateway is presumed dead once its lease is over: the retry runs (the services answer
    it with their stored result, crm_core.answered)."""
    api, key = client(lease=0.2), new_key()
    first = asyncio.create_task(post(api, "/api/v1/slow", key))
    while endpoints.runs[key] == 0:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.3)
    other_body = await post(api, "/api/v1/slow", key, {"title": "Другая"})
    assert (other_body.status_code, other_body.json()["code"]) == (422, "idempotency_key_reused")
    retry = asyncio.create_task(post(api, "/api/v1/slow", key))
    while endpoints.runs[key] == 1:
        await asyncio.sleep(0.01)
    endpoints.release.set()
    assert [(await first).status_code, (await retry).status_code] == [201, 201]
    assert endpoints.runs[key] == 2


@pytest.mark.parametrize("status", [400, 403, 404, 409, 412, 422])
async def test_a_client_error_is_stored_and_replayed(client: Client, endpoints: Endpoints, status: int) -> None:
    api, key = client(), new_key()
    await post(api, f"/api/v1/answers/{status}", key)
    again = await post(api, f"/api/v1/answers/{status}", key)
    assert (again.status_code, again.headers.get("Idempotent-Replayed")) == (status, "true")
    assert endpoints.runs[key] == 1


@pytest.mark.parametrize("status", [401, 500, 502, 503])
async def test_401_and_server_errors_are_not_stored_so_a_retry_runs_again(
    client: Client, endpoints: Endpoints, db: Database, status: int
) -> None:
    """A 5xx may succeed when retried; a 401 means the session ended and the user retries with a new token."""
    api, key = client(), new_key()
    await post(api, f"/api/v1/answers/{status}", key)
    again = await post(api, f"/api/v1/answers/{status}", key)
    assert (again.status_code, again.headers.get("Idempotent-Replayed")) == (status, None)
    assert endpoints.runs[key] == 2
    async with db.sessions() as session:
        assert await session.get(IdempotencyKey, ("alice", key)) is None


async def test_an_endpoint_that_raises_frees_its_key(client: Client, endpoints: Endpoints) -> None:
    api, key = client(), new_key()
    for _ in range(2):
        assert (await post(api, "/api/v1/crash", key)).status_code == 500
    assert endpoints.runs[key] == 2


async def test_what_is_stored_is_the_status_the_replayed_headers_and_the_body(client: Client, db: Database) -> None:
    api, key = client(), new_key()
    first = await post(api, "/api/v1/deals", key)
    async with db.sessions() as session:
        row = await session.get(IdempotencyKey, ("alice", key))
    assert row is not None
    assert (row.status, row.body) == (201, first.content)
    assert row.headers == {"content-type": "application/json", "location": "/api/v1/deals/d-1", "etag": '"1"'}


async def test_a_key_older_than_its_hours_is_forgotten(client: Client, endpoints: Endpoints) -> None:
    api, key = client(), new_key()
    await post(api, "/api/v1/deals", key)
    expired = client(hours=0)
    again = await post(expired, "/api/v1/deals", key, {"title": "Другая"})
    assert (again.status_code, again.json()["run"]) == (201, 2)
