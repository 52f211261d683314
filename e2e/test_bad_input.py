"""Bad input is a clear 4xx problem, never a 500, and nothing is half-written."""

import json
import uuid

import pytest

from crm.contacts.v1 import contacts_pb2 as pb
from crm_contacts import inputs
from crm_core.errors import InvalidArgument
from crm_core.protojson import from_dict

pytestmark = pytest.mark.e2e


@pytest.fixture
async def api(users):
    return (await users.user([await users.team("bad")])).client


async def _count(api, tag):
    return (await api.get("/api/v1/parties/count", params={"filter": f"tags:eq:{tag}"})).json()["count"]


async def test_malformed_json_is_400(api):
    response = await api.post(
        "/api/v1/parties", content=b'{"kind": "company",', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"kind": "robot"}, "kind", "literal_error"),
        ({"kind": "company", "company": {"legal_name": 42}}, "company.legal_name", "string_type"),
        ({"kind": "company", "company": {"legal_name": "X"}, "colour": "red"}, "colour", "extra_forbidden"),
        ({"kind": "company", "company": {"legal_name": "X" * 301}}, "company.legal_name", "string_too_long"),
        ({"kind": "company", "company": {"legal_name": "X", "inn": "1234567890"}}, "company.inn", "invalid_inn"),
        ({"kind": "company", "company": {"legal_name": "X", "ogrn": "1027700132194"}}, "company.ogrn", "invalid_ogrn"),
        (
            {"kind": "company", "company": {"legal_name": "X"}, "custom_fields": {"nope": 1}},
            "custom_fields.nope",
            "unknown_custom_field",
        ),
        (
            {"kind": "company", "company": {"legal_name": "X"}, "emails": [{"value": "not-an-email"}]},
            "emails[0].value",
            "invalid",
        ),
        (
            {"kind": "company", "company": {"legal_name": "X"}, "relationship_types": ["alien"]},
            "relationship_types[0]",
            "unknown_relationship_type",
        ),
        ({"kind": "company"}, "company.legal_name", "required"),
        (
            {"kind": "person", "person": {"last_name": "X"}, "owner_id": "00000000-0000-0000-0000-000000000000"},
            "owner_id",
            "unknown_user",
        ),
    ],
)
async def test_invalid_party_is_422_with_field_and_code_and_not_saved(api, body, field, code):
    tag = f"b{uuid.uuid4().hex[:8]}"
    response = await api.post("/api/v1/parties", json={**body, "tags": [tag]})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert {"field": field, "code": code} in [{"field": e["field"], "code": e["code"]} for e in problem["errors"]], (
        problem
    )
    assert await _count(api, tag) == 0


# One rule per field, in the contacts service: the gateway checks only shape, so each value
# gets the verdict (and the code) the service's own rule gives it.
RULE_CASES = [
    {"phones": [{"value": "+7 (495) 123-45-67"}]},
    {"phones": [{"value": "8 495 1234567"}]},
    {"phones": [{"value": "+44 20 7946 0958"}]},
    {"phones": [{"value": "+7 495 123-45-67 доб. 12"}]},
    {"phones": [{"value": "12"}]},
    {"phones": [{"value": "телефон"}]},
    {"phones": [{"value": "7" * 200}]},
    {"emails": [{"value": "ivan.petrov@yandex.ru"}]},
    {"emails": [{"value": "not-an-email"}]},
    {"emails": [{"value": "ivan@localhost"}]},
    {"company": {"inn": "1234567890"}},
    {"company": {"inn": "7707 083 893"}},
    {"company": {"inn": "7707083893123"}},
    {"company": {"ogrn": "1027700132194"}},
    {"company": {"ogrn": "304500116000180"}},
    {"company": {"kpp": "77360100"}},
    {"company": {"kpp": "7736AB001"}},
    {"company": {"bank_accounts": [{"bic": "0445252250"}]}},
    {"company": {"bank_accounts": [{"bic": "044525225", "checking_account": "407028100380000000011"}]}},
    {"company": {"bank_accounts": [{"bic": "044525225"}] * 21}},
    {"relationship_types": ["client"] * 21},
    {"knowledge": {"purchase_volume": {"amount": "-5"}}},
    {"knowledge": {"purchase_volume": {"amount": "100.123"}}},
    {"knowledge": {"purchase_volume": {"amount": "1e3"}}},
    {"knowledge": {"season_months": [3, 4, 3, 4, 3, 4, 3, 4, 3, 4, 3, 4, 3]}},
]


@pytest.mark.parametrize("fields", RULE_CASES, ids=lambda c: json.dumps(c, ensure_ascii=False)[:60])
async def test_gateway_and_service_give_a_contact_or_requisite_the_same_verdict(api, fields):
    body = {"kind": "company", **fields, "company": {"legal_name": "Ромашка", **fields.get("company", {})}}
    try:
        draft = inputs.parse_party_draft(from_dict(body, pb.Party))
        inputs.checked_against(draft.fields, {}, ("client",))
        expected: set[tuple[str, str]] = set()
    except InvalidArgument as exc:
        expected = {(e.field, e.code) for e in exc.fields}
    response = await api.post("/api/v1/parties", json=body, params={"allow_duplicate": "true"})
    if expected:
        assert response.status_code == 422, response.text
        assert {(e["field"], e["code"]) for e in response.json()["errors"]} == expected
    else:
        assert response.status_code == 201, response.text


async def test_bad_filter_sort_and_cursor_are_422(api):
    for params in (
        {"filter": "nope:eq:1"},
        {"filter": "industry"},
        {"filter": "created_at:gte:yesterday"},
        {"sort": "colour"},
        {"cursor": "garbage!!"},
        {"limit": 0},
    ):
        response = await api.get("/api/v1/parties", params=params)
        assert response.status_code == 422, (params, response.text)


async def test_bad_if_match_is_400_and_unknown_party_is_404(api):
    created = (await api.post("/api/v1/parties", json={"kind": "person", "person": {"last_name": "Иванов"}})).json()
    assert (
        await api.patch(f"/api/v1/parties/{created['id']}", json={"tags": ["a"]}, headers={"If-Match": "yesterday"})
    ).status_code == 400
    assert (await api.get("/api/v1/parties/not-a-uuid")).status_code == 404
    assert (await api.get(f"/api/v1/parties/{uuid.uuid4()}")).status_code == 404


async def test_idempotency_key_replays_the_first_response(api):
    tag = f"i{uuid.uuid4().hex[:8]}"
    body = {"kind": "person", "person": {"last_name": "Повторов"}, "tags": [tag]}
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    first = await api.post("/api/v1/parties", json=body, headers=headers)
    again = await api.post("/api/v1/parties", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert await _count(api, tag) == 1
    other = await api.post("/api/v1/parties", json={**body, "tags": [tag, "x"]}, headers=headers)
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
