"""pytest plugin shared by every service's tests (enabled in the root conftest.py).

Integration tests run against the real PostgreSQL and NATS of the machine:
each test session gets its own databases (crm_t<run>_<name>) and its own
event namespace (t<run>), so parallel or repeated runs never collide, and
everything is dropped at the end.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import nats
import pytest

from crm_core.auth import Caller
from crm_core.db import drop_database
from crm_core.events.envelope import Namespace
from crm_core.migrations import upgrade
from crm_core.settings import LOCAL_POSTGRES

RUN_ID = uuid.uuid4().hex[:8]


def postgres_base() -> str:
    return os.environ.get("CRM_TEST_POSTGRES", LOCAL_POSTGRES)


def nats_test_url() -> str:
    return os.environ.get("CRM_NATS_URL", "nats://127.0.0.1:4222")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TestDatabases:
    """Creates migrated databases for this run and drops them afterwards."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def create(self, name: str, migrations_dir: Path) -> str:
        url = f"{postgres_base()}/crm_t{RUN_ID}_{name}"
        upgrade(migrations_dir, url)
        self.urls.append(url)
        return url

    def drop_all(self) -> None:
        for url in self.urls:
            asyncio.run(drop_database(url))


@pytest.fixture(scope="session")
def test_databases() -> Iterator[TestDatabases]:
    databases = TestDatabases()
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def event_namespace() -> Namespace:
    return Namespace(f"t{RUN_ID}")


@pytest.fixture(scope="session", autouse=True)
async def _streams_cleanup(event_namespace: Namespace) -> AsyncIterator[None]:
    yield
    nc = await nats.connect(nats_test_url())
    try:
        js = nc.jetstream()
        prefix = event_namespace.root.upper() + "_"
        for name in await js.streams_info():
            if name.config.name.startswith(prefix):
                await js.delete_stream(name.config.name)
    finally:
        await nc.close()


class NatsServer:
    """A private nats-server (JetStream, loopback) a test can stop and start again."""

    def __init__(self) -> None:
        self.binary = shutil.which("nats-server") or "/usr/sbin/nats-server"
        self.port = free_port()
        self.store = tempfile.mkdtemp(prefix="crm-nats-")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "-a", "127.0.0.1", "-p", str(self.port), "-js", "-sd", self.store],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("nats-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.store, ignore_errors=True)


@pytest.fixture
def private_nats() -> Iterator[NatsServer]:
    server = NatsServer()
    server.start()
    yield server
    server.cleanup()


class CallerStub:
    """A gRPC stub whose calls carry a caller, the internal token and a deadline."""

    def __init__(self, stub: object, caller: Caller, token: str = "dev-internal-token") -> None:
        self._stub = stub
        self._metadata = caller.metadata(token)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        method = getattr(self._stub, name)

        async def call(request, **kwargs):  # type: ignore[no-untyped-def]
            return await method(request, metadata=self._metadata, timeout=10, **kwargs)

        return call


async def eventually(check, timeout: float = 10.0, interval: float = 0.05):  # type: ignore[no-untyped-def]
    """Await `check()` until it returns a truthy value or the timeout passes."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s (last value: {last!r})")
