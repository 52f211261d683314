"""REST shapes of the platform's own state (admins)."""

from __future__ import annotations

from typing import Literal

from crm_gateway.schemas.common import Out

Status = Literal["SERVING", "NOT_SERVING", "UNREACHABLE"]


class ServiceStatusOut(Out):
    name: str
    title_en: str
    title_ru: str
    # The port of the registry: the service listens there locally and in a cluster (partners call it there).
    grpc_port: int
    # The gRPC target the gateway calls ("127.0.0.1:50051", "dns:///crm-contacts-grpc:50051").
    target: str
    # SERVING only when the server is and none of its event consumers is stalled.
    status: Status
    # The service's event consumers (health name crm.consumers); null when it has none.
    consumers: Literal["SERVING", "NOT_SERVING"] | None
