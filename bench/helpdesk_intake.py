"""Benchmark: e-mails taken by the helpdesk's intake, through its gRPC API and through the gateway.

Starts its own platform (own databases and ports) and hands it realistic Russian client e-mails (a quoted
previous message, an HTML alternative, an RFC 2047 subject), each from a new sender, so every one is a whole
intake: parsed and classified, the sender looked up in contacts, the intake row claimed, a ticket opened with
its queue, SLA targets, first message, audit entry and events, in one transaction. Measured one after another
(p50/p95) and `--concurrency` at a time (messages per second), over gRPC (IngestEmail as an admin) and over
HTTP (POST /api/v1/helpdesk/inbound-email). Beside it, in the same run, two baselines: parsing and classifying
the same messages alone in this process, and a plain asyncpg INSERT of the same intake rows into the
helpdesk's database, one per transaction: the ratios are what holds on a noisy machine.

    python bench/helpdesk_intake.py [--messages 200] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from email.message import EmailMessage

import asyncpg
import grpc
import httpx
from faker import Faker

from crm.helpdesk.v1 import helpdesk_pb2 as pb
from crm.helpdesk.v1 import helpdesk_pb2_grpc
from crm_core.auth import Caller
from crm_core.launcher import BENCH_PASSWORD as PASSWORD
from crm_core.launcher import bench_platform
from crm_helpdesk.mail_intake import classify, parse_email

fake = Faker("ru_RU")
BENCH_ADMIN = Caller("bench-admin", frozenset({"admin"}))


def client_mail() -> bytes:
    """A client's e-mail as mail clients send it: plain text with a quote, an HTML alternative."""
    message = EmailMessage()
    message["From"] = f"{fake.name()} <{uuid.uuid4().hex[:12]}@{fake.free_email_domain()}>"
    message["To"] = "support@bench.example"
    message["Subject"] = f"Re: Счёт №{fake.random_int(100, 9999)} от {fake.company()}"
    message["Message-ID"] = f"<{uuid.uuid4().hex}@{fake.free_email_domain()}>"
    text = f"{fake.paragraph(nb_sentences=4)}\n\n{fake.name()}\n{fake.phone_number()}"
    quote = "\n".join(f"> {line}" for line in fake.paragraph(nb_sentences=6).split(". "))
    message.set_content(f"{text}\n\n7 дек. 2026 г., в 10:00, Поддержка написал(а):\n{quote}\n")
    message.add_alternative(f"<p>{text}</p><blockquote>{quote}</blockquote>", subtype="html")
    return message.as_bytes()


def percentiles(latencies: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(latencies, n=100)
    return q[49] * 1000, q[94] * 1000


async def timed(send: Callable[[bytes], Awaitable[None]], raw: bytes) -> float:
    started = time.perf_counter()
    await send(raw)
    return time.perf_counter() - started


async def measure(send: Callable[[bytes], Awaitable[None]], count: int, concurrency: int) -> tuple[list[float], float]:
    """Latencies of `count` messages one after another, then messages/s of `count` more `concurrency` at a time."""
    sequential = [await timed(send, client_mail()) for _ in range(count)]
    mails = [client_mail() for _ in range(count)]
    semaphore = asyncio.Semaphore(concurrency)

    async def limited(raw: bytes) -> float:
        async with semaphore:
            return await timed(send, raw)

    started = time.perf_counter()
    await asyncio.gather(*(limited(raw) for raw in mails))
    return sequential, count / (time.perf_counter() - started)


def parsing_alone(count: int) -> float:
    """Messages per second parsed and classified in this process."""
    mails = [client_mail() for _ in range(count)]
    started = time.perf_counter()
    for raw in mails:
        classify(parse_email(raw), "bench.example")
    return count / (time.perf_counter() - started)


async def insert_alone(database_url: str, count: int, concurrency: int) -> float:
    """Messages per second of a plain INSERT of the intake row, one per transaction, `concurrency` at a time."""
    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
    pool = await asyncpg.create_pool(dsn, min_size=concurrency, max_size=concurrency)
    rows = [
        (str(uuid.uuid4()), f"<{uuid.uuid4().hex}@bench>", hashlib.sha256(client_mail()).digest()) for _ in range(count)
    ]
    semaphore = asyncio.Semaphore(concurrency)

    async def insert(row: tuple[str, str, bytes]) -> None:
        async with semaphore, pool.acquire() as connection, connection.transaction():
            await connection.execute(
                "INSERT INTO intake_message (id, message_key, mailbox, sender, subject, outcome, reason, sha256,"
                " received_at) VALUES ($1, $2, '', 'a@bench', 'subject', 'opened', '', $3, now())"
                " ON CONFLICT (message_key) DO NOTHING",
                *row,
            )

    started = time.perf_counter()
    await asyncio.gather(*(insert(row) for row in rows))
    elapsed = time.perf_counter() - started
    await pool.close()
    return count / elapsed


async def main(args: argparse.Namespace) -> None:
    count, concurrency = args.messages, args.concurrency
    async with bench_platform() as config:
        metadata = BENCH_ADMIN.metadata(config.internal_secret)
        async with grpc.aio.insecure_channel(config.target("helpdesk")) as channel:
            stub = helpdesk_pb2_grpc.HelpdeskServiceStub(channel)

            async def over_grpc(raw: bytes) -> None:
                answer = await stub.IngestEmail(pb.IngestEmailRequest(raw=raw), metadata=metadata, timeout=60)
                assert answer.outcome == "opened", answer

            for _ in range(5):  # warm-up: connections, the contacts channel
                await over_grpc(client_mail())
            grpc_latencies, grpc_rate = await measure(over_grpc, count, concurrency)
        async with httpx.AsyncClient(base_url=config.gateway_url, timeout=60) as api:
            token = (await api.post("/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})).json()
            api.headers["Authorization"] = f"Bearer {token['access_token']}"

            async def over_http(raw: bytes) -> None:
                response = await api.post(
                    "/api/v1/helpdesk/inbound-email", content=raw, headers={"Content-Type": "message/rfc822"}
                )
                response.raise_for_status()

            for _ in range(5):
                await over_http(client_mail())
            http_latencies, http_rate = await measure(over_http, count, concurrency)
        insert_rate = await insert_alone(config.database_url("helpdesk"), count, concurrency)
    parse_rate = parsing_alone(count)
    g50, g95 = percentiles(grpc_latencies)
    h50, h95 = percentiles(http_latencies)
    print(f"e-mails: {count} one after another, then {count} with {concurrency} at a time, each a new ticket")
    print(f"IngestEmail over gRPC            p50 {g50:7.1f} ms   p95 {g95:7.1f} ms   {grpc_rate:7.1f} messages/s")
    print(f"POST inbound-email (gateway)     p50 {h50:7.1f} ms   p95 {h95:7.1f} ms   {http_rate:7.1f} messages/s")
    print(f"parsing + classifying alone      {parse_rate:7.1f} messages/s (one process)")
    print(f"plain INSERT of the intake row   {insert_rate:7.1f} rows/s ({concurrency} at a time, asyncpg)")
    print(f"intake over gRPC / plain INSERT  {grpc_rate / insert_rate:5.2f}x")
    print(f"intake over gRPC / parsing alone {grpc_rate / parse_rate:5.2f}x")
    print(f"gateway / gRPC                   {http_rate / grpc_rate:5.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    asyncio.run(main(parser.parse_args()))
