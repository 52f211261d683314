"""The shell: login and logout, language switch, phone width, sections of the registry's services, keyboard and
labels."""

import html
import json
import re
from urllib.parse import urlsplit

from playwright.async_api import expect

from crm_core.registry import REGISTRY

SERVICES_META = re.compile(r'<meta name="crm-services" content="([^"]*)">')


async def test_login_goes_where_you_were_going_and_logout_forgets_the_session(
    browser_users, anonymous_page, wait_ready
):
    user = await browser_users.user()
    page = await anonymous_page("/parties")
    await wait_ready(page, "login")
    assert "/login?next=%2Fparties" in page.url

    await page.get_by_label("Username", exact=True).fill(user.username)
    await page.get_by_label("Password", exact=True).fill("wrong-password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")

    await page.get_by_label("Password", exact=True).fill(user.password)
    await page.get_by_role("button", name="Sign in").click()
    await wait_ready(page, "parties")
    assert page.url.endswith("/parties")
    await expect(page.locator(".user-name")).to_have_text(user.display_name)
    assert await page.evaluate("localStorage.getItem('crm.refresh')")

    await page.get_by_role("button", name="Sign out").click()
    await wait_ready(page, "login")
    assert await page.evaluate("localStorage.getItem('crm.refresh')") is None
    await page.goto("/")
    await wait_ready(page, "login")


async def test_language_switch_translates_the_interface_and_is_remembered(browser_users, logged_in_page, wait_ready):
    user = await browser_users.user()
    page = await logged_in_page(user, "/parties")
    await page.get_by_label("Language", exact=True).select_option("ru")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Клиенты")
    await expect(page.get_by_role("navigation")).to_contain_text("Сводка")
    await expect(page.get_by_role("button", name="Новая компания")).to_be_visible()
    assert await page.evaluate("document.documentElement.lang") == "ru"

    await page.reload()
    await wait_ready(page, "parties")
    await expect(page.get_by_label("Язык", exact=True)).to_have_value("ru")
    await page.get_by_role("link", name="Сводка").click()
    await wait_ready(page, "dashboard")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Сводка")
    await page.get_by_label("Язык", exact=True).select_option("en")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")


async def test_a_browser_speaking_neither_language_gets_the_installations_and_english_ones_get_english(
    browser, base_url
):
    """No saved choice: the browser's language when the client speaks it, else the installation's (ru here)."""
    for locale, title, language in (("de-DE", "Вход", "ru"), ("en-US", "Sign in", "en")):
        context = await browser.new_context(base_url=base_url, locale=locale, service_workers="block")
        try:
            page = await context.new_page()
            await page.goto("/login")
            await expect(page.get_by_role("heading", level=1)).to_have_text(title)
            assert await page.evaluate("document.documentElement.lang") == language
        finally:
            await context.close()


async def test_phone_width_has_a_menu_drawer_and_nothing_wider_than_the_screen(
    browser_users, logged_in_page, wait_ready, company_body
):
    user = await browser_users.user()
    party = (await user.api.post("/api/v1/parties", json=company_body(phones=[{"value": "+7 495 123-45-67"}]))).json()
    page = await logged_in_page(user, "/parties", phone=True)
    nav = page.get_by_role("navigation")
    menu = page.get_by_role("button", name="Menu")
    await expect(nav).to_be_hidden()
    assert await _overflow(page) == 0

    await menu.click()
    await expect(nav).to_be_visible()
    await expect(menu).to_have_attribute("aria-expanded", "true")
    await nav.get_by_role("link", name="Dashboard").click()
    await wait_ready(page, "dashboard")
    await expect(nav).to_be_hidden()
    assert await _overflow(page) == 0

    await page.goto(f"/parties/{party['id']}")
    await wait_ready(page, "party")
    assert await _overflow(page) == 0
    await expect(page.get_by_role("link", name="+7 495 123-45-67")).to_have_attribute("href", "tel:+74951234567")
    await page.locator("details[data-fold='contacts'] summary").click()  # folded below the actions on a phone
    await page.get_by_role("button", name="Edit: Contacts").click()
    assert await _overflow(page) == 0


async def _overflow(page) -> int:  # type: ignore[no-untyped-def]
    """How far the page is wider than the screen (0: no sideways scrolling)."""
    return await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


async def test_the_navigation_lists_every_section_and_the_helpdesk_opens_its_tickets(
    browser_users, logged_in_page, wait_ready
):
    user = await browser_users.user()
    page = await logged_in_page(user, "/")
    nav = page.get_by_role("navigation", name="Sections")
    # Every service of the registry has its screens now (no section is "coming").
    await expect(nav.get_by_role("link")).to_have_text(
        ["Dashboard", "Clients", "Deals", "Catalogue", "Tasks", "Documents", "Marketing", "Helpdesk", "Knowledge base"]
    )
    await expect(nav.locator(".not-landed")).to_have_count(0)
    await nav.get_by_role("link", name="Marketing").click()
    await wait_ready(page, "leads")
    await nav.get_by_role("link", name="Helpdesk").click()
    await wait_ready(page, "tickets")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Tickets")


async def test_the_navigation_lists_the_sections_of_the_registrys_services(browser_users, logged_in_page, wait_ready):
    """An installation without deals and without a helpdesk (the registry index.html carries says so): no Deals,
    Catalogue, Helpdesk or Knowledge base in the navigation."""
    user = await browser_users.user()
    page = await logged_in_page(user, "/")

    async def other_registry(route):  # type: ignore[no-untyped-def]
        response = await route.fetch()
        services = json.loads(html.unescape(SERVICES_META.search(await response.text()).group(1)))
        assert [s["name"] for s in services] == list(REGISTRY)
        services = [s for s in services if s["name"] not in ("deals", "helpdesk")]
        body = SERVICES_META.sub(
            lambda _: f'<meta name="crm-services" content="{html.escape(json.dumps(services))}">',
            await response.text(),
        )
        headers = {k: v for k, v in response.headers.items() if k not in ("content-encoding", "content-length")}
        await route.fulfill(response=response, body=body, headers=headers)

    await page.route(lambda url: not urlsplit(url).path.startswith(("/static/", "/api/")), other_registry)
    await page.reload()
    await wait_ready(page, "dashboard")
    nav = page.get_by_role("navigation", name="Sections")
    await expect(nav.get_by_role("link")).to_have_text(["Dashboard", "Clients", "Tasks", "Documents", "Marketing"])


async def test_keyboard_skip_link_focus_and_every_control_labelled(
    browser_users, logged_in_page, wait_ready, company_body, unlabelled
):
    user = await browser_users.user()
    party = (await user.api.post("/api/v1/parties", json=company_body())).json()
    page = await logged_in_page(user, "/parties")
    await page.keyboard.press("Tab")
    await expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.locator("main")).to_be_focused()

    await page.get_by_role("button", name="New company").click()
    await page.get_by_role("button", name="Save filter").click()
    assert await unlabelled(page) == []

    await page.get_by_role("link", name=party["display_name"]).click()
    await wait_ready(page, "party")
    await expect(page.get_by_role("heading", level=1)).to_be_focused()  # focus follows navigation
    for section in ("Requisites", "Contacts", "Client knowledge"):
        await page.get_by_role("button", name=f"Edit: {section}").click()
    await page.get_by_role("button", name="Link a person").click()
    assert await unlabelled(page) == []
    for add in ("+ phone", "+ need"):
        await page.get_by_role("button", name=add).click()
    assert await unlabelled(page) == []

    await page.goto("/")
    await wait_ready(page, "dashboard")
    assert await unlabelled(page) == []


async def test_components_page_moves_a_kanban_card_and_shows_a_form_error(browser_users, logged_in_page):
    user = await browser_users.user()
    page = await logged_in_page(user, "/components")
    board = page.locator('[data-component="kanban"]')
    card = board.locator(".kanban-card", has_text="Alpha")
    # A mouse drags: the select shows to the keyboard (Tab onto the card) and on touch screens.
    await expect(card.get_by_label("Move to")).to_be_hidden()
    await card.focus()
    await page.keyboard.press("Shift+Tab")
    await page.keyboard.press("Tab")
    await card.get_by_label("Move to").select_option("C")
    await expect(board.locator('[data-column="C"] .kanban-card strong')).to_have_text(["Alpha"])
    await expect(board.locator("h3").nth(2)).to_have_text("C 1")

    form = page.locator('[data-component="form"]')
    await form.get_by_label("company.inn", exact=True).fill("123")
    await form.get_by_role("button", name="Save").click()
    await expect(form.locator('[data-field="company.inn"] .field-error')).to_have_text(
        "Invalid INN: wrong length or check digit."
    )
