"""Benchmark: contacts at 10,000 and at 1,000,000 parties, through the gateway.

For each size it grows one platform's base to that many generated parties (crm_core.datagen,
through BulkCreateParties: the rows, search keys, audit and events an API create leaves),
waits until their events reached the timeline, then measures at concurrency 16 (a light
HTTP/1.1 client, bench/http_load.py, so the client is not what is measured):

- create (POST /parties with the duplicate check) and read (GET /parties/{id});
- search: a name prefix, a typo, a person's surname and first name, the last 5 digits of a
  phone, an INN; a filtered list (companies of one owner); counts (all companies: capped;
  a common word);
- the floors of the same run: the gateway alone (GET /healthz), a gateway -> service call
  that finds nothing (GET /parties/<unknown id>: token, gRPC, one index probe), and plain
  asyncpg inserts and selects of the same rows;
- events: commit to consumer effect, a party create to its timeline entry (outbox created_at
  to the timeline consumer's inbox handled_at), p50/p99 over the create phase;
- bulk: 100,000 rows with duplicate checks against the base (at the largest size);
- RSS of each process idle (after loading) and loaded (after the measurements).

Results go to bench/results/contacts_scale.json with the machine they ran on.

    python bench/contacts_scale.py [--sizes 10000,1000000] [--concurrency 16] [--bulk 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import asyncpg
import httpx
from google.protobuf import json_format
from http_load import Connections, Request, summary
from load_parties import load

from crm.contacts.v1 import contacts_pb2 as pb
from crm_contacts.commands import Contacts, CreationRules, new_party_columns
from crm_contacts.domain import KINDS
from crm_contacts.inputs import parse_party_draft
from crm_core.auth import SYSTEM
from crm_core.clock import Clock
from crm_core.datagen import PartyGenerator
from crm_core.db import asyncpg_connect_params
from crm_core.launcher import BENCH_PASSWORD, bench_platform

RESULTS = Path(__file__).parent / "results" / "contacts_scale.json"
SAMPLE = 400


async def connect(url: str) -> asyncpg.Connection:
    return await asyncpg.connect(**asyncpg_connect_params(url, url.rsplit("/", 1)[1]))


async def seed_by_copy(db: asyncpg.Connection, count: int, seed: int) -> float:
    """`count` generated parties COPYed into the table, their columns made by CreateParty's own code
    (parse_party_draft, new_party_columns, new_party_row), without audit rows or events; rows/s.

    For growing a base to a million in minutes: a million events would keep the timeline consumer
    busy for a long while after (bulk_rows_per_s and events_drain_s show that path at the first size).
    The indexes are dropped for the COPY and built again after, as a restore does.
    """
    rules = CreationRules(
        {kind: {} for kind in KINDS}, [r["code"] for r in await db.fetch("SELECT code FROM relationship_type")]
    )
    factory = Contacts(None, None, Clock())  # type: ignore[arg-type]  # only new_party_row is used
    generator = PartyGenerator(seed, [(str(uuid.UUID(int=seed * 10**6 + i)), f"team-{i % 10}") for i in range(50)])
    names = [
        r["column_name"]
        for r in await db.fetch(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'party' AND is_generated = 'NEVER'"
            " ORDER BY ordinal_position"
        )
    ]
    jsonb = {
        r["column_name"]
        for r in await db.fetch(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'party' AND data_type = 'jsonb'"
        )
    }
    indexes = await db.fetch(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'party' AND indexname NOT LIKE 'pk_%'"
    )
    started = time.perf_counter()
    for index in indexes:
        await db.execute(f'DROP INDEX "{index["indexname"]}"')
    for start in range(0, count, 20_000):
        rows = []
        for body in generator.iter_parties(min(20_000, count - start)):
            draft = parse_party_draft(json_format.ParseDict(body, pb.Party()))
            row = factory.new_party_row(SYSTEM, new_party_columns(SYSTEM, draft, rules))
            rows.append(tuple(json.dumps(row[n]) if n in jsonb else row.get(n) for n in names))
        await db.copy_records_to_table("party", records=rows, columns=names)
        print(f"  {start + len(rows):>9} rows copied", flush=True)
    await db.execute("SET maintenance_work_mem = '512MB'")
    for index in indexes:
        await db.execute(index["indexdef"])
    return count / (time.perf_counter() - started)


async def grow(config: Any, db: asyncpg.Connection, size: int, seed: int, by_copy: bool) -> dict[str, float]:
    """Grow the base to `size` parties, through BulkCreateParties (then wait for their events) or by COPY."""
    have = await db.fetchval("SELECT count(*) FROM party")
    result: dict[str, float] = {}
    if size > have and by_copy:
        result["copy_rows_per_s"] = await seed_by_copy(db, size - have, seed)
    elif size > have:
        args = argparse.Namespace(
            count=size - have, batch=1000, concurrency=2, seed=seed, owners=50, on_duplicate="create"
        )
        result["bulk_rows_per_s"] = await load(config.target("contacts"), config.internal_secret, args)
    started = time.perf_counter()
    while await db.fetchval(
        "SELECT (SELECT count(*) FROM outbox) > (SELECT count(*) FROM inbox WHERE consumer LIKE '%timeline%')"
    ):
        await asyncio.sleep(2)
    result["events_drain_s"] = time.perf_counter() - started
    await db.execute("VACUUM ANALYZE party")
    # Into the OS cache, as a server that has run a while holds them (a restore leaves them cold).
    await db.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
    await db.execute(
        "SELECT pg_prewarm(c.oid, 'read') FROM pg_class c"
        " WHERE c.oid = 'party'::regclass OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'party'::regclass)"
    )
    print(f"  base {size}: loaded, events drained in {result['events_drain_s']:.0f} s")
    return result


async def samples(db: asyncpg.Connection) -> list[asyncpg.Record]:
    return await db.fetch(
        "SELECT id, kind, name_key, inn, phone_digits, last_name, first_name, owner_id FROM party"
        f" ORDER BY random() LIMIT {SAMPLE}"
    )


def typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + ("о" if word[i] != "о" else "а") + word[i + 1 :]


def queries(rows: list[asyncpg.Record], rng: random.Random) -> dict[str, list[str]]:
    """Query strings of each kind, made from parties that exist."""
    companies = [r for r in rows if r["kind"] == "company"]
    people = [r for r in rows if r["kind"] == "person" and r["last_name"] and r["first_name"]]
    words = [w for r in companies for w in r["name_key"].split() if len(w) >= 6 and w.isalpha()]
    phones = [r["phone_digits"].split()[0] for r in rows if r["phone_digits"]]
    return {
        "search name prefix": [w[:5] for w in words],
        "search typo": [typo(w, rng) for w in words],
        "search surname + name": [f"{r['last_name']} {r['first_name']}" for r in people],
        "search phone last 5": [p[-5:] for p in phones],
        "search INN": [r["inn"] for r in companies if r["inn"]],
    }


def rss() -> dict[str, float]:
    """MiB resident per process of this run's platform (`python -m crm_<name>`, our children), from /proc."""
    found: dict[str, float] = {}
    for proc in Path("/proc").iterdir():
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
            status = (proc / "status").read_text()
        except (OSError, ValueError):
            continue
        if f"PPid:\t{os.getpid()}\n" not in status:
            continue
        names = [a.decode() for a in args if a.startswith(b"crm_")]
        if b"-m" in args and names:
            kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            found[names[0]] = round(found.get(names[0], 0) + kib / 1024, 1)
    return found


async def through_gateway(config: Any, db: asyncpg.Connection, creates: int, concurrency: int) -> dict[str, Any]:
    rng = random.Random(7)
    async with httpx.AsyncClient(base_url=config.gateway_url, timeout=60) as client:
        login = await client.post("/api/v1/auth/login", json={"username": "admin", "password": BENCH_PASSWORD})
        token = login.json()["access_token"]
    rows = await samples(db)
    ids = [str(r["id"]) for r in rows]
    owners = sorted({r["owner_id"] for r in rows})
    texts = queries(rows, rng)
    generator = PartyGenerator(rng.randrange(10**6), [(o, "") for o in owners])

    def api_bodies(count: int) -> list[dict[str, Any]]:
        # The admin owns what it creates: the generated owners are no users of this platform.
        return [{k: v for k, v in b.items() if k not in ("owner_id", "team_id")} for b in generator.iter_parties(count)]

    bodies = api_bodies(creates)

    def search(values: list[str]) -> Callable[[int], Request]:
        return lambda i: ("GET", f"/api/v1/parties?q={quote(values[i % len(values)])}", None)

    # The reads measured: how many requests at concurrency 16, and each request.
    prefixes = texts["search name prefix"]
    reads: dict[str, tuple[int, Callable[[int], Request]]] = {
        "read": (3000, lambda i: ("GET", f"/api/v1/parties/{ids[i % len(ids)]}", None)),
        **{name: (600, search(values)) for name, values in texts.items()},
        "filtered list (companies of an owner)": (
            600,
            lambda i: (
                "GET",
                f"/api/v1/parties?filter=kind:eq:company&filter=owner_id:eq:{owners[i % len(owners)]}",
                None,
            ),
        ),
        "count all companies": (300, lambda i: ("GET", "/api/v1/parties/count?filter=kind:eq:company", None)),
        "count a word": (
            300,
            lambda i: ("GET", f"/api/v1/parties/count?q={quote(prefixes[i % len(prefixes)])}", None),
        ),
    }
    out: dict[str, Any] = {}
    async with Connections(config.gateway_url, concurrency, {"Authorization": f"Bearer {token}"}) as http:
        await http.run(200, lambda i: ("GET", f"/api/v1/parties/{ids[i % len(ids)]}", None))  # warm-up
        out["floor: gateway alone (GET /healthz)"] = summary(
            "floor: gateway alone", *await http.run(3000, lambda i: ("GET", "/healthz", None))
        )
        missing = str(uuid.uuid4())
        out["floor: gateway -> service, not found"] = summary(
            "floor: gateway -> service (404)",
            *await http.run(3000, lambda i: ("GET", f"/api/v1/parties/{missing}", None), expect=404),
        )
        out["create"] = summary(
            "create (POST, duplicate check)",
            *await http.run(creates, lambda i: ("POST", "/api/v1/parties?allow_duplicate=true", bodies[i]), expect=201),
        )
        for name, (count, request) in reads.items():
            out[name] = summary(name, *await http.run(count, request))
        # Events under a steady load (a third of the create capacity just measured), not behind a backlog.
        rate = max(5.0, out["create"]["rps"] / 3)
        began = await db.fetchval("SELECT now()")
        paced = api_bodies(int(rate * 15))
        *_, failed = await http.run(
            len(paced),
            lambda i: ("POST", "/api/v1/parties?allow_duplicate=true", paced[i]),
            expect=201,
            rate=rate,
        )
        if failed:
            print(f"  paced creates: {len(failed)} failed, e.g. {failed[0]}")
    out["events commit -> timeline"] = {"creates_per_s": rate, **await event_latency(db, began)}
    # The same reads one at a time: what one request costs, without the queue of sixteen.
    async with Connections(config.gateway_url, 1, {"Authorization": f"Bearer {token}"}) as solo:
        for name, (_, request) in reads.items():
            if name != "count all companies":  # capped: the same few rows whatever the base
                out[f"{name}, one at a time"] = summary(f"{name[:22]}, one at a time", *await solo.run(100, request))
    return out


async def event_latency(db: asyncpg.Connection, since: Any) -> dict[str, float]:
    """Outbox created_at -> the timeline consumer's inbox handled_at, for the events since `since`."""
    for _ in range(120):
        if not await db.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL"):
            break
        await asyncio.sleep(1)
    await asyncio.sleep(2)
    delays = [
        float(d) * 1000
        for (d,) in await db.fetch(
            "SELECT extract(epoch FROM i.handled_at - o.created_at) FROM outbox o JOIN inbox i USING (event_id)"
            " WHERE o.created_at >= $1 AND i.consumer LIKE '%timeline%'",
            since,
        )
    ]
    q = statistics.quantiles(delays, n=100)
    row = {"events": len(delays), "p50": q[49], "p99": q[98]}
    print(f"  {'events commit -> timeline':<34} {len(delays):>8} events  p50 {q[49]:7.2f} ms   p99 {q[98]:7.2f} ms")
    return row


async def asyncpg_floor(db: asyncpg.Connection, count: int) -> dict[str, float]:
    """Plain asyncpg, same run: inserts of party-sized rows and selects by primary key."""
    await db.execute("CREATE TABLE bench_floor (LIKE party INCLUDING DEFAULTS)")
    await db.execute("ALTER TABLE bench_floor ADD PRIMARY KEY (id)")
    try:
        row = await db.fetchrow("SELECT * FROM party LIMIT 1")
        names = [k for k, _ in row.items() if k != "search_tsv"]
        insert = (
            f"INSERT INTO bench_floor ({', '.join(names)}) VALUES ({', '.join(f'${i + 1}' for i in range(len(names)))})"
        )
        ids = [uuid.uuid4() for _ in range(count)]
        values = [row[k] for k in names]
        started = time.perf_counter()
        latencies = []
        for i in ids:
            t = time.perf_counter()
            await db.execute(insert, i, *values[1:])
            latencies.append(time.perf_counter() - t)
        inserted = summary("asyncpg INSERT (one connection)", time.perf_counter() - started, latencies)
        started, latencies = time.perf_counter(), []
        for i in ids * 2:
            t = time.perf_counter()
            await db.fetchrow("SELECT * FROM bench_floor WHERE id = $1", i)
            latencies.append(time.perf_counter() - t)
        selected = summary("asyncpg SELECT by id (one conn.)", time.perf_counter() - started, latencies)
        return {"insert": inserted, "select": selected}
    finally:
        await db.execute("DROP TABLE bench_floor")


async def main(args: argparse.Namespace) -> None:
    sizes = [int(s) for s in args.sizes.split(",")]
    report: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "concurrency": args.concurrency,
        "sizes": {},
    }
    async with bench_platform() as config:
        db = await connect(config.database_url("contacts"))
        try:
            for n, size in enumerate(sizes):
                print(f"\nContacts at {size:,} parties (concurrency {args.concurrency})")
                result: dict[str, Any] = {"load": await grow(config, db, size, seed=n + 1, by_copy=n > 0)}
                result["rss_idle_mib"] = rss()
                result["gateway"] = await through_gateway(config, db, args.creates, args.concurrency)
                result["rss_loaded_mib"] = rss()
                result["asyncpg"] = await asyncpg_floor(db, 1000)
                report["sizes"][str(size)] = result
            if args.bulk:
                print(f"\nBulk create: {args.bulk:,} rows, duplicate checks against {sizes[-1]:,}")
                bulk = argparse.Namespace(
                    count=args.bulk, batch=1000, concurrency=2, seed=99, owners=50, on_duplicate="skip"
                )
                started = time.perf_counter()
                await load(config.target("contacts"), config.internal_secret, bulk)
                report["bulk"] = {"rows": args.bulk, "seconds": time.perf_counter() - started}
        finally:
            await db.close()
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1, default=str) + "\n")
    print(f"\nwritten to {RESULTS}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Contacts at 10k and 1M parties through the gateway")
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--creates", type=int, default=2000)
    parser.add_argument("--bulk", type=int, default=100_000)
    asyncio.run(main(parser.parse_args()))
