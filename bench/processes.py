"""Benchmark: 10k process instances started and advanced by events in the tasks service.

Publishes deal.stage_changed events to the deals stream exactly as the deals
service does; a definition triggered by them routes through a gateway,
hands the deal owner a qualification task and waits. Three phases:

1. burst: all N events at once; events/s = N / time until every instance
   stands at its user task (each event: trigger lookup, condition, instance,
   step runs, the task with its audit entry and outbox events, inbox row);
2. paced: events at a steady rate below that capacity; p50/p99 of the step
   latency, from the event's occurrence to the instance's first waiting step;
3. advance: every user task completed over gRPC (concurrency 16), each
   completion moving its instance through a publish_event step to the end in
   the same transaction; completions/s and p50/p99 per call.

Beside it, the baseline: the rows one started instance writes (instance,
two step runs, task, outbox) inserted with plain asyncpg in one transaction
per event, in the same run, so the ratio holds on a noisy machine.

    python bench/processes.py [--instances 10000] [--paced 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
import uuid

import asyncpg
import grpc
import nats

from crm.events.v1 import deals_pb2 as deal_events
from crm.tasks.v1 import tasks_pb2 as pb
from crm.tasks.v1 import tasks_pb2_grpc
from crm_core.auth import SYSTEM, Caller
from crm_core.clock import Clock
from crm_core.db import Database, asyncpg_connect_params
from crm_core.events.envelope import Namespace, build_envelope
from crm_core.launcher import PlatformConfig, bench_platform
from crm_tasks.processes.commands import publish_definition

OWNERS = [f"u-bench-{i}" for i in range(20)]
DEFINITION = """
key: bench-qualify
name: Qualify at Proposal
trigger:
  event: deal.stage_changed
  condition: pipeline_id == "{pipeline}" and stage_name == "Proposal"
steps:
  - id: route
    type: gateway
    branches:
      - {{when: amount >= 1000000, next: big_deal}}
    default: qualify
  - id: big_deal
    type: action
    action: create_task
    task: {{type: todo, subject: "Check the credit limit of {{title}}"}}
    assignee: owner
    next: qualify
  - id: qualify
    type: user_task
    task: {{type: call, subject: "Qualify {{title}}", priority: high}}
    assignee: owner
    deadline: {{working_days: 1}}
    result_variable: outcome
    next: signal
  - {{id: signal, type: action, action: publish_event, event: qualified, next: done}}
  - {{id: done, type: end}}
"""


def event(pipeline: str) -> bytes:
    deal_id = str(uuid.uuid4())
    payload = deal_events.DealStageChanged(
        deal_id=deal_id,
        title=f"Сделка {deal_id[:6]}",
        pipeline_id=pipeline,
        to_stage_id=str(uuid.uuid4()),
        to_stage_name="Proposal",
        category="open",
        amount=str(random.choice([50000, 250000, 2500000])),
        currency="RUB",
        client_id=str(uuid.uuid4()),
        owner_id=random.choice(OWNERS),
    )
    owner = Caller(payload.owner_id)
    return build_envelope(
        "deals", "deal.stage_changed", subject_id=deal_id, payload=payload, actor=owner, party_ids=[payload.client_id]
    ).SerializeToString()


async def waiting(db: asyncpg.Pool, pipeline: str) -> int:
    return await db.fetchval(
        "SELECT count(*) FROM process_instance WHERE variables->>'pipeline_id' = $1 AND current_step = 'qualify'",
        pipeline,
    )


async def until(db: asyncpg.Pool, pipeline: str, count: int, timeout: float) -> float:
    deadline = time.perf_counter() + timeout
    while (found := await waiting(db, pipeline)) < count:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{found} of {count} instances after {timeout} s")
        await asyncio.sleep(0.05)
    return time.perf_counter()


def ms(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000


async def baseline(db: asyncpg.Pool, count: int) -> float:
    """Events/s of writing one started instance's rows with plain asyncpg (scratch tables)."""
    async with db.acquire() as conn:
        await conn.execute(
            "CREATE TEMP TABLE b_instance (id uuid PRIMARY KEY, variables jsonb, started_at timestamptz);"
            "CREATE TEMP TABLE b_run (id bigserial PRIMARY KEY, instance_id uuid, step_id text, entered_at timestamptz);"
            "CREATE TEMP TABLE b_task (id uuid PRIMARY KEY, subject text, assignee_id text, instance_id uuid);"
            "CREATE TEMP TABLE b_outbox (id uuid PRIMARY KEY, subject text, payload bytea);"
            "CREATE TEMP TABLE b_inbox (event_id uuid PRIMARY KEY)"
        )
        started = time.perf_counter()
        for _ in range(count):
            instance, task = uuid.uuid4(), uuid.uuid4()
            async with conn.transaction():
                await conn.execute("INSERT INTO b_inbox VALUES ($1)", uuid.uuid4())
                await conn.execute(
                    "INSERT INTO b_instance VALUES ($1, $2, now())", instance, json.dumps({"owner_id": "u"})
                )
                await conn.executemany(
                    "INSERT INTO b_run (instance_id, step_id, entered_at) VALUES ($1, $2, now())",
                    [(instance, "route"), (instance, "qualify")],
                )
                await conn.execute("INSERT INTO b_task VALUES ($1, 'Qualify', 'u', $2)", task, instance)
                await conn.executemany(
                    "INSERT INTO b_outbox VALUES ($1, 'crm.tasks.x', $2)",
                    [(uuid.uuid4(), b"x" * 200), (uuid.uuid4(), b"x" * 200)],
                )
        return count / (time.perf_counter() - started)


async def main(args: argparse.Namespace) -> None:
    async with bench_platform() as config:
        await measure(config, args)


async def measure(config: PlatformConfig, args: argparse.Namespace) -> None:
    url = config.database_url("tasks")
    db = await asyncpg.create_pool(**asyncpg_connect_params(url, url.rsplit("/", 1)[1]), min_size=2, max_size=4)
    broker = await nats.connect(config.nats_url)
    namespace = Namespace(config.events_namespace)
    subject = namespace.subject("deals", "deal.stage_changed")
    try:
        burst_pipeline, paced_pipeline = str(uuid.uuid4()), str(uuid.uuid4())
        tasks_db = Database(url)
        for pipeline in (burst_pipeline, paced_pipeline):
            source = DEFINITION.format(pipeline=pipeline).replace("bench-qualify", f"bench-{pipeline[:8]}")
            await publish_definition(tasks_db, SYSTEM, source, "yaml", Clock().now())
        await tasks_db.dispose()
        js = broker.jetstream()
        for _ in range(100):  # the deals service creates its stream once it reaches NATS
            try:
                await js.stream_info(namespace.stream("deals"))
                break
            except nats.js.errors.NotFoundError:
                await asyncio.sleep(0.1)

        # 1. burst
        bodies = [event(burst_pipeline) for _ in range(args.instances)]
        started = time.perf_counter()
        for body in bodies:
            await js.publish(subject, body)
        published = time.perf_counter()
        finished = await until(db, burst_pipeline, args.instances, timeout=1800)
        burst_rate = args.instances / (finished - started)
        print(
            f"burst: {args.instances} events published in {published - started:.1f} s, all instances at their "
            f"user task after {finished - started:.1f} s: {burst_rate:.0f} events/s"
        )

        # 2. paced, at half the burst capacity
        rate = max(burst_rate / 2, 1)
        for _ in range(args.paced):
            await js.publish(subject, event(paced_pipeline))
            await asyncio.sleep(1 / rate)
        await until(db, paced_pipeline, args.paced, timeout=600)
        rows = await db.fetch(
            "SELECT extract(epoch FROM r.entered_at - i.triggered_at) AS s FROM process_instance i "
            "JOIN process_step_run r ON r.instance_id = i.id AND r.step_id = 'qualify' "
            "WHERE i.variables->>'pipeline_id' = $1",
            paced_pipeline,
        )
        latencies = [float(r["s"]) for r in rows]
        print(
            f"paced: {args.paced} events at {rate:.0f}/s: step latency (event -> user task) "
            f"p50 {ms(latencies, 50):.1f} ms, p99 {ms(latencies, 99):.1f} ms"
        )

        # 3. advance: complete every burst task over gRPC
        tasks = await db.fetch(
            "SELECT t.id, t.assignee_id FROM task t JOIN process_instance i ON i.id = t.process_instance_id "
            "WHERE i.variables->>'pipeline_id' = $1 AND t.status = 'open'",
            burst_pipeline,
        )
        channel = grpc.aio.insecure_channel(f"127.0.0.1:{config.grpc_ports['tasks']}")
        stub = tasks_pb2_grpc.TasksServiceStub(channel)
        queue: asyncio.Queue = asyncio.Queue()
        for row in tasks:
            queue.put_nowait(row)
        call_latencies: list[float] = []

        async def worker() -> None:
            while not queue.empty():
                row = queue.get_nowait()
                metadata = Caller(row["assignee_id"]).metadata(config.internal_secret)
                request = pb.CompleteTaskRequest(id=str(row["id"]), outcome=pb.Outcome(result_code="reached"))
                t0 = time.perf_counter()
                await stub.CompleteTask(request, metadata=metadata, timeout=30)
                call_latencies.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        await asyncio.gather(*[worker() for _ in range(16)])
        elapsed = time.perf_counter() - t0
        await channel.close()
        done = await db.fetchval(
            "SELECT count(*) FROM process_instance WHERE variables->>'pipeline_id' = $1 AND status = 'completed'",
            burst_pipeline,
        )
        print(
            f"advance: {len(tasks)} tasks completed in {elapsed:.1f} s ({len(tasks) / elapsed:.0f}/s), "
            f"p50 {ms(call_latencies, 50):.1f} ms, p99 {ms(call_latencies, 99):.1f} ms; {done} instances completed"
        )

        base = await baseline(db, min(args.instances, 5000))
        print(
            f"baseline: plain asyncpg writes of one started instance: {base:.0f} events/s; "
            f"the engine reaches {burst_rate / base:.2f}x of it"
        )
    finally:
        await broker.close()
        await db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="10k process instances started and advanced by events")
    parser.add_argument("--instances", type=int, default=10000)
    parser.add_argument("--paced", type=int, default=1000)
    asyncio.run(main(parser.parse_args()))
