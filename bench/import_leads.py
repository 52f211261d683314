"""Benchmark: a CSV of realistic leads imported through the import job, deduplicated against a base of parties.

    python bench/import_leads.py [--rows 100000] [--parties 20000] [--parties-batch 1000]

Starts a platform of its own (bench_platform), loads --parties generated parties into contacts
through BulkCreateParties (bench/load_parties.py's loader; --parties 1000000 for the full base),
then uploads a CSV of --rows leads (crm_core.datagen people and companies, phones typed the ways
people type them) in which 5% share an e-mail or phone with a stored party, 2% repeat an earlier
row and 1% have an invalid phone, starts the import and follows its progress (GetImport) until
it is done. Prints rows/s and the total time (upload and header, then the job), checks the
report's counts against what the file holds, and measures in the same run the bulk path's own
baseline: the same rows, as people, sent straight to BulkCreateParties (batch 1000, one stream),
with the same duplicate check against the same base. Results go to bench/results/import_leads_<rows>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import platform
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from crm.contacts.v1 import contacts_pb2, contacts_pb2_grpc
from crm.marketing.v1 import marketing_pb2 as pb
from crm.marketing.v1 import marketing_pb2_grpc
from crm_core.auth import SYSTEM, Caller
from crm_core.datagen import PartyGenerator
from crm_core.grpc_client import open_channel
from crm_core.launcher import bench_platform

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load_parties

RESULTS = Path(__file__).resolve().parent / "results"
CHUNK = 1024 * 1024
IMPORTER = Caller("u-bench-importer", frozenset({"admin"}))


def base_keys(count: int, seed: int) -> tuple[list[str], list[str]]:
    """E-mails and phones of the base load_parties stored (the same generator, seed and owners)."""
    generator = PartyGenerator(seed, load_parties.owners(50, seed))
    emails, phones = [], []
    for body in generator.iter_parties(count):
        emails += [e["value"] for e in body.get("emails", [])][:1]
        phones += [p["value"] for p in body.get("phones", [])][:1]
    return emails, phones


def lead_rows(count: int, emails: list[str], phones: list[str], seed: int) -> tuple[list[list[str]], dict[str, int]]:
    """The CSV rows (header first) and how many rows of each kind it holds."""
    generator = PartyGenerator(seed + 1000)
    tag = uuid.uuid4().hex[:6]
    rows = [["ФИО", "Компания", "Должность", "E-mail", "Телефон", "Комментарий"]]
    kinds = {"party_duplicate": 0, "row_duplicate": 0, "invalid": 0}
    for i in range(count):
        person = generator.person()
        p = person["person"]
        name = f"{p['last_name']} {p['first_name']} {p['middle_name']}"
        email = f"{i}.{tag}@lead-mail.ru"
        phone = f"+7 9{i % 100:02d} {i // 100:07d}"
        if i % 100 == 50:
            phone, kinds["invalid"] = "12-34", kinds["invalid"] + 1
        elif i % 50 == 13 and i > 0:
            email, kinds["row_duplicate"] = rows[-1][3], kinds["row_duplicate"] + 1
        elif i % 20 == 7 and emails:
            j = (i * 7919) % len(emails)
            email, phone = emails[j], phones[j % len(phones)] if phones else phone
            kinds["party_duplicate"] += 1
        rows.append(
            [name, generator.company_name(), p.get("position", ""), email, phone, "С выставки «Металлообработка»"]
        )
    return rows, kinds


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("cp1251", errors="replace")


async def import_file(target: str, secret: str, data: bytes) -> dict[str, Any]:
    """Upload, start and follow one import as IMPORTER; the timings and the final counters."""
    metadata = IMPORTER.metadata(secret)
    async with open_channel(target) as channel:
        stub = marketing_pb2_grpc.MarketingServiceStub(channel)
        began = time.perf_counter()
        job = await stub.CreateImport(
            pb.CreateImportRequest(target="leads", filename="leads.csv", size_bytes=len(data)), metadata=metadata
        )
        for seq, start in enumerate(range(0, len(data), CHUNK)):
            chunk = pb.UploadImportChunkRequest(import_id=job.id, seq=seq, data=data[start : start + CHUNK])
            await stub.UploadImportChunk(chunk, metadata=metadata, timeout=60)
        job = await stub.FinishImportUpload(
            pb.FinishImportUploadRequest(import_id=job.id), metadata=metadata, timeout=120
        )
        uploaded = time.perf_counter()
        await stub.StartImport(pb.StartImportRequest(import_id=job.id), metadata=metadata)
        last = -1
        while job.status not in ("done", "failed", "cancelled"):
            await asyncio.sleep(0.5)
            job = await stub.GetImport(pb.GetImportRequest(import_id=job.id), metadata=IMPORTER.metadata(secret))
            if job.rows_done // 10_000 != last // 10_000:
                elapsed = time.perf_counter() - uploaded
                print(
                    f"  {job.rows_done:>7} / {job.rows_total} rows  {job.rows_done / elapsed:>6.0f} rows/s", flush=True
                )
            last = job.rows_done
        done = time.perf_counter()
    return {
        "status": job.status,
        "failure": job.failure,
        "rows": job.rows_total,
        "created": job.created,
        "duplicates": job.duplicates,
        "errors": job.errors,
        "upload_seconds": round(uploaded - began, 2),
        "job_seconds": round(done - uploaded, 2),
        "total_seconds": round(done - began, 2),
        "job_rows_per_second": round(job.rows_total / (done - uploaded)),
    }


async def bulk_baseline(target: str, secret: str, rows: list[list[str]], batch: int) -> dict[str, Any]:
    """The same rows as people straight to BulkCreateParties (duplicates skipped by e-mail or phone)."""
    parties = []
    for name, _, position, email, phone, _ in rows[1:]:
        last, first, middle = ([*name.split(" "), "", "", ""])[:3]
        party = contacts_pb2.Party(kind="person")
        party.person.last_name, party.person.first_name, party.person.middle_name = last, first, middle
        party.person.position = position
        party.emails.append(contacts_pb2.ContactPoint(kind="work", value=email))
        if phone != "12-34":
            party.phones.append(contacts_pb2.ContactPoint(kind="mobile", value=phone))
        parties.append(party)
    outcomes: dict[int, int] = {}
    async with open_channel(target) as channel:
        stub = contacts_pb2_grpc.ContactsServiceStub(channel)
        began = time.perf_counter()
        for start in range(0, len(parties), batch):
            request = contacts_pb2.BulkCreatePartiesRequest(
                parties=parties[start : start + batch], on_duplicate=contacts_pb2.ON_DUPLICATE_SKIP
            )
            response = await stub.BulkCreateParties(request, metadata=SYSTEM.metadata(secret), timeout=120)
            for result in response.results:
                outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
        seconds = time.perf_counter() - began
    return {
        "rows": len(parties),
        "created": outcomes.get(contacts_pb2.BulkCreateResult.CREATED, 0),
        "duplicates": outcomes.get(contacts_pb2.BulkCreateResult.DUPLICATE, 0),
        "seconds": round(seconds, 2),
        "rows_per_second": round(len(parties) / seconds),
    }


async def main(args: argparse.Namespace) -> None:
    async with bench_platform() as config:
        secret = config.internal_secret
        print(f"platform started; loading a base of {args.parties} parties")
        load_args = argparse.Namespace(
            count=args.parties,
            batch=args.parties_batch,
            concurrency=2,
            seed=args.seed,
            owners=50,
            on_duplicate="create",
        )
        await load_parties.load(config.target("contacts"), secret, load_args)
        emails, phones = base_keys(args.parties, args.seed)
        rows, kinds = lead_rows(args.rows, emails, phones, args.seed)
        data = csv_bytes(rows)
        print(f"\nimporting {args.rows} leads ({len(data) / 2**20:.1f} MB, cp1251, ';'): {kinds}")
        result = await import_file(config.target("marketing"), secret, data)
        print(
            f"\nimport: {result['rows']} rows in {result['total_seconds']} s "
            f"(upload and header {result['upload_seconds']} s, job {result['job_seconds']} s): "
            f"{result['job_rows_per_second']} rows/s in the job; created {result['created']}, "
            f"duplicates {result['duplicates']}, errors {result['errors']}"
        )
        expected_errors = kinds["invalid"]
        assert result["status"] == "done", result
        assert result["errors"] == expected_errors, (result, kinds)
        assert result["duplicates"] >= kinds["row_duplicate"], (result, kinds)
        print("\nbaseline: the same rows as people through BulkCreateParties directly")
        baseline = await bulk_baseline(config.target("contacts"), secret, rows, 1000)
        print(f"  {baseline['rows']} rows in {baseline['seconds']} s: {baseline['rows_per_second']} rows/s")
        ratio = result["job_rows_per_second"] / baseline["rows_per_second"]
        print(f"  ratio import job / BulkCreateParties: {ratio:.2f}")
    results = RESULTS / f"import_leads_{args.rows}.json"
    RESULTS.mkdir(exist_ok=True)
    results.write_text(
        json.dumps(
            {
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
                "parties_base": args.parties,
                "file_rows": kinds | {"rows": args.rows},
                "import": result,
                "bulk_create_parties": baseline,
                "ratio": round(ratio, 2),
                "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    print(f"\nresults in {results}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Import a CSV of leads with dedup against a base of parties")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--parties", type=int, default=20_000, help="the base of parties (1000000 for the full one)")
    parser.add_argument("--parties-batch", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    asyncio.run(main(parser.parse_args()))
