"""The caller travels between processes in an internal token signed with the platform's secret, and nowhere else."""

from __future__ import annotations

from datetime import timedelta

import grpc
import jwt
import pytest

from crm_core.auth import (
    TOKEN_KEY,
    Caller,
    caller_from_internal_token,
    current_caller,
    internal_token,
    metadata_values,
    reset_current_caller,
    set_current_caller,
)
from crm_core.db import utcnow
from crm_core.errors import Unauthenticated

SECRET = "s3cret-internal-secret-of-32-chars-or-more"
ALICE = Caller("u-alice", frozenset({"manager", "sales"}), frozenset({"team-north", "team-east"}))


def test_caller_round_trips_through_a_signed_token():
    values = metadata_values(ALICE.metadata(SECRET, request_id="req-1"))
    assert values["x-request-id"] == "req-1"
    assert caller_from_internal_token(values[TOKEN_KEY], SECRET) == ALICE


def test_caller_without_roles_or_teams_has_empty_sets():
    caller = caller_from_internal_token(internal_token(Caller("u-bob"), SECRET), SECRET)
    assert caller == Caller("u-bob")
    assert not caller.is_admin


def forged(**claims: object) -> str:
    base = {"sub": "u-alice", "roles": ["admin"], "aud": "crm-internal", "exp": utcnow() + timedelta(minutes=5)}
    return jwt.encode({**base, **claims}, SECRET, algorithm="HS256")


@pytest.mark.parametrize(
    "token",
    [
        internal_token(ALICE, "another-secret-of-at-least-32-characters"),
        internal_token(ALICE, SECRET)[:-2],
        "",
        "not-a-token",
        forged(exp=utcnow() - timedelta(minutes=5)),
        forged(aud="someone-else"),
        forged(roles="admin"),
        jwt.encode({"sub": "u-alice", "aud": "crm-internal", "exp": utcnow() + timedelta(minutes=5)}, None, "none"),
    ],
    ids=["other-secret", "truncated", "empty", "garbage", "expired", "wrong-audience", "malformed-roles", "unsigned"],
)
def test_a_token_not_signed_with_the_secret_or_expired_is_unauthenticated(token):
    with pytest.raises(Unauthenticated) as caught:
        caller_from_internal_token(token, SECRET)
    assert caught.value.status == grpc.StatusCode.UNAUTHENTICATED


def test_a_token_cannot_be_minted_without_a_secret():
    with pytest.raises(ValueError):
        internal_token(ALICE, "")


def test_current_caller_is_set_for_the_request_only():
    with pytest.raises(Unauthenticated):
        current_caller()
    token = set_current_caller(ALICE)
    try:
        assert current_caller() is ALICE
    finally:
        reset_current_caller(token)
    with pytest.raises(Unauthenticated):
        current_caller()
