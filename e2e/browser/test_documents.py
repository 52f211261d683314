"""Documents in the browser: an invoice made from a deal with lines (preview, create, the Documents panel, download
as a PDF); the template editor refusing an unknown variable with the translated message under the HTML box; the
deal card's documents panel on a 375 px phone in Russian; the sections' pages by role."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from playwright.async_api import expect

from e2e.documents.conftest import Clients, Requisites, StatementFiles, StatementPayment, pdf_text, seller

LINES = [
    {"product": "Станок токарный ТВ-320", "quantity": "2", "price": "150000.00", "vat_rate": "20", "unit_code": "796"},
    {"product": "Пусконаладочные работы", "quantity": "8", "price": "2500.50", "vat_rate": "20", "unit_code": "356"},
]


async def _deal(user, fake) -> dict:  # type: ignore[no-untyped-def]
    clients = Clients(fake)
    client = await clients.company(user.api)
    return await clients.deal(user.api, client["id"], LINES, vat_mode="on_top")


async def test_an_invoice_made_from_a_deal_is_previewed_created_listed_downloaded_and_sent(
    admin, browser_users, logged_in_page, wait_ready, screenshot, fake, mail_server, unlabelled
) -> None:  # type: ignore[no-untyped-def]
    ours = await seller(admin.client)
    user = await browser_users.user()
    deal = await _deal(user, fake)
    page = await logged_in_page(user, f"/deals/{deal['id']}")
    await wait_ready(page, "deal")
    panel = page.locator('[data-section="documents"]')
    await expect(panel).to_contain_text("No documents yet.")

    await panel.get_by_role("button", name="Make invoice").click()
    dialog = page.locator("dialog.doc-create-dialog")
    await expect(dialog.get_by_label("Document type")).to_have_value("invoice")
    await expect(dialog.get_by_label("Legal entity")).to_have_value(ours["id"])
    await expect(dialog.get_by_label("Template")).to_contain_text("Default:")
    assert await unlabelled(page) == []
    await dialog.get_by_role("button", name="Preview").click()
    frame = dialog.locator("iframe.doc-preview-frame")
    await expect(frame).to_be_visible(timeout=30_000)
    assert (await frame.get_attribute("src") or "").startswith("blob:")
    await expect(dialog).to_contain_text("The preview is ready.")
    await screenshot(page, "document-create")
    assert (await user.api.get("/api/v1/documents", params={"deal_id": deal["id"]})).json()["total"] == 0

    await dialog.get_by_role("button", name="Create").click()
    await expect(dialog).to_have_count(0, timeout=30_000)
    viewer = page.locator("dialog.doc-view")
    await expect(viewer.locator("iframe")).to_be_visible()
    listed = (await user.api.get("/api/v1/documents", params={"deal_id": deal["id"]})).json()
    assert listed["total"] == 1
    invoice = listed["items"][0]
    assert invoice["number"].startswith("СЧ-") and invoice["status"] == "draft"
    await expect(viewer.get_by_role("heading")).to_have_text(f"Invoice {invoice['number']}")
    await viewer.get_by_role("button", name="Close").click()

    row = panel.locator(f'.document[data-document="{invoice["id"]}"]')
    await expect(row).to_contain_text(f"Invoice {invoice['number']}")
    await expect(row).to_contain_text("Draft")
    await expect(row).to_contain_text("RUB 384,004.80")  # (300 000 + 20 004) + 20 % VAT on top

    async with page.expect_download() as info:
        await row.get_by_role("button", name=f"Download Invoice {invoice['number']}").click()
    download = await info.value
    path = Path(await download.path())
    content = path.read_bytes()
    assert content.startswith(b"%PDF"), content[:20]
    assert download.suggested_filename == f"Invoice {invoice['number']}.pdf"
    assert invoice["number"] in pdf_text(content)

    # Issue it: the status and the actions follow.
    await row.get_by_role("button", name=f"Issue: Invoice {invoice['number']}").click()
    await expect(row).to_contain_text("Issued")
    await expect(row.get_by_role("button", name=f"Mark paid: Invoice {invoice['number']}")).to_be_visible()

    # Send it by e-mail: the platform's SMTP server gets the PDF; the row says it was sent.
    address = f"buh-{invoice['sequence']}@example.com"
    await row.get_by_role("button", name="Send").click()
    send = page.locator("dialog.doc-send-dialog")
    await expect(send.get_by_label("Subject")).to_have_value(f"Invoice {invoice['number']}")
    await send.get_by_label("To").fill(address)
    await send.get_by_label("Message").fill("Please find the invoice attached.")
    await send.get_by_role("button", name="Send").click()
    await expect(send).to_have_count(0, timeout=30_000)
    await expect(row).to_contain_text("Sent")
    mail = next(m for m in mail_server.messages if address in str(m["To"]))
    assert mail["Subject"] == f"Invoice {invoice['number']}"
    attached = [part for part in mail.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert attached and attached[0].get_content().startswith(b"%PDF")
    await screenshot(page, "documents-panel")


async def test_a_deal_without_lines_is_refused_in_the_readers_language(
    admin, browser_users, logged_in_page, wait_ready, fake, dictionaries
) -> None:  # type: ignore[no-untyped-def]
    await seller(admin.client)
    user = await browser_users.user()
    client = await Clients(fake).company(user.api)
    deal = await Clients(fake).deal(user.api, client["id"], [])
    page = await logged_in_page(user, f"/deals/{deal['id']}", language="ru")
    await wait_ready(page, "deal")
    await page.locator('[data-section="documents"]').get_by_role("button", name="Акт").click()
    dialog = page.locator("dialog.doc-create-dialog")
    await dialog.get_by_role("button", name="Создать").click()
    await expect(dialog.locator(".form-summary")).to_have_text(dictionaries["ru"]["apierror.deal_has_no_lines"])
    assert (await user.api.get("/api/v1/documents", params={"deal_id": deal["id"]})).json()["total"] == 0


async def test_the_template_editor_refuses_an_unknown_variable_under_the_html_box(
    browser_users, logged_in_page, wait_ready, screenshot, dictionaries
) -> None:  # type: ignore[no-untyped-def]
    admin_user = await browser_users.user(roles=["admin"])
    templates = (await admin_user.api.get("/api/v1/document-templates", params={"doc_type": "invoice"})).json()
    shipped = next(t for t in templates if t["shipped"] and t["language"] == "ru")
    before = shipped["current_version"]

    page = await logged_in_page(admin_user, "/documents")
    await wait_ready(page, "documents")
    await page.get_by_role("link", name="Templates").click()
    await wait_ready(page, "document-templates")
    await page.get_by_role("link", name=shipped["name"]).first.click()
    await wait_ready(page, "document-template")
    await expect(page.locator("[data-section='template-variables']")).to_contain_text("doc.number")
    html = page.get_by_label("HTML")
    await html.fill((await html.input_value()) + "\n<p>{{ customer_fax }}</p>")
    await page.get_by_role("button", name="Save as a new version").click()
    error = page.locator('[data-field="html"] .field-error')
    await expect(error).to_contain_text(dictionaries["en"]["apierror.template_variable_unknown"])
    await expect(error).to_contain_text("customer_fax")
    await expect(html).to_have_attribute("aria-invalid", "true")
    await screenshot(page, "template-editor")
    again = (await admin_user.api.get(f"/api/v1/document-templates/{shipped['id']}")).json()
    assert again["current_version"] == before


async def test_the_documents_panel_fits_a_phone_in_russian(
    admin, browser_users, logged_in_page, wait_ready, screenshot, fake
) -> None:  # type: ignore[no-untyped-def]
    await seller(admin.client)
    user = await browser_users.user()
    deal = await _deal(user, fake)
    created = await user.api.post("/api/v1/documents", json={"deal_id": deal["id"], "doc_type": "invoice"})
    assert created.status_code == 201, created.text
    invoice = created.json()
    page = await logged_in_page(user, f"/deals/{deal['id']}", phone=True, language="ru")
    await wait_ready(page, "deal")
    panel = page.locator('[data-section="documents"]')
    await expect(panel.get_by_role("heading", name="Документы")).to_be_visible()
    await expect(panel.get_by_role("button", name="Выставить счёт")).to_be_visible()
    row = panel.locator(".document")
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text(f"Счёт № {invoice['number']}")
    await expect(row).to_contain_text("Черновик")
    await expect(row).to_contain_text("384 004,80 ₽")
    await panel.scroll_into_view_if_needed()
    assert await page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
    await screenshot(page, "documents-panel-ru")


async def test_bank_statements_and_settings_are_for_their_roles(browser_users, logged_in_page, wait_ready) -> None:  # type: ignore[no-untyped-def]
    manager = await browser_users.user()
    page = await logged_in_page(manager, "/documents")
    await wait_ready(page, "documents")
    tabs = page.get_by_role("navigation", name="Documents")
    await expect(tabs.get_by_role("link")).to_have_text(["Documents"])
    await page.goto("/documents/bank-statements")
    await wait_ready(page)
    await expect(page.locator("main")).not_to_contain_text("Import a statement")

    accountant = await browser_users.user(roles=["accountant"])
    page = await logged_in_page(accountant, "/documents")
    await wait_ready(page, "documents")
    tabs = page.get_by_role("navigation", name="Documents")
    await expect(tabs.get_by_role("link")).to_have_text(["Documents", "Bank statements"])
    await tabs.get_by_role("link", name="Bank statements").click()
    await wait_ready(page, "bank-statements")
    await expect(page.locator("[data-section='statement-upload']")).to_contain_text("1CClientBankExchange")


async def test_an_accountant_imports_a_statement_and_matches_the_unmatched_payment_by_hand(
    admin, browser_users, logged_in_page, wait_ready, screenshot, fake
) -> None:  # type: ignore[no-untyped-def]
    ours = await seller(admin.client)
    accountant = await browser_users.user(roles=["accountant"])
    files = StatementFiles(seed=23)
    clients = Clients(fake)
    payer = files.company()
    client = await clients.company(accountant.api, inn=payer.inn)
    invoices = []
    for _ in range(2):
        deal = await clients.deal(accountant.api, client["id"], LINES[:1], vat_mode="on_top")
        made = await accountant.api.post("/api/v1/documents", json={"deal_id": deal["id"], "doc_type": "invoice"})
        assert made.status_code == 201, made.text
        invoices.append(made.json())
    owner = Requisites(
        name=ours["name"],
        inn=ours["inn"],
        kpp=ours["kpp"],
        account=ours["account"],
        bic=ours["bik"],
        bank=ours["bank_name"],
        correspondent_account=ours["correspondent_account"],
    )
    first, second = invoices
    content = files.statement(
        [
            StatementPayment(
                amount=Decimal(first["total"]), payer=payer, purpose=f"Оплата по счету № {first['number']}"
            ),
            StatementPayment(amount=Decimal(second["total"]), payer=payer, purpose="Предоплата за станок"),
        ],
        owner=owner,
    )

    page = await logged_in_page(accountant, "/documents/bank-statements")
    await wait_ready(page, "bank-statements")
    await page.locator('[data-section="statement-upload"] input[type="file"]').set_input_files(
        {"name": "kl_to_1c.txt", "mimeType": "text/plain", "buffer": content}
    )
    await wait_ready(page, "bank-statement")
    await expect(page.get_by_role("heading", level=1)).to_have_text("kl_to_1c.txt")
    rows = page.locator("tbody tr")
    await expect(rows).to_have_count(2)
    await expect(rows.nth(0)).to_contain_text("Matched")
    await expect(rows.nth(0)).to_contain_text(f"invoice {first['number']}")
    unmatched = rows.nth(1)
    await expect(unmatched).to_contain_text("Not matched")
    await expect(unmatched).to_contain_text("The purpose names no invoice")
    await expect(unmatched).to_contain_text(payer.inn)
    await screenshot(page, "bank-statement")

    await unmatched.get_by_role("button", name="Match").click()
    dialog = page.locator("dialog.statement-resolve-dialog")
    await dialog.locator("select").select_option(second["id"])
    await dialog.get_by_role("button", name="Match").click()
    await expect(dialog).to_have_count(0)
    await expect(unmatched).to_contain_text("Matched by hand")
    await expect(unmatched).to_contain_text(f"invoice {second['number']}")
    paid = (await accountant.api.get(f"/api/v1/documents/{second['id']}")).json()
    assert paid["status"] == "paid", paid

    await page.get_by_role("link", name="All statements").click()
    await wait_ready(page, "bank-statements")
    await expect(page.locator('[data-section="statements"]')).to_contain_text("kl_to_1c.txt")


async def test_an_admin_adds_a_legal_entity_and_sees_the_servers_field_errors_by_their_inputs(
    browser_users, logged_in_page, wait_ready, screenshot, dictionaries
) -> None:  # type: ignore[no-untyped-def]
    admin_user = await browser_users.user(roles=["admin"])
    page = await logged_in_page(admin_user, "/documents/legal-entities", language="ru")
    await wait_ready(page, "legal-entities")
    await page.get_by_role("button", name="Новое юрлицо").click()
    dialog = page.locator("dialog.legal-entity-dialog")
    await dialog.get_by_label("Краткое наименование").fill("ООО «Лютик»")
    await dialog.get_by_label(re.compile("^ИНН")).fill("7728168972")  # a wrong check digit
    await dialog.get_by_label("БИК", exact=True).fill("044525593")
    await dialog.get_by_label("Расчётный счёт").fill("40702810001300000002")
    await dialog.get_by_label("Юрлицо по умолчанию").uncheck()
    await dialog.get_by_role("button", name="Создать").click()
    inn = dialog.locator('[data-field="inn"] .field-error')
    await expect(inn).to_have_text(dictionaries["ru"]["apierror.invalid_inn"])
    await expect(dialog.locator('[data-field="account"] .field-error')).to_have_text(
        dictionaries["ru"]["apierror.invalid_account"]
    )
    await screenshot(page, "legal-entity-errors")

    await dialog.get_by_label(re.compile("^ИНН")).fill("7707083893")
    await dialog.get_by_label("Расчётный счёт").fill("")
    await dialog.get_by_role("button", name="Создать").click()
    await expect(dialog).to_have_count(0)
    row = page.locator("tbody tr", has_text="ООО «Лютик»")
    await expect(row).to_contain_text("7707083893")
    listed = (await admin_user.api.get("/api/v1/legal-entities")).json()
    made = next(e for e in listed if e["name"] == "ООО «Лютик»")
    assert made["number_prefixes"] == {"invoice": "СЧ-", "act": "АКТ-"}
    assert [s["role"] for s in made["signatories"]] == ["director", "accountant"]


async def test_the_client_card_lists_the_documents_of_its_deals(
    admin, browser_users, logged_in_page, wait_ready, fake
) -> None:  # type: ignore[no-untyped-def]
    await seller(admin.client)
    user = await browser_users.user()
    deal = await _deal(user, fake)
    made = await user.api.post("/api/v1/documents", json={"deal_id": deal["id"], "doc_type": "quote"})
    assert made.status_code == 201, made.text
    quote = made.json()
    page = await logged_in_page(user, f"/parties/{deal['client_id']}")
    await wait_ready(page, "party")
    row = page.locator(f'[data-section="documents"] .document[data-document="{quote["id"]}"]')
    await expect(row).to_contain_text(f"Quote {quote['number']}")
    await expect(row).to_contain_text(deal["title"])
    await expect(row.get_by_role("button", name=f"Mark signed: Quote {quote['number']}")).to_have_count(0)
    await row.get_by_role("button", name=f"Issue: Quote {quote['number']}").click()
    await expect(row.get_by_role("button", name=f"Mark signed: Quote {quote['number']}")).to_be_visible()
    # Rendered again from the deal's data: a second version, both listed, the older one still downloadable.
    await row.get_by_role("button", name="Render again").click()
    await row.get_by_role("button", name="2 versions").click()
    await expect(row.locator(".document-version")).to_have_count(2)
    async with page.expect_download() as info:
        await row.get_by_role("button", name="Download version 1").click()
    assert Path(await (await info.value).path()).read_bytes().startswith(b"%PDF")
    await row.get_by_role("button", name=f"Cancel: Quote {quote['number']}").click()
    dialog = page.locator("dialog")
    await dialog.get_by_label("Why is it cancelled?").fill("The client chose another offer")
    await dialog.get_by_role("button", name="Cancel the document").click()
    await expect(row).to_contain_text("Cancelled")
    await expect(row).to_contain_text("The client chose another offer")


async def test_documents_events_read_on_the_timeline_in_the_readers_language(
    browser_users, logged_in_page, wait_ready
) -> None:  # type: ignore[no-untyped-def]
    """The components page's timeline carries a document.issued and a document.cancelled entry with their payload
    (proto/crm/events/v1/documents.proto): each is written in the reader's language, the verb agreeing with the
    document's name."""
    user = await browser_users.user()
    page = await logged_in_page(user, "/components", language="ru")
    timeline = page.locator('[data-component="timeline"]')
    issued = timeline.locator('.timeline-item[data-type="document.issued"]')
    await expect(issued).to_contain_text("Счёт № СЧ-17 на 389 992,80 ₽ выставлен")
    await expect(issued).to_contain_text("Поставка станков · 07.12.2026")
    await expect(issued.locator("a").first).to_have_attribute("href", "/deals/deal-1")
    cancelled = timeline.locator('.timeline-item[data-type="document.cancelled"]')
    await expect(cancelled).to_contain_text("Накладная № Н-5 на 1 250 ₽ отменена")
    await expect(cancelled).to_contain_text("Wrong address")

    page = await logged_in_page(user, "/components")
    issued = page.locator('[data-component="timeline"] .timeline-item[data-type="document.issued"]')
    await expect(issued).to_contain_text("Invoice СЧ-17 for RUB 389,992.80 issued")


async def test_an_admin_makes_a_template_saves_a_version_goes_back_and_makes_it_default(
    browser_users, logged_in_page, wait_ready
) -> None:  # type: ignore[no-untyped-def]
    admin_user = await browser_users.user(roles=["admin"])
    page = await logged_in_page(admin_user, "/documents/templates")
    await wait_ready(page, "document-templates")
    await page.get_by_role("button", name="New template").click()
    dialog = page.locator("dialog")
    await dialog.get_by_label("Document type").select_option("act")
    await dialog.get_by_label("Language").select_option("en")
    await dialog.get_by_label("Name").fill("Act, short")
    await dialog.get_by_role("button", name="Create").click()
    await wait_ready(page, "document-template")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Act, short")
    html = page.get_by_label("HTML")
    assert "{{" in await html.input_value()  # the default act's text to start from
    await expect(page.locator("iframe.template-preview-frame")).to_have_attribute("src", re.compile("^blob:"))

    await html.fill((await html.input_value()) + "\n<p>{{ doc.number }}</p>")
    await page.get_by_label("What changed (optional)").fill("the number at the end")
    await page.get_by_role("button", name="Save as a new version").click()
    versions = page.locator("[data-section='template-versions'] .template-version")
    await expect(versions).to_have_count(2)
    await expect(versions.first).to_contain_text("the number at the end")
    await versions.nth(1).get_by_role("button", name="Make current").click()
    await expect(versions.nth(1)).to_contain_text("current")
    await page.get_by_role("button", name="Make default").click()
    await expect(page.locator(".template-marks")).to_contain_text("default")

    made = next(
        t
        for t in (await admin_user.api.get("/api/v1/document-templates", params={"doc_type": "act"})).json()
        if t["name"] == "Act, short"
    )
    assert made["is_default"] and made["current_version"] == 1 and not made["shipped"]


async def test_the_section_fits_a_phone_in_russian(  # type: ignore[no-untyped-def]
    browser_users, logged_in_page, wait_ready, screenshot, unlabelled
) -> None:
    admin_user = await browser_users.user(roles=["admin"])
    templates = (await admin_user.api.get("/api/v1/document-templates", params={"doc_type": "invoice"})).json()
    for path, name in (
        ("/documents", "documents"),
        ("/documents/bank-statements", "bank-statements"),
        ("/documents/legal-entities", "legal-entities"),
        ("/documents/templates", "document-templates"),
        (f"/documents/templates/{templates[0]['id']}", "document-template"),
    ):
        page = await logged_in_page(admin_user, path, phone=True, language="ru")
        await wait_ready(page, name)
        await expect(page.get_by_role("navigation", name="Документы").get_by_role("link")).to_have_text(
            ["Документы", "Банковские выписки", "Юрлица", "Шаблоны"]
        )
        assert await page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0, path
        assert await unlabelled(page) == [], path
        await screenshot(page, f"{name}-ru")
        await page.context.close()
