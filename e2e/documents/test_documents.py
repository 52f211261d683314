"""Documents through the gateway: an invoice's PDF, numbering under load, a bank statement, access, bad input."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from .conftest import Requisites, StatementFiles, StatementPayment, pdf_text, seller

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "documents"
THREE_LINES = [
    {"product": "Станок токарный ТВ-320", "quantity": "2", "price": "150000.00", "vat_rate": "20", "unit_code": "796"},
    {"product": "Пусконаладочные работы", "quantity": "8", "price": "2500.50", "vat_rate": "20", "unit_code": "356"},
    {"product": "Доставка до склада", "quantity": "1", "price": "4990", "vat_rate": "20", "unit_code": "876"},
]


def codes(response) -> set[str]:  # type: ignore[no-untyped-def]
    body = response.json()
    return {body["code"], *[e["code"] for e in body.get("errors", [])]}


def save_png(pdf: bytes, name: str) -> Path:
    """The first page as a PNG in artifacts/documents/, for a person to look at."""
    import pypdfium2

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = pypdfium2.PdfDocument(pdf)[0]
    path = ARTIFACTS / f"{name}.png"
    page.render(scale=1.5).to_pil().save(path)
    return path


async def test_an_invoice_with_three_lines_and_vat_on_top_prints_everything(admin, users, clients) -> None:  # type: ignore[no-untyped-def]
    ours = await seller(admin.client)
    manager = await users.user([await users.team("docs")])
    api = manager.client
    client = await clients.company(api)
    deal = await clients.deal(api, client["id"], THREE_LINES, vat_mode="on_top")
    preview = await api.post("/api/v1/documents/preview", json={"deal_id": deal["id"], "doc_type": "invoice"})
    assert preview.status_code == 200 and preview.headers["content-type"] == "application/pdf", preview.text
    assert "Станок токарный" in pdf_text(preview.content)
    made = await api.post("/api/v1/documents", json={"deal_id": deal["id"], "doc_type": "invoice", "language": "ru"})
    assert made.status_code == 201, made.text
    invoice = made.json()
    assert invoice["number"].startswith("СЧ-") and invoice["status"] == "draft"
    assert (invoice["net_amount"], invoice["vat_amount"], invoice["total"]) == ("324994.00", "64998.80", "389992.80")
    assert invoice["total"] == deal["total_with_vat"]
    pdf = await api.get(f"/api/v1/documents/{invoice['id']}/pdf")
    assert pdf.status_code == 200 and pdf.headers["x-content-type-options"] == "nosniff"
    assert "attachment" in pdf.headers["content-disposition"]
    text = pdf_text(pdf.content)
    company = client["company"]
    for expected in (
        f"Счёт на оплату № {invoice['number']}",
        ours["inn"],
        ours["kpp"],
        ours["account"],
        ours["bik"],
        company["inn"],
        company["kpp"],
        "Станок токарный ТВ-320",
        "Пусконаладочные работы",
        "Доставка до склада",
        "300 000,00",
        "20 004,00",
        "Итого: 324 994,00",
        "НДС 20 %: 64 998,80",
        "Всего к оплате: 389 992,80",
        "Триста восемьдесят девять тысяч девятьсот девяносто два рубля 80 копеек",
    ):
        assert expected in text, expected
    assert save_png(pdf.content, "invoice-ru").stat().st_size > 10_000
    listed = (await api.get("/api/v1/documents", params={"deal_id": deal["id"]})).json()
    assert [d["id"] for d in listed["items"]] == [invoice["id"]] and listed["total"] == 1
    on_card = (await api.get("/api/v1/documents", params={"party_id": client["id"]})).json()
    assert [d["id"] for d in on_card["items"]] == [invoice["id"]]


async def test_fifty_invoices_at_once_get_fifty_consecutive_numbers(admin, users, clients) -> None:  # type: ignore[no-untyped-def]
    await seller(admin.client)
    manager = await users.user([await users.team("docs-load")])
    client = await clients.company(manager.client)
    deal = await clients.deal(manager.client, client["id"], THREE_LINES[:1], vat_mode="included")

    async def invoice() -> dict:  # type: ignore[type-arg]
        response = await manager.client.post(
            "/api/v1/documents", json={"deal_id": deal["id"], "doc_type": "invoice"}, timeout=120
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    made = await asyncio.gather(*(invoice() for _ in range(50)))
    sequences = sorted(d["sequence"] for d in made)
    assert sequences == list(range(sequences[0], sequences[0] + 50))
    assert len({d["number"] for d in made}) == 50


async def test_a_statement_pays_two_invoices_once_and_reports_the_third_payment(admin, users, clients, fake) -> None:  # type: ignore[no-untyped-def]
    ours = await seller(admin.client)
    manager = await users.user([await users.team("docs-bank")])
    accountant = await users.user([], roles=["accountant"])
    invoices, payers = [], []
    files = StatementFiles(seed=11)
    for _ in range(2):
        payer = files.company()
        client = await clients.company(manager.client, inn=payer.inn)
        deal = await clients.deal(manager.client, client["id"], THREE_LINES[:2], vat_mode="on_top")
        made = await manager.client.post("/api/v1/documents", json={"deal_id": deal["id"], "doc_type": "invoice"})
        assert made.status_code == 201, made.text
        invoices.append(made.json())
        payers.append(payer)
    owner = Requisites(
        name=ours["name"],
        inn=ours["inn"],
        kpp=ours["kpp"],
        account=ours["account"],
        bic=ours["bik"],
        bank=ours["bank_name"],
        correspondent_account=ours["correspondent_account"],
    )
    payments = [
        StatementPayment(
            amount=Decimal(inv["total"]),
            payer=payer,
            date=date(2026, 12, 5),
            purpose=f"Оплата по счету № {inv['number']} от {date.fromisoformat(inv['doc_date']):%d.%m.%Y}. В т.ч. НДС",
        )
        for inv, payer in zip(invoices, payers, strict=True)
    ] + [StatementPayment(amount="15000.00", payer=files.company(), date=date(2026, 12, 5), purpose="Предоплата")]
    content = files.statement(payments, owner=owner)
    refused = await manager.client.post("/api/v1/bank-statements", content=content)
    assert refused.status_code == 403, refused.text
    imported = await accountant.client.post(
        "/api/v1/bank-statements", content=content, params={"filename": "kl_to_1c.txt"}
    )
    assert imported.status_code == 201, imported.text
    report = imported.json()
    assert (report["payments_total"], report["matched"], report["unmatched"]) == (3, 2, 1)
    unmatched = [p for p in report["payments"] if p["outcome"] == "unmatched"]
    assert [(p["amount"], p["reason"]) for p in unmatched] == [("15000.00", "no_invoice_number")]
    for inv in invoices:
        paid = (await manager.client.get(f"/api/v1/documents/{inv['id']}")).json()
        assert (paid["status"], paid["paid_amount"]) == ("paid", inv["total"])
        received = (await manager.client.get(f"/api/v1/deals/{inv['deal_id']}/payments")).json()
        assert [(p["status"], p["amount"]) for p in received] == [("received", inv["total"])]
    again = await accountant.client.post("/api/v1/bank-statements", content=content)
    assert again.status_code == 201, again.text
    assert (again.json()["duplicates"], again.json()["matched"]) == (3, 0)
    for inv in invoices:
        received = (await manager.client.get(f"/api/v1/deals/{inv['deal_id']}/payments")).json()
        assert len(received) == 1
    wrong = await accountant.client.post("/api/v1/bank-statements", content=b"MZ\x90\x00 not a statement")
    assert wrong.status_code == 422 and codes(wrong) & {"statement_format_invalid"}, wrong.text
    listed = (await accountant.client.get("/api/v1/bank-statements")).json()["items"]
    assert sum(1 for s in listed if s["id"] in (report["id"], again.json()["id"])) == 2


async def test_someone_who_cannot_see_the_deal_cannot_see_its_documents(admin, users, clients) -> None:  # type: ignore[no-untyped-def]
    await seller(admin.client)
    owner = await users.user([await users.team("docs-owner")])
    stranger = await users.user([await users.team("docs-stranger")])
    client = await clients.company(owner.client)
    deal = await clients.deal(owner.client, client["id"], THREE_LINES[:1])
    doc = (await owner.client.post("/api/v1/documents", json={"deal_id": deal["id"], "doc_type": "quote"})).json()
    for path in (f"/api/v1/documents/{doc['id']}", f"/api/v1/documents/{doc['id']}/pdf"):
        response = await stranger.client.get(path)
        assert response.status_code == 404 and response.json()["code"] == "document_not_found", (path, response.text)
    for params in ({"deal_id": deal["id"]}, {"party_id": client["id"]}, {}):
        listed = (await stranger.client.get("/api/v1/documents", params=params)).json()
        assert doc["id"] not in [d["id"] for d in listed["items"]]
        if params:
            assert listed["total"] == 0
    made = await stranger.client.post("/api/v1/documents", json={"deal_id": deal["id"], "doc_type": "invoice"})
    assert made.status_code == 404, made.text
    cancel = await stranger.client.post(
        f"/api/v1/documents/{doc['id']}/status", json={"status": "cancelled", "reason": "x"}
    )
    assert cancel.status_code == 404
    # Shared with the stranger: the document shows at once (the deal's scope follows its events).
    shared = await owner.client.patch(
        f"/api/v1/deals/{deal['id']}", json={"shared_with": [stranger.id]}, headers={"If-Match": f'"{deal["version"]}"'}
    )
    assert shared.status_code == 200, shared.text
    for _ in range(100):
        if (await stranger.client.get(f"/api/v1/documents/{doc['id']}")).status_code == 200:
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("the shared deal's document never showed")


async def test_bad_input_is_refused_and_nothing_is_half_stored(admin, users, clients) -> None:  # type: ignore[no-untyped-def]
    await seller(admin.client)
    manager = await users.user([await users.team("docs-bad")])
    client = await clients.company(manager.client)
    empty = await clients.deal(manager.client, client["id"], [])
    before = (await manager.client.get("/api/v1/documents", params={"deal_id": empty["id"]})).json()["total"]
    no_lines = await manager.client.post("/api/v1/documents", json={"deal_id": empty["id"], "doc_type": "invoice"})
    assert no_lines.status_code == 409 and no_lines.json()["code"] == "deal_has_no_lines", no_lines.text
    assert (await manager.client.get("/api/v1/documents", params={"deal_id": empty["id"]})).json()["total"] == before
    for body in (
        {"deal_id": "not-an-id", "doc_type": "invoice"},
        {"deal_id": empty["id"], "doc_type": "receipt"},
        {"deal_id": empty["id"], "doc_type": "invoice", "doc_date": "06.12.2026"},
        {"deal_id": empty["id"], "doc_type": "invoice", "language": "de"},
        {"deal_id": empty["id"] + "\x00", "doc_type": "invoice"},
    ):
        response = await manager.client.post("/api/v1/documents", json=body)
        assert 400 <= response.status_code < 500 and response.json()["code"], (body, response.text)
    unknown = await admin.client.post(
        "/api/v1/document-templates",
        json={"doc_type": "invoice", "language": "ru", "name": "Счёт", "html": "<p>{{ buyer.passport }}</p>"},
    )
    assert unknown.status_code == 422 and "template_variable_unknown" in codes(unknown), unknown.text
    unsafe = await admin.client.post(
        "/api/v1/document-templates",
        json={"doc_type": "invoice", "language": "ru", "name": "Счёт", "html": "{{ lines.__class__.__mro__ }}"},
    )
    assert unsafe.status_code == 422, unsafe.text
    by_manager = await manager.client.post(
        "/api/v1/document-templates", json={"doc_type": "invoice", "language": "ru", "name": "Счёт", "html": "<p>x</p>"}
    )
    assert by_manager.status_code == 403
    for path in ("/api/v1/documents/nope", "/api/v1/documents/nope/pdf", "/api/v1/document-templates/nope"):
        response = await manager.client.get(path)
        assert response.status_code in (404, 422), (path, response.text)


async def test_a_document_is_e_mailed_and_its_history_shows_only_to_who_sees_the_deal(
    admin, users, clients, mail_server
) -> None:  # type: ignore[no-untyped-def]
    await seller(admin.client)
    owner = await users.user([await users.team("docs-mail")])
    colleague = await users.user([await users.team("docs-other")])
    client = await clients.company(owner.client)
    # The colleague sees the client but not the deal.
    shared = await owner.client.patch(
        f"/api/v1/parties/{client['id']}",
        json={"shared_with": [colleague.id]},
        headers={"If-Match": f'"{client["version"]}"'},
    )
    assert shared.status_code == 200, shared.text
    deal = await clients.deal(owner.client, client["id"], THREE_LINES[:2], vat_mode="on_top")
    doc = (await owner.client.post("/api/v1/documents", json={"deal_id": deal["id"], "doc_type": "invoice"})).json()
    address = f"buh-{doc['id'][:8]}@example.ru"
    sent = await owner.client.post(
        f"/api/v1/documents/{doc['id']}/send",
        json={"to": [address], "message": "Добрый день! Счёт во вложении."},
        headers={"If-Match": f'"{doc["version"]}"'},
    )
    assert sent.status_code == 200, sent.text
    assert (sent.json()["status"], sent.json()["sent_to"]) == ("sent", address)
    messages = [m for m in mail_server.messages if address in str(m["To"])]
    assert len(messages) == 1 and doc["number"] in str(messages[0]["Subject"])
    attached = [part for part in messages[0].iter_attachments() if part.get_content_type() == "application/pdf"]
    assert len(attached) == 1 and attached[0].get_content().startswith(b"%PDF")
    stale = await owner.client.post(
        f"/api/v1/documents/{doc['id']}/send", json={"to": [address]}, headers={"If-Match": f'"{doc["version"]}"'}
    )
    assert stale.status_code == 412, stale.text

    async def history(api) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
        response = await api.get(f"/api/v1/parties/{client['id']}/timeline", params={"limit": 200})
        assert response.status_code == 200, response.text
        return [e for e in response.json()["items"] if e["subject_id"] == doc["id"]]

    for _ in range(150):
        entries = await history(owner.client)
        if {e["type"] for e in entries} >= {"document.generated", "document.issued", "document.sent"}:
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError(f"the document's history never reached the timeline: {entries}")
    assert await history(colleague.client) == []
