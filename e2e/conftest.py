"""The platform for end-to-end tests: every service and the gateway as real processes.

Each run gets its own databases (crm_e<run>_*), event namespace and ports,
against the machine's PostgreSQL and NATS. Tests talk HTTP only.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from faker import Faker

from crm_core.launcher import Platform, PlatformConfig
from crm_core.testing import RUN_ID, SmtpServer

pytestmark = pytest.mark.e2e

ADMIN_PASSWORD = "e2e-admin-password"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


@pytest.fixture(scope="session")
def mail_server() -> Iterator[SmtpServer]:
    """The platform's SMTP server: a real one (aiosmtpd) in this process, so tests read what was sent."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def blob_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documents service's blob store of this run (CRM_DOCUMENTS_BLOB_DIR): tests look at what it holds."""
    return tmp_path_factory.mktemp("blobs")


@pytest.fixture(scope="session")
def platform(mail_server: SmtpServer, blob_dir: Path) -> Iterator[Platform]:
    mail = {"CRM_SMTP_HOST": mail_server.host, "CRM_SMTP_PORT": str(mail_server.port)}
    # A Russian installation, as the default is: process tasks and the shipped pipeline are named in Russian.
    env = {**mail, "CRM_DEFAULT_LANGUAGE": "ru", "CRM_DOCUMENTS_BLOB_DIR": str(blob_dir)}
    # Files of e-mails the helpdesk takes: a small limit, so a test e-mail can carry a file over it.
    env["CRM_HELPDESK_MAX_ATTACHMENT_BYTES"] = str(2 * 1024 * 1024)
    # A file documents could not take is tried again within seconds, not half a minute.
    env["CRM_HELPDESK_FILE_RETRY_SECONDS"] = "1"
    config = PlatformConfig.isolated(f"e{RUN_ID}", ADMIN_PASSWORD, extra_env=env)
    running = Platform(config, log_dir=ARTIFACTS / "e2e-logs")
    running.migrate()
    running.start()
    yield running
    exit_codes = running.stop()
    running.drop_databases()
    # SIGTERM is a graceful shutdown: every process drains and exits 0 by itself (docs/observability.md);
    # -SIGKILL would mean it hung.
    assert all(code == 0 for code in exit_codes.values()), exit_codes


@dataclass
class User:
    id: str
    username: str
    client: httpx.AsyncClient


@pytest.fixture(scope="session")
async def anonymous(platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=platform.config.gateway_url, timeout=15) as client:
        yield client


async def login(base_url: str, username: str, password: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base_url, timeout=15)
    response = await client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
    return client


@pytest.fixture(scope="session")
async def admin(platform: Platform) -> AsyncIterator[User]:
    client = await login(platform.config.gateway_url, "admin", ADMIN_PASSWORD)
    me = (await client.get("/api/v1/me")).json()
    yield User(me["id"], "admin", client)
    await client.aclose()


class Users:
    """Creates teams and users through the admin API and logs them in."""

    def __init__(self, admin: User, base_url: str) -> None:
        self.admin = admin
        self.base_url = base_url
        self.clients: list[httpx.AsyncClient] = []

    async def team(self, name: str) -> str:
        team_id = f"{name}-{uuid.uuid4().hex[:6]}"
        # A Russian name: the browser tests' check of Russian screens reads every team the session made.
        response = await self.admin.client.post("/api/v1/teams", json={"id": team_id, "name": f"Команда {name}"})
        assert response.status_code == 201, response.text
        return team_id

    async def user(self, teams: list[str], roles: list[str] | None = None) -> User:
        username = f"user{uuid.uuid4().hex[:8]}"
        response = await self.admin.client.post(
            "/api/v1/users",
            json={
                "username": username,
                "display_name": username.title(),
                "password": "password-123",
                "roles": roles or ["sales"],
                "team_ids": teams,
            },
        )
        assert response.status_code == 201, response.text
        client = await login(self.base_url, username, "password-123")
        self.clients.append(client)
        return User(response.json()["id"], username, client)


@pytest.fixture(scope="session")
async def users(admin: User, platform: Platform) -> AsyncIterator[Users]:
    directory = Users(admin, platform.config.gateway_url)
    yield directory
    for client in directory.clients:
        await client.aclose()


@pytest.fixture
def company_body(fake: Faker):  # type: ignore[no-untyped-def]
    """Builds the JSON of a new company with a realistic name and a valid INN."""

    def build(**extra: object) -> dict:
        return {"kind": "company", "company": {"legal_name": fake.company(), "inn": fake.businesses_inn()}, **extra}

    return build
