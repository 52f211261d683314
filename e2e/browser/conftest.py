"""The web client in real headless Chromium, against the platform the e2e suite starts.

Fixtures for every domain's browser tests:

* `browser`: one Chromium (Debian's /usr/bin/chromium, driven by Playwright) for the session.
* `browser_users.user(roles=None, team=None)`: a user in a team of their own (so they see only what the test
  creates) or in `team` (`browser_users.team()`), with a known password and an httpx client (`.api`) for seeding
  data through the REST API.
* `logged_in_page(user, path, phone=False, language="en", timezone_id=None)`: a fresh browser context logged in
  as `user`, on `path`, after the page is ready; in `language` ("ru": Russian, with a ru-RU browser) and the
  browser's time zone `timezone_id` ("Europe/Moscow"; the machine's when None). Page errors and missing
  translations fail the test.
* `anonymous_page(phone=False)`: a fresh context nobody is logged in to.
* `wait_ready(page, name)`: until the client has rendered page `name` (main[data-page][aria-busy=false]).
* `screenshot(page, name)`: artifacts/screenshots/<name>-<desktop|phone>.png.
* `unlabelled(page)`: the visible form controls and buttons a screen reader could not name (a test wants none).
* `dictionaries`: the client's translations, {"en": {...}, "ru": {...}} (i18n/<language>.json).

Playwright cannot download its own browser here (and must not try): `make test` installs Debian's
chromium package first; without /usr/bin/chromium these tests are skipped, saying why.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from crm_core.launcher import Platform

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
PASSWORD = "browser-password-1"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
HERE = Path(__file__).resolve().parent
WEB = Path(__file__).resolve().parents[2] / "web"  # the web client's folder (CRM_GATEWAY_WEB_DIR)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: `make chromium` installs Debian's chromium package (root)")
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.browser)
            if "browser" in getattr(item, "fixturenames", ()) and not CHROMIUM.exists():
                item.add_marker(skip)


@pytest.fixture(scope="session")
def base_url(platform: Platform) -> str:
    return platform.config.gateway_url


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@dataclass
class BrowserUser:
    id: str
    username: str
    password: str
    display_name: str
    api: httpx.AsyncClient


class BrowserUsers:
    """Users with a password the browser can type (built on the e2e `users` directory)."""

    def __init__(self, users) -> None:  # type: ignore[no-untyped-def]
        self.users = users

    async def team(self) -> str:
        """A new team (for users who share one: pass it to `user`)."""
        return await self.users.team("web")

    async def user(self, roles: list[str] | None = None, team: str | None = None) -> BrowserUser:
        """A user in `team`, or in a team of their own."""
        user = await self.users.user([team or await self.team()], roles)
        response = await self.users.admin.client.patch(f"/api/v1/users/{user.id}", json={"password": PASSWORD})
        assert response.status_code == 200, response.text
        # A new password ends the user's sessions: log the API client in again.
        login = await user.client.post("/api/v1/auth/login", json={"username": user.username, "password": PASSWORD})
        user.client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        return BrowserUser(user.id, user.username, PASSWORD, response.json()["display_name"], user.client)


@pytest.fixture(scope="session")
def browser_users(users) -> BrowserUsers:  # type: ignore[no-untyped-def]
    return BrowserUsers(users)


class PageProblems:
    """Uncaught errors and missing translations a page reported (network 4xx are expected, not problems)."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def watch(self, page) -> None:  # type: ignore[no-untyped-def]
        page.on("pageerror", lambda error: self.items.append(f"page error: {error}"))
        page.on("console", self._console)

    def _console(self, message) -> None:  # type: ignore[no-untyped-def]
        text = message.text
        if text.startswith("i18n:") or (message.type == "error" and "Failed to load resource" not in text):
            self.items.append(f"console {message.type}: {text}")


async def until_ready(page, name: str | None = None, timeout: float = 10_000) -> None:  # type: ignore[no-untyped-def]
    """Until the client has rendered a page (`name` = the page's name, e.g. 'party')."""
    selector = 'main[aria-busy="false"]' + (f'[data-page="{name}"]' if name else "")
    await page.wait_for_selector(selector, timeout=timeout)


@pytest.fixture(scope="session")
def wait_ready() -> Callable[..., Awaitable[None]]:
    return until_ready


async def new_context(  # type: ignore[no-untyped-def]
    browser,
    base_url: str,
    *,
    phone: bool = False,
    refresh_token: str | None = None,
    language: str = "en",
    timezone_id: str | None = None,
    offline_ready: bool = False,
):
    """A browser context with empty caches; logged in when given a refresh token (as the client stores it).

    The client's service worker is blocked unless `offline_ready`: requests it answers would pass by page.route,
    which tests use to change what the gateway answers (test_offline.py tests the worker itself).
    """
    storage = [{"name": "crm.lang", "value": language}]
    if refresh_token:
        storage.append({"name": "crm.refresh", "value": refresh_token})
    return await browser.new_context(
        base_url=base_url,
        viewport=PHONE if phone else DESKTOP,
        is_mobile=phone,
        has_touch=phone,
        locale="ru-RU" if language == "ru" else "en-US",
        timezone_id=timezone_id,
        service_workers="allow" if offline_ready else "block",
        storage_state={"cookies": [], "origins": [{"origin": base_url, "localStorage": storage}]},
    )


async def refresh_token(base_url: str, user: BrowserUser) -> str:
    async with httpx.AsyncClient(base_url=base_url, timeout=15) as client:
        response = await client.post("/api/v1/auth/login", json={"username": user.username, "password": user.password})
    assert response.status_code == 200, response.text
    return response.json()["refresh_token"]


class Pages:
    """Opens pages in fresh contexts and closes them afterwards; fails on problems the pages reported."""

    def __init__(self, browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
        self.browser = browser
        self.base_url = base_url
        self.contexts: list = []
        self.problems = PageProblems()

    async def open(  # type: ignore[no-untyped-def]
        self,
        path: str | None,
        *,
        phone: bool = False,
        user: BrowserUser | None = None,
        language: str = "en",
        timezone_id: str | None = None,
        offline_ready: bool = False,
    ):
        token = await refresh_token(self.base_url, user) if user else None
        context = await new_context(
            self.browser,
            self.base_url,
            phone=phone,
            refresh_token=token,
            language=language,
            timezone_id=timezone_id,
            offline_ready=offline_ready,
        )
        self.contexts.append(context)
        context.set_default_timeout(10_000)
        page = await context.new_page()
        self.problems.watch(page)
        if path is not None:
            await page.goto(path)
            await until_ready(page)
        return page

    async def close(self) -> None:
        for context in self.contexts:
            await context.close()
        assert not self.problems.items, self.problems.items


@pytest.fixture
async def pages(browser, base_url: str) -> AsyncIterator[Pages]:  # type: ignore[no-untyped-def]
    opened = Pages(browser, base_url)
    yield opened
    await opened.close()


@pytest.fixture
def logged_in_page(pages: Pages) -> Callable[..., Awaitable]:
    """logged_in_page(user, path="/", phone=False, language="en", timezone_id=None) -> a ready Page of a fresh
    context logged in as `user`."""

    async def open_page(  # type: ignore[no-untyped-def]
        user: BrowserUser, path: str = "/", *, phone: bool = False, language: str = "en", timezone_id: str | None = None
    ):
        return await pages.open(path, phone=phone, user=user, language=language, timezone_id=timezone_id)

    return open_page


@pytest.fixture
def anonymous_page(pages: Pages) -> Callable[..., Awaitable]:
    """anonymous_page(path="/", phone=False) -> a ready Page of a fresh context nobody is logged in to."""

    async def open_page(path: str = "/", *, phone: bool = False):  # type: ignore[no-untyped-def]
        return await pages.open(path, phone=phone)

    return open_page


@pytest.fixture(scope="session")
def screenshot() -> Callable[..., Awaitable[Path]]:
    """screenshot(page, name): a full-page PNG in artifacts/screenshots/<name>-<desktop|phone>.png."""

    async def save(page, name: str) -> Path:  # type: ignore[no-untyped-def]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"]
        path = SCREENSHOTS / f"{name}-{'phone' if width < 600 else 'desktop'}.png"
        await page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture(scope="session")
def dictionaries() -> dict[str, dict]:  # type: ignore[type-arg]
    """The client's translations by language: {"en": {key: text or plural forms}, "ru": {...}}."""
    return {
        language: json.loads((WEB / "i18n" / f"{language}.json").read_text(encoding="utf-8"))
        for language in ("en", "ru")
    }


# Every form control has a name a screen reader can say; every button too.
UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter((el) => el.offsetParent !== null || el.getClientRects().length)
  .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
                    || (el.tagName === 'BUTTON' && el.textContent.trim())))
  .map((el) => el.outerHTML.slice(0, 120))"""


@pytest.fixture(scope="session")
def unlabelled() -> Callable[..., Awaitable[list[str]]]:
    """unlabelled(page) -> the visible inputs, selects, text areas and buttons without an accessible name."""

    async def find(page) -> list[str]:  # type: ignore[no-untyped-def]
        return await page.evaluate(UNLABELLED)

    return find
