"""gRPC channels to other services: every replica used in turn, retries on UNAVAILABLE.

A target names all replicas of a service: a DNS name that resolves to each of
them (a headless Service in Kubernetes, "dns:///contacts-grpc:50051") or a list
of addresses ("ipv4:127.0.0.1:50051,127.0.0.1:50151" locally). Calls go round
robin over them; servers end connections after a while (GrpcServer), so a
client re-resolves and new replicas get their share.
"""

from __future__ import annotations

import json

import grpc

from crm.common.v1 import common_pb2
from crm_core.errors import ERROR_TRAILER

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
    """An insecure channel (mTLS is the mesh's job in the cluster), round robin over the target's replicas, retries."""
    return grpc.aio.insecure_channel(
        target,
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
