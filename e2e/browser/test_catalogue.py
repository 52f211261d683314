"""The catalogue in the browser: a catalogue manager adds a product, a seller finds it and puts it on a deal's
lines with VAT on top (the totals are the server's), at desktop and phone width."""

from __future__ import annotations

import uuid

from playwright.async_api import expect

from crm_core.testing import create_company


async def _product(api, **fields) -> dict:  # type: ignore[no-untyped-def]
    body = {
        "name": f"Стеллаж складской {uuid.uuid4().hex[:6]}",
        "article": f"ST-{uuid.uuid4().hex[:6].upper()}",
        "unit_code": "839",
        "vat_rate": "20",
        "prices": [{"price_list": "base", "currency": "RUB", "price": "12000.00"}],
        **fields,
    }
    response = await api.post("/api/v1/products", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_catalogue_product_is_added_to_a_deal_s_lines_with_vat_on_top(
    browser_users, logged_in_page, wait_ready, screenshot, fake
):
    manager = await browser_users.user(roles=["sales", "catalog_manager"])
    product = await _product(manager.api)
    seller = await browser_users.user()
    client = await create_company(seller.api, fake)
    response = await seller.api.post("/api/v1/deals", json={"client_id": client["id"], "title": "Склад в Химках"})
    assert response.status_code == 201, response.text
    deal = response.json()

    page = await logged_in_page(seller, f"/deals/{deal['id']}")
    lines = page.locator('[data-section="lines"]')
    await page.get_by_role("button", name="Edit: Products and services").click()
    await lines.get_by_label("VAT mode").select_option("on_top")
    await lines.get_by_role("button", name="+ line").click()
    await lines.get_by_role("searchbox", name="Find in the catalogue").fill(product["article"])
    picked = lines.get_by_label("From the catalogue")
    await expect(picked).to_have_value(product["id"])
    await lines.get_by_label("Quantity").fill("2")
    await lines.get_by_role("button", name="Save").click()

    # Name, unit, rate and the base price came from the catalogue; 2 x 12 000 + 20 % on top.
    table = lines.locator("table")
    await expect(table).to_contain_text(product["name"])
    await expect(table).to_contain_text("2 set")
    await expect(table).to_contain_text("20 %")
    total = lines.locator(".lines-total")
    await expect(total).to_contain_text("VAT on top: 4,800.00")
    await expect(total).to_contain_text("Total with VAT: 28,800.00")
    saved = (await seller.api.get(f"/api/v1/deals/{deal['id']}")).json()
    assert (saved["lines"][0]["product_id"], saved["vat_mode"], saved["total_with_vat"]) == (
        product["id"],
        "on_top",
        "28800.00",
    )
    await screenshot(page, "deal-lines-from-catalogue")


async def test_the_catalogue_page_in_russian_at_phone_width(browser_users, logged_in_page, wait_ready, screenshot):
    manager = await browser_users.user(roles=["sales", "catalog_manager"])
    page = await logged_in_page(manager, "/catalogue", phone=True, language="ru")
    await wait_ready(page, "catalogue")
    name = f"Монтаж стеллажей {uuid.uuid4().hex[:6]}"
    await page.get_by_role("button", name="Новый товар или услуга").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label("Наименование").fill(name)
    await dialog.get_by_label("Вид").select_option("service")
    await dialog.get_by_label("Ед. изм.").select_option("356")
    await dialog.get_by_label("Цена", exact=True).fill("1 500,50")
    await dialog.get_by_role("button", name="Создать").click()
    await expect(dialog).to_be_hidden()
    await page.get_by_role("searchbox", name="Название или артикул").fill(name[:20])
    row = page.locator("tbody tr", has_text=name)
    await expect(row).to_contain_text("Услуга")
    await expect(row).to_contain_text("ч")
    assert await page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
    await screenshot(page, "catalogue")
    await row.get_by_role("button", name=f"Отправить «{name}» в архив").click()
    await expect(page.locator("tbody tr", has_text=name)).to_have_count(0)

    seller = await browser_users.user()
    view = await logged_in_page(seller, "/catalogue", language="ru")
    await wait_ready(view, "catalogue")
    await expect(view.get_by_role("button", name="Новый товар или услуга")).to_have_count(0)
    await expect(view.get_by_role("navigation").get_by_role("link", name="Каталог")).to_be_visible()
