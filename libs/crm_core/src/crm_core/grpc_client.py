"""gRPC channels to other services: retries on UNAVAILABLE, deadlines, caller metadata."""

from __future__ import annotations

import json

import grpc

from crm.common.v1 import common_pb2
from crm_core.errors import ERROR_TRAILER

# Transparent retries for calls that never reached a healthy server.
_SERVICE_CONFIG = json.dumps(
    {
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
        ]
    }
)

DEFAULT_DEADLINE = 5.0


def open_channel(target: str) -> grpc.aio.Channel:
    """An insecure channel (mTLS is the mesh's job in the cluster) with retries."""
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
