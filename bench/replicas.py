"""Benchmark: read throughput with 1 and 2 replicas of contacts, and what each request costs in CPU.

Three runs on platforms of their own, the same reads each time (GET /api/v1/parties/{id} as admin,
concurrency 32): one gateway and one contacts process; one gateway and two contacts processes (the
gateway spreads calls round robin); two gateways and two contacts processes (the client alternates
gateways). During each run it reads the CPU time of every process from /proc (gateways, contacts
replicas, the PostgreSQL server's processes, the benchmark's own client), so it prints requests/s, p95 and CPU milliseconds per
request per tier: the inputs of the capacity model in docs/capacity.md. A plain asyncpg SELECT by
primary key at the same concurrency is the database's own ceiling for this read.

    python bench/replicas.py [--reads 3000] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import asyncpg
import httpx
from http_load import summary
from parties import bodies, run_load

from crm_core.db import asyncpg_connect_params
from crm_core.launcher import BENCH_PASSWORD, Platform, PlatformConfig

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def postgres_pids() -> Iterator[int]:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    yield int(entry.name)
            except OSError:
                continue


class CpuMeter:
    """CPU seconds spent by groups of processes between start() and stop()."""

    def __init__(self, groups: dict[str, list[int]]) -> None:
        self.groups = groups

    def _sample(self) -> dict[str, float]:
        sample = {name: sum(cpu_seconds(p) for p in pids) for name, pids in self.groups.items()}
        # PostgreSQL forks a backend per connection: count every postgres process alive now.
        sample["postgres"] = sum(cpu_seconds(p) for p in postgres_pids())
        return sample

    def start(self) -> None:
        self.before = self._sample()

    def stop(self) -> dict[str, float]:
        after = self._sample()
        return {name: after[name] - self.before.get(name, 0.0) for name in after}


async def read_through(urls: list[str], reads: int, concurrency: int, meter: CpuMeter, label: str) -> dict:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    clients = [httpx.AsyncClient(base_url=url, timeout=30, limits=limits) for url in urls]
    try:
        login = await clients[0].post("/api/v1/auth/login", json={"username": "admin", "password": BENCH_PASSWORD})
        for client in clients:
            client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        ids = []
        for body in bodies(200):
            created = await clients[0].post("/api/v1/parties", json=body, params={"allow_duplicate": "true"})
            ids.append(created.raise_for_status().json()["id"])
        await asyncio.sleep(3)  # the creates' events are projected in the background; let that finish
        rotation = itertools.cycle(clients)

        async def read(i: int) -> None:
            (await next(rotation).get(f"/api/v1/parties/{ids[i % len(ids)]}")).raise_for_status()

        await run_load(300, concurrency, read)  # warm-up: connections, caches
        meter.start()
        seconds, latencies = await run_load(reads, concurrency, read)
        cpu = meter.stop()
        row = summary(label, seconds, latencies)
        row["cpu_ms"] = {name: used * 1000 / reads for name, used in cpu.items()}
        busy = sum(cpu.values()) / seconds / (os.cpu_count() or 1)
        print(
            "    CPU ms per request: "
            + ", ".join(f"{n} {ms:.2f}" for n, ms in row["cpu_ms"].items())
            + f"; machine {busy:.0%} busy"
        )
        return row
    finally:
        for client in clients:
            await client.aclose()


def run(contacts: int, gateways: int, reads: int, concurrency: int) -> dict:
    label = f"{gateways} gateway(s), {contacts} contacts"
    config = PlatformConfig.isolated(
        f"b{os.urandom(3).hex()}",
        BENCH_PASSWORD,
        extra_env={"CRM_LOG_LEVEL": "WARNING"},
        replicas={"contacts": contacts},
    )
    platform = Platform(config)
    platform.migrate()
    platform.start()
    try:
        with ExitStack() as stack:
            urls = [config.gateway_url]
            gateway_pids = [platform.processes["gateway"].pid]
            for _ in range(gateways - 1):
                extra = stack.enter_context(platform.replicas(["crm_gateway"], {}))
                urls.append(extra.url)
                gateway_pids += [p.pid for p in extra.processes]
            contacts_pids = [p.pid for name, p in platform.processes.items() if name.startswith("contacts")]
            meter = CpuMeter({"gateway": gateway_pids, "contacts": contacts_pids, "client": [os.getpid()]})
            return asyncio.run(read_through(urls, reads, concurrency, meter, label))
    finally:
        platform.stop()
        platform.drop_databases()


async def asyncpg_ceiling(reads: int, concurrency: int) -> dict:
    params = asyncpg_connect_params(PlatformConfig().postgres, "postgres")
    pool = await asyncpg.create_pool(**params, min_size=concurrency, max_size=concurrency)
    try:
        await pool.execute("DROP TABLE IF EXISTS bench_ceiling")
        await pool.execute("CREATE TABLE bench_ceiling (id int PRIMARY KEY, data jsonb)")
        await pool.execute("INSERT INTO bench_ceiling SELECT g, '{\"a\": 1}' FROM generate_series(0, 199) g")
        meter = CpuMeter({})
        meter.start()
        seconds, latencies = await run_load(
            reads, concurrency, lambda i: pool.fetchrow("SELECT * FROM bench_ceiling WHERE id = $1", i % 200)
        )
        cpu = meter.stop()
        row = summary("asyncpg SELECT by id", seconds, latencies)
        row["cpu_ms"] = {"postgres": cpu["postgres"] * 1000 / reads}
        print(f"    CPU ms per request: postgres {row['cpu_ms']['postgres']:.3f}")
        return row
    finally:
        await pool.execute("DROP TABLE IF EXISTS bench_ceiling")
        await pool.close()


def main(args: argparse.Namespace) -> None:
    print(f"\nReads of a party by id, {args.reads} per run, concurrency {args.concurrency}, {os.cpu_count()} cores")
    rows = {
        "1x1": run(contacts=1, gateways=1, reads=args.reads, concurrency=args.concurrency),
        "1x2": run(contacts=2, gateways=1, reads=args.reads, concurrency=args.concurrency),
        "2x2": run(contacts=2, gateways=2, reads=args.reads, concurrency=args.concurrency),
    }
    ceiling = asyncio.run(asyncpg_ceiling(args.reads * 3, args.concurrency))
    one = rows["1x1"]
    print("\n  capacity inputs (CPU ms per read, 1 gateway + 1 contacts):")
    for tier, ms in one["cpu_ms"].items():
        if tier == "client":
            continue
        print(f"    {tier:<10} {ms:6.2f} ms  -> {1000 / ms if ms else float('inf'):7.0f} reads/s per core")
    print(
        f"  scaling 1 -> 2 contacts: {rows['1x2']['rps'] / one['rps']:.2f}x; 2 gateways too: {rows['2x2']['rps'] / one['rps']:.2f}x"
    )
    print(f"  database ceiling for this read (asyncpg): {ceiling['rps']:.0f} reads/s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="1 vs 2 replicas of contacts behind the gateway")
    parser.add_argument("--reads", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    main(parser.parse_args())
