"""Keyset pages: a listing's order, its cursor, and one page of rows after the cursor.

The cursor (crm_core.pagination) holds the order's signature and the sort
values of the last row returned; the next page is the rows strictly after
those values, so pages stay stable while rows are inserted, and a cursor of
another listing or order is refused instead of misread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.errors import invalid
from crm_core.pagination import (
    Page,
    SqlValue,
    after_cursor,
    cursor_value,
    decode_signed_cursor,
    encode_cursor,
    page_of,
)


@dataclass(frozen=True)
class Order:
    """A total order of a listing's rows: (SQL value, descending) keys, the last one unique (the id).

    `kinds` are the cursor kinds of the keys (crm_core.pagination.CURSOR_KINDS);
    `signature` names the listing and its sort in its cursors ("deals:-amount").
    """

    signature: str
    keys: Sequence[tuple[SqlValue, bool]]
    kinds: Sequence[str]

    def select(self, query: Select, cursor: str, limit: int) -> Select:
        """`query` after the cursor, in this order, `limit + 1` rows (one more tells whether a page follows).

        The sort values are added as the last columns of each row: `page` reads them from there.
        """
        if cursor:
            values = decode_signed_cursor(cursor, self.signature, list(self.kinds))
            query = query.where(after_cursor(list(self.keys), values))
        query = query.add_columns(*[column.label(f"k{i}") for i, (column, _) in enumerate(self.keys)])
        return query.order_by(*self.order_by()).limit(limit + 1)

    def order_by(self) -> list[ColumnElement[Any]]:
        """ORDER BY terms of this order (a window function's too)."""
        return [column.desc() if descending else column.asc() for column, descending in self.keys]

    def page(self, rows: Sequence[Row], limit: int) -> Page[Row]:
        """Cut rows fetched by `select` to a page; the next cursor is made from the last row's sort values."""
        first_key = len(rows[0]) - len(self.keys) if rows else 0
        return page_of(rows, limit, lambda row: [self.signature, *(cursor_value(v) for v in row[first_key:])])


async def keyset_page(session: AsyncSession, query: Select, order: Order, limit: int, cursor: str) -> Page[Any]:
    """One page of `query` in `order` after `cursor`.

    Items are what `query` selects: the entity itself when it selects one
    (`select(Party)`), else a tuple of its columns; the sort values are not in them.
    """
    width = len(query.column_descriptions)
    rows = (await session.execute(order.select(query, cursor, limit))).all()
    page = order.page(rows, limit)
    items = [row[0] if width == 1 else tuple(row[:width]) for row in page.items]
    return Page(items, page.next_cursor)


@dataclass(frozen=True)
class Band:
    """Rows of a ranked listing that match `condition` and no earlier band, in `order` within the band."""

    condition: ColumnElement[bool]
    order: Order


async def banded_page(
    session: AsyncSession, query: Select, bands: Sequence[Band], limit: int, cursor: str, signature: str
) -> Page[Any]:
    """One page of `query` ranked by bands: every row of the first band, then of the second, ...

    Each band is read in its own order, as far as the page needs and no further, so a band
    the page does not reach costs nothing (a common word's thousands of matches are never
    sorted when the exact matches fill the page). The cursor holds the band and the keyset
    cursor within it; a band that ends exactly at the page's end is looked ahead into, so the
    last page never comes back empty.
    """
    band, inner = 0, ""
    if cursor:
        band, inner = decode_signed_cursor(cursor, signature, ["int", "text"])
        if not 0 <= band < len(bands):
            raise invalid("cursor", "invalid_cursor", "cursor does not belong to this listing")

    def rows_of(i: int) -> Select:
        # IS NOT TRUE rather than NOT: a condition that is NULL for a row (inn = :x, inn NULL) did not match it.
        return query.where(bands[i].condition, *[b.condition.is_not(true()) for b in bands[:i]])

    items: list[Any] = []
    for i in range(band, len(bands)):
        page = await keyset_page(session, rows_of(i), bands[i].order, limit - len(items), inner)
        items += page.items
        inner = ""
        if page.next_cursor:
            return Page(items, encode_cursor([signature, i, page.next_cursor]))
        if len(items) == limit:
            for j in range(i + 1, len(bands)):
                if await session.scalar(select(rows_of(j).limit(1).exists())):
                    return Page(items, encode_cursor([signature, j, ""]))
            break
    return Page(items, "")
