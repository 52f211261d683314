"""Per-request plumbing: request id, trace span, structured access log, metrics (pure ASGI)."""

from __future__ import annotations

import time
import uuid

import structlog
from opentelemetry import trace
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crm_core.logging import get_logger
from crm_core.metrics import HTTP_LATENCY, HTTP_REQUESTS
from crm_core.telemetry import extract_context, redacted_query, tracer

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
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        method, path = scope["method"], scope["path"]
        # One SERVER span per request, the root of its trace unless the client sent a traceparent. It is named
        # after the route's template once routing found it; the query's values and the headers stay out of it.
        with tracer("crm.gateway").start_as_current_span(
            method,
            context=extract_context(dict(headers)),
            kind=trace.SpanKind.SERVER,
            attributes=request_attributes(scope),
        ) as span:
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                route = getattr(scope.get("route"), "path", None)
                if route is not None:
                    span.update_name(f"{method} {route}")
                    span.set_attribute("http.route", route)
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    span.set_status(trace.Status(trace.StatusCode.ERROR))
                elapsed = time.perf_counter() - started
                HTTP_REQUESTS.labels(method, route or "unmatched", str(status)).inc()
                HTTP_LATENCY.labels(method, route or "unmatched").observe(elapsed)
                if path not in QUIET_PATHS:  # inside the span: the access line carries its trace and span ids
                    caller = scope["state"].get("caller")
                    log.info(
                        "http_request",
                        method=method,
                        route=route or "unmatched",
                        path=path,
                        status=status,
                        ms=round(elapsed * 1000, 1),
                        user_id=caller.user_id if caller is not None else None,
                    )
                structlog.contextvars.unbind_contextvars("request_id", "user_id")


def request_attributes(scope: Scope) -> dict[str, str | int]:
    """HTTP semantic-convention attributes of a request, with the query's values redacted and no headers
    (Authorization, cookies and API keys never reach a span)."""
    attributes: dict[str, str | int] = {
        "http.request.method": scope["method"],
        "url.path": scope["path"],
        "url.scheme": scope.get("scheme", "http"),
    }
    query = scope.get("query_string", b"").decode("latin-1")
    if query:
        attributes["url.query"] = redacted_query(query)
    client = scope.get("client")
    if client:
        attributes["client.address"] = client[0]
    server = scope.get("server")
    if server:
        attributes["server.address"] = server[0]
        if server[1] is not None:
            attributes["server.port"] = server[1]
    return attributes
