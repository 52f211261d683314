"""Fixtures of the tasks tests: a migrated database, a running service with a shiftable clock, callers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from crm.tasks.v1 import tasks_pb2_grpc
from crm_core.clock import Clock
from crm_core.events import Namespace
from crm_core.service import ServiceApp
from crm_core.testing import COMMON_STUBS, caller_stub_fixtures, service_fixtures, settings_for_tests
from crm_tasks.main import build
from crm_tasks.settings import TasksSettings


def tasks_settings(database_url: str, namespace: Namespace, **overrides: object) -> TasksSettings:
    """Quick schedulers, so that tests wait little for a pass."""
    overrides = {"scheduler_interval": 0.1, "process_interval": 0.05, **overrides}
    return settings_for_tests(TasksSettings, "tasks", database_url, namespace, **overrides)


tasks_db_url, tasks_app, channel = service_fixtures("tasks", build, tasks_settings)
admin, alice, bob, carol = caller_stub_fixtures(tasks_pb2_grpc.TasksServiceStub, *COMMON_STUBS)


@pytest.fixture
async def another_tasks_app(tasks_db_url: str, event_namespace: Namespace, clock: Clock) -> AsyncIterator[ServiceApp]:
    """A second replica on the same database and stream (its own gRPC port and scheduler)."""
    app = build(tasks_settings(tasks_db_url, event_namespace, scheduler_interval=0.02), clock)
    await app.start()
    yield app
    await app.stop()
