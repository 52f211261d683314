"""Per-request plumbing: request id, trace span, structured access log, metrics."""

from __future__ import annotations

import time
import uuid

import structlog
from fastapi import Request, Response
from opentelemetry import context as otel_context
from opentelemetry import trace
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from crm_core.logging import get_logger
from crm_core.metrics import HTTP_LATENCY, HTTP_REQUESTS
from crm_core.telemetry import extract_context, tracer

log = get_logger("crm.http")


class RequestContextMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        request.state.request_id = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        token = otel_context.attach(extract_context(dict(request.headers)))
        started = time.perf_counter()
        status = 500
        try:
            with tracer("crm.gateway").start_as_current_span(
                f"{request.method} {request.url.path}", kind=trace.SpanKind.SERVER
            ):
                response = await call_next(request)
                status = response.status_code
                response.headers["X-Request-Id"] = request_id
                return response
        finally:
            route = request.scope.get("route")
            path = getattr(route, "path", "unmatched")
            elapsed = time.perf_counter() - started
            HTTP_REQUESTS.labels(request.method, path, str(status)).inc()
            HTTP_LATENCY.labels(request.method, path).observe(elapsed)
            if path not in ("/healthz", "/readyz", "/metrics"):
                log.info(
                    "http_request",
                    method=request.method,
                    path=request.url.path,
                    status=status,
                    ms=round(elapsed * 1000, 1),
                )
            otel_context.detach(token)
            structlog.contextvars.unbind_contextvars("request_id")
