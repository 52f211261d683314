"""Errors as problem+json: a failed gRPC call by its status and trailer, the gateway's own domain errors,
and unexpected exceptions (a bug is 500 internal_error, the gateway's database being away is 503)."""

from __future__ import annotations

import grpc
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.exc import InterfaceError

from crm_core.errors import ERROR_TRAILER, CrmError, FailedPrecondition, FieldProblem, InvalidArgument, NotFound
from crm_gateway.problems import Problem, install_handlers, problem_from_error, problem_from_grpc

# Every gRPC status a service may end a call with, and the HTTP status the gateway answers (DESIGN.md §3).
HTTP_STATUS = {
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
    grpc.StatusCode.CANCELLED: 500,
    grpc.StatusCode.UNKNOWN: 500,
    grpc.StatusCode.OUT_OF_RANGE: 500,
    grpc.StatusCode.UNIMPLEMENTED: 500,
    grpc.StatusCode.INTERNAL: 500,
    grpc.StatusCode.DATA_LOSS: 500,
}


def app_raising(exc: Exception) -> FastAPI:
    app = FastAPI()
    install_handlers(app)

    @app.get("/fails")
    async def fails() -> None:
        raise exc

    return app


async def answer(exc: Exception) -> httpx.Response:
    transport = httpx.ASGITransport(app=app_raising(exc), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        return await client.get("/fails")


async def test_a_database_that_refuses_connections_is_503_service_unavailable() -> None:
    response = await answer(ConnectionRefusedError(111, "Connection refused"))
    assert (response.status_code, response.json()["code"]) == (503, "service_unavailable")


async def test_a_pooled_connection_closed_by_a_database_restart_is_503_service_unavailable() -> None:
    closed = InterfaceError("DELETE FROM idempotency_key", {}, Exception("connection is closed"))
    response = await answer(closed)
    assert (response.status_code, response.json()["code"]) == (503, "service_unavailable")
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_bug_is_still_500_internal_error() -> None:
    response = await answer(KeyError("missing"))
    assert (response.status_code, response.json()["code"]) == (500, "internal_error")


def failed_call(status: grpc.StatusCode, error: CrmError | None = None) -> grpc.aio.AioRpcError:
    """A failed call as the client sees it: the status, and the service's ErrorDetail trailer when it sent one."""
    trailers = grpc.aio.Metadata()
    if error is not None:
        trailers.add(ERROR_TRAILER, error.detail().SerializeToString())
    return grpc.aio.AioRpcError(status, grpc.aio.Metadata(), trailers, error.message if error else "failed")


def test_the_table_covers_every_status_a_call_can_fail_with() -> None:
    assert set(HTTP_STATUS) == set(grpc.StatusCode) - {grpc.StatusCode.OK}


@pytest.mark.parametrize("status", list(HTTP_STATUS), ids=lambda s: s.name)
def test_each_grpc_status_is_its_http_status_with_the_service_s_code(status: grpc.StatusCode) -> None:
    problem = problem_from_grpc(failed_call(status, CrmError("deal_lost_reason_required", "say why")), "deals")
    expected = HTTP_STATUS[status]
    if expected == 503:
        assert (problem.status, problem.code) == (503, "service_unavailable")
        assert problem.detail == "The deals service is unavailable; try again shortly."
    elif expected == 500:  # nothing the client can fix: the detail stays in the log
        assert (problem.status, problem.code) == (500, "internal_error")
        assert "say why" not in problem.detail
    else:
        assert (problem.status, problem.code, problem.detail) == (expected, "deal_lost_reason_required", "say why")


@pytest.mark.parametrize("status", [s for s, http in HTTP_STATUS.items() if http < 500], ids=lambda s: s.name)
def test_a_client_error_without_a_trailer_is_500_internal_error(status: grpc.StatusCode) -> None:
    """Only a service's ErrorDetail says what the client did wrong; a bare status is the platform's fault."""
    problem = problem_from_grpc(failed_call(status), "contacts")
    assert (problem.status, problem.code) == (500, "internal_error")


def test_unavailable_names_the_service_that_failed() -> None:
    assert "tasks service" in problem_from_grpc(failed_call(grpc.StatusCode.DEADLINE_EXCEEDED), "tasks").detail


def test_field_violations_become_errors_in_order() -> None:
    fields = [FieldProblem("inn", "invalid_checksum", "INN check digit"), FieldProblem("kpp", "required", "KPP?")]
    problem = problem_from_grpc(
        failed_call(grpc.StatusCode.INVALID_ARGUMENT, InvalidArgument("validation_failed", "2 fields", fields)),
        "contacts",
    )
    assert (problem.status, problem.code) == (422, "validation_failed")
    assert problem.errors == [
        {"field": "inn", "code": "invalid_checksum", "message": "INN check digit"},
        {"field": "kpp", "code": "required", "message": "KPP?"},
    ]


@pytest.mark.parametrize("code", ["malformed_json", "malformed_request"])
def test_input_that_could_not_be_read_at_all_is_400(code: str) -> None:
    error = InvalidArgument(code, "could not read the request")
    assert problem_from_grpc(failed_call(grpc.StatusCode.INVALID_ARGUMENT, error), "deals").status == 400
    assert problem_from_error(error).status == 400


def test_a_domain_error_raised_in_the_gateway_maps_by_the_same_table() -> None:
    problem = problem_from_error(FailedPrecondition("stage_archived", "the stage is archived"))
    assert (problem.status, problem.code, problem.detail) == (409, "stage_archived", "the stage is archived")
    problem = problem_from_error(NotFound("party_not_found", "no party", [FieldProblem("client_id", "x", "y")]))
    assert (problem.status, problem.errors) == (404, [{"field": "client_id", "code": "x", "message": "y"}])


async def test_a_failed_call_is_answered_as_problem_json() -> None:
    fields = [FieldProblem("title", "too_long", "at most 200 characters")]
    response = await answer(
        problem_from_grpc(
            failed_call(grpc.StatusCode.INVALID_ARGUMENT, InvalidArgument("validation_failed", "bad", fields)), "deals"
        )
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "https://crm.example/problems/validation_failed",
        "title": "Invalid input",
        "status": 422,
        "code": "validation_failed",
        "detail": "bad",
        "errors": [{"field": "title", "code": "too_long", "message": "at most 200 characters"}],
    }


async def test_a_problem_without_field_errors_has_no_errors_member() -> None:
    response = await answer(Problem(412, "version_conflict", "the deal changed"))
    assert response.json()["title"] == "Precondition failed"
    assert "errors" not in response.json()
