"""Field validation: every problem of a request is reported at once."""

from __future__ import annotations

import grpc
import pytest

from crm_core.errors import InvalidArgument, Validator, invalid, not_found


def test_validator_without_problems_does_not_raise():
    Validator().raise_if_any()


def test_one_problem_is_reported_with_its_own_message():
    validator = Validator()
    validator.add("inn", "bad_checksum", "INN checksum is wrong")
    with pytest.raises(InvalidArgument) as caught:
        validator.raise_if_any()
    error = caught.value
    assert error.status == grpc.StatusCode.INVALID_ARGUMENT
    assert (error.code, error.message) == ("validation_failed", "INN checksum is wrong")
    assert [(f.field, f.code) for f in error.fields] == [("inn", "bad_checksum")]


def test_all_problems_are_reported_together_in_the_error_detail():
    validator = Validator()
    validator.add("inn", "bad_checksum", "INN checksum is wrong")
    validator.add("emails[1]", "invalid_email", "not an email address")
    validator.add("kpp", "required", "KPP is required for a company")
    with pytest.raises(InvalidArgument) as caught:
        validator.raise_if_any()
    validator.add("late", "ignored", "added after raising")
    detail = caught.value.detail()
    assert detail.code == "validation_failed"
    assert detail.message == "3 fields are invalid"
    assert [(v.field, v.code, v.message) for v in detail.field_violations] == [
        ("inn", "bad_checksum", "INN checksum is wrong"),
        ("emails[1]", "invalid_email", "not an email address"),
        ("kpp", "required", "KPP is required for a company"),
    ]


def test_invalid_and_not_found_shortcuts():
    error = invalid("limit", "out_of_range", "limit must be between 1 and 200")
    assert [(f.field, f.code) for f in error.fields] == [("limit", "out_of_range")]
    missing = not_found("saved_filter", "42")
    assert missing.status == grpc.StatusCode.NOT_FOUND
    assert (missing.code, missing.message) == ("saved_filter_not_found", "Saved filter 42 not found")


class _PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def test_database_failures_become_retryable_statuses_instead_of_internal_errors() -> None:
    import grpc
    from sqlalchemy.exc import DBAPIError, IntegrityError

    from crm_core.grpc_server import database_failure

    deadlock = DBAPIError("UPDATE task", {}, _PgError("40P01"))
    conflict = database_failure(deadlock)
    assert conflict is not None and conflict.status == grpc.StatusCode.ABORTED and conflict.code == "concurrent_change"
    unreachable = database_failure(ConnectionRefusedError("connect"))
    assert unreachable is not None and unreachable.status == grpc.StatusCode.UNAVAILABLE
    assert database_failure(IntegrityError("INSERT", {}, _PgError("23505"))) is None
    assert database_failure(RuntimeError("a bug")) is None


def test_an_error_with_hundreds_of_bad_fields_fits_in_a_grpc_trailer():
    v = Validator()
    for i in range(500):
        v.add(f"lines[{i}].price" + "x" * 500, "invalid_amount", "price must be a decimal number as text " * 20)
    with pytest.raises(InvalidArgument) as caught:
        v.raise_if_any()
    detail = caught.value.detail()
    assert len(detail.SerializeToString()) < 8 * 1024
    assert detail.field_violations[0].field.startswith("lines[0].price")
    assert caught.value.message == "500 fields are invalid"
