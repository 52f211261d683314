"""Domain exceptions and their one mapping to gRPC status codes.

Services raise these from domain and repository code; the server interceptor
turns them into a gRPC status plus a `crm-error-bin` trailer carrying
crm.common.v1.ErrorDetail, which the gateway turns into problem+json.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import grpc

from crm.common.v1 import common_pb2

ERROR_TRAILER = "crm-error-bin"
# Bounds of one error's trailer: well under gRPC's 16 KB metadata limit once base64-encoded.
TRAILER_BUDGET = 6000
MAX_TEXT = 200


@dataclass
class FieldProblem:
    """One invalid field: dotted path, stable code and human message."""

    field: str
    code: str
    message: str


@dataclass
class CrmError(Exception):
    """Base of every expected failure; `code` is stable and machine-readable."""

    code: str
    message: str
    fields: list[FieldProblem] = field(default_factory=list)

    status = grpc.StatusCode.UNKNOWN

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def detail(self) -> common_pb2.ErrorDetail:
        """The error as the protobuf sent in the trailer.

        gRPC refuses trailers over 16 KB (base64 makes binary ones a third larger; the caller would see
        RESOURCE_EXHAUSTED instead of the error), so a request with hundreds of bad fields reports as many
        as fit in TRAILER_BUDGET bytes, each text cut to MAX_TEXT characters.
        """
        detail = common_pb2.ErrorDetail(code=self.code[:MAX_TEXT], message=self.message[:MAX_TEXT])
        size = detail.ByteSize()
        for problem in self.fields:
            violation = common_pb2.FieldViolation(
                field=problem.field[:MAX_TEXT], code=problem.code[:MAX_TEXT], message=problem.message[:MAX_TEXT]
            )
            size += violation.ByteSize() + 4
            if size > TRAILER_BUDGET:
                break
            detail.field_violations.append(violation)
        return detail


class InvalidArgument(CrmError):
    status = grpc.StatusCode.INVALID_ARGUMENT


class NotFound(CrmError):
    """Also used for records that exist but the caller may not see."""

    status = grpc.StatusCode.NOT_FOUND


class AlreadyExists(CrmError):
    status = grpc.StatusCode.ALREADY_EXISTS


class FailedPrecondition(CrmError):
    status = grpc.StatusCode.FAILED_PRECONDITION


class VersionConflict(CrmError):
    status = grpc.StatusCode.ABORTED


class Unavailable(CrmError):
    """A dependency (the database) cannot be reached right now; the call may be retried."""

    status = grpc.StatusCode.UNAVAILABLE


class PermissionDenied(CrmError):
    status = grpc.StatusCode.PERMISSION_DENIED


class TooManyRequests(CrmError):
    """The caller (an address, a key) sent more than its share; it may try again later."""

    status = grpc.StatusCode.RESOURCE_EXHAUSTED


class Unauthenticated(CrmError):
    status = grpc.StatusCode.UNAUTHENTICATED


def invalid(field_path: str, code: str, message: str) -> InvalidArgument:
    """Shortcut for a single-field validation error."""
    return InvalidArgument("validation_failed", message, [FieldProblem(field_path, code, message)])


class Validator:
    """Collects field problems so a request reports all of them at once."""

    def __init__(self) -> None:
        self.problems: list[FieldProblem] = []

    def add(self, field_path: str, code: str, message: str) -> None:
        self.problems.append(FieldProblem(field_path, code, message))

    def raise_if_any(self) -> None:
        if self.problems:
            first = self.problems[0]
            message = first.message if len(self.problems) == 1 else f"{len(self.problems)} fields are invalid"
            raise InvalidArgument("validation_failed", message, list(self.problems))


def not_found(entity: str, entity_id: str) -> NotFound:
    return NotFound(f"{entity}_not_found", f"{entity.replace('_', ' ').capitalize()} {entity_id} not found")
