"""The gateway's input hygiene: bad text anywhere in a request is 422 invalid_text, bad JSON bodies 400."""

from __future__ import annotations

import json

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from crm_core.untrusted import has_bad_text
from crm_gateway.hygiene import InputHygieneMiddleware, is_json, json_body_problem


def problem(body: str | bytes) -> tuple[int, dict] | None:  # type: ignore[type-arg]
    response = json_body_problem(body.encode() if isinstance(body, str) else body)
    return None if response is None else (response.status_code, json.loads(response.body))


def fields(answer: tuple[int, dict] | None) -> list[str]:  # type: ignore[type-arg]
    assert answer is not None
    assert (answer[0], answer[1]["code"]) == (422, "invalid_text"), answer
    return sorted(e["field"] for e in answer[1]["errors"])


@pytest.mark.parametrize("depth", [65, 200, 100_000])
def test_json_nested_deeper_than_64_is_malformed_json(depth: int) -> None:
    answer = problem("[" * depth + "]" * depth)
    assert answer is not None and (answer[0], answer[1]["code"]) == (400, "malformed_json")
    answer = problem('{"a":' * depth + "1" + "}" * depth)
    assert answer is not None and answer[1]["code"] == "malformed_json"


def test_json_64_levels_deep_passes() -> None:
    assert problem("[" * 64 + "]" * 64) is None


def test_nul_in_values_and_keys_is_named_at_any_depth() -> None:
    body = (
        '{"company": {"legal_name": "a\\u0000"}, "custom_fields": {"x\\u0000": 1, "y": "\\u0000"},'
        ' "items": [{}, {}, {"name": "\\u0000"}]}'
    )
    assert fields(problem(body)) == ["company.legal_name", "custom_fields.x\\u0000", "custom_fields.y", "items[2].name"]


def test_a_bare_string_body_with_a_nul_is_named_body() -> None:
    assert fields(problem('"\\u0000"')) == ["body"]


def test_lone_surrogates_are_bad_text_and_pairs_are_not() -> None:
    assert fields(problem('{"a": "\\ud800", "b": ["x\\udfff"]}')) == ["a", "b[0]"]
    assert problem('{"emoji": "\\ud83d\\ude00"}') is None


@pytest.mark.parametrize("body", ['{"a": "\\\\u0000"}', '{"a": "\\\\\\\\u0000"}', '{"\\\\ud800": "x"}'])
def test_an_escaped_backslash_before_u0000_is_not_a_nul(body: str) -> None:
    assert not has_bad_text(json.dumps(json.loads(body), ensure_ascii=False))
    assert problem(body) is None


def test_a_json_body_that_is_not_utf8_is_malformed_json() -> None:
    for body in ['{"a": "é"}'.encode("latin-1"), '{"a": 1}'.encode("utf-16")]:
        answer = problem(body)
        assert answer is not None and (answer[0], answer[1]["code"]) == (400, "malformed_json")


@pytest.mark.parametrize("body", ['{"a": NaN}', "[Infinity]", '{"a": -Infinity}'])
def test_nan_and_infinity_are_malformed_json(body: str) -> None:
    answer = problem(body)
    assert answer is not None and answer[1]["code"] == "malformed_json"


def test_ordinary_and_invalid_json_go_on_to_the_app() -> None:
    assert problem('{"name": "ООО «Ромашка»", "note": "NaN [[[ Infinity"}') is None
    assert problem('{"kind": "company",') is None  # FastAPI answers malformed_json with the position
    assert problem("") is None


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/json", True),
        ("Application/JSON; charset=utf-8", True),
        ("application/merge-patch+json", True),
        ("application/yaml", False),
        ("text/plain", False),
        ("", False),
    ],
)
def test_json_media_types_are_the_ones_fastapi_parses(content_type: str, expected: bool) -> None:
    assert is_json(content_type) is expected


async def echo(request: Request) -> JSONResponse:
    return JSONResponse({"body": (await request.body()).decode("utf-8", "replace"), "q": request.query_params.get("q")})


@pytest.fixture
async def client():  # type: ignore[no-untyped-def]
    app = InputHygieneMiddleware(Starlette(routes=[Route("/{rest:path}", echo, methods=["GET", "POST"])]))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        yield http


async def test_nul_in_the_query_string_is_named_by_parameter(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/parties", params={"q": "a\x00b", "limit": "5", "filter": ["ok", "x:eq:\x00"]})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert fields((response.status_code, response.json())) == ["query.filter", "query.q"]


async def test_nul_in_the_path_and_in_headers_is_named(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/parties/a%00b")
    assert fields((response.status_code, response.json())) == ["path"]
    scope_headers = [(b"x-note", b"a\x00b")]
    response = await client.get("/api/v1/parties", headers=httpx.Headers(scope_headers))
    assert fields((response.status_code, response.json())) == ["header.x-note"]


async def test_clean_requests_and_their_bodies_reach_the_app_unchanged(client: httpx.AsyncClient) -> None:
    body = json.dumps({"name": "ООО «Ромашка» 😀", "nested": [[[1]]]}, ensure_ascii=False)
    response = await client.post(
        "/x", content=body.encode(), headers={"content-type": "application/json"}, params={"q": "a"}
    )
    assert response.json() == {"body": body, "q": "a"}


async def test_non_json_bodies_pass_untouched(client: httpx.AsyncClient) -> None:
    yaml = "[" * 500 + "]" * 500
    response = await client.post("/x", content=yaml, headers={"content-type": "application/yaml"})
    assert response.json()["body"] == yaml


async def test_a_bad_json_body_never_reaches_the_app(client: httpx.AsyncClient) -> None:
    deep = await client.post("/x", content="[" * 1000 + "]" * 1000, headers={"content-type": "application/json"})
    assert (deep.status_code, deep.json()["code"]) == (400, "malformed_json")
    nul = await client.post("/x", content='{"a": ["\\u0000"]}', headers={"content-type": "application/json"})
    assert (nul.status_code, nul.json()["errors"][0]["field"]) == (422, "a[0]")
