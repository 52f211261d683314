"""The OpenAPI document tells the truth about failures.

FastAPI documents only a 422 with its own error shape. Every error this API
gives is `application/problem+json` (crm_gateway.problems), so each operation
gets the problem responses it can answer with, worked out from what the
operation takes: a body (malformed JSON, too large, wrong media type), an
access token (401, and 403/404 from access rules), a change (409 conflicts,
412 stale versions and concurrent changes). POSTs document the
Idempotency-Key header the idempotency middleware reads.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from crm_gateway.problems import PROBLEM_JSON, TITLES

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An error (RFC 9457). Branch on `code`; `detail` is for people.",
    "required": ["type", "title", "status", "code", "detail"],
    "properties": {
        "type": {"type": "string", "description": "https://crm.example/problems/<code>"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string", "description": "Stable, machine-readable, snake_case (see the docs' error list)"},
        "detail": {"type": "string", "description": "What went wrong, in English"},
        "errors": {
            "type": "array",
            "description": "Invalid input, one entry per field",
            "items": {
                "type": "object",
                "required": ["field", "code", "message"],
                "properties": {
                    "field": {"type": "string", "description": "Dotted path, e.g. company.inn or query.limit"},
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}

IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Any unique string (at most 200 characters); a retry with the same key and body replays the first "
    "response instead of acting twice.",
    "schema": {"type": "string", "maxLength": 200},
}
CHANGES = {"post", "put", "patch", "delete"}


def problem_statuses(method: str, operation: dict[str, Any]) -> list[int]:
    """The error statuses an operation can answer with."""
    statuses = {400, 422, 500, 503}
    if operation.get("security"):
        statuses |= {401, 403, 404}
    if any(p.get("in") == "path" for p in operation.get("parameters", [])):
        statuses.add(404)  # what the path names may not exist (a public form's token, a mail link)
    if method in CHANGES:
        statuses |= {409, 412}
    if "requestBody" in operation:
        statuses |= {413, 415}
    if operation.get("operationId", "").startswith(("login", "refresh")):
        statuses.add(401)
    return sorted(statuses)


def document_problems(document: dict[str, Any]) -> dict[str, Any]:
    """Add the problem responses (and the Idempotency-Key header) to every operation of `document`."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    problem = {"$ref": "#/components/schemas/Problem"}
    for path_item in document.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            for status in problem_statuses(method, operation):
                if status != 422 and str(status) in responses:
                    continue  # the route documents this status itself (an HTML page, an image)
                responses[str(status)] = {
                    "description": TITLES.get(status, "Error"),
                    "content": {PROBLEM_JSON: {"schema": problem}},
                }
            if method == "post":
                operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
    return document


def install_openapi(app: FastAPI) -> None:
    """Serve the document with its problem responses (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                    servers=app.servers,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
