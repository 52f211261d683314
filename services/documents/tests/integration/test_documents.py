"""Documents against a real database, real NATS and real contacts and deals services: legal entities,
templates, generation with numbering, access, statuses, bank statements."""

from __future__ import annotations

import asyncio
import io
import uuid
from datetime import date
from decimal import Decimal

import grpc
from faker import Faker
from pypdf import PdfReader
from sqlalchemy import func, select

from crm.contacts.v1 import contacts_pb2
from crm.deals.v1 import deals_pb2
from crm.documents.v1 import documents_pb2 as pb
from crm_core.auth import Caller
from crm_core.service import ServiceApp
from crm_core.testing import ALICE
from crm_documents.models import DocumentRow

from ..statement_files import Requisites, StatementFiles, StatementPayment

fake = Faker("ru_RU")


def company_requisites() -> dict[str, str]:
    return {"inn": fake.businesses_inn(), "kpp": fake.kpp(), "ogrn": fake.businesses_ogrn()}


async def legal_entity(admin) -> pb.LegalEntity:  # type: ignore[no-untyped-def]
    """The seller (made default if there is none)."""
    existing = await admin.ListLegalEntities(pb.ListLegalEntitiesRequest())
    if existing.legal_entities:
        return existing.legal_entities[0]
    bic = "044525593"
    entity = pb.LegalEntity(
        name="ООО «Ромашка»",
        full_name="Общество с ограниченной ответственностью «Ромашка»",
        inn="7728168971",
        kpp="772801001",
        ogrn="1027700067328",
        address="119049, г. Москва, ул. Донская, д. 1",
        bank_name="АО «Альфа-Банк»",
        bik=bic,
        correspondent_account="30101810200000000593",
        account="40702810801300000001",
        signatories=[pb.Signatory(role="director", title="Генеральный директор", name="Петров П. П.")],
        vat_payer=True,
        number_prefixes={"invoice": "СЧ-"},
    )
    return await admin.CreateLegalEntity(pb.CreateLegalEntityRequest(legal_entity=entity))


async def deal_with_lines(peers, owner: Caller, inn: str = "", lines: int = 3) -> deals_pb2.Deal:  # type: ignore[no-untyped-def]
    company = contacts_pb2.CompanyDetails(
        legal_name=f"Общество с ограниченной ответственностью «Клиент {uuid.uuid4().hex[:4]}»",
        short_name="ООО «Клиент»",
        inn=inn or fake.businesses_inn(),
        kpp=fake.kpp(),
        legal_address="190000, г. Санкт-Петербург, Невский пр., д. 1",
    )
    party = contacts_pb2.Party(kind="company", display_name=company.short_name, company=company)
    client = await peers.contacts(owner).CreateParty(contacts_pb2.CreatePartyRequest(party=party, allow_duplicate=True))
    items = [
        deals_pb2.DealLine(product="Станок токарный", quantity="2", price="150000.00", vat_rate="20", unit_code="796"),
        deals_pb2.DealLine(product="Пусконаладка", quantity="8", price="2500.50", vat_rate="20", unit_code="356"),
        deals_pb2.DealLine(product="Доставка", quantity="1", price="4990", vat_rate="20", unit_code="876"),
    ][:lines]
    deal = deals_pb2.Deal(title="Поставка станков", client_id=client.party.id, lines=items, vat_mode="on_top")
    return await peers.deals(owner).CreateDeal(deals_pb2.CreateDealRequest(deal=deal))


def pdf_text(content: bytes) -> str:
    """The PDF's text, its no-break spaces (thousands, "НДС 20 %") as plain ones."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return text.replace("\u00a0", " ").replace("\u202f", " ")


async def download(stub, document_id: str) -> bytes:  # type: ignore[no-untyped-def]
    """The PDF streamed by DownloadDocument (a CallerStub's calls are unary: the stream is asked directly)."""
    data = bytearray()
    call = stub._stub.DownloadDocument(pb.DownloadDocumentRequest(id=document_id), metadata=stub._metadata, timeout=20)
    async for chunk in call:
        data += chunk.data
    return bytes(data)


async def test_an_invoice_of_a_deal_prints_both_parties_lines_totals_and_words(
    admin, alice, bob, peers, rejected
) -> None:  # type: ignore[no-untyped-def]
    seller = await legal_entity(admin)
    deal = await deal_with_lines(peers, ALICE)
    doc = await alice.GenerateDocument(pb.GenerateDocumentRequest(deal_id=deal.id, doc_type="invoice", language="ru"))
    assert doc.status == "draft" and doc.number.startswith("СЧ-")
    # 2 x 150 000 + 8 x 2 500,50 + 4 990 = 324 994,00 net; VAT 20 % on top = 64 998,80; 389 992,80 to pay.
    assert (doc.net_amount, doc.vat_amount, doc.total) == ("324994.00", "64998.80", "389992.80")
    assert Decimal(doc.total) == Decimal(deal.total_with_vat)
    assert len(doc.files) == 1 and len(doc.files[0].sha256) == 64 and doc.files[0].template_version == 1
    text = pdf_text(await download(alice, doc.id))
    for expected in (
        f"Счёт на оплату № {doc.number}",
        seller.inn,
        "Станок токарный",
        "Пусконаладка",
        "324 994,00",
        "64 998,80",
        "389 992,80",
        "Триста восемьдесят девять тысяч девятьсот девяносто два рубля 80 копеек",
    ):
        assert expected in text, expected
    got = await alice.GetDocument(pb.GetDocumentRequest(id=doc.id))
    assert got.snapshot["buyer"]["inn"]
    # Bob cannot see the deal: its documents do not exist for him.
    await rejected(bob.GetDocument(pb.GetDocumentRequest(id=doc.id)), grpc.StatusCode.NOT_FOUND)
    await rejected(download(bob, doc.id), grpc.StatusCode.NOT_FOUND)
    listed = await bob.ListDocuments(pb.ListDocumentsRequest(deal_id=deal.id))
    assert (list(listed.documents), listed.total) == ([], 0)
    await rejected(
        bob.GenerateDocument(pb.GenerateDocumentRequest(deal_id=deal.id, doc_type="invoice")), grpc.StatusCode.NOT_FOUND
    )


async def test_numbers_are_consecutive_under_concurrency_and_cancelling_keeps_them(
    admin, alice, carol, peers, rejected
) -> None:  # type: ignore[no-untyped-def]
    await legal_entity(admin)
    deal = await deal_with_lines(peers, ALICE, lines=1)
    before = await admin.ListDocuments(pb.ListDocumentsRequest(doc_type="act", limit=1))
    docs = await asyncio.gather(
        *(
            (alice if i % 2 else carol).GenerateDocument(pb.GenerateDocumentRequest(deal_id=deal.id, doc_type="act"))
            for i in range(12)
        )
    )
    sequences = sorted(d.sequence for d in docs)
    start = sequences[0]
    assert sequences == list(range(start, start + 12))
    assert before.total + 12 == (await admin.ListDocuments(pb.ListDocumentsRequest(doc_type="act"))).total
    cancelled = await alice.ChangeDocumentStatus(
        pb.ChangeDocumentStatusRequest(
            id=docs[0].id, status="cancelled", reason="ошибка", expected_version=docs[0].version
        )
    )
    assert cancelled.status == "cancelled" and cancelled.number == docs[0].number
    nxt = await alice.GenerateDocument(pb.GenerateDocumentRequest(deal_id=deal.id, doc_type="act"))
    assert nxt.sequence == start + 12
    await rejected(
        alice.ChangeDocumentStatus(
            pb.ChangeDocumentStatusRequest(id=cancelled.id, status="issued", expected_version=cancelled.version)
        ),
        grpc.StatusCode.FAILED_PRECONDITION,
    )


async def test_statuses_regeneration_and_refusals(admin, alice, peers, rejected) -> None:  # type: ignore[no-untyped-def]
    await legal_entity(admin)
    deal = await deal_with_lines(peers, ALICE, lines=2)
    doc = await alice.GenerateDocument(pb.GenerateDocumentRequest(deal_id=deal.id, doc_type="act", language="en"))
    again = await alice.RegenerateDocument(
        pb.RegenerateDocumentRequest(document_id=doc.id, expected_version=doc.version)
    )
    assert (again.number, again.current_version, len(again.files)) == (doc.number, 2, 2)
    assert again.files[0].sha256 != "" and again.files[1].version == 2
    issued = await alice.ChangeDocumentStatus(
        pb.ChangeDocumentStatusRequest(id=doc.id, status="issued", expected_version=again.version)
    )
    await rejected(
        alice.ChangeDocumentStatus(
            pb.ChangeDocumentStatusRequest(id=doc.id, status="paid", expected_version=issued.version)
        ),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    signed = await alice.ChangeDocumentStatus(
        pb.ChangeDocumentStatusRequest(id=doc.id, status="signed", expected_version=issued.version)
    )
    assert signed.status == "signed"
    await rejected(
        alice.RegenerateDocument(pb.RegenerateDocumentRequest(document_id=doc.id, expected_version=signed.version)),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    empty = await deal_with_lines(peers, ALICE, lines=0)
    detail = await rejected(
        alice.GenerateDocument(pb.GenerateDocumentRequest(deal_id=empty.id, doc_type="invoice")),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    assert detail.code == "deal_has_no_lines"
    detail = await rejected(
        alice.GenerateDocument(pb.GenerateDocumentRequest(deal_id="nope", doc_type="bill")),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert {v.field for v in detail.field_violations} == {"deal_id", "doc_type"}


async def test_a_template_with_an_unknown_variable_is_refused_and_versions_are_kept(admin, alice, rejected) -> None:  # type: ignore[no-untyped-def]
    detail = await rejected(
        admin.CreateTemplate(
            pb.CreateTemplateRequest(doc_type="quote", language="ru", name="Моё КП", html="<p>{{ buyer.nickname }}</p>")
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert [v.code for v in detail.field_violations] == ["template_variable_unknown"] and "nickname" in detail.message
    detail = await rejected(
        admin.CreateTemplate(pb.CreateTemplateRequest(doc_type="quote", language="ru", name="КП", html="{% for %}")),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert [v.code for v in detail.field_violations] == ["template_syntax_invalid"]
    await rejected(
        alice.CreateTemplate(pb.CreateTemplateRequest(doc_type="quote", language="ru", name="КП", html="<p>x</p>")),
        grpc.StatusCode.PERMISSION_DENIED,
    )
    made = await admin.CreateTemplate(
        pb.CreateTemplateRequest(
            doc_type="quote", language="ru", name="Короткое КП", html="<h1>КП № {{ doc.number }}</h1>"
        )
    )
    newer = await admin.AddTemplateVersion(
        pb.AddTemplateVersionRequest(
            template_id=made.id,
            html="<h1>КП {{ doc.number }} для {{ buyer.name }}</h1>",
            expected_version=made.row_version,
        )
    )
    assert (newer.current_version, [v.version for v in newer.versions]) == (2, [1, 2])
    first = await alice.GetTemplate(pb.GetTemplateRequest(id=made.id, version=1))
    assert first.html == "<h1>КП № {{ doc.number }}</h1>"
    preview = await alice.PreviewTemplate(pb.PreviewTemplateRequest(template_id=made.id))
    assert "ООО «Пример»" in pdf_text(preview.content)
    # A template may not reach files or hosts.
    leak = await admin.PreviewTemplate(
        pb.PreviewTemplateRequest(
            doc_type="quote",
            language="ru",
            html='<img src="file:///etc/passwd"><p>ok</p>',
            css="@import url(http://10.0.0.1/x.css);",
        )
    )
    assert "ok" in pdf_text(leak.content)


async def test_a_statement_pays_matching_invoices_once(
    admin, alice, peers, documents_app: ServiceApp, rejected
) -> None:  # type: ignore[no-untyped-def]
    seller = await legal_entity(admin)
    inns = [fake.businesses_inn() for _ in range(3)]
    invoices = []
    for inn in inns[:2]:
        deal = await deal_with_lines(peers, ALICE, inn=inn, lines=1)
        invoices.append(
            await alice.GenerateDocument(pb.GenerateDocumentRequest(deal_id=deal.id, doc_type="invoice", language="ru"))
        )
    files = StatementFiles(seed=7)
    ours = Requisites(
        name=seller.name,
        inn=seller.inn,
        kpp=seller.kpp,
        account=seller.account,
        bic=seller.bik,
        bank=seller.bank_name,
        correspondent_account=seller.correspondent_account,
    )
    payers = [files.company() for _ in inns]
    payers = [Requisites(**{**p.__dict__, "inn": inn}) for p, inn in zip(payers, inns, strict=True)]
    payments = [
        StatementPayment(
            amount=Decimal(inv.total),
            payer=payers[i],
            number=str(100 + i),
            date=date(2026, 12, 5),
            purpose=f"Оплата по счету № {inv.number} от {date.today():%d.%m.%Y}, в т.ч. НДС",
        )
        for i, inv in enumerate(invoices)
    ] + [
        StatementPayment(
            amount="777.00", payer=payers[2], number="300", date=date(2026, 12, 5), purpose="Возврат займа"
        )
    ]
    content = files.statement(payments, owner=ours)
    await rejected(
        alice.ImportBankStatement(pb.ImportBankStatementRequest(filename="kl_to_1c.txt", content=content)),
        grpc.StatusCode.PERMISSION_DENIED,
    )
    report = await admin.ImportBankStatement(pb.ImportBankStatementRequest(filename="kl_to_1c.txt", content=content))
    assert (report.payments_total, report.matched, report.unmatched) == (3, 2, 1)
    assert [p.reason for p in report.payments if p.outcome == "unmatched"] == ["no_invoice_number"]
    for inv in invoices:
        paid = await alice.GetDocument(pb.GetDocumentRequest(id=inv.id))
        assert (paid.status, paid.paid_amount) == ("paid", inv.total)
        received = await peers.deals(ALICE).ListPayments(deals_pb2.ListPaymentsRequest(deal_id=inv.deal_id))
        assert [(p.status, p.amount) for p in received.payments] == [("received", inv.total)]
    again = await admin.ImportBankStatement(pb.ImportBankStatementRequest(filename="kl_to_1c.txt", content=content))
    assert (again.duplicates, again.matched) == (3, 0)
    for inv in invoices:
        received = await peers.deals(ALICE).ListPayments(deals_pb2.ListPaymentsRequest(deal_id=inv.deal_id))
        assert len(received.payments) == 1
    detail = await rejected(
        admin.ImportBankStatement(pb.ImportBankStatementRequest(filename="x.txt", content=b"%PDF-1.4 not a statement")),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert detail.code.startswith("statement_")
    async with documents_app.db.readers() as session:
        assert (
            await session.scalar(select(func.count()).select_from(DocumentRow).where(DocumentRow.status == "paid")) >= 2
        )
