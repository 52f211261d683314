"""The performance budget: first load of the card < 300 KB transferred, every page interactive < 1 s on
this machine, the card opens < 5 s on an emulated slow 3G network from a loaded client and < 11 s as the first
visit of a card link. The numbers are printed and saved to
artifacts/web-budget.json."""

import json
import time
from pathlib import Path

from playwright.async_api import expect

BUDGET_BYTES = 300 * 1024
INTERACTIVE_MS = 1000
SLOW_3G_MS = 5000
# A first visit to a card link on slow 3G (empty cache, logged in): 27.2 s when the client came as 49 modules,
# 9.3-9.4 s as the bundle. The goal, 5 s, is not reached on HTTP/1.1: docs/benchmarks.md says what is left.
FIRST_VISIT_MS = 11_000
# Chromium DevTools' "Slow 3G" preset: 2 s round trips (400 ms x 5), 500 kbit/s x 0.8 each way.
SLOW_3G = {
    "offline": False,
    "latency": 2000,
    "downloadThroughput": 500 * 1000 / 8 * 0.8,
    "uploadThroughput": 500 * 1000 / 8 * 0.8,
}
REPORT = Path(__file__).resolve().parents[2] / "artifacts" / "web-budget.json"
TRANSFERRED = """() => [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')]
  .reduce((sum, entry) => sum + entry.transferSize, 0)"""


def record(**numbers: object) -> None:
    report = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    report.update(numbers)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2) + "\n")
    print(numbers)


async def ready_ms(page, name: str, timeout: float | None = None) -> float:  # type: ignore[no-untyped-def]
    """Milliseconds from the start of navigation to the client's page-ready mark."""
    await page.wait_for_function(
        "(name) => performance.getEntriesByName(`page-ready:${name}`).length", arg=name, timeout=timeout
    )
    return await page.evaluate("(name) => performance.getEntriesByName(`page-ready:${name}`).at(-1).startTime", name)


async def test_first_load_of_the_card_transfers_under_300_kb_all_from_the_gateway(
    browser_users, pages, base_url, company_body
):
    user = await browser_users.user()
    party = (await user.api.post("/api/v1/parties", json=company_body())).json()
    page = await pages.open(None, user=user)
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("Network.enable")
    encoded: dict[str, float] = {}
    urls: dict[str, str] = {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: encoded.__setitem__(e["requestId"], e["encodedDataLength"]))

    await page.goto(f"/parties/{party['id']}")
    await ready_ms(page, "party")
    await page.evaluate("document.fonts.ready")
    await page.wait_for_load_state("networkidle")

    total = sum(encoded.values())
    assert all(url.startswith(base_url) for url in urls.values()), sorted(set(urls.values()))
    record(
        card_first_load_bytes=int(total),
        card_first_load_requests=len(encoded),
        card_first_load_resource_timing_bytes=await page.evaluate(TRANSFERRED),
    )
    assert 20_000 < total < BUDGET_BYTES


async def test_every_page_is_interactive_within_a_second(browser_users, pages, company_body):
    """Each page opened in a new tab of a browser that has used the client before (its files in the HTTP
    cache, as for any returning user) is ready within 1 s; a first visit, which also fetches every file,
    within 2 s (its time is mostly the browser's own start-up of a fresh profile on this small machine)."""
    user = await browser_users.user()
    party = (await user.api.post("/api/v1/parties", json=company_body())).json()
    first, returning = {}, {}
    for name, path, logged_in in [
        ("login", "/login", False),
        ("dashboard", "/", True),
        ("parties", "/parties", True),
        ("party", f"/parties/{party['id']}", True),
        ("deal-board", "/deals/board", True),  # a lazily imported screen: its modules are not preloaded
        ("tasks", "/tasks", True),  # another domain's lazily imported screen
        ("tickets", "/helpdesk", True),  # the helpdesk's lazily imported screen and its stylesheet
    ]:
        page = await pages.open(None, user=user if logged_in else None)  # empty cache, new session
        await page.goto(path)
        first[name] = round(await ready_ms(page, name))
        again = await page.context.new_page()
        await again.goto(path)
        returning[name] = round(await ready_ms(again, name))
    record(interactive_ms=returning, first_visit_interactive_ms=first)
    assert max(returning.values()) < INTERACTIVE_MS, returning
    assert max(first.values()) < 2 * INTERACTIVE_MS, first


async def test_card_opens_within_5_seconds_on_slow_3g(browser_users, pages, wait_ready, company_body):
    user = await browser_users.user()
    party = (await user.api.post("/api/v1/parties", json=company_body())).json()
    await user.api.post(f"/api/v1/parties/{party['id']}/notes", json={"text": "Asked for a price list"})
    page = await pages.open("/parties", user=user)
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("Network.enable")
    await cdp.send("Network.emulateNetworkConditions", SLOW_3G)

    started = time.perf_counter()
    await page.get_by_role("link", name=party["display_name"]).click()
    await wait_ready(page, "party", timeout=SLOW_3G_MS * 2)
    elapsed = (time.perf_counter() - started) * 1000
    await expect(page.get_by_role("heading", level=1)).to_have_text(party["display_name"])
    await expect(page.locator(".note-text")).to_have_text(["Asked for a price list"])
    await expect(page.locator(".timeline-item").first).to_be_visible()
    record(slow_3g_card_open_ms=round(elapsed))
    assert elapsed < SLOW_3G_MS


async def test_first_visit_of_a_card_link_on_slow_3g_comes_as_the_bundle_within_the_budget(
    browser_users, pages, company_body
):
    """A logged-in user (the refresh token the client keeps in localStorage, nothing in the HTTP cache) opens a
    link to a card on a slow 3G network: the time from the start of navigation to the card's page-ready mark, the
    document, the client's files, the session's refresh and the card's data included. The client comes as the
    build (an entry and its one shared chunk: docs/web-client.md); the time is recorded with the number of requests.
    """
    user = await browser_users.user()
    party = (await user.api.post("/api/v1/parties", json=company_body())).json()
    await user.api.post(f"/api/v1/parties/{party['id']}/notes", json={"text": "Asked for a price list"})
    page = await pages.open(None, user=user)
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("Network.enable")
    await cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    requests: list[str] = []
    cdp.on("Network.requestWillBeSent", lambda e: requests.append(e["request"]["url"]))

    await page.goto(f"/parties/{party['id']}", wait_until="commit", timeout=FIRST_VISIT_MS * 3)
    elapsed = await ready_ms(page, "party", timeout=FIRST_VISIT_MS * 3)
    await expect(page.get_by_role("heading", level=1)).to_have_text(party["display_name"])
    await expect(page.locator(".note-text")).to_have_text(["Asked for a price list"])
    record(slow_3g_first_visit_card_ms=round(elapsed), slow_3g_first_visit_card_requests=len(requests))
    modules = [url for url in requests if url.endswith(".js")]
    assert len(modules) <= 2, modules  # not the sources' dozens of modules: `make web` builds the bundle
    assert elapsed < FIRST_VISIT_MS
