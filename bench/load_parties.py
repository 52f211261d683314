"""Load generated parties (crm_core.datagen) through BulkCreateParties and print rows/s.

    python bench/load_parties.py --count 1000000 [--grpc-target 127.0.0.1:50051] [--batch 1000]
        [--concurrency 2] [--seed 1] [--owners 50] [--on-duplicate create|skip]

Without --grpc-target it starts a platform of its own (bench_platform: own databases, ports and
namespace, removed afterwards). With one, it calls that contacts service as the system caller
(an admin), signing the internal token with CRM_INTERNAL_SECRET, as the platform's own services
call each other. Each batch is one transaction of the service, checked for duplicates against
the stored parties and the batch itself; the figures say how many were created, duplicates or
rejected, the batches' latencies, and how much of the time the loader itself spent generating; on its own
platform, also the floor: the same rows inserted with plain asyncpg into a copy of the table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Iterator

import asyncpg
from google.protobuf import json_format

from crm.contacts.v1 import contacts_pb2 as pb
from crm.contacts.v1 import contacts_pb2_grpc
from crm_core.auth import SYSTEM
from crm_core.datagen import PartyGenerator
from crm_core.db import asyncpg_connect_params
from crm_core.grpc_client import open_channel
from crm_core.launcher import bench_platform

OUTCOMES = {pb.BulkCreateResult.CREATED: "created", pb.BulkCreateResult.DUPLICATE: "duplicate"}


def owners(count: int, seed: int) -> list[tuple[str, str]]:
    """`count` made-up owners over count/5 teams (the service takes any ids; the gateway checks users)."""
    teams = max(count // 5, 1)
    return [(str(uuid.UUID(int=seed * 10**6 + i)), f"team-{i % teams}") for i in range(count)]


def batches(args: argparse.Namespace, spent: list[float]) -> Iterator[list[pb.Party]]:
    """The parties as batches of request messages; time spent making them is added to `spent`."""
    generator = PartyGenerator(args.seed, owners(args.owners, args.seed))
    left = args.count
    while left > 0:
        started = time.perf_counter()
        size = min(args.batch, left)
        batch = [json_format.ParseDict(body, pb.Party()) for body in generator.iter_parties(size)]
        left -= size
        spent[0] += time.perf_counter() - started
        yield batch


async def load(target: str, secret: str, args: argparse.Namespace) -> float:
    """Load --count parties; returns rows/s."""
    mode = pb.ON_DUPLICATE_SKIP if args.on_duplicate == "skip" else pb.ON_DUPLICATE_CREATE
    outcomes: Counter[str] = Counter()
    latencies: list[float] = []
    generating = [0.0]
    source = batches(args, generating)
    async with open_channel(target) as channel:
        stub = contacts_pb2_grpc.ContactsServiceStub(channel)

        async def worker() -> None:
            for batch in source:  # one generator shared by the workers: each takes the next batch
                started = time.perf_counter()
                response = await stub.BulkCreateParties(
                    pb.BulkCreatePartiesRequest(parties=batch, on_duplicate=mode),
                    metadata=SYSTEM.metadata(secret),  # a fresh token: a million rows outlast one
                    timeout=120,
                )
                latencies.append(time.perf_counter() - started)
                outcomes.update(OUTCOMES.get(r.outcome, "rejected") for r in response.results)
                done = sum(outcomes.values())
                if done % (args.batch * 20) == 0:
                    print(f"  {done:>9} rows  {done / (time.perf_counter() - began):>8.0f} rows/s", flush=True)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(args.concurrency)))
        seconds = time.perf_counter() - began
    total = sum(outcomes.values())
    q = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else latencies * 19
    print(
        f"\n{total} rows in {seconds:.1f} s: {total / seconds:.0f} rows/s "
        f"(batch {args.batch}, concurrency {args.concurrency}, on_duplicate {args.on_duplicate})"
    )
    print(f"  outcomes: {dict(outcomes)}")
    print(f"  batch latency: p50 {q[9]:.2f} s, p95 {q[18]:.2f} s")
    print(f"  loader generating rows: {generating[0]:.1f} s of the {seconds:.1f} s (same process, same cores)")
    return total / seconds


async def plain_inserts(database_url: str, batch: int) -> float:
    """The floor, measured in the same run: the loaded rows inserted again with plain asyncpg executemany
    into a copy of the party table with its indexes (no validation, duplicate check, audit or events)."""
    connection = await asyncpg.connect(**asyncpg_connect_params(database_url, database_url.rsplit("/", 1)[1]))
    try:
        await connection.execute("CREATE TABLE bench_party (LIKE party INCLUDING ALL)")
        names = [
            r["column_name"]
            for r in await connection.fetch(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'party' "
                "AND column_name <> 'search_tsv' ORDER BY ordinal_position"
            )
        ]
        rows = await connection.fetch(f"SELECT {', '.join(names)} FROM party")
        insert = (
            f"INSERT INTO bench_party ({', '.join(names)}) VALUES ({', '.join(f'${i + 1}' for i in range(len(names)))})"
        )
        began = time.perf_counter()
        for start in range(0, len(rows), batch):
            async with connection.transaction():
                await connection.executemany(insert, [tuple(r) for r in rows[start : start + batch]])
        seconds = time.perf_counter() - began
        print(f"\nbaseline, plain asyncpg executemany of the same {len(rows)} rows into a copy of the table:")
        print(f"  {len(rows) / seconds:.0f} rows/s")
        return len(rows) / seconds
    finally:
        await connection.execute("DROP TABLE IF EXISTS bench_party")
        await connection.close()


async def main(args: argparse.Namespace) -> None:
    if args.grpc_target:
        await load(args.grpc_target, os.environ.get("CRM_INTERNAL_SECRET", ""), args)
        return
    async with bench_platform() as config:
        print(f"platform started; contacts at {config.target('contacts')}, database {config.database_url('contacts')}")
        first = await load(config.target("contacts"), config.internal_secret, args)
        for seed in args.then:
            print(f"\nagain with seed {seed} onto the parties loaded so far")
            await load(
                config.target("contacts"), config.internal_secret, argparse.Namespace(**{**vars(args), "seed": seed})
            )
        floor = await plain_inserts(config.database_url("contacts"), args.batch)
        print(f"  ratio BulkCreateParties / plain inserts (first load): {first / floor:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Bulk-load generated parties through BulkCreateParties")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--grpc-target", default="", help="a running contacts service; default: start a platform")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--owners", type=int, default=50, help="owners the parties are spread over (5 per team)")
    parser.add_argument("--on-duplicate", choices=("create", "skip"), default="create")
    parser.add_argument(
        "--then", type=int, nargs="*", default=[], help="own platform only: load --count again with these seeds"
    )
    asyncio.run(main(parser.parse_args()))
