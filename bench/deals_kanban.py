"""Benchmark: the kanban board of a pipeline holding 20k open deals, through the gateway.

Seeds the deals straight into the deals database (COPY, for speed), then
times GET /api/v1/pipelines/{id}/kanban (counts and sums over every visible
deal per column, the first cards of each) for an admin, who sees every deal,
and for a team member, who sees about a quarter of them. Beside it, the same
work done directly in SQL with asyncpg in the same run (stages, per-column
counts and sums, per-column cards under the same access condition); the p95
ratio is the figure that holds on a noisy machine. Starts its own platform
(own databases and ports) and removes it afterwards.

    python bench/deals_kanban.py [--deals 20000] [--requests 200] [--cards 20]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import asyncpg
import grpc
import httpx
from faker import Faker

from crm.deals.v1 import deals_pb2, deals_pb2_grpc
from crm_core.auth import Caller
from crm_core.db import asyncpg_connect_params
from crm_core.launcher import BENCH_PASSWORD as PASSWORD
from crm_core.launcher import PlatformConfig, bench_platform

TEAMS = 4

# The SQL the board needs, written by hand: what the service does minus ORM, gRPC and HTTP.
STAGES_SQL = "SELECT id, name, position, probability, category, time_limit_days, archived FROM stage WHERE pipeline_id = $1 ORDER BY archived, position, id"
ACCESS_SQL = "(d.owner_id = $2 OR d.shared_with @> ARRAY[$2]::text[] OR d.team_id = ANY($3::text[]) OR $4)"
SUMS_SQL = f"""
SELECT g.stage_id, g.currency, g.n AS count, g.total, round(g.total * s.probability / 100, 2) AS weighted
FROM (SELECT d.stage_id, d.currency, count(*) AS n, coalesce(sum(d.amount), 0) AS total
      FROM deal d WHERE d.pipeline_id = $1 AND d.status = 'open' AND {ACCESS_SQL}
      GROUP BY d.stage_id, d.currency) g
JOIN stage s ON s.id = g.stage_id
"""
CARDS_PART = f"""
(SELECT d.id, d.title, d.client_id, d.client_name, d.owner_id, d.team_id, d.amount, d.currency,
        d.expected_close_date, d.stage_entered_at, d.regressing, d.version, d.stage_id,
        (d.status = 'open' AND ((s.time_limit_days IS NOT NULL AND d.stage_entered_at < $5::timestamptz - make_interval(days => s.time_limit_days))
                                OR d.last_activity_at < $5::timestamptz - make_interval(days => p.stale_days))) AS stalled,
        round(coalesce(d.amount, 0) * s.probability / 100, 2) AS expected_amount
 FROM deal d JOIN stage s ON s.id = d.stage_id JOIN pipeline p ON p.id = d.pipeline_id
 WHERE d.pipeline_id = $1 AND d.stage_id = ${{n}} AND {ACCESS_SQL}
 ORDER BY d.updated_at DESC, d.id DESC LIMIT {{limit}})
"""


def percentiles(latencies: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(latencies, n=100)
    return q[49] * 1000, q[94] * 1000


async def timed(count: int, one: Callable[[], Awaitable[object]]) -> list[float]:
    for _ in range(max(5, count // 10)):  # warm-up: connections, plans, caches
        await one()
    latencies = []
    for _ in range(count):
        started = time.perf_counter()
        await one()
        latencies.append(time.perf_counter() - started)
    return latencies


async def seed(pool: asyncpg.Pool, pipeline_id: str, owners: list[str], teams: list[str], count: int) -> float:
    """COPY `count` open deals over the pipeline's open stages; returns the seconds it took."""
    fake = Faker("ru_RU")
    Faker.seed(11)
    rng = random.Random(11)
    stages = [r["id"] for r in await pool.fetch(STAGES_SQL, uuid.UUID(pipeline_id)) if r["category"] == "open"]
    now = datetime.now(UTC)
    names = [fake.company() for _ in range(500)]
    records = []
    for i in range(count):
        entered = now - timedelta(days=rng.uniform(0, 40))
        activity = entered + (now - entered) * rng.random()
        records.append(
            (
                uuid.uuid4(),
                f"Поставка #{i}: {fake.bs()[:40]}",
                uuid.UUID(pipeline_id),
                rng.choice(stages),
                "open",
                str(uuid.uuid4()),
                rng.choice(names),
                rng.choice(owners),
                rng.choice(teams),
                Decimal(rng.randrange(10_000, 5_000_000)) / 100,
                "RUB" if rng.random() < 0.9 else "USD",
                entered,
                activity,
                activity,
                entered - timedelta(days=rng.uniform(0, 30)),
                "bench",
            )
        )
    started = time.perf_counter()
    await pool.copy_records_to_table(
        "deal",
        records=records,
        columns=[
            "id",
            "title",
            "pipeline_id",
            "stage_id",
            "status",
            "client_id",
            "client_name",
            "owner_id",
            "team_id",
            "amount",
            "currency",
            "stage_entered_at",
            "last_activity_at",
            "updated_at",
            "created_at",
            "created_by",
        ],
    )
    await pool.execute("ANALYZE deal")
    return time.perf_counter() - started


async def board_in_sql(
    pool: asyncpg.Pool, pipeline_id: str, user: str, teams: list[str], admin: bool, cards: int
) -> int:
    """The board straight from SQL; returns the number of deals counted (to check both sides agree)."""
    pid = uuid.UUID(pipeline_id)
    async with pool.acquire() as conn:
        stages = [r for r in await conn.fetch(STAGES_SQL, pid) if r["category"] == "open"]
        sums = await conn.fetch(SUMS_SQL, pid, user, teams, admin)
        parts = " UNION ALL ".join(CARDS_PART.format(n=6 + i, limit=cards + 1) for i in range(len(stages)))
        await conn.fetch(parts, pid, user, teams, admin, datetime.now(UTC), *[s["id"] for s in stages])
    return sum(r["count"] for r in sums)


async def main(args: argparse.Namespace) -> None:
    async with bench_platform() as config:
        await measure(config, args)


async def measure(config: PlatformConfig, args: argparse.Namespace) -> None:
    run = config.events_namespace  # unique per platform
    database_url = config.database_url("deals")
    pool = await asyncpg.create_pool(
        **asyncpg_connect_params(database_url, database_url.rsplit("/", 1)[1]), min_size=2, max_size=4
    )
    try:
        async with httpx.AsyncClient(base_url=config.gateway_url, timeout=30) as admin:
            token = (await admin.post("/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})).json()
            admin.headers["Authorization"] = f"Bearer {token['access_token']}"
            teams = []
            for i in range(TEAMS):
                team = (await admin.post("/api/v1/teams", json={"id": f"team-{i}-{run}", "name": f"Team {i}"})).json()
                teams.append(team["id"])
            user = (
                await admin.post(
                    "/api/v1/users",
                    json={
                        "username": f"bench{run}",
                        "display_name": "Bench",
                        "password": "password-123",
                        "roles": ["sales"],
                        "team_ids": [teams[0]],
                    },
                )
            ).json()
            pipeline = next(p for p in (await admin.get("/api/v1/pipelines")).json() if p["name_en"] == "Sales")
            owners = [user["id"], *[str(uuid.uuid4()) for _ in range(19)]]
            seconds = await seed(pool, pipeline["id"], owners, teams, args.deals)
            print(
                f"\nKanban: pipeline with {args.deals} open deals (seeded by COPY in {seconds:.1f} s), "
                f"{args.cards} cards per column, {args.requests} requests per caller, sequential"
            )
            async with httpx.AsyncClient(base_url=config.gateway_url, timeout=30) as member:
                login = await member.post(
                    "/api/v1/auth/login", json={"username": f"bench{run}", "password": "password-123"}
                )
                member.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
                url = f"/api/v1/pipelines/{pipeline['id']}/kanban"
                print(
                    f"\n  {'caller':<20} {'visible':>7}  {'gateway p50':>11} {'p95':>7}  {'gRPC p50':>8} {'p95':>7}"
                    f"  {'SQL p50':>7} {'p95':>7}  {'gateway/SQL p95':>15}"
                )
                channel = grpc.aio.insecure_channel(f"127.0.0.1:{config.grpc_ports['deals']}")
                stub = deals_pb2_grpc.DealsServiceStub(channel)
                for name, client, user_id, user_teams, is_admin in (
                    ("admin (sees all)", admin, "admin", [], True),
                    ("team member (~1/4)", member, user["id"], [teams[0]], False),
                ):
                    roles = frozenset({"admin"} if is_admin else {"sales"})
                    metadata = Caller(user_id, roles, frozenset(user_teams)).metadata(config.internal_secret)
                    kanban_request = deals_pb2.GetKanbanRequest(pipeline_id=pipeline["id"], limit=args.cards)

                    async def direct_grpc(metadata: list = metadata, request=kanban_request) -> None:  # type: ignore[no-untyped-def]
                        await stub.GetKanban(request, metadata=metadata, timeout=30)

                    async def through_gateway(client: httpx.AsyncClient = client) -> None:
                        (await client.get(url, params={"limit": args.cards})).raise_for_status()

                    async def in_sql(
                        user_id: str = user_id, user_teams: list[str] = user_teams, is_admin: bool = is_admin
                    ) -> int:
                        return await board_in_sql(pool, pipeline["id"], user_id, user_teams, is_admin, args.cards)

                    visible = (await client.get(url, params={"limit": args.cards})).json()["count"]
                    assert visible == await in_sql(), "the gateway and the SQL count different deals"
                    g50, g95 = percentiles(await timed(args.requests, through_gateway))
                    r50, r95 = percentiles(await timed(args.requests, direct_grpc))
                    s50, s95 = percentiles(await timed(args.requests, in_sql))
                    print(
                        f"  {name:<20} {visible:>7}  {g50:>8.1f} ms {g95:>4.1f} ms  {r50:>5.1f} ms {r95:>4.1f} ms"
                        f"  {s50:>4.1f} ms {s95:>4.1f} ms  {g95 / s95:>14.1f}x"
                    )
                await channel.close()
    finally:
        await pool.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Kanban of a 20k-deal pipeline through the gateway vs plain SQL")
    parser.add_argument("--deals", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--cards", type=int, default=20)
    asyncio.run(main(parser.parse_args()))
