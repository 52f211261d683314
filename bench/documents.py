"""Benchmark: invoices generated through the gateway, beside WeasyPrint alone on the same HTML.

Starts its own platform (own databases and ports), makes a legal entity, a client with requisites and a
deal with three lines, then generates invoices of that deal through POST /api/v1/documents: one after
another (latency: p50/p95) and `--concurrency` at a time (throughput: invoices per second). Each invoice
is a whole generation: the deal and the client read over gRPC as the caller, the number taken in its
transaction, the template filled, the PDF rendered, stored with its checksum and snapshot, the event
written. Beside it, in the same run, WeasyPrint alone renders the same filled HTML (taken from a
generated document's snapshot) in this process: the ratio of the two is what holds on a noisy machine.

    python bench/documents.py [--invoices 40] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid

import httpx

from crm_core import requisites
from crm_core.launcher import BENCH_PASSWORD as PASSWORD
from crm_core.launcher import bench_platform
from crm_core.units import SHIPPED_UNITS
from crm_documents import document_data, rendering
from crm_documents.templates import shipped_files

BIC = "044525593"
LINES = [
    {"product": "Станок токарный ТВ-320", "quantity": "2", "price": "150000.00", "vat_rate": "20", "unit_code": "796"},
    {"product": "Пусконаладочные работы", "quantity": "8", "price": "2500.50", "vat_rate": "20", "unit_code": "356"},
    {"product": "Доставка до склада", "quantity": "1", "price": "4990", "vat_rate": "20", "unit_code": "876"},
]


def percentiles(latencies: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(latencies, n=100)
    return q[49] * 1000, q[94] * 1000


async def setup(api: httpx.AsyncClient) -> str:
    """A legal entity, a client and a deal with three lines; the deal's id."""
    entity = {
        "name": "ООО «Ромашка»",
        "inn": "7728168971",
        "kpp": "772801001",
        "address": "119049, г. Москва, ул. Донская, д. 1",
        "bank_name": "АО «Альфа-Банк»",
        "bik": BIC,
        "correspondent_account": "30101810200000000593",
        "account": requisites.with_account_key("40702810001300000001", BIC),
        "signatories": [{"role": "director", "title": "Генеральный директор", "name": "Петров П. П."}],
        "is_default": True,
    }
    (await api.post("/api/v1/legal-entities", json=entity)).raise_for_status()
    party = {
        "kind": "company",
        "company": {"legal_name": f"ООО «Клиент {uuid.uuid4().hex[:4]}»", "inn": "7707083893", "kpp": "773601001"},
    }
    client = (await api.post("/api/v1/parties", json=party, params={"allow_duplicate": "true"})).json()
    deal = await api.post(
        "/api/v1/deals", json={"title": "Поставка", "client_id": client["id"], "lines": LINES, "vat_mode": "on_top"}
    )
    deal.raise_for_status()
    return str(deal.json()["id"])


async def generate(api: httpx.AsyncClient, deal_id: str) -> float:
    started = time.perf_counter()
    response = await api.post("/api/v1/documents", json={"deal_id": deal_id, "doc_type": "invoice"}, timeout=120)
    response.raise_for_status()
    return time.perf_counter() - started


def weasyprint_alone(count: int) -> list[float]:
    """The shipped Russian invoice filled with the sample deal, rendered by WeasyPrint in this process."""
    html, css = shipped_files()[("invoice", "ru")]
    data = document_data.sample("invoice", "ru", {k: v[0] for k, v in SHIPPED_UNITS.items()})
    filled = rendering.fill(html, data, language="ru", currency="RUB")
    rendering.pdf_of(filled, css)  # warm-up: fonts, pango
    times = []
    for _ in range(count):
        started = time.perf_counter()
        rendering.pdf_of(filled, css)
        times.append(time.perf_counter() - started)
    return times


async def main(args: argparse.Namespace) -> None:
    async with bench_platform() as config, httpx.AsyncClient(base_url=config.gateway_url, timeout=60) as api:
        token = (await api.post("/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})).json()
        api.headers["Authorization"] = f"Bearer {token['access_token']}"
        deal_id = await setup(api)
        for _ in range(3):  # warm-up: connections, fonts in the service
            await generate(api, deal_id)
        sequential = [await generate(api, deal_id) for _ in range(args.invoices)]
        started = time.perf_counter()
        semaphore = asyncio.Semaphore(args.concurrency)

        async def limited() -> float:
            async with semaphore:
                return await generate(api, deal_id)

        await asyncio.gather(*(limited() for _ in range(args.invoices)))
        elapsed = time.perf_counter() - started
    alone = weasyprint_alone(args.invoices)
    p50, p95 = percentiles(sequential)
    w50, w95 = percentiles(alone)
    print(f"invoices: {args.invoices} one after another, then {args.invoices} with {args.concurrency} at a time")
    print(f"generation through the gateway   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    print(f"WeasyPrint alone, same HTML       p50 {w50:7.1f} ms   p95 {w95:7.1f} ms")
    print(f"generation / WeasyPrint (p95)     {p95 / w95:5.2f}x")
    print(f"throughput, {args.concurrency} at a time          {args.invoices / elapsed:6.1f} invoices/s")
    print(f"WeasyPrint alone, one process     {1 / statistics.mean(alone):6.1f} PDFs/s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=8)
    asyncio.run(main(parser.parse_args()))
