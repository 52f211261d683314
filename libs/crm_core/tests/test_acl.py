"""Record-level access: the in-memory rule and the SQL condition agree."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, Text, select, text
from sqlalchemy.dialects.postgresql import ARRAY

from crm_core.acl import can_see, visible_to
from crm_core.auth import SYSTEM, Caller

ALICE = Caller("u-alice", frozenset({"manager"}), frozenset({"team-north"}))
BOB = Caller("u-bob", frozenset({"manager"}), frozenset({"team-south"}))
CAROL = Caller("u-carol", frozenset({"manager"}))
ADMIN = Caller("u-admin", frozenset({"admin"}))
EVE = Caller("u-eve", frozenset({"manager"}), frozenset({"team-west", "team-south"}))

RECORDS = {  # id: (owner_id, team_id, shared_with)
    1: ("u-alice", "team-north", []),
    2: ("u-bob", "team-south", ["u-carol"]),
    3: ("u-dave", None, []),
    4: ("u-dave", "team-north", ["u-bob", "u-eve"]),
    5: ("u-zed", "team-west", []),
}
EXPECTED = {
    "alice": {1, 4},  # owns 1, team-north holds 4
    "bob": {2, 4},  # owns 2, 4 is shared with him
    "carol": {2},  # no team: only what is shared with her
    "eve": {2, 4, 5},  # two teams and a share
    "admin": {1, 2, 3, 4, 5},
    "system": {1, 2, 3, 4, 5},
}
CALLERS = {"alice": ALICE, "bob": BOB, "carol": CAROL, "eve": EVE, "admin": ADMIN, "system": SYSTEM}

RECORD = Table(
    "acl_record",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("owner_id", Text),
    Column("team_id", Text),
    Column("shared_with", ARRAY(Text)),
)


@pytest.mark.parametrize("who", list(CALLERS))
def test_can_see_owner_team_share_or_admin(who):
    caller = CALLERS[who]
    assert {i for i, record in RECORDS.items() if can_see(caller, *record)} == EXPECTED[who]


@pytest.mark.parametrize("who", list(CALLERS))
async def test_sql_condition_selects_exactly_what_can_see_allows(db, who):
    async with db.transaction() as session:
        await session.execute(
            text(
                "CREATE TEMP TABLE acl_record (id int, owner_id text, team_id text, shared_with text[]) ON COMMIT DROP"
            )
        )
        await session.execute(
            RECORD.insert(),
            [{"id": i, "owner_id": o, "team_id": t, "shared_with": s} for i, (o, t, s) in RECORDS.items()],
        )
        visible = set((await session.scalars(select(RECORD.c.id).where(visible_to(CALLERS[who], RECORD.c)))).all())
    assert visible == EXPECTED[who]


def test_team_assignment_and_admin_only_actions():
    from crm_core.acl import check_team_assignment, require_admin
    from crm_core.errors import PermissionDenied

    check_team_assignment(ALICE, "team-north")
    check_team_assignment(ALICE, None)
    check_team_assignment(ADMIN, "team-anywhere")
    with pytest.raises(PermissionDenied) as info:
        check_team_assignment(ALICE, "team-south")
    assert info.value.code == "team_not_allowed"
    require_admin(ADMIN, "change pipelines")
    require_admin(SYSTEM, "change pipelines")
    with pytest.raises(PermissionDenied) as info:
        require_admin(ALICE, "change pipelines")
    assert (info.value.code, info.value.message) == ("admin_only", "only an admin can change pipelines")
