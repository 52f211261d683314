"""A peer's refusal reaches the caller as the same kind of error with the same code and fields (crm_core.peers)."""

from __future__ import annotations

import grpc
import pytest

from crm.common.v1 import common_pb2
from crm_core.errors import ERROR_TRAILER, FailedPrecondition, InvalidArgument, NotFound, Unavailable
from crm_core.peers import peer_failure


def rpc_error(status: grpc.StatusCode, detail: common_pb2.ErrorDetail | None = None) -> grpc.aio.AioRpcError:
    trailers = grpc.aio.Metadata()
    if detail is not None:
        trailers.add(ERROR_TRAILER, detail.SerializeToString())
    return grpc.aio.AioRpcError(status, grpc.aio.Metadata(), trailers, details="refused")


def test_a_refused_input_keeps_its_code_and_fields() -> None:
    detail = common_pb2.ErrorDetail(
        code="validation_failed",
        message="bad",
        field_violations=[common_pb2.FieldViolation(field="inn", code="invalid_inn", message="bad inn")],
    )
    error = peer_failure(rpc_error(grpc.StatusCode.INVALID_ARGUMENT, detail), "contacts")
    assert isinstance(error, InvalidArgument)
    assert (error.code, error.message) == ("validation_failed", "contacts: bad")
    assert [(f.field, f.code) for f in error.fields] == [("inn", "invalid_inn")]


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (grpc.StatusCode.NOT_FOUND, NotFound),
        (grpc.StatusCode.FAILED_PRECONDITION, FailedPrecondition),
        (grpc.StatusCode.ALREADY_EXISTS, FailedPrecondition),
        (grpc.StatusCode.PERMISSION_DENIED, FailedPrecondition),
    ],
)
def test_refusals_keep_their_kind_and_code(status: grpc.StatusCode, kind: type) -> None:
    error = peer_failure(rpc_error(status, common_pb2.ErrorDetail(code="deal_not_found", message="no")), "deals")
    assert isinstance(error, kind) and error.code == "deal_not_found"


@pytest.mark.parametrize(
    "status", [grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.INTERNAL]
)
def test_a_peer_that_cannot_answer_is_unavailable_by_name(status: grpc.StatusCode) -> None:
    error = peer_failure(rpc_error(status), "tasks")
    assert isinstance(error, Unavailable) and error.code == "tasks_unavailable"
