"""Installable and usable without a network: the manifest, the service worker, a card opened offline from what was
saved, a note written offline sent once when the network is back, and nothing left behind after logout."""

import json

from playwright.async_api import expect

NOTE = "Записал без сети: перезвонить в пятницу"


async def test_the_client_is_installable_with_a_manifest_and_a_service_worker(browser_users, pages, base_url):
    user = await browser_users.user()
    page = await pages.open("/", user=user, offline_ready=True)
    href = await page.locator('link[rel="manifest"]').get_attribute("href")
    manifest = await page.request.get(href)
    assert manifest.ok and manifest.headers["content-type"].startswith("application/manifest+json")
    body = json.loads(await manifest.text())
    assert body["display"] == "standalone" and body["start_url"] == "/"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in body["icons"]}
    for icon in body["icons"]:
        assert (await page.request.get(base_url + href.rsplit("/", 1)[0] + "/" + icon["src"])).ok, icon

    worker = await page.request.get("/sw.js")
    assert worker.ok and worker.headers["cache-control"] == "no-cache"
    assert "{{" not in await worker.text()
    # The worker is installed (this version's files saved) and controls the next page load.
    await page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
    await page.reload()
    assert await page.evaluate("Boolean(navigator.serviceWorker.controller)")


async def test_a_card_seen_before_opens_offline_and_a_note_written_offline_is_sent_once_back_online(
    browser_users, pages, wait_ready, company_body
):
    user = await browser_users.user()
    party = (await user.api.post("/api/v1/parties", json=company_body())).json()
    page = await pages.open("/", user=user, offline_ready=True)
    await page.evaluate("localStorage.setItem('crm.lang', 'ru')")
    await page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
    await page.goto(f"/parties/{party['id']}")
    await wait_ready(page, "party")
    await expect(page.get_by_role("heading", level=1)).to_have_text(party["display_name"])

    await page.context.set_offline(True)
    await page.reload()  # the page itself comes from the service worker, the card's data from the saved answers
    await wait_ready(page, "party")
    await expect(page.get_by_role("heading", level=1)).to_have_text(party["display_name"])
    await expect(page.locator(".offline-bar")).to_contain_text("Нет сети")

    await page.locator('[data-section="notes"] textarea').fill(NOTE)
    await page.locator('[data-section="notes"]').get_by_role("button", name="Добавить заметку").click()
    await expect(page.locator('[data-section="notes"]')).to_contain_text("отправится, когда связь вернётся")
    await expect(page.locator(".offline-bar")).to_contain_text("1 изменение ждёт отправки")
    assert (await user.api.get(f"/api/v1/parties/{party['id']}/notes")).json()["items"] == []

    await page.context.set_offline(False)
    await expect(page.locator(".toast-success")).to_contain_text("Отправлено 1 изменение", timeout=15_000)
    await expect(page.locator(".offline-bar")).to_be_hidden()
    notes = (await user.api.get(f"/api/v1/parties/{party['id']}/notes")).json()["items"]
    assert [n["text"] for n in notes] == [NOTE]
    # Sent once: going offline and online again sends nothing more.
    await page.context.set_offline(True)
    await page.context.set_offline(False)
    await page.wait_for_timeout(500)
    assert len((await user.api.get(f"/api/v1/parties/{party['id']}/notes")).json()["items"]) == 1


async def test_logout_deletes_what_was_saved_for_offline_use(browser_users, pages, wait_ready, company_body):
    user = await browser_users.user()
    party = (await user.api.post("/api/v1/parties", json=company_body())).json()
    page = await pages.open(f"/parties/{party['id']}", user=user, offline_ready=True)
    await wait_ready(page, "party")
    saved = "caches.keys().then((keys) => keys.filter((k) => k.startsWith('crm-data-')).length)"
    assert await page.evaluate(saved) == 1
    await page.get_by_role("button", name="Sign out").click()
    await page.wait_for_url("**/login**")
    await page.wait_for_function(f"{saved}.then((n) => n === 0)")
    assert await page.evaluate("localStorage.getItem('crm.outbox')") is None
