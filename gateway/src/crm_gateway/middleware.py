"""Per-request plumbing: request id, trace span, structured access log, metrics (pure ASGI)."""

from __future__ import annotations

import time
import uuid

import structlog
from opentelemetry import context as otel_context
from opentelemetry import trace
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crm_core.logging import get_logger
from crm_core.metrics import HTTP_LATENCY, HTTP_REQUESTS
from crm_core.telemetry import extract_context, tracer

log = get_logger("crm.http")
QUIET_PATHS = ("/healthz", "/readyz", "/metrics")


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        request_id = headers.get("x-request-id") or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        token = otel_context.attach(extract_context(dict(headers)))
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        method, path = scope["method"], scope["path"]
        try:
            with tracer("crm.gateway").start_as_current_span(f"{method} {path}", kind=trace.SpanKind.SERVER):
                await self.app(scope, receive, send_with_id)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            elapsed = time.perf_counter() - started
            HTTP_REQUESTS.labels(method, route, str(status)).inc()
            HTTP_LATENCY.labels(method, route).observe(elapsed)
            if path not in QUIET_PATHS:
                caller = scope["state"].get("caller")
                log.info(
                    "http_request",
                    method=method,
                    route=route,
                    path=path,
                    status=status,
                    ms=round(elapsed * 1000, 1),
                    user_id=caller.user_id if caller is not None else None,
                )
            otel_context.detach(token)
            structlog.contextvars.unbind_contextvars("request_id", "user_id")
