"""Fixtures of the tasks tests: a migrated database, a running service with a shiftable clock, callers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import grpc
import pytest

from crm.identity.v1 import identity_pb2, identity_pb2_grpc
from crm.tasks.v1 import tasks_pb2_grpc
from crm_core.clock import Clock
from crm_core.events import Namespace
from crm_core.service import ServiceApp
from crm_core.testing import (
    COMMON_STUBS,
    TEST_CALLERS,
    caller_stub_fixtures,
    service_fixtures,
    settings_for_tests,
)
from crm_tasks.main import build
from crm_tasks.settings import TasksSettings


class UserDirectory(identity_pb2_grpc.IdentityServiceServicer):
    """The gateway's identity module as far as the tasks service asks it (users' teams, for process tasks):
    these tests run without a gateway. `teams` starts with the test callers'; a test may add users."""

    def __init__(self) -> None:
        self.teams = {caller.user_id: sorted(caller.team_ids) for caller in TEST_CALLERS.values()}
        self.server: grpc.Server | None = None
        self.target = ""

    def GetUserTeams(self, request: identity_pb2.GetUserTeamsRequest, context: Any) -> Any:
        return identity_pb2.GetUserTeamsResponse(
            users=[
                identity_pb2.UserTeams(user_id=u, team_ids=self.teams[u]) for u in request.user_ids if u in self.teams
            ]
        )

    def started(self) -> str:
        """Its address, serving from a thread of its own once asked."""
        if self.server is None:
            self.server = grpc.server(ThreadPoolExecutor(max_workers=2))
            identity_pb2_grpc.add_IdentityServiceServicer_to_server(self, self.server)
            self.target = f"127.0.0.1:{self.server.add_insecure_port('127.0.0.1:0')}"
            self.server.start()
        return self.target


DIRECTORY = UserDirectory()


@pytest.fixture(scope="session")
def directory() -> UserDirectory:
    return DIRECTORY


def tasks_settings(database_url: str, namespace: Namespace, **overrides: object) -> TasksSettings:
    """Quick schedulers, so that tests wait little for a pass; users' teams from the stand-in directory."""
    overrides = {
        "scheduler_interval": 0.1,
        "process_interval": 0.05,
        "identity_target": DIRECTORY.started(),
        **overrides,
    }
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
