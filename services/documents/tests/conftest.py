"""Fixtures of the documents tests: a migrated database, the service beside its peers, callers, blob stores.

Attachments ask contacts, deals and tasks whether the caller sees a record, so
those services run in process too, on databases of their own. The S3 blob store
is tested against s3rver, a real S3-compatible server (an npm package, installed
by `make s3server` into tests/s3server/), started on a free port in a temporary
folder and ended by its pid.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import grpc
import pytest

from crm.contacts.v1 import contacts_pb2_grpc
from crm.deals.v1 import deals_pb2_grpc
from crm.documents.v1 import attachments_pb2_grpc, documents_pb2_grpc
from crm.tasks.v1 import tasks_pb2_grpc
from crm_contacts.main import build as build_contacts
from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.events import Namespace
from crm_core.service import ServiceApp
from crm_core.testing import COMMON_STUBS, CallerStub, caller_stub_fixtures, service_fixtures, settings_for_tests
from crm_deals.main import build as build_deals
from crm_documents.blobs import S3Config
from crm_documents.main import build
from crm_documents.settings import DocumentsSettings
from crm_tasks.main import build as build_tasks
from crm_tasks.settings import TasksSettings

S3SERVER = Path(__file__).parent / "s3server"
S3_BUCKET = "crm-documents-test"
# s3rver's fixed credentials.
S3_KEY = "S3RVER"
# Small enough for the tests to send a few megabytes (the limit is a setting).
TEST_MAX_BYTES = 3 * 1024 * 1024

# The peers' database and app fixtures only (their `channel` would shadow documents'), and documents' database
# and channel (its app is built below, pointed at the peers).
contacts_db_url, contacts_app = service_fixtures("contacts", build_contacts)[:2]
deals_db_url, deals_app = service_fixtures("deals", build_deals)[:2]
tasks_db_url, tasks_app = service_fixtures(
    "tasks", build_tasks, lambda url, namespace: settings_for_tests(TasksSettings, "tasks", url, namespace)
)[:2]
documents_db_url, channel = service_fixtures("documents", build)[::2]
admin, alice, bob, carol = caller_stub_fixtures(
    documents_pb2_grpc.DocumentsServiceStub, attachments_pb2_grpc.AttachmentsServiceStub, *COMMON_STUBS
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Config]:
    """s3rver on a free loopback port, its bucket made at start, its data in a temporary folder."""
    binary = S3SERVER / "node_modules" / ".bin" / "s3rver"
    node = shutil.which("node")
    if not binary.exists() or node is None:
        pytest.fail("s3rver is not installed: run `make s3server` (needs node and npm)")
    port = _free_port()
    folder = tmp_path_factory.mktemp("s3rver")
    process = subprocess.Popen(
        [
            node,
            str(binary),
            "-d",
            str(folder),
            "-a",
            "127.0.0.1",
            "-p",
            str(port),
            "-s",
            "--configure-bucket",
            S3_BUCKET,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"s3rver exited: {process.stderr.read().decode()[-2000:] if process.stderr else ''}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("s3rver did not start within 30 s")
                time.sleep(0.1)
        yield S3Config(f"http://127.0.0.1:{port}", S3_BUCKET, S3_KEY, S3_KEY, "us-east-1")
    finally:
        os.kill(process.pid, 15)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, 9)
            process.wait()


def documents_settings(
    db_url: str, namespace: Namespace, contacts: ServiceApp, deals: ServiceApp, tasks: ServiceApp, **overrides: object
) -> DocumentsSettings:
    return settings_for_tests(
        DocumentsSettings,
        "documents",
        db_url,
        namespace,
        contacts_grpc_target=f"127.0.0.1:{contacts.grpc.port}",
        deals_grpc_target=f"127.0.0.1:{deals.grpc.port}",
        tasks_grpc_target=f"127.0.0.1:{tasks.grpc.port}",
        max_attachment_bytes=TEST_MAX_BYTES,
        **overrides,
    )


@pytest.fixture(scope="session")
def blob_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("blobs")


@pytest.fixture(scope="session", name="documents_app")
async def documents_app_with_peers(
    documents_db_url: str,
    event_namespace: Namespace,
    clock: Clock,
    contacts_app: ServiceApp,
    deals_app: ServiceApp,
    tasks_app: ServiceApp,
    blob_dir: Path,
) -> AsyncIterator[ServiceApp]:
    """The documents service, its peers the in-process contacts, deals and tasks, its blobs in a local folder."""
    settings = documents_settings(
        documents_db_url, event_namespace, contacts_app, deals_app, tasks_app, blob_dir=str(blob_dir)
    )
    app = build(settings, clock)
    await app.start()
    yield app
    await app.stop()


@pytest.fixture(scope="session")
async def s3_documents_app(
    documents_db_url: str,
    event_namespace: Namespace,
    clock: Clock,
    contacts_app: ServiceApp,
    deals_app: ServiceApp,
    tasks_app: ServiceApp,
    s3_server: S3Config,
) -> AsyncIterator[ServiceApp]:
    """A second documents replica on the same database whose blobs go to s3rver."""
    settings = documents_settings(
        documents_db_url,
        event_namespace,
        contacts_app,
        deals_app,
        tasks_app,
        s3_endpoint=s3_server.endpoint,
        s3_bucket=s3_server.bucket,
        s3_access_key=s3_server.access_key,
        s3_secret_key=s3_server.secret_key,
    )
    app = build(settings, clock)
    await app.start()
    yield app
    await app.stop()


class Peers:
    """Stubs of contacts, deals and tasks as a given caller: `peers.deals(ALICE).CreateDeal(...)`."""

    def __init__(self, contacts_app: ServiceApp, deals_app: ServiceApp, tasks_app: ServiceApp) -> None:
        self._contacts = grpc.aio.insecure_channel(f"127.0.0.1:{contacts_app.grpc.port}")
        self._deals = grpc.aio.insecure_channel(f"127.0.0.1:{deals_app.grpc.port}")
        self._tasks = grpc.aio.insecure_channel(f"127.0.0.1:{tasks_app.grpc.port}")

    def contacts(self, caller: Caller) -> CallerStub:
        return CallerStub(contacts_pb2_grpc.ContactsServiceStub(self._contacts), caller)

    def deals(self, caller: Caller) -> CallerStub:
        return CallerStub(deals_pb2_grpc.DealsServiceStub(self._deals), caller)

    def tasks(self, caller: Caller) -> CallerStub:
        return CallerStub(tasks_pb2_grpc.TasksServiceStub(self._tasks), caller)

    async def close(self) -> None:
        for opened in (self._contacts, self._deals, self._tasks):
            await opened.close()


@pytest.fixture
async def peers(contacts_app: ServiceApp, deals_app: ServiceApp, tasks_app: ServiceApp) -> AsyncIterator[Peers]:
    opened = Peers(contacts_app, deals_app, tasks_app)
    yield opened
    await opened.close()
