"""The helpdesk's staff screens in the browser, in Russian on a 375 px phone: an agent opens their queue, opens a
client's ticket (opened through the API), writes an internal note and a reply that sets "waiting on the client";
the thread shows both, the note marked internal in words; the client's card lists the ticket and its timeline
tells the story without the note's text; nothing in English, every control named, no sideways scrolling."""

from __future__ import annotations

import uuid

from playwright.async_api import expect

from crm_core.testing import eventually
from e2e.browser.test_admin import CYRILLIC, ENGLISH_RUN, PAGE_TEXTS, _english_templates
from e2e.helpdesk.conftest import client_company


async def _overflow(page) -> int:  # type: ignore[no-untyped-def]
    return await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


async def test_an_agent_answers_a_ticket_of_their_queue_with_a_note_and_a_reply_in_russian_on_a_phone(  # type: ignore[no-untyped-def]
    admin, browser_users, logged_in_page, wait_ready, screenshot, unlabelled, dictionaries, fake
) -> None:
    team = await browser_users.team()
    agent = await browser_users.user(roles=["support"], team=team)
    renamed = await admin.client.patch(f"/api/v1/users/{agent.id}", json={"display_name": "Анна Смирнова"})
    assert renamed.status_code == 200, renamed.text
    name = f"Бухгалтерия {uuid.uuid4().hex[:6]}"
    made = await admin.client.post(
        "/api/v1/helpdesk/queues", json={"name": name, "team_id": team, "agent_ids": [agent.id], "strategy": "manual"}
    )
    assert made.status_code == 201, made.text
    queue = made.json()
    client = await client_company(agent.api, fake)
    opened = await agent.api.post(
        "/api/v1/tickets",
        json={
            "subject": "Не приходит счёт за ноябрь",
            "description": "Бухгалтер клиента не получил счёт.",
            "requester_party_id": client["id"],
            "priority": "high",
            "queue_id": queue["id"],
        },
    )
    assert opened.status_code == 201, opened.text
    ticket = opened.json()
    templates = _english_templates(dictionaries)

    async def russian_only(where: str, allowed: tuple[str, ...] = ()) -> None:
        texts = await page.evaluate(PAGE_TEXTS)
        english = [
            text
            for text in texts
            if text not in allowed
            and (any(p.fullmatch(text) for p in templates) or (ENGLISH_RUN.search(text) and not CYRILLIC.search(text)))
        ]
        assert english == [], where
        assert await unlabelled(page) == [], where
        assert await _overflow(page) == 0, where

    page = await logged_in_page(agent, "/", phone=True, language="ru")
    await wait_ready(page, "dashboard")
    desk = page.locator('section[aria-labelledby="widget-helpdesk"] .stat')
    await expect(desk).to_have_text(["0Мои обращения", "0Просрочено", "1Не назначено"])
    await desk.filter(has_text="Не назначено").click()
    await wait_ready(page, "tickets")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Не назначенные")
    await expect(page.locator('#nav a[href="/helpdesk"]')).to_have_text("Служба поддержки")  # in the drawer
    await page.get_by_role("navigation", name="Очереди").get_by_role("link", name=name).click()
    await wait_ready(page, "tickets")
    await expect(page.get_by_role("heading", level=1)).to_have_text(name)
    row = page.locator("tbody tr", has_text="Не приходит счёт за ноябрь")
    await expect(row).to_contain_text(f"№ {ticket['number']}")
    await expect(row).to_contain_text("Высокий")
    await expect(row.locator(".sla-badge")).to_have_text("В срок")
    await expect(row).to_contain_text("Первый ответ")
    await russian_only("queue")
    await screenshot(page, "helpdesk-queue-ru")

    await row.get_by_role("link", name="Не приходит счёт за ноябрь").click()
    await wait_ready(page, "ticket")
    await expect(page.locator(".hd-head")).to_contain_text("Новое")
    await expect(page.locator('[data-section="sla"]')).to_contain_text("1 ч")  # the shipped high-priority target
    await expect(page.locator('.card-panel[data-panel="attachments"]')).to_contain_text("Файлов пока нет")
    composer = page.locator('[data-section="composer"]')
    await composer.get_by_text("Внутренняя заметка", exact=True).click()
    await composer.get_by_label("Текст заметки").fill("Проверить выгрузку в 1С")
    await composer.get_by_role("button", name="Добавить заметку").click()
    thread = page.locator(".hd-thread .hd-message")
    await expect(thread).to_have_count(1)

    await composer.get_by_text("Ответ клиенту", exact=True).click()
    await composer.get_by_label("Текст ответа").fill("Отправили счёт повторно, проверьте почту.")
    await composer.get_by_label("Статус после отправки").select_option("pending_customer")
    await composer.get_by_role("button", name="Отправить ответ").click()
    await expect(thread).to_have_count(2)
    note, reply = thread.nth(0), thread.nth(1)
    await expect(note).to_have_attribute("data-kind", "note")
    await expect(note).to_contain_text("Внутренняя заметка")
    await expect(note).to_contain_text("Проверить выгрузку в 1С")
    await expect(reply).to_have_attribute("data-kind", "reply")
    await expect(reply).not_to_contain_text("Внутренняя заметка")
    await expect(page.locator(".hd-head .hd-status")).to_have_text("Ждём клиента")
    await expect(page.locator('[data-section="sla"] [data-target="first_response"]')).to_contain_text("Выполнено")
    await russian_only("ticket")
    await screenshot(page, "helpdesk-ticket-ru")

    # Someone changes the ticket meanwhile: the next move is refused (412) and the page shows the ticket as it is now.
    etag = (await agent.api.get(f"/api/v1/tickets/{ticket['id']}")).headers["ETag"]
    changed = await agent.api.patch(
        f"/api/v1/tickets/{ticket['id']}", json={"priority": "urgent"}, headers={"If-Match": etag}
    )
    assert changed.status_code == 200, changed.text
    await page.locator(".hd-status-actions").get_by_role("button", name="Решено").click()
    await expect(page.locator(".toast-error")).to_contain_text(dictionaries["ru"]["helpdesk.conflict"])
    await expect(page.locator(".hd-head .hd-priority")).to_have_text("Срочный")
    await expect(page.locator(".hd-head .hd-status")).to_have_text("Ждём клиента")

    saved = (await agent.api.get(f"/api/v1/tickets/{ticket['id']}")).json()
    assert (saved["status"], saved["sla_state"]) == ("pending_customer", "paused")
    messages = (await agent.api.get(f"/api/v1/tickets/{ticket['id']}/messages")).json()["items"]
    assert [m["kind"] for m in messages] == ["note", "reply"]
    took = await agent.api.post(f"/api/v1/tickets/{ticket['id']}/assign", json={"assignee_id": agent.id})
    assert took.status_code == 200, took.text

    async def story() -> list[str] | None:
        timeline = (
            await agent.api.get(f"/api/v1/parties/{client['id']}/timeline", params={"source": "helpdesk"})
        ).json()
        types = [item["type"] for item in timeline["items"]]
        return types if {"ticket.status_changed", "ticket.assigned"} <= set(types) else None

    await eventually(story, timeout=15)
    await page.goto(f"/parties/{client['id']}")
    await wait_ready(page, "party")
    panel = page.locator('[data-section="tickets"]')
    await expect(panel.locator(".ticket-line")).to_contain_text(f"№ {ticket['number']} · Не приходит счёт за ноябрь")
    await expect(panel.locator(".ticket-line")).to_contain_text("Ждём клиента")
    replied = page.locator('.timeline-item[data-type="ticket.replied"]')
    await expect(replied).to_have_count(2)
    await expect(replied.nth(0)).to_contain_text(f"Ответ клиенту по обращению № {ticket['number']}")
    await expect(replied.nth(1)).to_contain_text(f"Внутренняя заметка к обращению № {ticket['number']}")
    await expect(page.locator('.timeline-item[data-type="ticket.status_changed"]')).to_contain_text(
        f"Обращение № {ticket['number']}: Ждём клиента"
    )
    await expect(page.locator('.timeline-item[data-type="ticket.assigned"]')).to_contain_text(
        f"Обращение № {ticket['number']} назначено: Анна Смирнова"
    )
    await expect(page.locator(".timeline")).not_to_contain_text("Проверить выгрузку в 1С")
    await russian_only("client card", allowed=("E-mail",))  # contacts' own Russian word (party.email)
