"""The list of clients: filters, saved filters, sort; the top search as you type, by keyboard."""

import uuid

from playwright.async_api import expect


async def test_filter_and_a_saved_filter_bring_back_the_same_list(
    browser_users, logged_in_page, wait_ready, company_body
):
    user = await browser_users.user()
    tag = f"vip{uuid.uuid4().hex[:6]}"
    tagged = [(await user.api.post("/api/v1/parties", json=company_body(tags=[tag]))).json() for _ in range(2)]
    other = (await user.api.post("/api/v1/parties", json=company_body(relationship_types=["client"]))).json()
    page = await logged_in_page(user, "/parties")
    rows = page.locator("tbody a.party-link")
    await expect(rows).to_have_count(3)

    await page.get_by_label("Tag", exact=True).fill(tag)
    await expect(rows).to_have_count(2)
    await expect(page.locator(".list-count")).to_have_text("2 found")
    assert f"filter=tags%3Aeq%3A{tag}" in page.url
    await page.get_by_label("Sort", exact=True).select_option(label="Name A–Z")
    names = sorted(p["display_name"] for p in tagged)
    await expect(rows).to_have_text(names)

    await page.get_by_role("button", name="Save filter").click()
    await page.get_by_label("Filter name", exact=True).fill("My VIPs")
    await page.locator(".saved-form").get_by_role("button", name="Save").click()
    await expect(page.get_by_label("Saved filters", exact=True)).to_have_value(await _option_value(page, "My VIPs"))

    await page.get_by_role("button", name="Reset").click()
    await expect(rows).to_have_count(3)
    await page.get_by_label("Relationship", exact=True).select_option("client")
    await expect(rows).to_have_text([other["display_name"]])

    await page.goto("/parties")  # a new visit: the saved filter is on the server
    await wait_ready(page, "parties")
    await page.get_by_label("Saved filters", exact=True).select_option(label="My VIPs")
    await expect(rows).to_have_text(names)
    await expect(page.get_by_label("Tag", exact=True)).to_have_value(tag)


async def _option_value(page, label: str) -> str:  # type: ignore[no-untyped-def]
    return await page.get_by_label("Saved filters", exact=True).locator("option", has_text=label).get_attribute("value")


async def test_top_search_finds_parties_as_you_type_and_opens_one_by_keyboard(
    browser_users, logged_in_page, wait_ready, company_body
):
    user = await browser_users.user()
    party = (await user.api.post("/api/v1/parties", json=company_body())).json()
    page = await logged_in_page(user, "/")
    search = page.get_by_role("combobox", name="Search")
    await search.focus()
    await search.press_sequentially(party["company"]["inn"][:7], delay=30)
    option = page.get_by_role("option", name=party["display_name"])
    await expect(option).to_be_visible()
    await expect(search).to_have_attribute("aria-expanded", "true")
    await search.press("ArrowDown")
    await expect(option).to_have_attribute("aria-selected", "true")
    await search.press("Enter")
    await wait_ready(page, "party")
    await expect(page.get_by_role("heading", level=1)).to_have_text(party["display_name"])
    assert page.url.endswith(f"/parties/{party['id']}")


async def test_phone_search_opens_full_width_and_shows_the_legal_name_inn_and_the_matched_phone(
    browser_users, logged_in_page, wait_ready, company_body
):
    user = await browser_users.user()
    body = company_body(phones=[{"value": "+7 495 000-11-22"}, {"value": "+7 812 765-43-21"}])
    body["company"].update(legal_name="Кондитерский комбинат «Добрый день»", short_name="ККД")
    party = (await user.api.post("/api/v1/parties", json=body)).json()
    page = await logged_in_page(user, "/", phone=True)
    search = page.get_by_role("combobox", name="Search")
    await search.focus()
    box = await page.locator(".searchbox").bounding_box()
    assert box is not None and box["width"] >= 360, box
    await search.press_sequentially("765-43", delay=30)
    option = page.get_by_role("option", name="ККД")
    await expect(option).to_be_visible()
    await expect(option).to_contain_text("Кондитерский комбинат «Добрый день»")
    await expect(option).to_contain_text(f"INN {party['company']['inn']}")
    await expect(option).to_contain_text("765")
    await expect(option).not_to_contain_text("000-11")
    results = await page.locator(".search-results").bounding_box()
    assert results is not None and results["width"] >= 360, results
    # The title reads as words, not a word per line.
    title = await option.locator(".search-title").bounding_box()
    assert title is not None and title["height"] < 30, title
