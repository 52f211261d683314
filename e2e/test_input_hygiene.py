"""Inputs that used to be 500s are clear 4xx problems naming the field, and nothing is written."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture
async def api(users):  # type: ignore[no-untyped-def]
    return (await users.user([await users.team("hygiene")])).client


def problem(response) -> tuple[int, str, list[tuple[str, str]]]:  # type: ignore[no-untyped-def]
    body = response.json()
    return response.status_code, body["code"], [(e["field"], e["code"]) for e in body.get("errors", [])]


async def _count(api, tag: str) -> int:  # type: ignore[no-untyped-def]
    return (await api.get("/api/v1/parties/count", params={"filter": f"tags:eq:{tag}"})).json()["count"]


async def test_if_match_with_more_digits_than_int64_is_400_invalid_if_match(api, company_body) -> None:
    created = (await api.post("/api/v1/parties", json=company_body(), params={"allow_duplicate": "true"})).json()
    response = await api.patch(
        f"/api/v1/parties/{created['id']}", json={"tags": ["a"]}, headers={"If-Match": '"' + "9" * 30 + '"'}
    )
    assert problem(response)[:2] == (400, "invalid_if_match")
    assert (await api.get(f"/api/v1/parties/{created['id']}")).json()["tags"] == []


@pytest.mark.parametrize(
    "value", ["amount:gte:1e999", "distance:lte:-Infinity", "amount:eq:NaN", "amount:in:1,Infinity"]
)
async def test_deal_filters_that_are_not_finite_numbers_are_422(api, value: str) -> None:
    assert problem(await api.get("/api/v1/deals", params={"filter": value})) == (
        422,
        "validation_failed",
        [("filters[0]", "invalid_filter_value")],
    )


async def test_datetime_filters_with_and_without_an_offset_both_answer(api) -> None:
    for value in ("created_at:gte:2026-01-01T00:00:00", "created_at:gte:2026-01-01T00:00:00+03:00"):
        assert (await api.get("/api/v1/parties", params={"filter": value})).status_code == 200
    far = await api.get("/api/v1/deals", params={"filter": "created_at:gte:0001-01-01T00:00:00+14:00"})
    assert problem(far)[2] == [("filters[0]", "invalid_filter_value")]


@pytest.mark.parametrize("path", ["/api/v1/parties", "/api/v1/deals", "/api/v1/tasks"])
async def test_empty_sort_terms_are_the_default_sort(api, path: str) -> None:
    response = await api.get(path, params={"sort": ",,"})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("content_type", "source"),
    [("application/yaml", "[" * 500 + "]" * 500), ("application/json", "[" * 500 + "]" * 500)],
    ids=["yaml", "json"],
)
async def test_a_process_definition_of_500_nested_lists_is_refused_not_a_crash(admin, content_type, source) -> None:
    for params in ({"dry_run": "true"}, {}):
        response = await admin.client.post(
            "/api/v1/process-definitions", content=source, params=params, headers={"content-type": content_type}
        )
        status, code, errors = problem(response)
        assert (status, code) == (400, "malformed_json"), response.text
        assert errors in ([("body", "too_deep")], [("source", "too_deep")])


async def test_a_stage_position_past_int32_is_422_naming_the_field(admin) -> None:
    pipeline = (await admin.client.post("/api/v1/pipelines", json={"name": f"Позиции {uuid.uuid4().hex[:6]}"})).json()
    url = f"/api/v1/pipelines/{pipeline['id']}/stages"
    response = await admin.client.post(url, json={"name": "Тендер", "probability": 40, "position": 2**40})
    assert problem(response) == (422, "validation_failed", [("position", "out_of_range")])
    after = (await admin.client.get(f"/api/v1/pipelines/{pipeline['id']}")).json()
    assert len(after["stages"]) == len(pipeline["stages"])


async def test_season_months_past_int32_are_422_naming_the_item(api, company_body) -> None:
    response = await api.post("/api/v1/parties", json=company_body(knowledge={"season_months": [3, 2**40]}))
    assert problem(response)[:2] == (422, "validation_failed")
    assert ("knowledge.season_months[1]", "out_of_range") in problem(response)[2]


async def test_a_nul_in_a_custom_field_value_or_in_knowledge_needs_is_invalid_text(admin, api, company_body) -> None:
    key = f"note_{uuid.uuid4().hex[:6]}"
    created = await admin.client.post(
        "/api/v1/custom-fields", json={"entity_type": "company", "key": key, "label": "Заметка", "type": "string"}
    )
    assert created.status_code == 201, created.text
    tag = f"h{uuid.uuid4().hex[:8]}"
    with_nul_field = company_body(tags=[tag], custom_fields={key: "Хорошо\x00"})
    assert problem(await api.post("/api/v1/parties", json=with_nul_field)) == (
        422,
        "invalid_text",
        [(f"custom_fields.{key}", "invalid_text")],
    )
    needs = {"needs": [{"product": "Кассы"}, {"product": "Эквайринг", "note": "\x00"}]}
    assert problem(await api.post("/api/v1/parties", json=company_body(tags=[tag], knowledge=needs))) == (
        422,
        "invalid_text",
        [("knowledge.needs[1].note", "invalid_text")],
    )
    assert await _count(api, tag) == 0


async def test_process_variables_json_cannot_hold_are_refused(admin) -> None:
    response = await admin.client.post(
        "/api/v1/process-instances",
        content=b'{"key": "deal-won-onboarding", "variables": {"n": 1' + b"0" * 400 + b"}}",
        headers={"content-type": "application/json"},
    )
    assert problem(response) == (422, "validation_failed", [("variables.n", "invalid_number")])
