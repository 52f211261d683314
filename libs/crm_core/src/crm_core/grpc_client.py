"""gRPC channels to other services: every replica used in turn, retries on UNAVAILABLE.

A target names all replicas of a service: a DNS name that resolves to each of
them (a headless Service in Kubernetes, "dns:///contacts-grpc:50051") or a list
of addresses ("ipv4:127.0.0.1:50051,127.0.0.1:50151" locally). Calls go round
robin over them; servers end connections after a while (GrpcServer), so a
client re-resolves and new replicas get their share.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import grpc
from opentelemetry import propagate, trace

from crm.common.v1 import common_pb2
from crm_core.errors import ERROR_TRAILER
from crm_core.telemetry import tracer

# Transparent retries for calls that never reached a healthy server.
_SERVICE_CONFIG = json.dumps(
    {
        "loadBalancingConfig": [{"round_robin": {}}],
        "methodConfig": [
            {
                "name": [{}],
                "retryPolicy": {
                    "maxAttempts": 4,
                    "initialBackoff": "0.1s",
                    "maxBackoff": "1s",
                    "backoffMultiplier": 2,
                    "retryableStatusCodes": ["UNAVAILABLE"],
                },
            }
        ],
    }
)

DEFAULT_DEADLINE = 5.0


def open_channel(target: str) -> grpc.aio.Channel:
    """An insecure channel (mTLS is the mesh's job in the cluster), round robin over the target's replicas, retries;
    every call a CLIENT span carrying the trace context to the server."""
    return grpc.aio.insecure_channel(
        target,
        interceptors=[TracingClientInterceptor(target)],
        options=[
            ("grpc.service_config", _SERVICE_CONFIG),
            ("grpc.enable_retries", 1),
            ("grpc.keepalive_time_ms", 30000),
        ],
    )


def error_detail(error: grpc.aio.AioRpcError) -> common_pb2.ErrorDetail | None:
    """The crm.common.v1.ErrorDetail a service attached to a failed call, if any."""
    for key, value in error.trailing_metadata() or ():
        if key == ERROR_TRAILER and isinstance(value, bytes):
            return common_pb2.ErrorDetail.FromString(value)
    return None


TRACE_HEADERS = frozenset({"traceparent", "tracestate", "baggage"})


def rpc_attributes(full_method: str) -> dict[str, str]:
    """rpc.* semantic-convention attributes of `/package.Service/Method`."""
    service, _, method = full_method.lstrip("/").rpartition("/")
    return {"rpc.system": "grpc", "rpc.service": service, "rpc.method": method}


class TracingClientInterceptor(grpc.aio.UnaryUnaryClientInterceptor):
    """A CLIENT span around each unary call, its context sent in the call's metadata (traceparent).

    Only the method and the status are recorded: metadata holds tokens and requests hold personal data.
    """

    def __init__(self, target: str) -> None:
        self.target = target

    async def intercept_unary_unary(
        self, continuation: Callable[..., Any], client_call_details: grpc.aio.ClientCallDetails, request: Any
    ) -> Any:
        method = client_call_details.method
        full_method = method.decode() if isinstance(method, bytes) else str(method)
        attributes = {**rpc_attributes(full_method), "server.address": self.target}
        with tracer("crm.grpc.client").start_as_current_span(
            full_method.lstrip("/"), kind=trace.SpanKind.CLIENT, attributes=attributes, end_on_exit=True
        ) as span:
            carrier: dict[str, str] = {}
            propagate.inject(carrier)
            metadata = [(k, v) for k, v in (client_call_details.metadata or ()) if k not in TRACE_HEADERS]
            details = client_call_details._replace(metadata=grpc.aio.Metadata(*metadata, *carrier.items()))
            call = await continuation(details, request)
            try:
                await call
                code = grpc.StatusCode.OK
            except grpc.aio.AioRpcError as error:  # the caller sees it when it awaits the call
                code = error.code()
            span.set_attribute("rpc.grpc.status_code", code.value[0])
            if code != grpc.StatusCode.OK:
                span.set_status(trace.Status(trace.StatusCode.ERROR, code.name))
            return call
