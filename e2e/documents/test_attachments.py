"""Attachments through the gateway: a file on a deal streamed up and down, versions, previews, refusals that
leave nothing behind, and a user who cannot see the deal learning nothing about its files."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from crm_core.testing import create_company, eventually

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 40 + b"%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(1024)
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + os.urandom(4096)
LIMIT = 25 * 1024 * 1024


async def new_deal(api: httpx.AsyncClient, fake) -> dict:  # type: ignore[no-untyped-def]
    client = await create_company(api, fake)
    response = await api.post(
        "/api/v1/deals", json={"title": f"Поставка {uuid.uuid4().hex[:6]}", "client_id": client["id"]}
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def upload(api: httpx.AsyncClient, deal_id: str, content: bytes, name: str, **kw: object) -> httpx.Response:
    files = {"file": (name, content, "application/octet-stream")}
    return await api.post("/api/v1/attachments", data={"record_type": "deal", "record_id": deal_id}, files=files, **kw)


def stored_blobs(blob_dir: Path) -> set[Path]:
    return {p for p in blob_dir.rglob("*") if p.is_file()}


@pytest.fixture
async def sales(users):  # type: ignore[no-untyped-def]
    """Two managers of one team (they see each other's deals by team) and one of another team."""
    north = await users.team("north")
    south = await users.team("south")
    return await users.user([north]), await users.user([north]), await users.user([south])


async def test_upload_list_download_versions_and_delete(sales, fake, blob_dir: Path) -> None:
    owner, colleague, _ = sales
    deal = await new_deal(owner.client, fake)
    content = PDF + os.urandom(3 * 1024 * 1024)  # several chunks through the gateway and the service
    created = await upload(owner.client, deal["id"], content, "Коммерческое предложение.pdf")
    assert created.status_code == 201, created.text
    attachment = created.json()
    assert (attachment["content_type"], attachment["size_bytes"], attachment["latest_version"]) == (
        "application/pdf",
        len(content),
        1,
    )
    assert attachment["versions"][0]["sha256"] == hashlib.sha256(content).hexdigest()
    # Times carry their offset (RFC 3339), as everywhere in the API.
    assert attachment["created_at"].endswith(("Z", "+00:00")) and attachment["versions"][0]["uploaded_at"].endswith(
        ("Z", "+00:00")
    )

    listed = await colleague.client.get("/api/v1/attachments", params={"record_type": "deal", "record_id": deal["id"]})
    assert listed.status_code == 200 and [a["id"] for a in listed.json()["items"]] == [attachment["id"]]

    download = await colleague.client.get(f"/api/v1/attachments/{attachment['id']}/content")
    assert download.status_code == 200 and download.content == content
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-security-policy"].startswith("sandbox")
    disposition = download.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('Коммерческое предложение.pdf', safe='')}" in disposition

    preview = await owner.client.get(f"/api/v1/attachments/{attachment['id']}/content", params={"inline": 1})
    assert preview.headers["content-disposition"].startswith("inline;")

    version = await owner.client.post(
        f"/api/v1/attachments/{attachment['id']}/versions", files={"file": ("scan.png", PNG, "image/png")}
    )
    assert version.status_code == 201, version.text
    assert [v["version"] for v in version.json()["versions"]] == [2, 1]
    first = await owner.client.get(f"/api/v1/attachments/{attachment['id']}/content", params={"version": 1})
    assert first.content == content
    latest = await owner.client.get(f"/api/v1/attachments/{attachment['id']}/content")
    assert latest.content == PNG and latest.headers["content-type"] == "image/png"

    gone = await colleague.client.delete(f"/api/v1/attachments/{attachment['id']}")
    assert (gone.status_code, gone.json()["code"]) == (403, "attachment_delete_forbidden")
    assert (await owner.client.delete(f"/api/v1/attachments/{attachment['id']}")).status_code == 204
    assert (await owner.client.get(f"/api/v1/attachments/{attachment['id']}")).status_code == 404
    listed = await owner.client.get("/api/v1/attachments", params={"record_type": "deal", "record_id": deal["id"]})
    assert listed.json()["items"] == []


async def test_a_user_who_cannot_see_the_deal_gets_404_everywhere(sales, fake, blob_dir: Path) -> None:
    owner, _, outsider = sales
    deal = await new_deal(owner.client, fake)
    attachment = (await upload(owner.client, deal["id"], PDF, "Договор.pdf")).json()
    before = stored_blobs(blob_dir)
    api = outsider.client
    answers = [
        await api.get("/api/v1/attachments", params={"record_type": "deal", "record_id": deal["id"]}),
        await api.get(f"/api/v1/attachments/{attachment['id']}"),
        await api.get(f"/api/v1/attachments/{attachment['id']}/content"),
        await api.delete(f"/api/v1/attachments/{attachment['id']}"),
        await upload(api, deal["id"], PDF, "чужое.pdf"),
        await api.post(f"/api/v1/attachments/{attachment['id']}/versions", files={"file": ("v2.pdf", PDF)}),
    ]
    assert [a.status_code for a in answers] == [404] * 6
    assert {a.json()["code"] for a in answers} == {"record_not_found", "attachment_not_found"}
    # A missing deal answers exactly like a hidden one.
    missing = await api.get("/api/v1/attachments", params={"record_type": "deal", "record_id": str(uuid.uuid4())})
    assert (missing.status_code, missing.json()["code"]) == (404, "record_not_found")
    assert stored_blobs(blob_dir) == before


async def test_refused_uploads_are_4xx_and_store_nothing(sales, fake, blob_dir: Path) -> None:
    owner, _, _ = sales
    api = owner.client
    deal = await new_deal(api, fake)
    before = stored_blobs(blob_dir)

    disguised = await upload(api, deal["id"], EXE, "Счёт на оплату.pdf")
    assert (disguised.status_code, disguised.json()["code"]) == (422, "attachment_type_refused")
    mismatch = await upload(api, deal["id"], PDF, "photo.jpg")
    assert (mismatch.status_code, mismatch.json()["code"]) == (422, "attachment_type_mismatch")
    empty = await upload(api, deal["id"], b"", "empty.txt")
    assert (empty.status_code, empty.json()["code"]) == (422, "attachment_empty")
    script = await upload(api, deal["id"], b"echo hi", "run.sh")
    assert (script.status_code, script.json()["code"]) == (422, "attachment_type_refused")

    # Over the limit by its Content-Length: refused before the body is read.
    too_big = await upload(api, deal["id"], PDF + b"0" * (LIMIT + 100_000), "big.pdf")
    assert (too_big.status_code, too_big.json()["code"]) == (413, "attachment_too_large")

    # Over the limit without a Content-Length (chunked): refused by the service while the bytes stream.
    boundary = "crm-e2e-boundary"

    async def chunked() -> AsyncIterator[bytes]:
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="record_type"\r\n\r\ndeal\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="record_id"\r\n\r\n{deal["id"]}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode() + PDF
        for _ in range(LIMIT // (1024 * 1024) + 2):
            yield b"0" * (1024 * 1024)
        yield f"\r\n--{boundary}--\r\n".encode()

    streamed = await api.post(
        "/api/v1/attachments",
        content=chunked(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert (streamed.status_code, streamed.json()["code"]) == (413, "attachment_too_large")

    garbage = await api.post(
        "/api/v1/attachments", content=b"nonsense", headers={"Content-Type": "multipart/form-data; boundary=x"}
    )
    assert (garbage.status_code, garbage.json()["code"]) == (400, "malformed_multipart")
    # Broken after the file began (a part header that never ends): the started upload is dropped.
    broken = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="record_type"\r\n\r\ndeal\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="record_id"\r\n\r\n{deal["id"]}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.pdf"\r\n\r\n'
        ).encode()
        + PDF
        + b"0" * 300_000
        + f"\r\n--{boundary}\r\nno-colon-header\r\n\r\n".encode()
    )
    cut = await api.post(
        "/api/v1/attachments", content=broken, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    assert (cut.status_code, cut.json()["code"]) == (400, "malformed_multipart"), cut.text
    not_multipart = await api.post("/api/v1/attachments", json={"record_type": "deal"})
    assert (not_multipart.status_code, not_multipart.json()["code"]) == (415, "multipart_required")
    unknown = await api.post(
        "/api/v1/attachments", data={"record_type": "planet", "record_id": "x"}, files={"file": ("a.pdf", PDF)}
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "record_type"

    listed = await api.get("/api/v1/attachments", params={"record_type": "deal", "record_id": deal["id"]})
    assert listed.json()["items"] == []
    assert stored_blobs(blob_dir) == before


async def test_the_upload_shows_on_the_clients_timeline(sales, fake) -> None:
    owner, _, _ = sales
    api = owner.client
    deal = await new_deal(api, fake)
    attachment = (await upload(api, deal["id"], PDF, "КП.pdf")).json()

    async def entry() -> dict | None:
        response = await api.get(f"/api/v1/parties/{deal['client_id']}/timeline", params={"source": "documents"})
        assert response.status_code == 200, response.text
        return next((e for e in response.json()["items"] if e["subject_id"] == attachment["id"]), None)

    found = await eventually(entry)
    assert found["type"] == "attachment.added"
    assert found["data"]["filename"] == "КП.pdf" and found["data"]["record_type"] == "deal"
