"""Fixtures of the tasks tests: a migrated database, a running service with a shiftable clock, callers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest

import crm_tasks
from crm.tasks.v1 import tasks_pb2_grpc
from crm_core.events import Namespace
from crm_core.service import ServiceApp
from crm_core.testing import COMMON_STUBS, TestDatabases, caller_stub_fixtures, nats_test_url
from crm_tasks.clock import Clock, TasksSettings
from crm_tasks.main import build

MIGRATIONS = Path(crm_tasks.__file__).parent / "migrations"


@pytest.fixture(scope="session")
def tasks_db_url(test_databases: TestDatabases) -> str:
    return test_databases.create("tasks", MIGRATIONS)


def tasks_settings(database_url: str, namespace: Namespace, **overrides: object) -> TasksSettings:
    settings = TasksSettings.for_domain(
        "tasks",
        database_url=database_url,
        grpc_port=0,
        metrics_port=0,
        events_namespace=namespace.root,
        nats_url=nats_test_url(),
        shutdown_grace=1.0,
        **{"scheduler_interval": 0.1, "process_interval": 0.05, **overrides},
    )
    assert isinstance(settings, TasksSettings)
    return settings


@pytest.fixture(scope="session")
async def tasks_app(tasks_db_url: str, event_namespace: Namespace, clock: Clock) -> AsyncIterator[ServiceApp]:
    app = build(tasks_settings(tasks_db_url, event_namespace), clock)
    await app.start()
    yield app
    await app.stop()


@pytest.fixture(scope="session")
async def channel(tasks_app: ServiceApp) -> AsyncIterator[grpc.aio.Channel]:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{tasks_app.grpc.port}") as ch:
        yield ch


admin, alice, bob, carol = caller_stub_fixtures(tasks_pb2_grpc.TasksServiceStub, *COMMON_STUBS)


@pytest.fixture
async def another_tasks_app(tasks_db_url: str, event_namespace: Namespace, clock: Clock) -> AsyncIterator[ServiceApp]:
    """A second replica on the same database and stream (its own gRPC port and scheduler)."""
    app = build(tasks_settings(tasks_db_url, event_namespace, scheduler_interval=0.02), clock)
    await app.start()
    yield app
    await app.stop()
