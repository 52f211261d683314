"""Benchmark: create and read parties through the gateway at concurrency 16.

Prints requests/s and p50/p95/p99 latency next to the same inserts and
selects done directly with asyncpg in the same run; the ratio is the figure
that holds on a noisy machine. Starts its own platform (own databases and
ports) and removes it afterwards.

    python bench/parties.py [--creates 1000] [--reads 2000] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable

import asyncpg
import httpx
from faker import Faker
from http_load import summary

from crm_core.db import asyncpg_connect_params
from crm_core.launcher import BENCH_PASSWORD as PASSWORD
from crm_core.launcher import bench_platform
from crm_core.testing import eventually, russian_faker


async def run_load(count: int, concurrency: int, one: Callable[[int], Awaitable[None]]) -> tuple[float, list[float]]:
    """Run `one(i)` for i in range(count) with `concurrency` workers; returns (seconds, latencies)."""
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)

    async def worker() -> None:
        while not queue.empty():
            i = queue.get_nowait()
            started = time.perf_counter()
            await one(i)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, latencies


def bodies(count: int) -> list[dict]:
    fake = russian_faker()
    Faker.seed(7)
    return [
        {
            "kind": "company",
            "company": {"legal_name": fake.company(), "inn": fake.businesses_inn(), "legal_address": fake.address()},
            "phones": [{"value": fake.phone_number()}],
            "emails": [{"value": f"{uuid.uuid4().hex[:10]}@example.ru"}],
            "tags": ["bench"],
        }
        for _ in range(count)
    ]


async def through_gateway(
    base_url: str, payloads: list[dict], reads: int, concurrency: int
) -> dict[str, dict[str, float]]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) as client:
        token = (await client.post("/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})).json()[
            "access_token"
        ]
        client.headers["Authorization"] = f"Bearer {token}"
        ids: list[str] = []

        async def create(i: int) -> None:
            response = await client.post("/api/v1/parties", json=payloads[i], params={"allow_duplicate": "true"})
            response.raise_for_status()
            ids.append(response.json()["id"])

        async def read(i: int) -> None:
            (await client.get(f"/api/v1/parties/{ids[i % len(ids)]}")).raise_for_status()

        async def events_settled() -> bool:
            # The creates' events are projected in the background (timeline, deals' party copies);
            # reads are measured after the last one reached its timeline, not while that work runs.
            timeline = (await client.get(f"/api/v1/parties/{ids[-1]}/timeline")).json()["items"]
            return any(entry["type"] == "party.created" for entry in timeline)

        await run_load(50, concurrency, lambda i: client.get("/api/v1/me"))  # warm-up
        created = summary("gateway create (POST)", *await run_load(len(payloads), concurrency, create))
        await eventually(events_settled, timeout=120, interval=0.5)
        return {
            "create": created,
            "read": summary("gateway read (GET by id)", *await run_load(reads, concurrency, read)),
        }


async def direct_asyncpg(
    database_url: str, payloads: list[dict], reads: int, concurrency: int
) -> dict[str, dict[str, float]]:
    """The floor: the same rows inserted and fetched by primary key with plain asyncpg."""
    pool = await asyncpg.create_pool(
        **asyncpg_connect_params(database_url, database_url.rsplit("/", 1)[1]),
        min_size=concurrency,
        max_size=concurrency,
    )
    await pool.execute(
        "CREATE TABLE IF NOT EXISTS bench_party (id uuid PRIMARY KEY, kind text, display_name text, inn text, data jsonb, created_at timestamptz DEFAULT now())"
    )
    ids = [uuid.uuid4() for _ in payloads]

    async def create(i: int) -> None:
        p = payloads[i]
        await pool.execute(
            "INSERT INTO bench_party (id, kind, display_name, inn, data) VALUES ($1, $2, $3, $4, $5)",
            ids[i],
            p["kind"],
            p["company"]["legal_name"],
            p["company"]["inn"],
            json.dumps(p),
        )

    async def read(i: int) -> None:
        await pool.fetchrow("SELECT * FROM bench_party WHERE id = $1", ids[i % len(ids)])

    try:
        return {
            "create": summary("asyncpg INSERT", *await run_load(len(payloads), concurrency, create)),
            "read": summary("asyncpg SELECT by id", *await run_load(reads, concurrency, read)),
        }
    finally:
        await pool.execute("DROP TABLE bench_party")
        await pool.close()


async def main(args: argparse.Namespace) -> None:
    async with bench_platform() as config:
        payloads = bodies(args.creates)
        print(f"\nParties: {args.creates} creates, {args.reads} reads, concurrency {args.concurrency}")
        gateway = await through_gateway(config.gateway_url, payloads, args.reads, args.concurrency)
        direct = await direct_asyncpg(config.database_url("contacts"), payloads, args.reads, args.concurrency)
        print("\n  ratio gateway/asyncpg        throughput      p95 latency")
        for op in ("create", "read"):
            print(
                f"  {op:<28} {gateway[op]['rps'] / direct[op]['rps']:>9.2f}x   {gateway[op]['p95'] / direct[op]['p95']:>9.1f}x"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Parties through the gateway vs plain asyncpg")
    parser.add_argument("--creates", type=int, default=1000)
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    asyncio.run(main(parser.parse_args()))
