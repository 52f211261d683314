"""crm_core.resources against PostgreSQL: a visible get and keyset pages over a table of its own."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Integer, MetaData, Text, select
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from crm_core.db import Database
from crm_core.errors import InvalidArgument, NotFound
from crm_core.pagination import Page
from crm_core.resources import SortKey, SortSpec, columns_of, get_visible, keyset_page


class Base(DeclarativeBase):
    metadata = MetaData()


class Item(Base):
    __tablename__ = "resource_item"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True)
    owner: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    rank: Mapped[int] = mapped_column(Integer)


SORT = SortSpec[None](
    "items",
    {"title": SortKey("text", Item.__table__.c.title), "rank": SortKey("int", Item.__table__.c.rank)},
    default="-rank",
    tie_breaker=Item.__table__.c.id,
)
# 12 items, ranks 0..3 three times each: pages must cut through ties without losing or repeating any.
ITEMS = [
    {"id": str(uuid.uuid4()), "owner": "ann" if i % 4 else "bob", "title": f"t{i:02}", "rank": i % 4} for i in range(12)
]


@pytest.fixture
async def items(db: Database) -> AsyncIterator[Database]:
    async with db.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
        await conn.execute(Item.__table__.insert(), ITEMS)
    yield db
    async with db.engine.begin() as conn:
        await conn.run_sync(Base.metadata.drop_all)


async def test_a_visible_record_is_found_and_a_hidden_missing_or_malformed_id_is_the_same_not_found(items) -> None:
    ann = next(i for i in ITEMS if i["owner"] == "ann")
    bob = next(i for i in ITEMS if i["owner"] == "bob")
    mine = Item.owner == "ann"
    async with items.transaction() as session:
        assert (await get_visible(session, Item, "item", ann["id"], mine, lock=True)).title == ann["title"]
        codes = set()
        for record_id in (bob["id"], str(uuid.uuid4()), "not-a-uuid"):
            with pytest.raises(NotFound) as info:
                await get_visible(session, Item, "item", record_id, mine)
            codes.add(info.value.code)
        assert codes == {"item_not_found"}
        assert (await get_visible(session, Item, "item", bob["id"])).owner == "bob"


async def walk(db: Database, sort: str, limit: int) -> list[str]:
    order = SORT.parse(sort).order(None)
    seen: list[str] = []
    cursor = ""
    async with db.readers() as session:
        while True:
            page: Page[Item] = await keyset_page(session, select(Item), order, limit, cursor)
            seen += [item.id for item in page.items]
            if not page.next_cursor:
                return seen
            assert len(page.items) == limit
            cursor = page.next_cursor


# Each sort's order in Python: its terms, then the id in the last term's direction.
EXPECTED = {
    "": (lambda i: (i["rank"], i["id"]), True),
    "rank": (lambda i: (i["rank"], i["id"]), False),
    "-rank,title": (lambda i: (-i["rank"], i["title"]), False),
    "title": (lambda i: i["title"], False),
}


@pytest.mark.parametrize("sort", list(EXPECTED))
async def test_keyset_pages_give_every_row_once_in_the_sort_order(items, sort) -> None:
    key, reverse = EXPECTED[sort]
    assert await walk(items, sort, 5) == [i["id"] for i in sorted(ITEMS, key=key, reverse=reverse)]


async def test_a_cursor_of_another_sort_is_refused(items) -> None:
    async with items.readers() as session:
        page = await keyset_page(session, select(Item), SORT.parse("rank").order(None), 2, "")
        with pytest.raises(InvalidArgument) as info:
            await keyset_page(session, select(Item), SORT.parse("-rank").order(None), 2, page.next_cursor)
    assert [(p.field, p.code) for p in info.value.fields] == [("cursor", "invalid_cursor")]


async def test_a_listing_of_several_columns_pages_tuples_without_the_sort_values(items) -> None:
    async with items.readers() as session:
        query = select(Item.title, Item.rank)
        page = await keyset_page(session, query, SORT.parse("title").order(None), 3, "")
    assert page.items == [("t00", 0), ("t01", 1), ("t02", 2)]


def test_a_records_columns_are_read_by_name_but_those_left_out() -> None:
    item = Item(id="i-1", owner="ann", title="t", rank=2)
    assert columns_of(item) == {"id": "i-1", "owner": "ann", "title": "t", "rank": 2}
    assert columns_of(item, leave_out=("owner", "rank")) == {"id": "i-1", "title": "t"}
