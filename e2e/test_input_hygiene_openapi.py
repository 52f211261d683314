"""Generated from the gateway's own OpenAPI document: bad input to every operation is a clear 4xx, never a 500.

For every operation: a NUL in each string query parameter is 422
invalid_text naming them; a JSON body nested 200 levels is 400
malformed_json; a NUL in each top-level string property of its body schema
is 422 invalid_text naming them; 2**70 in an int query parameter is 422.
Path parameters are a random id, so the request gets as far as validation.
Each test sends one request per operation and lists every one that failed.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from crm_core.testing import russian_faker
from e2e.helpdesk.portal import portal_user

pytestmark = pytest.mark.e2e

NUL_TEXT = "a\x00b"
DEEP = "[" * 200 + "]" * 200


@pytest.fixture(scope="module")
async def openapi(admin) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = await admin.client.get("/api/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, path with path parameters filled in, operation)."""
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            yield method.upper(), re.sub(r"\{[^}]+\}", lambda _: str(uuid.uuid4()), path), operation


def resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def takes(doc: dict[str, Any], schema: dict[str, Any], kind: str) -> bool:
    """Whether a value of `schema` may be a `kind` (string, integer), directly, optional or as list items."""
    schema = resolve(doc, schema)
    if schema.get("type") == kind:
        return True
    if schema.get("type") == "array":
        return takes(doc, schema.get("items", {}), kind)
    return any(takes(doc, s, kind) for s in schema.get("anyOf", []))


def query_parameters(doc: dict[str, Any], operation: dict[str, Any], kind: str) -> list[str]:
    return [p["name"] for p in operation.get("parameters", []) if p["in"] == "query" and takes(doc, p["schema"], kind)]


def json_body_schema(doc: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any] | None:
    content = operation.get("requestBody", {}).get("content", {})
    return resolve(doc, content["application/json"]["schema"]) if "application/json" in content else None


def problem(response: httpx.Response) -> tuple[int, str, set[str]]:
    try:
        body = response.json()
    except ValueError:
        return response.status_code, response.text[:100], set()
    return response.status_code, body.get("code", ""), {e["field"] for e in body.get("errors", [])}


async def test_a_nul_in_the_string_query_parameters_of_every_operation_is_invalid_text(admin, openapi) -> None:
    failures, checked = [], 0
    for method, path, operation in operations(openapi):
        names = query_parameters(openapi, operation, "string")
        if not names:
            continue
        checked += 1
        response = await admin.client.request(method, path, params={name: NUL_TEXT for name in names})
        expected = (422, "invalid_text", {f"query.{name}" for name in names})
        if problem(response) != expected:
            failures.append(f"{method} {path}: {problem(response)}")
    assert checked >= 15
    assert failures == [], "NUL in query parameters not refused as invalid_text:\n" + "\n".join(failures)


async def test_a_json_body_nested_200_levels_is_malformed_json_for_every_operation(admin, openapi) -> None:
    failures, checked = [], 0
    for method, path, operation in operations(openapi):
        if "application/json" not in operation.get("requestBody", {}).get("content", {}):
            continue
        checked += 1
        response = await admin.client.request(method, path, content=DEEP, headers={"content-type": "application/json"})
        if problem(response)[:2] != (400, "malformed_json"):
            failures.append(f"{method} {path}: {problem(response)}")
    assert checked >= 30
    assert failures == [], "deep JSON bodies not refused as malformed_json:\n" + "\n".join(failures)


async def test_a_nul_in_every_string_property_of_every_json_body_is_invalid_text(admin, openapi) -> None:
    failures, checked = [], 0
    for method, path, operation in operations(openapi):
        schema = json_body_schema(openapi, operation)
        if schema is None:
            continue
        names = [name for name, prop in schema.get("properties", {}).items() if takes(openapi, prop, "string")]
        if not names:
            continue
        checked += 1
        body = {
            name: [NUL_TEXT] if resolve(openapi, schema["properties"][name]).get("type") == "array" else NUL_TEXT
            for name in names
        }
        response = await admin.client.request(method, path, json=body)
        fields = {f"{n}[0]" if isinstance(body[n], list) else n for n in names}
        if problem(response) != (422, "invalid_text", fields):
            failures.append(f"{method} {path}: {problem(response)}")
    assert checked >= 25
    assert failures == [], "NUL in body properties not refused as invalid_text:\n" + "\n".join(failures)


@pytest.fixture(scope="module")
async def portal_client(users, mail_server, platform) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    """A signed-in customer portal user: the portal's routes take only a portal token (and check it first)."""
    support = await users.user([await users.team("hygiene")], ["support"])
    _, _, client = await portal_user(support.client, mail_server, platform.config.gateway_url, russian_faker())
    yield client
    await client.aclose()


async def test_2_to_the_70_in_every_int_query_parameter_is_422(admin, portal_client, openapi) -> None:
    failures, checked = [], 0
    for method, path, operation in operations(openapi):
        client = portal_client if path.startswith("/api/v1/portal/") else admin.client
        for name in query_parameters(openapi, operation, "integer"):
            checked += 1
            response = await client.request(method, path, params={name: str(2**70)})
            if response.status_code != 422 or name not in {e["field"] for e in response.json().get("errors", [])}:
                failures.append(f"{method} {path} {name}: {problem(response)}")
    assert checked >= 10
    assert failures == [], "int query parameters that took 2**70:\n" + "\n".join(failures)
