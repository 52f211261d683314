"""Bad input to every deals endpoint is a clear 4xx problem with a stable code, and changes nothing."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from google.protobuf import json_format

from crm.deals.v1 import deals_pb2 as pb
from crm_core.errors import CrmError
from crm_deals import inputs, pipeline_inputs

pytestmark = pytest.mark.e2e

NOWHERE = "00000000-0000-0000-0000-000000000000"


def codes(response) -> set[str]:  # type: ignore[no-untyped-def]
    body = response.json()
    return {body["code"], *[e["code"] for e in body.get("errors", [])]}


async def test_bad_deal_input_is_a_clear_4xx(users, admin, board, sales) -> None:
    api = (await users.user([await users.team("bad")])).client
    client = await sales.company(api)
    person = await sales.person(api)
    deal = await sales.open(api, board, client["id"], amount="1000")
    other = (await admin.client.get("/api/v1/pipelines")).json()
    foreign_stage = next(p for p in other if p["name_en"] == "Sales")["stages"][1]["id"]
    url = f"/api/v1/deals/{deal['id']}"
    new = {"title": "x", "client_id": client["id"], "pipeline_id": board.id}
    cases = [
        ("POST", "/api/v1/deals", {**new, "amount": "-100"}, 422, "negative_amount"),
        ("POST", "/api/v1/deals", {**new, "amount": "12,5"}, 422, "invalid_decimal"),
        ("POST", "/api/v1/deals", {**new, "currency": "RUR1"}, 422, "too_long"),
        ("POST", "/api/v1/deals", {**new, "currency": "rub"}, 422, "invalid_currency"),
        (
            "POST",
            "/api/v1/deals",
            {**new, "lines": [{"product": "A", "quantity": "1", "price": "-1"}]},
            422,
            "negative_amount",
        ),
        (
            "POST",
            "/api/v1/deals",
            {**new, "amount": "5", "lines": [{"product": "A", "quantity": "1", "price": "7"}]},
            422,
            "amount_mismatch",
        ),
        ("POST", "/api/v1/deals", {**new, "stage_id": NOWHERE}, 422, "unknown_stage"),
        ("POST", "/api/v1/deals", {**new, "stage_id": foreign_stage}, 422, "stage_not_in_pipeline"),
        ("POST", "/api/v1/deals", {**new, "pipeline_id": NOWHERE}, 404, "pipeline_not_found"),
        ("POST", "/api/v1/deals", {**new, "client_id": NOWHERE}, 422, "party_not_found"),
        ("POST", "/api/v1/deals", {**new, "contact_ids": [client["id"]]}, 422, "not_a_person"),
        ("POST", "/api/v1/deals", {**new, "owner_id": NOWHERE}, 422, "unknown_user"),
        ("POST", "/api/v1/deals", {**new, "colour": "red"}, 422, "extra_forbidden"),
        ("POST", "/api/v1/deals", {"client_id": client["id"]}, 422, "missing"),
        ("PATCH", url, {"amount": "-1"}, 422, "negative_amount"),
        ("PATCH", url, {"expected_close_date": "31.12.2026"}, 422, "invalid_date"),
        ("PATCH", url, {"contact_ids": [NOWHERE]}, 422, "party_not_found"),
        ("PATCH", url, {"custom_fields": {"nope": 1}}, 422, "unknown_custom_field"),
        ("POST", f"{url}/move", {"stage_id": NOWHERE}, 422, "unknown_stage"),
        ("POST", f"{url}/move", {"stage_id": "not-a-stage"}, 422, "unknown_stage"),
        ("POST", f"{url}/move", {"stage_id": foreign_stage}, 422, "stage_not_in_pipeline"),
        ("POST", f"{url}/move", {"stage_id": board.stage("Lead")}, 409, "already_in_stage"),
        ("POST", f"{url}/move", {"stage_id": board.stage("Lost")}, 422, "loss_reason_required"),
        ("POST", f"{url}/move", {"stage_id": board.stage("Lost"), "loss_reason": "mood"}, 422, "unknown_loss_reason"),
        (
            "POST",
            f"{url}/payments",
            {"status": "received", "amount": "10", "currency": "USD", "received_on": "2026-01-01"},
            422,
            "currency_mismatch",
        ),
        (
            "POST",
            f"{url}/payments",
            {"status": "received", "amount": "-10", "received_on": "2026-01-01"},
            422,
            "negative_amount",
        ),
        ("POST", f"{url}/payments", {"status": "expected", "amount": "10"}, 422, "required"),
        ("POST", f"{url}/payments", {"status": "soon", "amount": "10"}, 422, "not_allowed"),
        ("POST", f"{url}/payments/{NOWHERE}/receive", {"received_on": "2026-01-01"}, 404, "payment_not_found"),
        ("POST", f"{url}/payments/{NOWHERE}/receive", {"received_on": "yesterday"}, 422, "invalid_date"),
        ("GET", "/api/v1/deals?filter=amount:gte:lots", None, 422, "invalid_filter_value"),
        ("GET", "/api/v1/deals?filter=stage_id:eq:nope", None, 422, "invalid_filter_value"),
        ("GET", "/api/v1/deals?filter=colour:eq:red", None, 422, "unknown_filter_field"),
        ("GET", "/api/v1/deals?filter=amount", None, 422, "invalid_filter"),
        ("GET", "/api/v1/deals?sort=colour", None, 422, "unknown_sort_key"),
        ("GET", "/api/v1/deals?cursor=garbage", None, 422, "invalid_cursor"),
        ("GET", "/api/v1/deals?limit=500", None, 422, "less_than_equal"),
        ("GET", "/api/v1/deals/forecast?group_by=year", None, 422, "not_allowed"),
        ("GET", "/api/v1/deals/forecast?from=2026-13", None, 422, "invalid_month"),
        ("GET", f"/api/v1/deals/{deal['id']}/audit?cursor=garbage", None, 422, "invalid_cursor"),
        ("GET", f"/api/v1/pipelines/{board.id}/kanban?sort=colour", None, 422, "unknown_sort_key"),
        (
            "GET",
            f"/api/v1/pipelines/{board.id}/kanban/{board.stage('Lead')}?cursor=garbage",
            None,
            422,
            "invalid_cursor",
        ),
        ("GET", f"/api/v1/pipelines/{board.id}/kanban/{NOWHERE}", None, 422, "unknown_stage"),
        ("GET", f"/api/v1/pipelines/{NOWHERE}/kanban", None, 404, "pipeline_not_found"),
        ("GET", f"/api/v1/pipelines/{NOWHERE}", None, 404, "pipeline_not_found"),
        ("GET", f"/api/v1/parties/{NOWHERE}/payment-summary", None, 404, "party_not_found"),
    ]
    for method, path, body, status, code in cases:
        response = await api.request(method, path, json=body)
        assert response.status_code == status, (method, path, body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert code in codes(response), (method, path, response.text)
    stale = await api.patch(url, json={"title": "y"}, headers={"If-Match": '"9"'})
    assert (stale.status_code, stale.json()["code"]) == (412, "version_conflict")
    malformed = await api.post("/api/v1/deals", content=b"{not json", headers={"content-type": "application/json"})
    assert (malformed.status_code, malformed.json()["code"]) == (400, "malformed_json")
    unchanged = (await api.get(url)).json()
    assert (unchanged["version"], unchanged["amount"], unchanged["stage_id"]) == (1, "1000.00", board.stage("Lead"))
    assert person["id"]  # created for the contact-person case


async def test_won_without_amount_and_payments_on_lost_deals_are_409(users, board, sales) -> None:
    api = (await users.user([await users.team("rule")])).client
    deal = await sales.open(api, board, (await sales.company(api))["id"])
    won = await api.post(f"/api/v1/deals/{deal['id']}/move", json={"stage_id": board.stage("Won")})
    assert (won.status_code, won.json()["code"]) == (409, "won_requires_amount")
    lost = await sales.move(api, deal, board.stage("Lost"), loss_reason="no_budget")
    paid = await api.post(
        f"/api/v1/deals/{lost['id']}/payments", json={"status": "received", "amount": "1", "received_on": "2026-01-01"}
    )
    assert (paid.status_code, paid.json()["code"]) == (409, "deal_lost")


async def test_bad_pipeline_and_reference_input_is_a_clear_4xx(admin, board) -> None:
    api = admin.client
    pipeline = f"/api/v1/pipelines/{board.id}"
    cases = [
        ("POST", "/api/v1/pipelines", {"name": "x", "stages": [{"name": "A"}]}, 409, "stages_incomplete"),
        (
            "POST",
            "/api/v1/pipelines",
            {"name": "x", "stages": [{"name": "A", "probability": 150}]},
            422,
            "out_of_range",
        ),
        ("POST", "/api/v1/pipelines", {"name": "x", "stale_days": -1}, 422, "out_of_range"),
        ("POST", "/api/v1/pipelines", {"name": "x", "stale_days": 2**40}, 422, "out_of_range"),
        (
            "POST",
            "/api/v1/pipelines",
            {
                "name": "x",
                "stages": [
                    {"name": "A"},
                    {"name": "W", "category": "won", "probability": 50},
                    {"name": "L", "category": "lost"},
                ],
            },
            422,
            "fixed_probability",
        ),
        ("PATCH", pipeline, {"name": ""}, 422, "required"),
        ("PATCH", pipeline, {"name": "x"}, 412, "version_conflict"),
        ("POST", f"{pipeline}/stages", {"name": "", "probability": 10}, 422, "required"),
        ("POST", f"{pipeline}/stages", {"name": "X", "category": "maybe"}, 422, "not_allowed"),
        ("PATCH", f"{pipeline}/stages/{board.stage('Lead')}", {"probability": 101}, 422, "out_of_range"),
        ("PATCH", f"{pipeline}/stages/{board.stage('Lead')}", {"time_limit_days": 2**40}, 422, "out_of_range"),
        ("PATCH", f"{pipeline}/stages/{board.stage('Won')}", {"archived": True}, 409, "stages_incomplete"),
        ("PATCH", f"{pipeline}/stages/{board.stage('Won')}", {"probability": 80}, 422, "fixed_probability"),
        ("PATCH", f"{pipeline}/stages/{NOWHERE}", {"name": "x"}, 404, "stage_not_found"),
        ("PUT", f"{pipeline}/stage-order", {"stage_ids": [board.stage("Lead")]}, 422, "not_every_active_stage"),
        ("POST", "/api/v1/deals/loss-reasons", {"code": "Bad Code", "label": "x"}, 422, "string_pattern_mismatch"),
        ("POST", "/api/v1/deals/loss-reasons", {"code": "price", "label": "again"}, 409, "loss_reason_exists"),
        ("PATCH", "/api/v1/deals/loss-reasons/nope", {"label": "x"}, 404, "loss_reason_not_found"),
        ("PATCH", "/api/v1/deals/loss-reasons/price", {}, 422, "unknown_field"),
        ("POST", "/api/v1/deals/custom-fields", {"key": "x", "label": "X", "type": "enum"}, 422, "required"),
        ("POST", "/api/v1/deals/custom-fields", {"key": "x", "label": "X", "type": "colour"}, 422, "literal_error"),
        ("PATCH", f"/api/v1/deals/custom-fields/{NOWHERE}", {"label": "x"}, 404, "custom_field_not_found"),
    ]
    for method, path, body, status, code in cases:
        headers = {"If-Match": '"99"'} if code == "version_conflict" else {}
        response = await api.request(method, path, json=body, headers=headers)
        assert response.status_code == status, (method, path, body, response.text)
        assert code in codes(response), (method, path, response.text)
    unchanged = (await api.get(pipeline)).json()
    assert unchanged["version"] == board.version and unchanged["stages"][0]["name"] == "Lead"
    assert uuid.UUID(unchanged["id"])


# One rule per field, in the deals service: the gateway checks only shape, so each value gets the
# verdict (and the code) the service's own rule gives it. Each case: the endpoint, the body, and the
# service's parse of the same body as protobuf (plus what the command checks against the deal, if any).
def _deal(body: dict[str, Any]) -> Any:
    return inputs.parse_deal_draft(json_format.ParseDict(body, pb.Deal()))


def _payment(body: dict[str, Any]) -> Any:
    return inputs.parse_payment_draft(json_format.ParseDict(body, pb.AddPaymentRequest())).in_currency_of("RUB")


def _stage(body: dict[str, Any]) -> Any:
    return pipeline_inputs.parse_stage_draft(json_format.ParseDict(body, pb.StageSpec()))


def _pipeline(body: dict[str, Any]) -> Any:
    return pipeline_inputs.parse_pipeline_draft(json_format.ParseDict(body, pb.CreatePipelineRequest()))


def line(**fields: str) -> dict[str, str]:
    return {"product": "Стеллаж", "quantity": "2", "price": "1000", **fields}


DEAL_CASES: list[tuple[str, dict[str, Any]]] = [
    ("deal", {"currency": "RUBL"}),
    ("deal", {"currency": "usd"}),
    ("deal", {"currency": "USD"}),
    ("deal", {"amount": "1500.005"}),
    ("deal", {"amount": "1e3"}),
    ("deal", {"amount": "-1"}),
    ("deal", {"amount": "99999999999999999"}),
    ("deal", {"amount": "2500", "lines": [line()]}),
    ("deal", {"lines": [line(discount_percent="12.345")]}),
    ("deal", {"lines": [line(discount_percent="100.5")]}),
    ("deal", {"lines": [line(discount_percent="12.5")]}),
    ("deal", {"lines": [line(quantity="0.0001")]}),
    ("deal", {"lines": [line(quantity="0")]}),
    ("deal", {"expected_close_date": "2026-02-30"}),
    ("deal", {"expected_close_date": "2026-07-01T10:00"}),
    ("deal", {"title": "x" * 300}),
    ("payment", {"status": "soon", "amount": "10"}),
    ("payment", {"status": "received", "amount": "10"}),
    ("payment", {"status": "received", "amount": "0", "received_on": "2026-01-01"}),
    ("payment", {"status": "received", "amount": "10.001", "received_on": "2026-01-01"}),
    ("payment", {"status": "expected", "amount": "10", "due_date": "2026-02-30"}),
    ("payment", {"status": "expected", "amount": "10", "due_date": "2026-03-01", "currency": "RUBL"}),
    ("payment", {"status": "expected", "amount": "10", "due_date": "2026-03-01"}),
    ("stage", {"name": "Пауза", "time_limit_days": 0}),
    ("stage", {"name": "Пауза", "time_limit_days": 3651}),
    ("stage", {"name": "Пауза", "probability": 101}),
    ("stage", {"name": "Пауза", "probability": -1}),
    ("stage", {"name": "Пауза", "category": "maybe"}),
    ("stage", {"name": "Пауза", "category": "won", "probability": 50}),
    ("pipeline", {"stale_days": 0}),
    ("pipeline", {"stale_days": 3651}),
    ("pipeline", {"stale_days": -1}),
    (
        "pipeline",
        {
            "stages": [
                {"name": "Лид", "time_limit_days": 0},
                {"name": "W", "category": "won"},
                {"name": "L", "category": "lost"},
            ]
        },
    ),
]
RULES = {"deal": _deal, "payment": _payment, "stage": _stage, "pipeline": _pipeline}


@pytest.mark.parametrize(("kind", "fields"), DEAL_CASES, ids=lambda c: json.dumps(c, ensure_ascii=False)[:60])
async def test_gateway_and_service_give_a_deal_value_the_same_verdict(users, admin, board, sales, kind, fields) -> None:
    api = (await users.user([await users.team("agree")])).client
    client = await sales.company(api)
    if kind == "deal":
        body, url, who = (
            {"title": "Поставка", "client_id": client["id"], "pipeline_id": board.id, **fields},
            "/api/v1/deals",
            api,
        )
    elif kind == "payment":
        deal = await sales.open(api, board, client["id"], amount="1000")
        body, url, who = fields, f"/api/v1/deals/{deal['id']}/payments", api
    elif kind == "stage":
        body, url, who = fields, f"/api/v1/pipelines/{board.id}/stages", admin.client
    else:
        body, url, who = {"name": f"Согласие {uuid.uuid4().hex[:6]}", **fields}, "/api/v1/pipelines", admin.client
    try:
        RULES[kind](body)
        expected: set[tuple[str, str]] = set()
    except CrmError as exc:
        expected = {(e.field, e.code) for e in exc.fields}
    response = await who.post(url, json=body)
    if expected:
        assert response.status_code == 422, response.text
        assert {(e["field"], e["code"]) for e in response.json()["errors"]} == expected
    else:
        assert response.status_code == 201, response.text
