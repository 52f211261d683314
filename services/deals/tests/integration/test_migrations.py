"""Migration 0008 (catalogue and VAT) against deals stored before it, in a database of its own."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

import asyncpg

import crm_deals
from crm_core.db import asyncpg_connect_params
from crm_core.migrations import upgrade
from crm_core.testing import RUN_ID, TestDatabases, postgres_base
from crm_core.units import SHIPPED_UNITS

MIGRATIONS = Path(crm_deals.__file__).parent / "migrations"


async def _sql(url: str, query: str, *args: Any) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(**asyncpg_connect_params(url, url.rsplit("/", 1)[1]))
    try:
        return await conn.fetch(query, *args)
    finally:
        await conn.close()


def _insert_deal(url: str, lines: list[dict[str, str]], amount: str | None) -> str:
    deal_id = str(uuid.uuid4())
    asyncio.run(
        _sql(
            url,
            "INSERT INTO deal (id, title, pipeline_id, stage_id, client_id, owner_id, amount, lines,"
            " stage_entered_at, last_activity_at, created_at, updated_at, created_by)"
            " SELECT $1, 'Поставка', s.pipeline_id, s.id, $2, 'u', $3::numeric, $4::jsonb, now(), now(), now(), now(), 'u'"
            " FROM stage s ORDER BY s.position LIMIT 1",
            deal_id,
            str(uuid.uuid4()),
            amount,
            json.dumps(lines),
        )
    )
    return deal_id


def test_deals_stored_before_vat_keep_their_amounts_with_lines_at_no_vat_in_pieces(
    test_databases: TestDatabases,
) -> None:
    url = f"{postgres_base()}/crm_t{RUN_ID}_deals_vat"
    test_databases.urls.append(url)
    upgrade(MIGRATIONS, url, "0007")
    line = {
        "product": "Стол",
        "quantity": "2",
        "price": "500.00",
        "discount_percent": "0",
        "subtotal": "1000.00",
        "total": "1000.00",
    }
    with_lines = _insert_deal(url, [line], "1000.00")
    without = _insert_deal(url, [], "300.00")

    upgrade(MIGRATIONS, url, "head")

    rows = asyncio.run(
        _sql(
            url, "SELECT id::text, amount, vat_mode, lines FROM deal WHERE id = ANY($1::uuid[])", [with_lines, without]
        )
    )
    by_id = {row["id"]: row for row in rows}
    assert by_id[with_lines]["vat_mode"] == "included"
    assert json.loads(by_id[with_lines]["lines"]) == [{**line, "vat_rate": "none", "unit_code": "796"}]
    assert str(by_id[with_lines]["amount"]) == "1000.00"
    assert (by_id[without]["vat_mode"], json.loads(by_id[without]["lines"])) == ("included", [])
    units = asyncio.run(_sql(url, "SELECT code, label_ru, label_en, builtin FROM unit ORDER BY position"))
    assert [(u["code"], u["label_ru"], u["label_en"]) for u in units] == [
        (code, ru, en) for code, (ru, en) in SHIPPED_UNITS.items()
    ]
    assert all(u["builtin"] for u in units)
