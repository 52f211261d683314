"""Migrations that rewrite stored data, run against a database of their own."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

import asyncpg

import crm_contacts
from crm_core.db import asyncpg_connect_params
from crm_core.migrations import upgrade
from crm_core.testing import RUN_ID, TestDatabases, postgres_base

MIGRATIONS = Path(crm_contacts.__file__).parent / "migrations"


async def _sql(url: str, query: str, *args: Any) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(**asyncpg_connect_params(url, url.rsplit("/", 1)[1]))
    try:
        return await conn.fetch(query, *args)
    finally:
        await conn.close()


def _insert(url: str, phones: list[str], norm: list[str], search_text: str) -> str:
    party_id = str(uuid.uuid4())
    points = json.dumps([{"kind": "work", "value": p, "label": "", "primary": False} for p in phones])
    asyncio.run(
        _sql(
            url,
            "INSERT INTO party (id, kind, display_name, owner_id, created_by, created_at, updated_at,"
            " phones, phones_norm, search_text) VALUES ($1, 'company', 'Ромашка', 'u', 'u', now(), now(),"
            " $2::jsonb, $3, $4)",
            party_id,
            points,
            norm,
            search_text,
        )
    )
    return party_id


def _row(url: str, party_id: str) -> tuple[list[str], list[str], str]:
    (row,) = asyncio.run(_sql(url, "SELECT phones, phones_norm, search_text FROM party WHERE id = $1", party_id))
    return [p["value"] for p in json.loads(row["phones"])], list(row["phones_norm"]), row["search_text"]


def test_phones_stored_as_typed_are_rewritten_in_e164_and_unparsable_ones_are_kept(
    test_databases: TestDatabases,
) -> None:
    url = f"{postgres_base()}/crm_t{RUN_ID}_contacts_phones"
    test_databases.urls.append(url)
    upgrade(MIGRATIONS, url, "0003")
    # As the service before 0004 stored them: the values as typed, their digits as phones_norm.
    typed = _insert(
        url,
        ["8 (495) 123-45-67", "+7 912 345 67 89 доб. 12", "123-45-67"],
        ["1234567", "74951234567", "7912345678912"],
        "ромашка 1234567 74951234567 7912345678912 vip",
    )
    foreign = _insert(url, ["+44 (0) 20 7946 0958"], ["4402079460958"], "ромашка 4402079460958")
    none = _insert(url, [], [], "ромашка")

    upgrade(MIGRATIONS, url, "head")

    assert _row(url, typed) == (
        ["+74951234567", "+79123456789;ext=12", "123-45-67"],
        ["1234567", "74951234567", "79123456789"],
        "ромашка 1234567 74951234567 79123456789 vip",
    )
    assert _row(url, foreign) == (["+442079460958"], ["442079460958"], "ромашка 442079460958")
    assert _row(url, none) == ([], [], "ромашка")
