"""Helpers of the tasks integration tests: task builders, fresh callers, process stubs, published events."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import pytest
from google.protobuf import timestamp_pb2

from crm.events.v1 import envelope_pb2
from crm.tasks.v1 import processes_pb2_grpc, tasks_pb2_grpc
from crm.tasks.v1 import tasks_pb2 as pb
from crm_core.auth import Caller
from crm_core.service import ServiceApp
from crm_core.testing import ADMIN, ALICE, COMMON_STUBS, CallerStub, eventually, stream_messages


def ts(value: datetime) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(value)
    return stamp


class Plan:
    """Builds tasks and times relative to the service's clock."""

    def __init__(self, clock: Any) -> None:
        self.clock = clock

    def at(self, **delta: float) -> timestamp_pb2.Timestamp:
        """A time `delta` after the service's now."""
        return ts(self.clock.now() + timedelta(**delta))

    def task(self, **fields: Any) -> pb.Task:
        """A call due in two hours linked to a new party; `fields` override."""
        data: dict[str, Any] = {
            "type": "call",
            "subject": "Обсудить коммерческое предложение",
            "due_at": self.at(hours=2),
            "links": [pb.TaskLink(kind="party", id=str(uuid.uuid4()))],
        }
        data.update(fields)
        return pb.Task(**data)

    @staticmethod
    def utc(stamp: timestamp_pb2.Timestamp) -> datetime:
        return stamp.ToDatetime(tzinfo=UTC)


@pytest.fixture
def plan(clock: Any) -> Plan:
    return Plan(clock)


@pytest.fixture
def person(channel: grpc.aio.Channel) -> Callable[..., CallerStub]:
    """A stub acting as a new user (own id, optional roles and teams), so counts start at zero."""

    def make(roles: tuple[str, ...] = (), teams: tuple[str, ...] = ()) -> CallerStub:
        caller = Caller(f"u-{uuid.uuid4().hex[:8]}", frozenset(roles), frozenset(teams))
        stub = CallerStub([tasks_pb2_grpc.TasksServiceStub(channel), *(s(channel) for s in COMMON_STUBS)], caller)
        stub.user_id = caller.user_id  # type: ignore[attr-defined]
        return stub

    return make


@pytest.fixture(scope="session")
def processes(channel: grpc.aio.Channel) -> CallerStub:
    """The processes API as an admin."""
    return CallerStub(processes_pb2_grpc.ProcessesServiceStub(channel), ADMIN)


@pytest.fixture(scope="session")
def alice_processes(channel: grpc.aio.Channel) -> CallerStub:
    return CallerStub(processes_pb2_grpc.ProcessesServiceStub(channel), ALICE)


@pytest.fixture
def published() -> Callable[..., Awaitable[list[envelope_pb2.EventEnvelope]]]:
    """`await published(app, task_id, count)`: the task's events once there are `count`, in order."""
    return events_of


async def task_events(app: ServiceApp) -> list[envelope_pb2.EventEnvelope]:
    messages = await stream_messages(app.bus.js, app.namespace.stream("tasks"))
    return [envelope_pb2.EventEnvelope.FromString(m.data) for m in messages]


async def events_of(app: ServiceApp, task_id: str, count: int) -> list[envelope_pb2.EventEnvelope]:
    """The task's events (every task's when `task_id` is empty) once there are `count` of them, in order."""

    async def check() -> list[envelope_pb2.EventEnvelope] | None:
        mine = [e for e in await task_events(app) if e.subject_id == task_id or not task_id]
        return mine if len(mine) >= count else None

    return await eventually(check)
