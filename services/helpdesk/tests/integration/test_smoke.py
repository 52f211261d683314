"""The service starts migrated, serves health and reflection, publishes to its own stream."""

from __future__ import annotations

from pathlib import Path

import grpc
import nats
import pytest
from alembic.script import ScriptDirectory
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from sqlalchemy import text

import crm_helpdesk
from crm.helpdesk.v1 import helpdesk_pb2 as pb
from crm.helpdesk.v1 import helpdesk_pb2_grpc
from crm_core.events import Namespace
from crm_core.migrations import alembic_config
from crm_core.service import ServiceApp
from crm_core.testing import eventually, nats_test_url

SERVICE = "crm.helpdesk.v1.HelpdeskService"
MIGRATIONS = Path(crm_helpdesk.__file__).parent / "migrations"
CORE_TABLES = {"outbox", "inbox", "audit_entry", "relay_checkpoint", "answered_request"}


@pytest.mark.parametrize("name", ["", SERVICE])
async def test_health_is_serving(channel: grpc.aio.Channel, name: str) -> None:
    response = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=name))
    assert response.status == health_pb2.HealthCheckResponse.SERVING


async def test_reflection_lists_the_service(channel: grpc.aio.Channel) -> None:
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    responses = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]))
    async for response in responses:
        assert SERVICE in {s.name for s in response.list_services_response.service}
        break


async def test_service_info_reports_the_migrated_database_and_the_stream(
    alice, helpdesk_db_url: str, event_namespace: Namespace
) -> None:
    info = await alice.GetServiceInfo(pb.GetServiceInfoRequest())
    head = ScriptDirectory.from_config(alembic_config(MIGRATIONS, helpdesk_db_url)).get_current_head()
    assert (info.name, info.schema_revision, info.stream) == ("helpdesk", head, event_namespace.stream("helpdesk"))
    assert info.pending_events == 0


async def test_a_call_without_credentials_is_refused(channel: grpc.aio.Channel) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await helpdesk_pb2_grpc.HelpdeskServiceStub(channel).GetServiceInfo(pb.GetServiceInfoRequest(), timeout=10)
    assert info.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_the_core_tables_exist_and_the_migrations_write_no_audit_entry(helpdesk_app: ServiceApp) -> None:
    async with helpdesk_app.db.readers() as session:
        tables = set((await session.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))).all())
        assert tables >= CORE_TABLES
        # Other tests of the session write audit entries through the API, each with its caller as the actor.
        assert await session.scalar(text("SELECT count(*) FROM audit_entry WHERE actor_id = ''")) == 0


async def test_the_relay_creates_the_service_s_stream(helpdesk_app: ServiceApp, event_namespace: Namespace) -> None:
    nc = await nats.connect(nats_test_url())
    try:
        js = nc.jetstream()

        async def stream_subjects() -> list[str] | None:
            try:
                return list((await js.stream_info(event_namespace.stream("helpdesk"))).config.subjects or [])
            except nats.js.errors.NotFoundError:
                return None

        assert await eventually(stream_subjects) == event_namespace.stream_subjects("helpdesk")
    finally:
        await nc.close()
