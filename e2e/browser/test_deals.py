"""The deals screens in the browser: create from the client card, the board (drag and drop, and the "Move to"
select at phone width), losing with a reason, the deal card, the list's quick filters and the forecast."""

from __future__ import annotations

from playwright.async_api import expect

from crm_core.testing import eventually
from e2e.browser.test_marketing import _russian, _text


async def _deal(api, deal_id: str) -> dict:  # type: ignore[no-untyped-def]
    response = await api.get(f"/api/v1/deals/{deal_id}")
    assert response.status_code == 200, response.text
    return response.json()


async def _open_deal(api, client_id: str, **fields) -> dict:  # type: ignore[no-untyped-def]
    response = await api.post("/api/v1/deals", json={"client_id": client_id, **fields})
    assert response.status_code == 201, response.text
    return response.json()


async def _stages(api, pipeline_id: str) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    """The pipeline's stages by their English name (the installation's `name` is Russian)."""
    return {s["name_en"]: s for s in (await api.get(f"/api/v1/pipelines/{pipeline_id}")).json()["stages"]}


async def _picture(screenshot, page, name: str) -> None:  # type: ignore[no-untyped-def]
    """A screenshot from the top of the page, without the toasts of the steps before."""
    await page.evaluate("() => { document.querySelectorAll('.toast').forEach((t) => t.remove()); scrollTo(0, 0); }")
    await screenshot(page, name)


def _column(page, stage_id: str):  # type: ignore[no-untyped-def]
    return page.locator(f'.kanban-cards[data-column="{stage_id}"]')


async def test_a_deal_created_on_the_client_card_is_dragged_to_won_another_is_lost_and_both_show_on_the_card(
    browser_users, logged_in_page, wait_ready, screenshot, fake
):
    user = await browser_users.user()
    page = await logged_in_page(user, "/parties")
    client_name = fake.company()
    await page.get_by_role("button", name="New company").click()
    await page.locator(".create-form").get_by_label("Legal name").fill(client_name)
    await page.locator(".create-form").get_by_role("button", name="Create").click()
    await page.locator("tbody a.party-link", has_text=client_name).click()
    await wait_ready(page, "party")

    deals_panel = page.locator('[data-section="deals"]')
    await expect(deals_panel).to_contain_text("No deals yet.")
    await deals_panel.get_by_role("link", name="New deal").click()
    await wait_ready(page, "deal-new")
    chosen = await page.get_by_role("combobox", name="Client", exact=True).evaluate(
        "(select) => select.selectedOptions[0].text"
    )
    assert chosen == client_name
    await page.get_by_role("textbox", name="Title", exact=True).fill("Стеллажи для склада")
    await page.get_by_label("Amount", exact=True).fill("120000")
    await page.get_by_role("button", name="Create").click()
    await wait_ready(page, "deal")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Стеллажи для склада")
    await expect(page.locator(".card-main")).to_contain_text(client_name)
    won_id = page.url.rsplit("/", 1)[1]
    deal = await _deal(user.api, won_id)
    assert (deal["client_name"], deal["amount"], deal["stage_name"]) == (client_name, "120000.00", "Новая")
    stages = await _stages(user.api, deal["pipeline_id"])
    lost = await _open_deal(user.api, deal["client_id"], title="Монтаж", pipeline_id=deal["pipeline_id"])

    await page.goto(f"/deals/board?pipeline={deal['pipeline_id']}")
    await wait_ready(page, "deal-board")
    card = page.locator(".kanban-card", has_text="Стеллажи для склада")
    await card.drag_to(_column(page, stages["Qualified"]["id"]))
    await expect(_column(page, stages["Qualified"]["id"]).locator(".kanban-card")).to_contain_text(["Стеллажи"])
    await expect(
        page.locator(".kanban-column", has=_column(page, stages["Qualified"]["id"])).locator("h3")
    ).to_have_text("Qualified 1")
    await eventually(lambda: _stage_is(user.api, won_id, "Qualified"), timeout=5)

    await card.drag_to(_column(page, stages["Won"]["id"]))
    await expect(_column(page, stages["Won"]["id"])).to_contain_text("Стеллажи для склада")
    await expect(card.locator(".chip")).to_have_text(["Won"])
    assert (await _deal(user.api, won_id))["status"] == "won"

    await page.locator(".kanban-card", has_text="Монтаж").drag_to(_column(page, stages["Lost"]["id"]))
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_contain_text("Why was “Монтаж” lost?")
    await dialog.get_by_role("button", name="Mark as lost").click()
    await expect(dialog.get_by_role("alert")).to_have_text("Choose why the deal was lost.")
    await dialog.get_by_label("Loss reason").select_option(label="Chose a competitor")
    await dialog.get_by_label("Comment (optional)").fill("Ушли к конкурентам")
    await dialog.get_by_role("button", name="Mark as lost").click()
    await expect(dialog).to_be_hidden()
    await expect(_column(page, stages["Lost"]["id"])).to_contain_text("Монтаж")
    await expect(page.locator(".kanban-card", has_text="Монтаж").locator(".chip")).to_have_text(["Lost"])
    lost = await _deal(user.api, lost["id"])
    assert (lost["status"], lost["loss_reason"], lost["loss_comment"]) == ("lost", "competitor", "Ушли к конкурентам")
    await _picture(screenshot, page, "kanban")

    async def on_timeline() -> bool:
        items = (await user.api.get(f"/api/v1/parties/{deal['client_id']}/timeline")).json()["items"]
        return {"deal.won", "deal.lost"} <= {i["type"] for i in items}

    await eventually(on_timeline, timeout=15)
    await page.goto(f"/parties/{deal['client_id']}")
    await wait_ready(page, "party")
    await expect(deals_panel.locator(".party-deal")).to_have_count(2)
    await expect(deals_panel.locator(".party-deal", has_text="Стеллажи для склада")).to_contain_text("Won")
    await expect(deals_panel.locator(".party-deal", has_text="Монтаж")).to_contain_text("Lost")
    won_entry = page.locator('.timeline-item[data-type="deal.won"]')
    await expect(won_entry).to_contain_text("Deal won")
    await expect(won_entry).to_contain_text("Стеллажи для склада")
    await expect(page.locator('.timeline-item[data-type="deal.lost"]')).to_contain_text("Монтаж · Chose a competitor")
    await expect(page.locator('.timeline-item[data-type="deal.stage_changed"]')).to_contain_text("Новая → Квалификация")

    await page.locator('.timeline-item[data-type="deal.won"] a').click()
    await wait_ready(page, "deal")
    history = page.locator('[data-section="history"]')
    await expect(history.locator("li")).to_have_count(3)
    await expect(history.locator("li").first).to_contain_text("Qualified → Won")


async def _stage_is(api, deal_id: str, stage: str) -> bool:  # type: ignore[no-untyped-def]
    """The deal is in the stage of that English name."""
    deal = await _deal(api, deal_id)
    return (await _stages(api, deal["pipeline_id"]))[stage]["id"] == deal["stage_id"]


async def test_phone_board_moves_with_the_move_to_select_and_shows_conflicts_and_won_without_amount(
    browser_users, logged_in_page, wait_ready, screenshot, company_body
):
    user = await browser_users.user()
    client = (await user.api.post("/api/v1/parties", json=company_body())).json()
    deal = await _open_deal(user.api, client["id"], title="Поставка бумаги", amount="5000")
    bare = await _open_deal(user.api, client["id"], title="Без суммы", pipeline_id=deal["pipeline_id"])
    stages = await _stages(user.api, deal["pipeline_id"])
    page = await logged_in_page(user, f"/deals/board?pipeline={deal['pipeline_id']}", phone=True)
    assert await page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0

    card = page.locator(".kanban-card", has_text="Поставка бумаги")
    await card.get_by_label("Move to").select_option(label="Proposal")
    await expect(_column(page, stages["Proposal"]["id"])).to_contain_text("Поставка бумаги")
    await eventually(lambda: _stage_is(user.api, deal["id"], "Proposal"), timeout=5)
    await _picture(screenshot, page, "kanban")

    await page.locator(".kanban-card", has_text="Без суммы").get_by_label("Move to").select_option(label="Won")
    await expect(page.locator(".toast-error")).to_contain_text("Enter the amount to win the deal.")
    await expect(_column(page, stages["Lead"]["id"])).to_contain_text("Без суммы")  # the move is undone
    assert (await _deal(user.api, bare["id"]))["status"] == "open"
    await page.locator(".toast-error").get_by_role("button", name="Close").click()

    # Someone else changes the deal meanwhile: the move is refused (412) and a reload is offered.
    changed = await user.api.patch(f"/api/v1/deals/{deal['id']}", json={"title": "Поставка бумаги А4"})
    assert changed.status_code == 200, changed.text
    await card.get_by_label("Move to").select_option(label="Negotiation")
    await expect(page.locator(".toast-error")).to_contain_text("Someone changed this deal meanwhile")
    await expect(_column(page, stages["Proposal"]["id"])).to_contain_text("Поставка бумаги")
    await page.locator(".toast-error").get_by_role("button", name="Reload").click()
    await expect(page.locator(".kanban-card", has_text="Поставка бумаги А4")).to_be_visible()

    await page.locator(".kanban-card", has_text="Поставка бумаги А4").get_by_role("link").click()
    await wait_ready(page, "deal")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Поставка бумаги А4")
    assert await page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
    await _picture(screenshot, page, "deal")


async def test_deal_card_edits_with_server_messages_lines_and_payments(
    browser_users, logged_in_page, wait_ready, screenshot, company_body
):
    user = await browser_users.user()
    client = (await user.api.post("/api/v1/parties", json=company_body())).json()
    person = (
        await user.api.post("/api/v1/parties", json={"kind": "person", "person": {"last_name": "Сидоров"}})
    ).json()
    deal = await _open_deal(
        user.api,
        client["id"],
        title="Офисная мебель",
        amount="10000",
        contact_ids=[person["id"]],
        expected_close_date="2027-03-15",
    )
    page = await logged_in_page(user, f"/deals/{deal['id']}")
    main = page.locator('[data-section="main"]')
    await expect(main).to_contain_text("Сидоров")
    await expect(main).to_contain_text("Distance to money")

    await page.get_by_role("button", name="Edit: Deal").click()
    await main.get_by_label("Amount", exact=True).fill("-5")
    await main.get_by_role("button", name="Save").click()
    amount = main.locator('[data-field="amount"]')
    await expect(amount.locator(".field-error")).not_to_be_empty()
    await expect(amount.locator("input")).to_have_attribute("aria-invalid", "true")
    await main.get_by_label("Amount", exact=True).fill("15000")
    await main.get_by_role("button", name="Save").click()
    await expect(main.locator("dl")).to_contain_text("15,000")
    assert (await _deal(user.api, deal["id"]))["amount"] == "15000.00"

    lines = page.locator('[data-section="lines"]')
    await page.get_by_role("button", name="Edit: Products and services").click()
    await lines.get_by_role("button", name="+ line").click()
    await lines.get_by_label("Product or service").fill("Стол")
    await lines.get_by_label("Quantity").fill("3")
    await lines.get_by_label("Price").fill("7000")
    await lines.get_by_label("Discount, %").fill("10")
    await lines.get_by_role("button", name="Save").click()
    await expect(lines.locator(".lines-total")).to_contain_text("18,900")  # 3 x 7000 - 10 %, from the server
    assert (await _deal(user.api, deal["id"]))["amount"] == "18900.00"

    payments = page.locator('[data-section="payments"]')
    await payments.get_by_role("button", name="Add expected payment").click()
    await payments.get_by_label("Amount").fill("9000")
    await payments.get_by_label("Due date").fill("2027-04-01")
    await payments.get_by_role("button", name="Add", exact=True).click()
    await expect(payments.locator(".payment-expected")).to_contain_text("due")
    await payments.get_by_role("button", name="Mark RUB 9,000 received").click()
    await expect(payments.get_by_label("Received on")).to_be_focused()
    await payments.get_by_role("button", name="Mark received", exact=True).click()
    await expect(payments.locator(".payment-received")).to_contain_text("received")
    listed = (await user.api.get(f"/api/v1/deals/{deal['id']}/payments")).json()
    assert [(p["status"], p["amount"]) for p in listed] == [("received", "9000.00")]
    await expect(page.locator('[data-section="audit"] li').first).to_contain_text("Payment received")
    await _picture(screenshot, page, "deal")


async def test_list_quick_filters_highlight_regressing_deals_and_the_forecast_per_owner(
    browser_users, logged_in_page, wait_ready, screenshot, company_body
):
    user = await browser_users.user()
    client = (await user.api.post("/api/v1/parties", json=company_body())).json()
    steady = await _open_deal(user.api, client["id"], title="Ровная", amount="100000", expected_close_date="2027-03-10")
    back = await _open_deal(
        user.api,
        client["id"],
        title="Откатилась",
        amount="40000",
        expected_close_date="2027-05-20",
        pipeline_id=steady["pipeline_id"],
    )
    stages = await _stages(user.api, steady["pipeline_id"])
    for stage in ("Proposal", "Qualified"):
        moved = await user.api.post(f"/api/v1/deals/{back['id']}/move", json={"stage_id": stages[stage]["id"]})
        assert moved.status_code == 200, moved.text

    page = await logged_in_page(user, "/deals")
    rows = page.locator("tbody tr")
    await expect(rows).to_have_count(2)
    await expect(page.locator("tbody tr.deal-regressing")).to_contain_text("Откатилась")
    await page.get_by_role("button", name="Regressing").click()
    await expect(page.get_by_role("button", name="Regressing")).to_have_attribute("aria-pressed", "true")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("Regressing")
    assert "regressing%3Aeq%3Atrue" in page.url
    await page.get_by_role("button", name="Regressing").click()
    await expect(rows).to_have_count(2)
    await page.get_by_label("Sort", exact=True).select_option(label="Closest to money")
    await expect(rows.first).to_contain_text("Откатилась")  # 40 000 x 75 % from money, 100 000 x 90 %

    await page.get_by_role("link", name="Forecast").click()
    await wait_ready(page, "forecast")
    await expect(page.locator(".column-chart li")).to_have_count(2)
    await expect(page.locator(".bar-chart")).to_contain_text(user.display_name)
    await expect(page.locator(".list-count")).to_contain_text("2 open deals")
    await page.get_by_label("Breakdown").select_option(label="Per team")
    await wait_ready(page, "forecast")
    await expect(page.locator(".bar-chart li")).to_have_count(1)
    await _picture(screenshot, page, "forecast")


async def test_a_person_s_card_lists_the_deals_they_are_the_contact_of(browser_users, logged_in_page, wait_ready, fake):
    user = await browser_users.user()
    company = await user.api.post(
        "/api/v1/parties", json={"kind": "company", "company": {"legal_name": fake.company()}}
    )
    person = await user.api.post(
        "/api/v1/parties", json={"kind": "person", "person": {"first_name": "Анна", "last_name": "Смирнова"}}
    )
    assert company.status_code == person.status_code == 201
    deal = await _open_deal(
        user.api, company.json()["id"], title="Поставка швеллера", contact_ids=[person.json()["id"]], amount="50000"
    )
    page = await logged_in_page(user, f"/parties/{person.json()['id']}")
    await wait_ready(page, "party")
    row = page.locator('[data-section="deals"] .party-deal')
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text("Поставка швеллера")
    await expect(row).to_contain_text("as a contact person")
    await expect(row.get_by_role("link")).to_have_attribute("href", f"/deals/{deal['id']}")


async def test_the_board_list_and_card_name_stages_in_the_ui_language(
    browser_users, logged_in_page, wait_ready, company_body
):
    user = await browser_users.user()
    client = (await user.api.post("/api/v1/parties", json=company_body())).json()
    deal = await _open_deal(user.api, client["id"], title="Поставка фанеры", amount="7000")
    stages = await _stages(user.api, deal["pipeline_id"])
    page = await logged_in_page(user, f"/deals/board?pipeline={deal['pipeline_id']}")
    column = page.locator(".kanban-column", has=_column(page, stages["Proposal"]["id"])).locator("h3")
    await expect(column).to_contain_text("Proposal")
    await page.evaluate("() => localStorage.setItem('crm.lang', 'ru')")
    await page.reload()
    await wait_ready(page, "deal-board")
    await expect(column).to_contain_text("Коммерческое предложение")
    await expect(page.locator(".kanban-column h3").first).to_contain_text("Новая")
    await page.goto(f"/deals/{deal['id']}")
    await wait_ready(page, "deal")
    await expect(page.locator(".card-sub")).to_contain_text("Новая")
    await page.evaluate("() => localStorage.setItem('crm.lang', 'en')")
    await page.reload()
    await wait_ready(page, "deal")
    await expect(page.locator(".card-sub")).to_contain_text("Lead")
    await expect(page.locator(".stage-move select")).to_contain_text("Negotiation")


async def test_an_admin_names_a_pipeline_and_its_stages_in_both_languages(browser_users, logged_in_page, wait_ready):
    admin = await browser_users.user(roles=["admin"])
    stages = [{"name": "Заявка"}, {"name": "Won", "category": "won"}, {"name": "Lost", "category": "lost"}]
    created = await admin.api.post("/api/v1/pipelines", json={"name": "Тендеры 44-ФЗ", "stages": stages})
    assert created.status_code == 201, created.text
    pipeline = created.json()
    page = await logged_in_page(admin, "/admin/pipelines")
    await wait_ready(page, "admin-pipelines")
    editor = page.locator(f'[data-section="pipeline-{pipeline["id"]}"]')
    await expect(editor.get_by_label("Pipeline name in Russian")).to_have_value("Тендеры 44-ФЗ")
    await editor.get_by_label("Pipeline name in English").fill("Public tenders")
    await editor.get_by_label("Stage “Заявка” in English").fill("Bid")
    await editor.get_by_role("button", name="Save").click()
    await expect(page.locator(".toast")).to_contain_text("Names saved.")
    saved = (await admin.api.get(f"/api/v1/pipelines/{pipeline['id']}")).json()
    assert (saved["name_ru"], saved["name_en"]) == ("Тендеры 44-ФЗ", "Public tenders")
    first = saved["stages"][0]
    assert (first["name_ru"], first["name_en"]) == ("Заявка", "Bid")
    await page.goto(f"/deals/board?pipeline={pipeline['id']}")
    await wait_ready(page, "deal-board")
    await expect(page.locator(".kanban-column h3").first).to_contain_text("Bid")


async def test_an_amount_typed_the_russian_way_is_stored_exactly_and_a_server_field_error_reads_in_russian(
    browser_users, logged_in_page, wait_ready, company_body
):
    user = await browser_users.user()
    client = (await user.api.post("/api/v1/parties", json=company_body())).json()
    for phone, title in ((False, "Стеллажи"), (True, "Стеллажи на телефоне")):
        page = await logged_in_page(user, f"/deals/new?client={client['id']}", phone=phone)
        await _russian(page, wait_ready, "deal-new")
        await page.get_by_role("textbox", name="Название", exact=True).fill(title)
        await page.get_by_label("Сумма", exact=True).fill("1 250 000,50")
        # The server refuses the currency (invalid_currency): the client says so in Russian, next to the field.
        await page.get_by_label("Валюта", exact=True).fill("РУБ")
        await page.get_by_role("button", name="Создать").click()
        currency = page.locator('[data-field="currency"] .field-error')
        await expect(currency).to_have_text("Валюта — трёхбуквенный код, например RUB.")
        await expect(page.locator(".form-summary")).not_to_contain_text("currency")
        # A number that is no number is refused before any request, in Russian too.
        await page.get_by_label("Сумма", exact=True).fill("много")
        await page.get_by_label("Валюта", exact=True).fill("RUB")
        await page.get_by_role("button", name="Создать").click()
        await expect(page.locator('[data-field="amount"] .field-error')).to_have_text(
            "Введите число, например 1 250 000,50."
        )
        await page.get_by_label("Сумма", exact=True).fill("1 250 000,50")
        await page.get_by_role("button", name="Создать").click()
        await wait_ready(page, "deal")
        deal = await _deal(user.api, page.url.rsplit("/", 1)[1])
        assert (deal["title"], deal["amount"], deal["currency"]) == (title, "1250000.50", "RUB")
        assert "1 250 000,50 ₽" in await _text(page.locator('[data-section="main"]'))


async def test_board_cards_show_whole_amounts_without_kopecks_no_move_select_on_desktop_and_the_total_of_open_deals(
    browser_users, logged_in_page, wait_ready, company_body
):
    user = await browser_users.user()
    client = (await user.api.post("/api/v1/parties", json=company_body())).json()
    deal = await _open_deal(user.api, client["id"], title="Открытая сделка", amount="120000")
    pipeline_id = deal["pipeline_id"]
    stages = await _stages(user.api, pipeline_id)
    lost = await _open_deal(user.api, client["id"], title="Проигранная", amount="500000", pipeline_id=pipeline_id)
    moved = await user.api.post(
        f"/api/v1/deals/{lost['id']}/move",
        json={"stage_id": stages["Lost"]["id"], "loss_reason": "competitor"},
    )
    assert moved.status_code == 200, moved.text
    page = await logged_in_page(user, f"/deals/board?pipeline={pipeline_id}")
    card = page.locator(".kanban-card", has_text="Открытая сделка")
    await expect(card.locator("strong")).to_contain_text("120,000")
    assert (await _text(card.locator("strong"))).endswith("120,000")  # no ".00"
    await expect(card.get_by_label("Move to")).to_be_hidden()
    # The days in a stage are said only past the stage's time limit.
    await expect(card.locator(".deal-card-days")).to_have_count(0)
    total = page.locator(".board-total-open")
    await expect(total).to_contain_text("1 deal")
    await expect(total).to_contain_text("120,000")
    await expect(total).not_to_contain_text("620,000")
    await expect(page.locator(".board-total-lost")).to_contain_text("Lost: 1 deal")
    await expect(page.locator(".board-total-lost")).to_contain_text("500,000")
    # A keyboard reaches the select through the card's link.
    await card.get_by_role("link").focus()
    await page.keyboard.press("Shift+Tab")
    await page.keyboard.press("Tab")
    await expect(card.get_by_label("Move to")).to_be_visible()

    phone = await logged_in_page(user, f"/deals/board?pipeline={pipeline_id}", phone=True)
    await _russian(phone, wait_ready, "deal-board")
    phone_card = phone.locator(".kanban-card", has_text="Открытая сделка")
    await expect(phone_card.get_by_label("Переместить в")).to_be_visible()
    assert await _text(phone_card.locator("strong")) == "120 000 ₽"
