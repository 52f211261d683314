"""/api/v1/system: the platform's own state, for admins."""

from __future__ import annotations

import asyncio

import grpc
from fastapi import APIRouter, Depends, Request
from grpc_health.v1 import health_pb2, health_pb2_grpc

from crm_core.auth import Caller
from crm_core.registry import REGISTRY
from crm_core.service import CONSUMERS_HEALTH
from crm_gateway.schemas.system import ServiceStatusOut, Status
from crm_gateway.security import admin_caller

router = APIRouter(prefix="/api/v1/system", tags=["system"])

# A health check answers at once or not at all: a short deadline keeps the page quick when a service is away.
HEALTH_DEADLINE = 2.0
SERVING = health_pb2.HealthCheckResponse.SERVING


async def health_of(channel: grpc.aio.Channel, service: str) -> str | None:
    """SERVING / NOT_SERVING of one health service name; None when the server does not know the name,
    UNREACHABLE when it does not answer."""
    try:
        response = await health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service=service), timeout=HEALTH_DEADLINE
        )
    except grpc.aio.AioRpcError as error:
        return None if error.code() == grpc.StatusCode.NOT_FOUND else "UNREACHABLE"
    return "SERVING" if response.status == SERVING else "NOT_SERVING"


def overall(server: str | None, consumers: str | None) -> Status:
    """One status of a service: its server's, unless that serves while a consumer is stalled."""
    if server in (None, "UNREACHABLE"):
        return "UNREACHABLE"
    if server == "NOT_SERVING" or consumers == "NOT_SERVING":
        return "NOT_SERVING"
    return "SERVING"


@router.get(
    "/services",
    response_model=list[ServiceStatusOut],
    summary="Every service of the registry with its gRPC health (admin)",
    description="In registry order. `status` is UNREACHABLE when the service does not answer within "
    f"{HEALTH_DEADLINE:g} s, NOT_SERVING when it is draining or one of its event consumers is stalled.",
)
async def list_services(request: Request, _: Caller = Depends(admin_caller)) -> list[ServiceStatusOut]:
    clients = request.app.state.clients

    async def status_of(name: str) -> ServiceStatusOut:
        entry, channel = REGISTRY[name], clients.channels[name]
        server, consumers = await asyncio.gather(health_of(channel, ""), health_of(channel, CONSUMERS_HEALTH))
        return ServiceStatusOut(
            name=name,
            title_en=entry.title_en,
            title_ru=entry.title_ru,
            grpc_port=entry.grpc_port,
            target=clients.settings.targets[name],
            status=overall(server, consumers),
            consumers="SERVING" if consumers == "SERVING" else "NOT_SERVING" if consumers == "NOT_SERVING" else None,
        )

    return list(await asyncio.gather(*(status_of(name) for name in REGISTRY)))
