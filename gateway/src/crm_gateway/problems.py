"""Errors as application/problem+json with a stable `code`: the one gRPC -> HTTP mapping."""

from __future__ import annotations

from typing import Any

import grpc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from crm_core.db import is_outage
from crm_core.errors import CrmError
from crm_core.grpc_client import error_detail
from crm_core.logging import get_logger

log = get_logger("crm.gateway")

PROBLEM_JSON = "application/problem+json"
# A response's content in the API document: a problem.
PROBLEM_CONTENT = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}

GRPC_TO_HTTP = {
    grpc.StatusCode.INVALID_ARGUMENT: 422,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.FAILED_PRECONDITION: 409,
    grpc.StatusCode.ABORTED: 412,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 503,
}
# Codes of INVALID_ARGUMENT for input that could not be read at all (too deep, undecodable): 400, not 422.
MALFORMED = frozenset({"malformed_json", "malformed_request"})
# Codes of INVALID_ARGUMENT for an upload over its limit (crm_marketing.imports.files, crm_documents.attachments): 413.
TOO_LARGE = frozenset({"file_too_large", "attachment_too_large", "email_too_large"})
TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Invalid input",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal error",
    503: "Service unavailable",
}


class Problem(Exception):
    """An HTTP error the gateway itself raises."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors or []
        self.headers = headers


def problem_response(
    status: int,
    code: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"https://crm.example/problems/{code}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "code": code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def problem_from_grpc(error: grpc.aio.AioRpcError, service: str) -> Problem:
    """The HTTP problem for a failed gRPC call."""
    status = GRPC_TO_HTTP.get(error.code(), 500)
    if status == 503:
        return Problem(503, "service_unavailable", f"The {service} service is unavailable; try again shortly.")
    detail = error_detail(error)
    if detail is None or status == 500:
        log.error("grpc_call_failed", service=service, status=error.code().name, details=error.details())
        return Problem(500, "internal_error", "The request failed; it has been logged.")
    errors = [{"field": v.field, "code": v.code, "message": v.message} for v in detail.field_violations]
    return Problem(http_status(status, detail.code), detail.code, detail.message, errors)


def problem_from_error(error: CrmError) -> Problem:
    """The HTTP problem for a domain error raised in the gateway itself (crm_core checks), by the same table."""
    status = GRPC_TO_HTTP.get(error.status, 500)
    errors = [{"field": f.field, "code": f.code, "message": f.message} for f in error.fields]
    return Problem(http_status(status, error.code), error.code, error.message, errors)


def http_status(status: int, code: str) -> int:
    """INVALID_ARGUMENT is 422, except for a request that could not be read at all (400) and a file over
    its size limit (413)."""
    if status == 422 and code in MALFORMED:
        return 400
    return 413 if status == 422 and code in TOO_LARGE else status


def _location(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or ".".join(str(p) for p in loc)


def allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """The methods of the resource at the request's path, as the API document lists them (Starlette's 405
    names only one route's; the first template that matches is the one routing picks, as routes are in order)."""
    for template, operations in app.openapi().get("paths", {}).items():
        if compile_path(template)[0].match(request.url.path):
            return sorted(m.upper() for m in operations)
    return []


def install_handlers(app: FastAPI) -> None:
    """Every error the gateway returns is problem+json; no handler leaks a 500 page."""

    @app.exception_handler(Problem)
    async def _problem(_: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc.status, exc.code, exc.detail, exc.errors, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": _location(tuple(e["loc"])), "code": e["type"], "message": e["msg"]} for e in exc.errors()]
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            return problem_response(400, "malformed_json", "The request body is not valid JSON.", errors)
        detail = errors[0]["message"] if len(errors) == 1 else f"{len(errors)} fields are invalid"
        return problem_response(422, "validation_failed", detail, errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 401: "unauthenticated"}.get(exc.status_code, "http_error")
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(app, request))
        return problem_response(exc.status_code, code, str(exc.detail), headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        if is_outage(exc):
            # The gateway's own database (sessions, Idempotency-Keys, users) is down or restarting: nothing is
            # wrong with the request, and a retry will do (the fault suite's postgres-kill found this as 500).
            log.warning("database_unavailable", error=repr(exc))
            return problem_response(
                503, "service_unavailable", "The gateway's database is unavailable; try again shortly."
            )
        log.exception("unhandled_error", error=repr(exc))
        return problem_response(500, "internal_error", "The request failed; it has been logged.")
