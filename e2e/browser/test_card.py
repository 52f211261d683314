"""The client card in the browser: create, link, note and timeline; validation next to the field; 412."""

import re

from playwright.async_api import expect

NOTE = "Called: wants a quote by Friday"


async def test_create_company_and_person_link_them_and_see_a_note_on_the_timeline(
    browser_users, logged_in_page, wait_ready, fake
):
    user = await browser_users.user()
    page = await logged_in_page(user, "/parties")
    company_name = fake.company()

    await page.get_by_role("button", name="New company").click()
    create = page.locator(".create-form")
    await create.get_by_label("Legal name").fill(company_name)
    await create.get_by_label("INN", exact=True).fill(fake.businesses_inn())
    await create.get_by_label("Phone", exact=True).fill(fake.phone_number())
    await create.get_by_label("Client", exact=True).check()
    await create.get_by_role("button", name="Create").click()
    await expect(page.locator("tbody tr.highlight")).to_contain_text(company_name)

    await page.get_by_role("button", name="New person").click()
    await create.get_by_label("Last name").fill("Петров")
    await create.get_by_label("First name", exact=True).fill("Иван")
    await create.get_by_label("Position", exact=True).fill("Директор")
    await create.get_by_role("button", name="Create").click()
    await expect(page.locator("tbody tr.highlight").first).to_contain_text("Петров Иван")

    await page.locator("tbody a.party-link", has_text=company_name).click()
    await wait_ready(page, "party")
    await expect(page.get_by_role("heading", level=1)).to_have_text(company_name)
    await expect(page.locator(".card-head .chip")).to_have_text(["Client"])

    await page.get_by_role("button", name="Link a person").click()
    await page.get_by_label("Find a person", exact=True).fill("Петров")
    await expect(page.get_by_label("Person", exact=True).locator("option")).to_have_text(["Петров Иван"])
    await page.get_by_label("Role", exact=True).fill("director")
    await page.get_by_role("button", name="Link", exact=True).click()
    await expect(page.locator(".links li")).to_contain_text(["Петров Иван — director"])

    await page.get_by_label("New note", exact=True).fill(NOTE)
    await page.get_by_role("button", name="Add note").click()
    await expect(page.locator(".notes .note-text").first).to_have_text(NOTE)
    # The timeline is a projection fed by events over NATS: the card polls until the entry arrives.
    note_entry = page.locator('.timeline-item[data-type="note.added"]')
    await expect(note_entry).to_contain_text(NOTE, timeout=15_000)
    await expect(page.locator('.timeline-item[data-type="party.person_linked"]')).to_have_count(1)
    await expect(page.locator(".timeline-item").first).to_have_attribute("data-type", "note.added")


async def test_invalid_inn_is_shown_next_to_the_inn_field(browser_users, logged_in_page, company_body):
    user = await browser_users.user()
    party = (await user.api.post("/api/v1/parties", json=company_body())).json()
    page = await logged_in_page(user, f"/parties/{party['id']}")

    await page.get_by_role("button", name="Edit: Requisites").click()
    await page.get_by_label("INN", exact=True).fill("1234567890")
    await page.get_by_role("button", name="Save").click()

    field = page.locator('[data-field="company.inn"]')
    await expect(field.locator(".field-error")).to_contain_text("Invalid INN: wrong length or check digit.")
    await expect(field.locator("input")).to_have_attribute("aria-invalid", "true")
    await expect(field.locator("input")).to_be_focused()
    described = await field.locator("input").get_attribute("aria-describedby")
    assert await field.locator(".field-error").get_attribute("id") in described.split()
    await expect(page.locator(".form-summary")).to_contain_text("Please correct the highlighted fields")


async def test_a_change_made_meanwhile_is_a_conflict_with_a_reload(browser_users, logged_in_page, company_body):
    user = await browser_users.user()
    party = (await user.api.post("/api/v1/parties", json=company_body())).json()
    page = await logged_in_page(user, f"/parties/{party['id']}")
    await page.get_by_role("button", name="Edit: Requisites").click()
    await page.get_by_label("Industry", exact=True).fill("Retail")

    meanwhile = await user.api.patch(
        f"/api/v1/parties/{party['id']}", json={"company": {"industry": "Wholesale"}}, headers={"If-Match": '"1"'}
    )
    assert meanwhile.status_code == 200, meanwhile.text
    await page.get_by_role("button", name="Save").click()

    conflict = page.locator(".form-summary.conflict")
    await expect(conflict).to_contain_text("Someone changed this while you were editing")
    await conflict.get_by_role("button", name="Reload").click()
    requisites = page.locator('[data-section="main"]')
    await expect(requisites.locator("dd", has_text=re.compile("^Wholesale$"))).to_have_count(1)
    await expect(requisites.locator("form")).to_have_count(0)


async def test_a_duplicate_inn_is_explained_and_can_be_created_anyway(
    browser_users, logged_in_page, company_body, fake
):
    user = await browser_users.user()
    existing = (await user.api.post("/api/v1/parties", json=company_body())).json()
    page = await logged_in_page(user, "/parties")
    await page.get_by_role("button", name="New company").click()
    create = page.locator(".create-form")
    await create.get_by_label("Legal name").fill(fake.company())
    await create.get_by_label("INN", exact=True).fill(existing["company"]["inn"])
    await create.get_by_role("button", name="Create").click()

    await expect(create.locator(".form-summary")).to_contain_text("A client with this INN/OGRN already exists.")
    await create.get_by_role("button", name="Create anyway").click()
    await expect(page.locator("tbody tr.highlight")).to_have_count(1)
    await expect(page.locator("tbody a.party-link")).to_have_count(2)


async def test_a_phone_card_opens_on_the_call_link_and_log_a_call_with_requisites_folded_below(
    browser_users, logged_in_page, wait_ready, screenshot, company_body, fake
):
    user = await browser_users.user()
    body = company_body(
        phones=[{"value": "+7 495 123-45-67", "kind": "work"}],
        emails=[{"value": "office@example.ru", "kind": "work"}],
        messengers=[{"value": "@konditer", "kind": "telegram"}],
    )
    body["company"].update(legal_address=fake.address(), postal_address=fake.address(), kpp=fake.kpp())
    party = (await user.api.post("/api/v1/parties", json=body)).json()
    for phone in (True, False):
        page = await logged_in_page(user, f"/parties/{party['id']}", phone=phone)
        call = page.locator(".contact-actions a[href^='tel:']")
        await expect(call).to_have_attribute("href", "tel:+74951234567")
        await expect(page.locator(".contact-actions a[href='mailto:office@example.ru']")).to_be_visible()
        await expect(page.locator(".contact-actions a[href='https://t.me/konditer']")).to_be_visible()
        log_call = page.get_by_role("button", name="Log a call")
        await expect(log_call).to_be_visible()
        requisites = page.locator("details[data-fold='main']")
        if phone:
            for target in (call, log_call):
                box = await target.bounding_box()
                assert box is not None and box["y"] + box["height"] < 812, box
            await expect(requisites).not_to_have_attribute("open", "")
            await expect(requisites.get_by_text(party["company"]["inn"])).to_be_hidden()
            await requisites.locator("summary").click()
            await expect(requisites.get_by_text(party["company"]["inn"])).to_be_visible()
            await screenshot(page, "card-actions")
        else:
            await expect(requisites.get_by_text(party["company"]["inn"])).to_be_visible()
