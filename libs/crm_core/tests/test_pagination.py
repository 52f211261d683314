"""Cursor pagination: opaque cursors and keyset conditions (checked on real PostgreSQL)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta, timezone

import grpc
import pytest
from sqlalchemy import DateTime, Integer, Text, column, select, values

from crm_core.errors import InvalidArgument
from crm_core.pagination import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    after_cursor,
    clamp_limit,
    decode_cursor,
    encode_cursor,
    page_of,
)


def forged(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def test_cursor_round_trips_datetimes_with_their_offset_strings_numbers_and_null():
    moscow = timezone(timedelta(hours=3))
    cursor_values = [datetime(2024, 3, 1, 12, 30, 15, 123456, tzinfo=moscow), "ООО «Ромашка»", 42, 1.5, None]
    decoded = decode_cursor(encode_cursor(cursor_values), len(cursor_values))
    assert decoded == cursor_values
    assert decoded[0].utcoffset() == timedelta(hours=3)


def test_cursor_is_url_safe_and_unpadded():
    cursor = encode_cursor(["???>>>~~~", 10**12])
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@pytest.mark.parametrize(
    "cursor",
    [
        "%%%not-base64%%%",
        forged("not json"),
        forged('{"id": 1}'),
        forged("[1]"),  # one value where the query sorts by two
        forged('[{"$dt": "yesterday"}, 1]'),
        forged('[{"$dt": 5}, 1]'),
        base64.urlsafe_b64encode(b"\xff\xfe[1, 2]").decode(),
        forged('["a\\u0000b", 1]'),
        forged('["\\ud800", 1]'),
        forged(f"[{2**63}, 1]"),
        forged('[{"$dt": "0001-01-01T00:00:00+14:00"}, 1]'),
    ],
    ids=[
        "not-base64",
        "not-json",
        "not-a-list",
        "wrong-size",
        "bad-date",
        "date-not-text",
        "not-utf8",
        "nul-in-text",
        "lone-surrogate",
        "beyond-bigint",
        "no-utc-equivalent",
    ],
)
def test_malformed_or_foreign_cursor_is_invalid_argument(cursor):
    with pytest.raises(InvalidArgument) as caught:
        decode_cursor(cursor, 2)
    assert caught.value.status == grpc.StatusCode.INVALID_ARGUMENT
    assert [(f.field, f.code) for f in caught.value.fields] == [("cursor", "invalid_cursor")]


@pytest.mark.parametrize(("limit", "expected"), [(0, DEFAULT_LIMIT), (1, 1), (MAX_LIMIT, MAX_LIMIT)])
def test_limit_zero_means_default_and_bounds_are_accepted(limit, expected):
    assert clamp_limit(limit) == expected


@pytest.mark.parametrize("limit", [-1, MAX_LIMIT + 1])
def test_limit_out_of_range_is_invalid_argument(limit):
    with pytest.raises(InvalidArgument) as caught:
        clamp_limit(limit)
    assert caught.value.fields[0].field == "limit"


def test_page_of_cuts_the_extra_row_and_points_the_cursor_at_the_last_item():
    page = page_of([1, 2, 3], 2, lambda item: [item])
    assert page.items == [1, 2]
    assert decode_cursor(page.next_cursor, 1) == [2]
    assert page_of([1, 2], 2, lambda item: [item]).next_cursor == ""


START = datetime(2024, 1, 1, tzinfo=UTC)
ROWS = [  # (id, score, name, at) with ties on every key but id
    (i, score, name, START + timedelta(hours=hour))
    for i, (score, name, hour) in enumerate(
        [(5, "b", 1), (5, "a", 1), (3, "c", 2), (5, "a", 3), (1, "a", 2), (3, "c", 2), (3, "b", 1), (1, "c", 3)] * 3
    )
]
TABLE = values(
    column("id", Integer),
    column("score", Integer),
    column("name", Text),
    column("at", DateTime(timezone=True)),
    name="row",
).data(ROWS)


@pytest.mark.parametrize(
    "order",
    [
        [("score", True), ("name", False), ("id", False)],
        [("at", True), ("score", False), ("id", True)],
        [("name", False), ("at", False), ("id", False)],
    ],
    ids=["score-desc-name-asc", "time-desc-score-asc-id-desc", "all-ascending"],
)
async def test_keyset_pages_visit_every_row_once_in_order(db, order):
    """Pages of 3 through the cursor (encoded and decoded each time) equal one sorted read."""
    rows = TABLE.alias("row")
    keys = [(rows.c[name], descending) for name, descending in order]
    order_by = [c.desc() if descending else c.asc() for c, descending in keys]
    names = [name for name, _ in order]
    seen: list[int] = []
    cursor = ""
    async with db.sessions() as session:
        everything = [r.id for r in (await session.execute(select(rows).order_by(*order_by))).all()]
        for _ in range(len(ROWS)):
            query = select(rows).order_by(*order_by).limit(4)
            if cursor:
                query = query.where(after_cursor(keys, decode_cursor(cursor, len(keys))))
            page = page_of((await session.execute(query)).all(), 3, lambda r: [getattr(r, n) for n in names])
            seen += [r.id for r in page.items]
            cursor = page.next_cursor
            if not cursor:
                break
    assert seen == everything
    assert sorted(seen) == list(range(len(ROWS)))  # nothing lost or doubled at page edges


def test_signed_cursor_round_trips_typed_values():
    from datetime import date
    from decimal import Decimal

    from crm_core.pagination import cursor_value, decode_signed_cursor

    at = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    row = [Decimal("1500.50"), date(2026, 12, 31), at, "Ромашка", 7, "5b8a1c1e-0e5e-4c1c-9b7a-6f0f3c2a9d11"]
    cursor = encode_cursor(["deals:-amount", *(cursor_value(v) for v in row)])
    kinds = ["decimal", "date", "datetime", "text", "int", "uuid"]
    assert decode_signed_cursor(cursor, "deals:-amount", kinds) == row


@pytest.mark.parametrize(
    ("values", "signature"),
    [
        (["deals:-amount", "12"], "deals:amount"),  # another sort's cursor
        (["deals:-amount", "twelve"], "deals:-amount"),  # not a decimal
        (["deals:-amount", 12], "deals:-amount"),  # a number where text was written
    ],
)
def test_signed_cursor_of_another_listing_or_forged_is_invalid(values, signature):
    from crm_core.pagination import decode_signed_cursor

    with pytest.raises(InvalidArgument) as info:
        decode_signed_cursor(encode_cursor(values), signature, ["decimal"])
    assert info.value.fields[0].code == "invalid_cursor"


@pytest.mark.parametrize("number", ["NaN", "Infinity", "1e999999999"])
def test_signed_cursor_with_a_number_sql_cannot_compare_is_invalid(number):
    from crm_core.pagination import decode_signed_cursor

    with pytest.raises(InvalidArgument) as info:
        decode_signed_cursor(encode_cursor(["deals:-amount", number]), "deals:-amount", ["decimal"])
    assert info.value.fields[0].code == "invalid_cursor"


@pytest.mark.parametrize(
    ("sort", "keys"),
    [
        ("", [("updated_at", True)]),
        (",,", [("updated_at", True)]),
        (" , -title ,, ", [("title", True)]),
        ("title,-updated_at", [("title", False), ("updated_at", True)]),
    ],
)
def test_sort_terms_ignore_empty_terms_and_default_when_none_is_left(sort, keys):
    from crm_core.pagination import sort_terms

    assert sort_terms(sort, ("title", "updated_at"), "-updated_at") == keys


@pytest.mark.parametrize("sort", ["colour", "-", "title,-"])
def test_sort_by_an_unknown_key_is_invalid_argument(sort):
    from crm_core.pagination import sort_terms

    with pytest.raises(InvalidArgument) as info:
        sort_terms(sort, ("title", "updated_at"), "-updated_at")
    assert [(f.field, f.code) for f in info.value.fields] == [("sort", "unknown_sort_key")]
