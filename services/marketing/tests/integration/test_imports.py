"""Imports of leads and parties: upload in chunks, mapping and preview, the background job with its exact
per-row outcomes, batches all or nothing, one replica per import, cancel, error files, access."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import grpc
import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from crm.contacts.v1 import contacts_pb2
from crm.marketing.v1 import marketing_pb2 as pb
from crm_core.datagen import PartyGenerator
from crm_core.testing import ALICE
from crm_marketing.imports import job as job_module
from crm_marketing.imports.job import ImportRunner
from crm_marketing.models import ImportJob, ImportRow, Lead

CHUNK = 64 * 1024


def csv_bytes(rows: Sequence[Sequence[str]], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def email() -> str:
    return f"{uuid.uuid4().hex[:12]}@example.ru"


def phone() -> str:
    return f"+7 9{uuid.uuid4().int % 10**9:09d}"


async def upload(stub: Any, data: bytes, filename: str = "leads.csv", target: str = "leads", **extra: Any) -> pb.Import:
    created = await stub.CreateImport(
        pb.CreateImportRequest(target=target, filename=filename, size_bytes=len(data), **extra)
    )
    for seq, start in enumerate(range(0, len(data), CHUNK)):
        await stub.UploadImportChunk(
            pb.UploadImportChunkRequest(import_id=created.id, seq=seq, data=data[start : start + CHUNK])
        )
    return await stub.FinishImportUpload(pb.FinishImportUploadRequest(import_id=created.id))


async def finished(stub: Any, import_id: str, timeout: float = 30) -> pb.Import:
    for _ in range(int(timeout / 0.05)):
        got = await stub.GetImport(pb.GetImportRequest(import_id=import_id))
        if got.status in ("done", "cancelled", "failed"):
            return got
        await asyncio.sleep(0.05)
    raise AssertionError(f"import {import_id} did not finish: {got}")


async def run(stub: Any, data: bytes, filename: str = "leads.csv", **preview: Any) -> pb.Import:
    uploaded = await upload(stub, data, filename)
    if preview:
        await stub.PreviewImport(pb.PreviewImportRequest(import_id=uploaded.id, **preview))
    await stub.StartImport(pb.StartImportRequest(import_id=uploaded.id))
    return await finished(stub, uploaded.id)


async def outcomes(stub: Any, import_id: str) -> dict[int, pb.ImportRow]:
    page = await stub.ListImportRows(pb.ListImportRowsRequest(import_id=import_id, limit=200))
    return {r.row_number: r for r in page.rows}


async def test_leads_import_from_a_cp1251_csv_with_semicolons(alice, fake) -> None:
    name, company, mail, inn = fake.name(), fake.company(), email(), fake.businesses_inn()
    digits = f"{uuid.uuid4().int % 10**7:07d}"
    phone = f"8 (912) {digits[:3]}-{digits[3:5]}-{digits[5:]}"
    data = csv_bytes(
        [["ФИО", "Компания", "E-mail", "Телефон", "ИНН"], [name, company, mail, phone, inn]],
        encoding="cp1251",
        delimiter=";",
    )
    uploaded = await upload(alice, data)
    assert (uploaded.status, uploaded.format, uploaded.encoding, uploaded.delimiter) == (
        "uploaded",
        "csv",
        "cp1251",
        ";",
    )
    assert uploaded.rows_total == 1
    assert {c.header: c.target for c in uploaded.columns} == {
        "ФИО": "person_name",
        "Компания": "company_name",
        "E-mail": "email",
        "Телефон": "phone",
        "ИНН": "inn",
    }
    await alice.StartImport(pb.StartImportRequest(import_id=uploaded.id))
    done = await finished(alice, uploaded.id)
    assert (done.status, done.rows_done, done.created, done.duplicates, done.errors) == ("done", 1, 1, 0, 0)
    row = (await outcomes(alice, done.id))[2]
    lead = await alice.GetLead(pb.GetLeadRequest(id=row.record_id))
    assert (lead.person_name, lead.company_name, lead.email, lead.phone_e164, lead.inn, lead.channel) == (
        name,
        company,
        mail,
        f"+7912{digits}",
        inn,
        "import",
    )
    assert lead.owner_id == "u-alice"


async def test_an_amocrm_export_maps_with_its_preset(alice) -> None:
    header = ["Полное имя", "Компания", "Должность", "Рабочий телефон", "Мобильный телефон", "Рабочий email", "Теги"]
    mail = email()
    data = xlsx_bytes([header, ["Петров Пётр", "ООО «Север»", "Директор", 74951234567, None, mail, "vip"]])
    uploaded = await upload(alice, data, "amocrm_export.xlsx")
    assert (uploaded.format, uploaded.preset) == ("xlsx", "amocrm")
    preview = await alice.PreviewImport(pb.PreviewImportRequest(import_id=uploaded.id, preset="amocrm", rows=5))
    assert dict(preview.rows[0].values) == {
        "person_name": "Петров Пётр",
        "company_name": "ООО «Север»",
        "position": "Директор",
        "phones": "+74951234567",
        "emails": mail,
        "tags": "vip",
    }
    await alice.StartImport(pb.StartImportRequest(import_id=uploaded.id))
    done = await finished(alice, uploaded.id)
    assert (done.created, done.errors) == (1, 0)
    lead = await alice.GetLead(pb.GetLeadRequest(id=(await outcomes(alice, done.id))[2].record_id))
    assert (lead.person_name, lead.position, lead.phone_e164) == ("Петров Пётр", "Директор", "+74951234567")


async def test_every_row_gets_its_exact_outcome(alice, fake, peers) -> None:
    stored_mail, party_mail, repeated_phone = email(), email(), phone()
    stored = await alice.CreateLead(pb.CreateLeadRequest(lead=pb.Lead(person_name=fake.name(), email=stored_mail)))
    party = await peers.contacts(ALICE).CreateParty(
        contacts_pb2.CreatePartyRequest(
            party=contacts_pb2.Party(
                kind="person",
                display_name=fake.name(),
                emails=[contacts_pb2.ContactPoint(kind="work", value=party_mail)],
            )
        )
    )
    data = csv_bytes(
        [
            ["Имя", "Email", "Телефон"],
            [fake.name(), email(), repeated_phone],  # 2 created
            [fake.name(), stored_mail.upper(), ""],  # 3 duplicate of the stored lead
            [fake.name(), "", "12"],  # 4 error: phone
            [fake.name(), email(), repeated_phone],  # 5 duplicate of row 2
            [fake.name(), party_mail, ""],  # 6 duplicate of the party
            ["", "", ""],  # blank: not a row
            ["", "", ""],
            [fake.name(), "not-an-email", "1"],  # 9 error: both fields
        ]
    )
    done = await run(alice, data)
    assert (done.rows_total, done.rows_done, done.created, done.duplicates, done.errors) == (6, 6, 1, 3, 2)
    got = await outcomes(alice, done.id)
    assert sorted(got) == [2, 3, 4, 5, 6, 9]
    assert got[2].outcome == "created"
    assert (got[3].outcome, got[3].duplicate_kind, got[3].record_id) == ("duplicate", "lead", stored.id)
    assert (got[4].outcome, [(e.field, e.code) for e in got[4].errors]) == ("error", [("phone", "invalid_phone")])
    assert (got[5].outcome, got[5].duplicate_of_row, got[5].record_id) == ("duplicate", 2, got[2].record_id)
    assert (got[6].outcome, got[6].duplicate_kind, got[6].record_id) == ("duplicate", "party", party.party.id)
    assert {(e.field, e.code) for e in got[9].errors} == {("email", "invalid_email"), ("phone", "invalid_phone")}
    errors = await alice.ListImportRows(pb.ListImportRowsRequest(import_id=done.id, outcome="error"))
    assert [r.row_number for r in errors.rows] == [4, 9]


async def test_on_duplicate_create_writes_duplicates_flagged(alice, fake) -> None:
    stored_mail = email()
    stored = await alice.CreateLead(pb.CreateLeadRequest(lead=pb.Lead(person_name=fake.name(), email=stored_mail)))
    data = csv_bytes([["Имя", "Email"], [fake.name(), stored_mail]])
    done = await run(alice, data, on_duplicate="create")
    assert (done.created, done.duplicates) == (1, 0)
    row = (await outcomes(alice, done.id))[2]
    assert (row.outcome, row.duplicate_kind) == ("created", "lead")
    lead = await alice.GetLead(pb.GetLeadRequest(id=row.record_id))
    assert [(d.kind, d.id, list(d.reasons)) for d in lead.duplicates] == [("lead", stored.id, ["email"])]


async def test_a_batch_that_fails_leaves_nothing_and_is_written_once_on_retry(
    alice, fake, marketing_app, monkeypatch
) -> None:
    next_batch = job_module._next_batch
    monkeypatch.setattr(job_module, "_next_batch", lambda job, stream, size: next_batch(job, stream, 3))
    real_write = job_module.write_leads
    calls = {"n": 0}

    async def failing_second_batch(*args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        await real_write(*args, **kwargs)  # the leads are inserted, then the batch fails
        if calls["n"] == 2:
            raise RuntimeError("injected failure mid-batch")

    monkeypatch.setattr(job_module, "write_leads", failing_second_batch)
    data = csv_bytes([["Имя", "Email"], *([fake.name(), email()] for _ in range(8))])
    done = await run(alice, data)
    assert calls["n"] == 4  # batches of 3, 3, 2; the second written twice: once failed, once for good
    assert (done.status, done.rows_done, done.created) == ("done", 8, 8)
    async with marketing_app.db.readers() as session:
        leads = await session.scalar(select(func.count()).where(Lead.import_id == done.id))
        results = await session.scalar(select(func.count()).where(ImportRow.import_id == done.id))
    assert (leads, results) == (8, 8)


async def test_two_replicas_never_work_one_import_at_once(
    alice, fake, marketing_app, another_marketing_app, monkeypatch
) -> None:
    next_batch = job_module._next_batch
    monkeypatch.setattr(job_module, "_next_batch", lambda job, stream, size: next_batch(job, stream, 2))
    workers: dict[str, set[str]] = {}
    real_record = ImportRunner._record

    async def record(self: ImportRunner, session: Any, job_id: str, found: Any) -> None:
        workers.setdefault(job_id, set()).add(self.worker)
        await asyncio.sleep(0.02)
        await real_record(self, session, job_id, found)

    monkeypatch.setattr(ImportRunner, "_record", record)
    files = [csv_bytes([["Имя", "Email"], *([fake.name(), email()] for _ in range(10))]) for _ in range(4)]
    uploads = [await upload(alice, data) for data in files]
    for uploaded in uploads:
        await alice.StartImport(pb.StartImportRequest(import_id=uploaded.id))
    done = [await finished(alice, u.id) for u in uploads]
    assert [(d.status, d.rows_done, d.created) for d in done] == [("done", 10, 10)] * 4
    assert all(len(workers[u.id]) == 1 for u in uploads)
    async with marketing_app.db.readers() as session:
        leads = await session.scalar(select(func.count()).where(Lead.import_id.in_([u.id for u in uploads])))
    assert leads == 40


async def test_an_import_whose_replica_died_is_taken_over_after_its_lease(
    alice, fake, marketing_app, peers, time_travel
) -> None:
    uploaded = await upload(alice, csv_bytes([["Имя", "Email"], [fake.name(), email()]]))
    dead = "dead-replica:1"
    async with marketing_app.db.transaction() as session:
        job = await session.get(ImportJob, uploaded.id)
        # As a replica leaves it that claimed the import and died before its first batch.
        job.status, job.worker, job.lease_until = "running", dead, marketing_app.clock.now() + timedelta(seconds=60)
    await asyncio.sleep(0.3)
    assert (await alice.GetImport(pb.GetImportRequest(import_id=uploaded.id))).status == "running"
    time_travel(timedelta(minutes=2))
    done = await finished(alice, uploaded.id)
    assert (done.status, done.created) == ("done", 1)
    async with marketing_app.db.readers() as session:
        assert (await session.get(ImportJob, uploaded.id)).worker != dead


async def test_cancel_stops_after_the_current_batch_with_exact_counters(
    alice, fake, marketing_app, monkeypatch
) -> None:
    next_batch = job_module._next_batch

    def slow_batch(job: Any, stream: Any, size: int) -> Any:
        import time

        time.sleep(0.05)
        return next_batch(job, stream, 5)

    monkeypatch.setattr(job_module, "_next_batch", slow_batch)
    data = csv_bytes([["Имя", "Email"], *([fake.name(), email()] for _ in range(200))])
    uploaded = await upload(alice, data)
    await alice.StartImport(pb.StartImportRequest(import_id=uploaded.id))
    for _ in range(200):
        if (await alice.GetImport(pb.GetImportRequest(import_id=uploaded.id))).rows_done > 0:
            break
        await asyncio.sleep(0.02)
    cancelling = await alice.CancelImport(pb.CancelImportRequest(import_id=uploaded.id))
    assert cancelling.cancel_requested
    done = await finished(alice, uploaded.id)
    assert done.status == "cancelled"
    assert 0 < done.rows_done < 200 and done.rows_done == done.created
    async with marketing_app.db.readers() as session:
        leads = await session.scalar(select(func.count()).where(Lead.import_id == uploaded.id))
    assert leads == done.created


async def test_parties_are_imported_through_contacts(alice, peers) -> None:
    gen = PartyGenerator(seed=uuid.uuid4().int % 10**6)
    first, second = gen.company(), gen.company()
    stored = await peers.contacts(ALICE).CreateParty(
        contacts_pb2.CreatePartyRequest(
            party=contacts_pb2.Party(
                kind="company",
                display_name=second["company"]["short_name"],
                company=contacts_pb2.CompanyDetails(inn=second["company"]["inn"]),
            )
        )
    )
    data = csv_bytes(
        [
            ["Наименование", "ИНН", "КПП", "Телефон"],
            [first["company"]["short_name"], first["company"]["inn"], first["company"].get("kpp", ""), phone()],
            [second["company"]["short_name"], second["company"]["inn"], "", ""],
            ["ООО Ошибка", "1234567890", "", ""],
            [first["company"]["short_name"], first["company"]["inn"], "", ""],
        ]
    )
    uploaded = await upload(alice, data, "companies.csv", target="parties", party_kind="company")
    await alice.StartImport(pb.StartImportRequest(import_id=uploaded.id))
    done = await finished(alice, uploaded.id)
    assert (done.status, done.created, done.duplicates, done.errors) == ("done", 1, 2, 1)
    got = await outcomes(alice, done.id)
    created = await peers.contacts(ALICE).GetParty(contacts_pb2.GetPartyRequest(id=got[2].record_id))
    assert (created.kind, created.company.inn, created.owner_id) == ("company", first["company"]["inn"], "u-alice")
    assert (got[3].outcome, got[3].record_id) == ("duplicate", stored.party.id)
    assert (got[4].outcome, got[4].errors[0].code) == ("error", "invalid_inn")
    assert (got[5].outcome, got[5].duplicate_of_row, got[5].record_id) == ("duplicate", 2, created.id)


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"PK\x03\x04 truncated zip", "leads.xlsx", "malformed_file"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64,
            "x.xlsx",
            "encrypted_file",
        ),
        ("Имя,Email\nИван,a@b.ru\n".encode("utf-16"), "leads.csv", "unknown_encoding"),
    ],
)
async def test_a_file_that_cannot_be_imported_is_refused_and_not_kept(
    alice, rejected, marketing_app, data, filename, code
) -> None:
    created = await alice.CreateImport(pb.CreateImportRequest(target="leads", filename=filename, size_bytes=len(data)))
    await alice.UploadImportChunk(pb.UploadImportChunkRequest(import_id=created.id, seq=0, data=data))
    detail = await rejected(
        alice.FinishImportUpload(pb.FinishImportUploadRequest(import_id=created.id)), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert detail.code == code
    await rejected(alice.GetImport(pb.GetImportRequest(import_id=created.id)), grpc.StatusCode.NOT_FOUND)


async def test_a_file_over_the_limit_is_refused_as_chunks_arrive(alice, rejected, marketing_app, monkeypatch) -> None:
    detail = await rejected(
        alice.CreateImport(pb.CreateImportRequest(target="leads", filename="x.csv", size_bytes=21 * 1024 * 1024)),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert detail.code == "file_too_large"
    created = await alice.CreateImport(pb.CreateImportRequest(target="leads", filename="x.csv"))
    chunk = b"a" * (1024 * 1024)
    for seq in range(20):
        await alice.UploadImportChunk(pb.UploadImportChunkRequest(import_id=created.id, seq=seq, data=chunk))
    await alice.UploadImportChunk(pb.UploadImportChunkRequest(import_id=created.id, seq=19, data=chunk))  # a retry
    detail = await rejected(
        alice.UploadImportChunk(pb.UploadImportChunkRequest(import_id=created.id, seq=20, data=b"a")),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert detail.code == "file_too_large"
    async with marketing_app.db.readers() as session:
        assert await session.get(ImportJob, created.id) is None


async def test_a_mapping_without_any_required_field_cannot_start(alice, rejected) -> None:
    uploaded = await upload(alice, csv_bytes([["Должность", "Комментарий"], ["Директор", "звонил"]]))
    detail = await rejected(
        alice.StartImport(pb.StartImportRequest(import_id=uploaded.id)), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert (detail.code, detail.field_violations[0].field) == ("incomplete_mapping", "mapping")
    bad = await rejected(
        alice.PreviewImport(pb.PreviewImportRequest(import_id=uploaded.id, mapping={"Должность": "salary"})),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert bad.field_violations[0].code == "unknown_field"
    assert (await alice.GetImport(pb.GetImportRequest(import_id=uploaded.id))).status == "uploaded"


async def test_the_error_file_round_trips(alice, fake) -> None:
    good = [fake.name(), email(), ""]
    data = csv_bytes([["Имя", "Email", "Телефон"], good, [fake.name(), "bad@", ""], [fake.name(), "", "12"]])
    done = await run(alice, data)
    assert done.errors == 2
    for kind in ("csv", "xlsx"):
        request = pb.DownloadImportErrorsRequest(import_id=done.id, format=kind)
        stream = alice._stub.DownloadImportErrors(request, metadata=alice._metadata, timeout=10)
        chunks = [c async for c in stream]
        assert chunks[0].filename == f"leads-errors.{kind}"
        content = b"".join(c.data for c in chunks)
        again = await upload(alice, content, f"errors.{kind}")
        assert [c.header for c in again.columns] == ["Имя", "Email", "Телефон", "Ошибка"]
        assert again.rows_total == 2
        preview = await alice.PreviewImport(pb.PreviewImportRequest(import_id=again.id))
        assert [[e.code for e in r.errors] for r in preview.rows] == [["invalid_email"], ["invalid_phone"]]


async def test_an_import_is_its_owners_and_admins_only(alice, bob, admin, rejected) -> None:
    uploaded = await upload(alice, csv_bytes([["Имя"], ["Иван"]]))
    await rejected(bob.GetImport(pb.GetImportRequest(import_id=uploaded.id)), grpc.StatusCode.NOT_FOUND)
    await rejected(bob.StartImport(pb.StartImportRequest(import_id=uploaded.id)), grpc.StatusCode.NOT_FOUND)
    await rejected(bob.ListImportRows(pb.ListImportRowsRequest(import_id=uploaded.id)), grpc.StatusCode.NOT_FOUND)
    download = bob._stub.DownloadImportErrors(
        pb.DownloadImportErrorsRequest(import_id=uploaded.id), metadata=bob._metadata, timeout=10
    )
    with pytest.raises(grpc.aio.AioRpcError) as hidden:
        [c async for c in download]
    assert hidden.value.code() == grpc.StatusCode.NOT_FOUND
    anonymous = alice._stub.DownloadImportErrors(pb.DownloadImportErrorsRequest(import_id=uploaded.id), timeout=10)
    with pytest.raises(grpc.aio.AioRpcError) as unauthenticated:
        [c async for c in anonymous]
    assert unauthenticated.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert uploaded.id not in {i.id for i in (await bob.ListImports(pb.ListImportsRequest(limit=200))).imports}
    assert uploaded.id in {i.id for i in (await alice.ListImports(pb.ListImportsRequest(limit=200))).imports}
    assert (await admin.GetImport(pb.GetImportRequest(import_id=uploaded.id))).owner_id == "u-alice"


async def test_presets_list_their_headers_as_fields_of_the_target(alice) -> None:
    presets = {p.name: p for p in (await alice.ListImportPresets(pb.ListImportPresetsRequest(target="leads"))).presets}
    assert set(presets) == {"amocrm", "bitrix24"}
    assert presets["amocrm"].columns["Мобильный телефон"] == "phone"
    parties = await alice.ListImportPresets(pb.ListImportPresetsRequest(target="parties"))
    assert {p.name: p for p in parties.presets}["amocrm"].columns["Мобильный телефон"] == "mobile_phone"


async def test_an_upload_left_unfinished_for_a_day_is_deleted(alice, time_travel) -> None:
    created = await alice.CreateImport(pb.CreateImportRequest(target="leads", filename="x.csv"))
    await alice.UploadImportChunk(pb.UploadImportChunkRequest(import_id=created.id, seq=0, data=b"a,b\n"))
    await asyncio.sleep(0.2)
    assert (await alice.GetImport(pb.GetImportRequest(import_id=created.id))).status == "uploading"
    time_travel(timedelta(days=1, minutes=1))
    for _ in range(100):
        try:
            await alice.GetImport(pb.GetImportRequest(import_id=created.id))
        except grpc.aio.AioRpcError as gone:
            assert gone.code() == grpc.StatusCode.NOT_FOUND
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the abandoned upload is still there")
