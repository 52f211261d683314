"""One record: get it by id as the caller may see it, read its columns."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.db import is_uuid
from crm_core.errors import not_found

R = TypeVar("R")


async def get_visible(
    session: AsyncSession,
    model: type[R],
    entity: str,
    record_id: str,
    *where: ColumnElement[bool],
    lock: bool = False,
) -> R:
    """The `model` row with this id that also meets `where` (the caller's access, not deleted...), or NotFound.

    A hidden record answers exactly as a missing one (`<entity>_not_found`), and so
    does an id that is not a UUID (the column is one: never a database error).
    `lock` reads it FOR UPDATE, for a change in the same transaction.
    """
    if not is_uuid(record_id):
        raise not_found(entity, record_id)
    table: Any = model
    query = select(model).where(table.id == record_id, *where)
    if lock:
        query = query.with_for_update()
    record = await session.scalar(query)
    if record is None:
        raise not_found(entity, record_id)
    return record


def columns_of(record: Any, *, leave_out: Collection[str] = ()) -> dict[str, Any]:
    """The record's column values by column name (what a change compares and audits, old against new)."""
    return {c.key: getattr(record, c.key) for c in record.__table__.columns if c.key not in leave_out}
