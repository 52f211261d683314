"""Benchmark: a queue of 50,000 tickets with their SLA state, listed through the gateway beside plain SQL.

Starts its own platform (own databases and ports), makes a support team, an agent in it and a queue, and
copies `--tickets` tickets into the helpdesk's database (COPY: a third open, the rest waiting, resolved or
closed; SLA due times spread over a month around now; states on track, warning, breached, paused, met).
Then the agent lists them through GET /api/v1/tickets, as the web client's queue view does: the open ones
by nearest SLA deadline, the breached ones, and the default order by last change, each a page of 50 with
the total. Beside it, in the same run, the same queries in plain SQL over asyncpg (the visibility
condition, the filter, the order, LIMIT 51 and the count): the ratio is what holds on a noisy machine.

    python bench/helpdesk_tickets.py [--tickets 50000] [--rounds 40]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx

from crm_core.db import asyncpg_connect_params
from crm_core.launcher import BENCH_PASSWORD as PASSWORD
from crm_core.launcher import bench_platform
from crm_helpdesk.models import NO_DEADLINE

COLUMNS = (
    "id", "subject", "description", "requester_name", "requester_email", "channel", "priority", "category",
    "queue_id", "status", "tier", "owner_id", "team_id", "shared_with", "email_token", "warning_percent",
    "first_response_minutes", "first_response_due_at", "first_response_warn_at", "first_response_at",
    "first_response_warned", "first_response_breached", "resolution_minutes", "resolution_due_at",
    "resolution_warn_at", "resolution_warned", "resolution_breached", "sla_paused_at", "sla_paused_minutes",
    "next_due_at", "sla_due_at", "sla_state", "csat_rating", "csat_comment", "message_count", "created_by", "created_at",
    "updated_at", "version",
)  # fmt: skip
STATUSES = ["new", "open", "open", "pending_customer", "resolved", "closed", "closed", "reopened"]
# The open list by nearest deadline, the breached ones, the default order: what a queue view asks.
LISTINGS = [
    {"status": "open_all", "sort": "due_at"},
    {"sla_state": "breached"},
    {},
]
SQL_ORDER = {
    "due_at": "sla_due_at, id",
    "": "updated_at DESC, id DESC",
}


def percentiles(latencies: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(latencies, n=100)
    return q[49] * 1000, q[94] * 1000


def ticket_row(queue_id: str, team: str, agents: list[str], now: datetime, rng: random.Random) -> tuple:
    status = rng.choice(STATUSES)
    created = now - timedelta(minutes=rng.randint(10, 60 * 24 * 30))
    first_due = created + timedelta(minutes=rng.randint(30, 60 * 24))
    resolution_due = first_due + timedelta(minutes=rng.randint(60, 60 * 24 * 5))
    answered = created + timedelta(minutes=rng.randint(1, 300)) if status != "new" else None
    paused = created + timedelta(minutes=5) if status in ("pending_customer", "resolved", "closed") else None
    active = status in ("new", "open", "reopened")
    breached = active and resolution_due < now
    warned = breached or (active and resolution_due - timedelta(hours=4) < now)
    state = (
        "breached" if breached else "warning" if warned else "on_track" if active
        else "paused" if status == "pending_customer" else "met"
    )  # fmt: skip
    return (
        str(uuid.uuid4()), f"Заявка: {rng.choice(['не печатается счёт', 'ошибка входа', 'вопрос по договору'])}",
        "Описание проблемы клиента", "Иванов Иван", f"client{rng.randint(1, 5000)}@example.ru",
        rng.choice(["email", "portal", "phone", "api"]), rng.choice(["low", "normal", "high", "urgent"]),
        rng.choice(["question", "incident", "request"]), queue_id, status, "standard", rng.choice(agents), team, [],
        secrets.token_hex(3), 80, 240, first_due, first_due - timedelta(minutes=30), answered, answered is None and
        first_due < now, answered is None and first_due < now, 1620, resolution_due, resolution_due - timedelta(hours=4),
        warned, breached, paused, 0, None if not active else min(resolution_due, first_due),
        min([d for d in (first_due if answered is None else None, resolution_due if active or status == "pending_customer" else None) if d], default=NO_DEADLINE),
        state, 0, "", 1, "bench",
        created, created + timedelta(minutes=rng.randint(0, 600)), 1,
    )  # fmt: skip


async def seed(url: str, queue_id: str, team: str, agents: list[str], count: int) -> float:
    """COPY `count` tickets into the helpdesk's database; seconds taken."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    started = time.perf_counter()
    connection = await asyncpg.connect(**asyncpg_connect_params(url, url.rsplit("/", 1)[1]))
    try:
        rows = [ticket_row(queue_id, team, agents, now, rng) for _ in range(count)]
        await connection.copy_records_to_table("ticket", records=rows, columns=COLUMNS)
        await connection.execute("ANALYZE ticket")
    finally:
        await connection.close()
    return time.perf_counter() - started


async def sql_baseline(url: str, team: str, agent: str, queue_id: str, rounds: int) -> dict[int, list[float]]:
    """The listings' queries in plain SQL: visibility, filter, order, a page of 51 and the count."""
    connection = await asyncpg.connect(**asyncpg_connect_params(url, url.rsplit("/", 1)[1]))
    visible = "(owner_id = $1 OR shared_with @> ARRAY[$1]::text[] OR team_id = ANY($2::text[]))"
    times: dict[int, list[float]] = {i: [] for i in range(len(LISTINGS))}
    try:
        for _ in range(rounds):
            for i, listing in enumerate(LISTINGS):
                where = f"{visible} AND queue_id = $3"
                if listing.get("status"):
                    where += " AND status IN ('new', 'open', 'pending_customer', 'reopened')"
                if listing.get("sla_state"):
                    where += " AND sla_state = 'breached'"
                order = SQL_ORDER[listing.get("sort", "")]
                started = time.perf_counter()
                await connection.fetch(
                    f"SELECT * FROM ticket WHERE {where} ORDER BY {order} LIMIT 51", agent, [team], queue_id
                )
                await connection.fetchval(f"SELECT count(*) FROM ticket WHERE {where}", agent, [team], queue_id)
                times[i].append(time.perf_counter() - started)
    finally:
        await connection.close()
    return times


async def main(args: argparse.Namespace) -> None:
    async with bench_platform() as config, httpx.AsyncClient(base_url=config.gateway_url, timeout=60) as api:
        token = (await api.post("/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})).json()
        api.headers["Authorization"] = f"Bearer {token['access_token']}"
        team = f"support-{uuid.uuid4().hex[:6]}"
        (await api.post("/api/v1/teams", json={"id": team, "name": "Поддержка"})).raise_for_status()
        user = {"username": "agent", "display_name": "Agent", "password": "password-123", "roles": ["support"],
                "team_ids": [team]}  # fmt: skip
        agent = (await api.post("/api/v1/users", json=user)).json()
        queue = (await api.post("/api/v1/helpdesk/queues", json={"name": "Первая линия", "team_id": team})).json()
        url = config.database_url("helpdesk")
        seeded = await seed(url, queue["id"], team, [agent["id"], "someone-else"], args.tickets)
        login = {"username": "agent", "password": "password-123"}
        agent_token = (await api.post("/api/v1/auth/login", json=login)).json()["access_token"]
        api.headers["Authorization"] = f"Bearer {agent_token}"
        through_gateway: dict[int, list[float]] = {i: [] for i in range(len(LISTINGS))}
        for _ in range(3):  # warm-up: connections, plans
            for listing in LISTINGS:
                (await api.get("/api/v1/tickets", params={"queue_id": queue["id"], **listing})).raise_for_status()
        totals = {}
        for _ in range(args.rounds):
            for i, listing in enumerate(LISTINGS):
                started = time.perf_counter()
                response = await api.get("/api/v1/tickets", params={"queue_id": queue["id"], "limit": 50, **listing})
                through_gateway[i].append(time.perf_counter() - started)
                response.raise_for_status()
                totals[i] = response.json()["total"]
        baseline = await sql_baseline(url, team, agent["id"], queue["id"], args.rounds)
    print(f"tickets: {args.tickets} in one queue, seeded in {seeded:.1f} s; {args.rounds} rounds of each listing")
    for i, listing in enumerate(LISTINGS):
        g50, g95 = percentiles(through_gateway[i])
        s50, s95 = percentiles(baseline[i])
        name = ", ".join(f"{k}={v}" for k, v in listing.items()) or "default (-updated_at)"
        print(f"{name:32} total {totals[i]:6}   gateway p50 {g50:6.1f} ms p95 {g95:6.1f} ms   "
              f"SQL p50 {s50:6.1f} ms p95 {s95:6.1f} ms   p95 ratio {g95 / s95:5.2f}x")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=40)
    asyncio.run(main(parser.parse_args()))
