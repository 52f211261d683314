"""The money dashboard in Russian at phone width: won against the plan without kopecks, the pipeline, deals
without a next step as links; the plans page reached from it saves a plan typed the Russian way."""

from __future__ import annotations

from datetime import date

from playwright.async_api import expect

from crm_core.testing import create_company
from e2e.deals.conftest import new_board

NBSP = "\u00a0\u202f"


def _plain(text: str) -> str:
    for space in NBSP:
        text = text.replace(space, " ")
    return text


async def _ok(response):  # type: ignore[no-untyped-def]
    assert response.status_code in (200, 201), response.text
    return response.json()


async def test_the_money_dashboard_in_russian_on_a_phone(
    browser_users, logged_in_page, wait_ready, screenshot, unlabelled, fake
):
    team = await browser_users.team()
    head = await browser_users.user(["manager"], team=team)
    client = await create_company(head.api, fake)
    board = await new_board(browser_users.users.admin.client)
    body = {"client_id": client["id"], "pipeline_id": board.id, "team_id": team}
    won = await _ok(
        await head.api.post("/api/v1/deals", json={**body, "title": "Поставка стеллажей", "amount": "1250000"})
    )
    await _ok(await head.api.post(f"/api/v1/deals/{won['id']}/move", json={"stage_id": board.stage("Won")}))
    waiting = await _ok(
        await head.api.post("/api/v1/deals", json={**body, "title": "Монтаж склада", "amount": "400000"})
    )
    month = date.today().isoformat()[:7]
    await _ok(await head.api.put("/api/v1/sales-plans", json={"month": month, "team_id": team, "amount": "2000000"}))

    page = await logged_in_page(head, "/", phone=True)
    await page.evaluate("() => localStorage.setItem('crm.lang', 'ru')")
    await page.reload()
    await wait_ready(page, "dashboard")
    widget = page.locator(".money-dashboard")
    await expect(widget).to_contain_text("Выиграно в этом месяце")
    await page.get_by_label("Команда", exact=True).select_option(team)
    await expect(widget.locator(".money-tiles .stat").first).to_contain_text("плана")
    tiles = _plain(await widget.locator(".money-tiles").inner_text())
    assert "1 250 000 ₽" in tiles and "2 000 000 ₽" in tiles and ",00" not in tiles, tiles
    assert "63 %" in tiles or "62 %" in tiles, tiles  # 1 250 000 of 2 000 000
    assert "400 000 ₽" in tiles, tiles
    await expect(widget.get_by_role("link", name="Монтаж склада")).to_have_attribute("href", f"/deals/{waiting['id']}")
    assert await page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
    assert await unlabelled(page) == []
    await screenshot(page, "money-dashboard-ru")

    await widget.get_by_role("link", name="Планы продаж").click()
    await wait_ready(page, "sales-plans")
    await page.get_by_label("Сумма", exact=True).fill("2 500 000")
    await page.get_by_role("button", name="Сохранить план").click()
    await expect(page.locator("tbody")).to_contain_text("2 500 000")
    plans = await _ok(await head.api.get("/api/v1/sales-plans", params={"from": month, "to": month, "team_id": team}))
    assert [(p["user_id"], p["amount"]) for p in plans["items"]] == [("", "2500000.00")]
    assert await page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
    assert await unlabelled(page) == []
