"""The dashboard from real data, and screenshots of the main screens at desktop and phone width
(artifacts/screenshots/<login|list|card|dashboard>-<desktop|phone>.png, listed in docs/web-client.md)."""

import pytest
from playwright.async_api import expect

COMPANIES = [
    {
        "needs": [{"product": "Хранение", "we_offer": False}, {"product": "Доставка", "we_offer": True}],
        "season_months": [3, 4, 9],
        "payment_discipline": "punctual",
        "refusal_reasons": [{"code": "price", "note": "Дорого"}],
    },
    {"needs": [{"product": "Доставка", "we_offer": True}], "season_months": [4], "payment_discipline": "minor_delays"},
    {"needs": [{"product": "Доставка", "we_offer": True}], "payment_discipline": "punctual"},
]


@pytest.fixture(scope="module")
async def seeded(browser_users):  # type: ignore[no-untyped-def]
    """A manager with three client companies, a linked person and a note: a realistic card and dashboard."""
    from crm_core.testing import russian_faker

    fake = russian_faker()
    user = await browser_users.user()
    parties = []
    for knowledge in COMPANIES:
        body = {
            "kind": "company",
            "company": {
                "legal_name": fake.company(),
                "inn": fake.businesses_inn(),
                "kpp": fake.kpp(),
                "industry": "Логистика",
                "legal_address": fake.address(),
                "size": "51-250",
            },
            "phones": [{"kind": "work", "value": fake.phone_number()}],
            "emails": [{"kind": "work", "value": fake.company_email()}],
            "messengers": [{"kind": "telegram", "value": "@" + fake.user_name()}],
            "relationship_types": ["client"],
            "tags": ["опт"],
            "knowledge": {**knowledge, "purchase_volume": {"amount": "1500000", "currency": "RUB", "period": "year"}},
        }
        response = await user.api.post("/api/v1/parties", json=body)
        assert response.status_code == 201, response.text
        parties.append(response.json())
    person = (
        await user.api.post(
            "/api/v1/parties",
            json={
                "kind": "person",
                "person": {
                    "last_name": fake.last_name_male(),
                    "first_name": fake.first_name_male(),
                    "position": "Закупщик",
                },
                "phones": [{"kind": "mobile", "value": fake.phone_number()}],
                "relationship_types": ["client"],
            },
        )
    ).json()
    card = parties[0]
    await user.api.put(f"/api/v1/parties/{card['id']}/people/{person['id']}", json={"role": "Закупщик"})
    await user.api.post(f"/api/v1/parties/{card['id']}/notes", json={"text": "Просили КП на хранение к весне"})
    return user, card


async def test_dashboard_shows_counts_and_client_knowledge_charts(seeded, logged_in_page):
    user, _ = seeded
    page = await logged_in_page(user, "/")
    # The clients card's figures (the money dashboard comes first: deals/lazy/money.js).
    stats = page.locator('section[aria-labelledby="widget-parties"] .stat')
    await expect(stats.first).to_contain_text("4")  # all parties of this manager
    await expect(stats.filter(has_text="Companies")).to_contain_text("3")
    needs = page.locator("figure", has=page.get_by_text("Needs", exact=True))
    await expect(needs.locator(".bar-label")).to_have_text(["Доставка", "Хранение"])
    await expect(needs.locator(".bar-value")).to_have_text(["3", "1"])
    unmet = page.locator("figure", has=page.get_by_text("Needs we do not cover"))
    await expect(unmet.locator(".bar-label")).to_have_text(["Хранение"])
    discipline = page.locator("figure", has=page.get_by_text("Payment discipline"))
    await expect(discipline.locator(".bar-label").first).to_have_text("Pays on time")
    seasons = page.locator("figure", has=page.get_by_text("Buying seasons"))
    await expect(seasons.locator(".column-value")).to_have_text(["", "", "1", "2", "", "", "", "", "1", "", "", ""])
    await stats.filter(has_text="Companies").click()
    await expect(page.locator("tbody a.party-link")).to_have_count(3)


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
async def test_screenshots_of_the_main_screens(seeded, logged_in_page, anonymous_page, wait_ready, screenshot, phone):
    user, card = seeded
    page = await anonymous_page("/login", phone=phone)
    await page.evaluate("document.fonts.ready")
    shots = [await screenshot(page, "login")]
    page = await logged_in_page(user, "/parties", phone=phone)
    shots.append(await screenshot(page, "list"))
    await page.goto(f"/parties/{card['id']}")
    await wait_ready(page, "party")
    await expect(page.locator('.timeline-item[data-type="note.added"]')).to_have_count(1, timeout=15_000)
    await page.reload()  # the timeline as it stands, not mid-update
    await wait_ready(page, "party")
    shots.append(await screenshot(page, "card"))
    await page.goto("/")
    await wait_ready(page, "dashboard")
    shots.append(await screenshot(page, "dashboard"))
    assert all(shot.stat().st_size > 10_000 for shot in shots)
