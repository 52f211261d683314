"""/api/v1/imports through the gateway: a 10,000-row XLSX with invalid rows and duplicates imports with an exact
per-row report while its progress moves; bad files are 4xx and leave nothing; the error file round-trips."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid

import httpx
import pytest
from openpyxl import Workbook

from crm_core.datagen import PartyGenerator

pytestmark = pytest.mark.e2e

ROWS = 10_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes(rows: list[list[str]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Лиды")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def generated_leads(tag: str) -> tuple[list[list[str]], dict[str, set[int]]]:
    """ROWS leads (header first); every 100th invalid (phone), every 50th a repeat of the row before it."""
    gen = PartyGenerator(seed=uuid.uuid4().int % 10**6)
    base = uuid.uuid4().int % 900 + 100
    rows = [["ФИО", "Компания", "E-mail", "Телефон", "Комментарий"]]
    expected: dict[str, set[int]] = {"error": set(), "row_duplicate": set()}
    for i in range(ROWS):
        person = gen.person()["person"]
        name = f"{person['last_name']} {person['first_name']} {person['middle_name']}"
        email = f"lead{i}.{tag}@example.ru"
        phone = f"+7 9{base:03d} {i:06d}"
        if i % 100 == 7:
            phone = "12"
            expected["error"].add(i + 2)
        if i % 50 == 25:
            email = rows[-1][2]
            expected["row_duplicate"].add(i + 2)
        rows.append([name, gen.company_name(), email, phone, "из выставки"])
    return rows, expected


async def upload(client: httpx.AsyncClient, content: bytes, filename: str, **fields: str) -> httpx.Response:
    files = {"file": (filename, content, XLSX if filename.endswith(".xlsx") else "text/csv")}
    return await client.post("/api/v1/imports", data={"target": "leads", **fields}, files=files)


async def all_rows(client: httpx.AsyncClient, import_id: str) -> dict[int, dict]:
    rows: dict[int, dict] = {}
    cursor = ""
    while True:
        page = await client.get(f"/api/v1/imports/{import_id}/rows", params={"limit": 200, "cursor": cursor})
        assert page.status_code == 200, page.text
        body = page.json()
        rows.update({r["row_number"]: r for r in body["items"]})
        cursor = body["next_cursor"]
        if not cursor:
            return rows


async def lead_count(client: httpx.AsyncClient, import_id: str) -> int:
    response = await client.get("/api/v1/leads/count", params={"filter": f"import_id:eq:{import_id}"})
    assert response.status_code == 200, response.text
    return int(response.json()["count"])


async def test_a_10000_row_xlsx_imports_with_an_exact_report_and_moving_progress(users) -> None:
    team = await users.team("imports")
    manager = await users.user([team])
    other = await users.user([await users.team("other")])
    api = manager.client
    tag = uuid.uuid4().hex[:8]
    rows, expected = generated_leads(tag)
    stored = {}
    for i in (3000, 3001, 3002):
        lead = await api.post("/api/v1/leads", json={"person_name": rows[i + 1][0], "email": rows[i + 1][2]})
        assert lead.status_code == 201, lead.text
        stored[i + 2] = lead.json()["id"]

    created = await upload(api, workbook_bytes(rows), "выставка.xlsx")
    assert created.status_code == 201, created.text
    job = created.json()
    assert (job["status"], job["format"], job["rows_total"]) == ("uploaded", "xlsx", ROWS)
    assert {c["header"]: c["target"] for c in job["columns"]} == {
        "ФИО": "person_name",
        "Компания": "company_name",
        "E-mail": "email",
        "Телефон": "phone",
        "Комментарий": "comment",
    }
    preview = await api.post(f"/api/v1/imports/{job['id']}/preview", json={"rows": 10})
    assert preview.status_code == 200, preview.text
    assert [r["row_number"] for r in preview.json()["rows"] if r["errors"]] == [9]
    assert (await other.client.get(f"/api/v1/imports/{job['id']}")).status_code == 404

    started = await api.post(f"/api/v1/imports/{job['id']}/start")
    assert started.status_code == 200, started.text
    seen: list[int] = []
    for _ in range(1200):
        state = (await api.get(f"/api/v1/imports/{job['id']}")).json()
        seen.append(state["rows_done"])
        if state["status"] in ("done", "failed", "cancelled"):
            break
        await asyncio.sleep(0.05)
    assert state["status"] == "done", state
    assert any(0 < done < ROWS for done in seen), seen
    assert seen == sorted(seen)
    errors, in_file, of_stored = len(expected["error"]), len(expected["row_duplicate"]), len(stored)
    assert (state["rows_done"], state["errors"], state["duplicates"], state["created"]) == (
        ROWS,
        errors,
        in_file + of_stored,
        ROWS - errors - in_file - of_stored,
    )

    report = await all_rows(api, job["id"])
    assert len(report) == ROWS
    assert {n for n, r in report.items() if r["outcome"] == "error"} == expected["error"]
    assert all(report[n]["errors"][0]["field"] == "phone" for n in expected["error"])
    for n in expected["row_duplicate"]:
        assert (report[n]["outcome"], report[n]["duplicate_of_row"]) == ("duplicate", n - 1)
        assert report[n]["record_id"] == report[n - 1]["record_id"]
    for n, lead_id in stored.items():
        assert (report[n]["outcome"], report[n]["duplicate_kind"], report[n]["record_id"]) == (
            "duplicate",
            "lead",
            lead_id,
        )
    assert await lead_count(api, job["id"]) == state["created"]

    download = await api.get(f"/api/v1/imports/{job['id']}/errors", params={"format": "csv"})
    assert download.status_code == 200, download.text
    assert "attachment" in download.headers["content-disposition"]
    table = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == [*rows[0], "Ошибка"] and len(table) == errors + 1
    assert table[1][3] == "12" and table[1][-1].startswith("phone:")
    again = await upload(api, download.content, "errors.csv")
    assert again.status_code == 201, again.text
    assert (again.json()["rows_total"], again.json()["columns"][-1]["target"]) == (errors, "")
    xlsx = await api.get(f"/api/v1/imports/{job['id']}/errors", params={"format": "xlsx"})
    assert (xlsx.status_code, xlsx.headers["content-type"]) == (200, XLSX)


@pytest.mark.parametrize(
    ("content", "filename", "status", "code"),
    [
        (b"PK\x03\x04 not a workbook", "leads.xlsx", 422, "malformed_file"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + bytes(64),
            "p.xlsx",
            422,
            "encrypted_file",
        ),
        ("Имя;Телефон\nИван;+79161234567\n".encode("utf-16"), "leads.csv", 422, "unknown_encoding"),
        (b"a" * (20 * 1024 * 1024 + 1), "big.csv", 413, "file_too_large"),
    ],
)
async def test_a_bad_file_is_4xx_and_nothing_is_stored(users, content, filename, status, code) -> None:
    manager = await users.user([await users.team("imports")])
    response = await upload(manager.client, content, filename)
    assert (response.status_code, response.json()["code"]) == (status, code), response.text
    listed = await manager.client.get("/api/v1/imports")
    assert listed.json()["items"] == []


async def test_a_file_without_any_required_field_cannot_start(users) -> None:
    manager = await users.user([await users.team("imports")])
    created = await upload(manager.client, "Должность;Комментарий\nДиректор;звонил\n".encode("cp1251"), "x.csv")
    assert created.status_code == 201, created.text
    start = await manager.client.post(f"/api/v1/imports/{created.json()['id']}/start")
    assert (start.status_code, start.json()["code"]) == (422, "incomplete_mapping")
    assert await lead_count(manager.client, created.json()["id"]) == 0


async def test_presets_are_listed(users) -> None:
    manager = await users.user([await users.team("imports")])
    presets = await manager.client.get("/api/v1/imports/presets", params={"target": "parties"})
    assert presets.status_code == 200
    amo = {p["name"]: p for p in presets.json()}["amocrm"]
    assert (amo["columns"]["Рабочий email"], amo["columns"]["Мобильный телефон"]) == ("email", "mobile_phone")


async def test_an_upload_that_is_no_multipart_body_is_4xx(users) -> None:
    manager = await users.user([await users.team("imports")])
    garbage = await manager.client.post(
        "/api/v1/imports",
        content=b"no boundary here",
        headers={"content-type": "multipart/form-data; boundary=xyz"},
    )
    assert (garbage.status_code, garbage.json()["code"]) == (400, "malformed_multipart")
    plain = await manager.client.post("/api/v1/imports", content=b"a,b\n", headers={"content-type": "text/csv"})
    assert (plain.status_code, plain.json()["code"]) == (415, "multipart_required")
    missing = await manager.client.post("/api/v1/imports", data={"target": "leads"}, files={"other": ("x", b"1")})
    assert (missing.status_code, missing.json()["code"]) == (422, "file_required")
