"""A service made by `scripts/new_service.py` in a temporary folder runs in a platform as generated.

The scaffold writes it outside the repository (--root), with its registry entry in a file of its own; the
launcher gives every process that file (CRM_SERVICES_EXTRA) and the service's folders (PYTHONPATH),
migrates its database, starts it, and the gateway reports it SERVING and calls it.
"""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grpc
import httpx
import nats
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

import crm
from crm_core.launcher import Platform, PlatformConfig
from crm_core.testing import ADMIN, RUN_ID, CallerStub, eventually

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parent.parent
NAME = "scratch"
PASSWORD = "scaffold-admin-password"


@pytest.fixture(scope="module")
def service_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("new-service")
    command = [sys.executable, "scripts/new_service.py", NAME, "--root", str(root), "--title-ru", "Черновик"]
    subprocess.run(command, cwd=REPO, check=True, capture_output=True)
    return root


@pytest.fixture(scope="module")
def scaffolded(service_root: Path) -> Iterator[Platform]:
    config = PlatformConfig.isolated(
        f"n{RUN_ID}",
        PASSWORD,
        extra_registry=[service_root / "services.toml"],
        pythonpath=[service_root / "services" / NAME / "src", service_root / "stubs"],
    )
    platform = Platform(config, log_dir=REPO / "artifacts" / "e2e-logs" / "new-service")
    platform.migrate()
    platform.start()
    yield platform
    exit_codes = platform.stop()
    platform.drop_databases()
    assert all(code == 0 for code in exit_codes.values()), exit_codes  # a graceful SIGTERM exits 0


@pytest.fixture(scope="module")
def generated_stubs(service_root: Path) -> Iterator[object]:
    """The new service's stubs in this process: its stub folder joins the `crm` package, as on PYTHONPATH."""
    sys.path.append(str(service_root / "stubs"))
    crm.__path__ = pkgutil.extend_path(crm.__path__, "crm")
    yield (
        importlib.import_module(f"crm.{NAME}.v1.{NAME}_pb2_grpc"),
        importlib.import_module(f"crm.{NAME}.v1.{NAME}_pb2"),
    )
    sys.path.remove(str(service_root / "stubs"))


async def test_the_gateway_reports_the_new_service_serving(scaffolded: Platform) -> None:
    async with httpx.AsyncClient(base_url=scaffolded.config.gateway_url, timeout=15) as client:
        login = await client.post("/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})
        client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        response = await client.get("/api/v1/system/services")
    assert response.status_code == 200, response.text
    services = {s["name"]: s for s in response.json()}
    assert services[NAME] == {
        "name": NAME,
        "title_en": "Scratch",
        "title_ru": "Черновик",
        "grpc_port": scaffolded.config.registry[NAME].grpc_port,
        "target": scaffolded.config.target(NAME),
        "status": "SERVING",
        "consumers": None,
    }
    assert all(s["status"] == "SERVING" for s in services.values()), services


async def test_the_new_service_answers_from_its_migrated_database_and_publishes_to_its_stream(
    scaffolded: Platform, generated_stubs
) -> None:
    grpc_module, pb = generated_stubs
    config = scaffolded.config
    async with grpc.aio.insecure_channel(config.target(NAME)) as channel:
        stub = CallerStub(
            getattr(grpc_module, f"{NAME.capitalize()}ServiceStub")(channel), ADMIN, config.internal_secret
        )
        info = await stub.GetServiceInfo(pb.GetServiceInfoRequest())
    assert (info.name, info.schema_revision, info.pending_events) == (NAME, "0001", 0)
    assert info.stream == f"{config.events_namespace.upper()}_{NAME.upper()}"
    nc = await nats.connect(config.nats_url)
    try:
        js = nc.jetstream()

        async def stream_exists() -> bool:
            try:
                return bool(await js.stream_info(info.stream))
            except nats.js.errors.NotFoundError:
                return False

        assert await eventually(stream_exists)
    finally:
        await nc.close()


async def test_the_new_service_s_database_has_the_core_tables_and_an_empty_audit_trail(scaffolded: Platform) -> None:
    engine = create_async_engine(scaffolded.config.database_url(NAME))
    try:
        async with engine.connect() as connection:
            tables = set((await connection.scalars(text("SELECT tablename FROM pg_tables"))).all())
            audit = await connection.scalar(text("SELECT count(*) FROM audit_entry"))
    finally:
        await engine.dispose()
    assert tables >= {"outbox", "inbox", "audit_entry", "relay_checkpoint", "answered_request", "alembic_version"}
    assert audit == 0
