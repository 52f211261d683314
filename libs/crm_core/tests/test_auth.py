"""The caller travels in gRPC metadata, authenticated by the internal token."""

from __future__ import annotations

import grpc
import pytest

from crm_core.auth import (
    ROLES_KEY,
    TEAMS_KEY,
    TOKEN_KEY,
    USER_KEY,
    Caller,
    caller_from_metadata,
    current_caller,
    reset_current_caller,
    set_current_caller,
)
from crm_core.errors import Unauthenticated

TOKEN = "s3cret-internal-token"
ALICE = Caller("u-alice", frozenset({"manager", "sales"}), frozenset({"team-north", "team-east"}))


def test_caller_round_trips_through_metadata():
    assert caller_from_metadata(ALICE.metadata(TOKEN, request_id="req-1"), TOKEN) == ALICE


def test_binary_metadata_values_are_decoded():
    metadata = [(k, v.encode()) for k, v in ALICE.metadata(TOKEN)]
    assert caller_from_metadata(metadata, TOKEN) == ALICE


def test_caller_without_roles_or_teams_has_empty_sets():
    caller = caller_from_metadata([(TOKEN_KEY, TOKEN), (USER_KEY, "u-bob"), (ROLES_KEY, ""), (TEAMS_KEY, "")], TOKEN)
    assert caller == Caller("u-bob")
    assert not caller.is_admin


@pytest.mark.parametrize(
    "metadata",
    [
        ALICE.metadata("wrong-token"),
        ALICE.metadata(TOKEN[:-1]),
        ALICE.metadata(""),
        [(USER_KEY, "u-alice")],
        ALICE.metadata("неверный-токен"),
    ],
    ids=["wrong", "prefix", "empty", "missing", "non-ascii"],
)
def test_wrong_or_missing_token_is_unauthenticated(metadata):
    with pytest.raises(Unauthenticated) as caught:
        caller_from_metadata(metadata, TOKEN)
    assert caught.value.status == grpc.StatusCode.UNAUTHENTICATED


def test_call_without_a_user_is_unauthenticated():
    with pytest.raises(Unauthenticated):
        caller_from_metadata([(TOKEN_KEY, TOKEN)], TOKEN)


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
