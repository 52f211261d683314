"""The client card's history in the browser, in Russian and in Moscow time: every entry is written by the client
from its event's fields (never the server's English summary): a task's due time in the reader's zone, a stage move
with the stage names and the amount the Russian way, a process's task attributed to the process by its name."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone

from playwright.async_api import expect

from crm_core.testing import eventually
from e2e.browser.test_admin import CYRILLIC, ENGLISH_RUN, _english_templates

MOSCOW = timezone(timedelta(hours=3))
NBSP = "\u00a0\u202f"
YAML = {"Content-Type": "application/yaml"}
RAW_CODE = re.compile(r"\b[a-z]+\.[a-z_]+\b")  # an event type as its code ("process.started")
# The texts of the timeline a person reads (text nodes and the titles shown on hover).
TIMELINE_TEXTS = """() => {
  const root = document.querySelector('.timeline-wrap');
  const texts = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    if (text) texts.push(text);
  }
  for (const el of root.querySelectorAll('[title]')) texts.push(el.getAttribute('title').trim());
  return texts;
}"""


def _process(key: str, name: str, user_id: str) -> str:
    return f"""key: {key}
name: {name}
trigger: manual
steps:
  - id: call
    name: Позвонить клиенту
    type: user_task
    task: {{type: call, subject: "Уточнить сроки поставки"}}
    assignee: {{user: {user_id}}}
    next: done
  - id: done
    type: end
"""


async def _created(api, path: str, body: dict) -> dict:  # type: ignore[no-untyped-def,type-arg]
    response = await api.post(path, json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_the_russian_history_in_moscow_time_is_written_from_the_events_fields(
    browser_users, logged_in_page, wait_ready, dictionaries, company_body, screenshot
):
    admin = await browser_users.user(roles=["admin"])
    seller = await browser_users.user()
    tag = uuid.uuid4().hex[:6]
    pipeline = await _created(
        admin.api,
        "/api/v1/pipelines",
        {
            "name": f"Опт {tag}",
            "stages": [
                {"name": "Первичный контакт", "probability": 10},
                {"name": "Переговоры", "probability": 50},
                {"name": "Выиграна", "probability": 100, "category": "won"},
                {"name": "Проиграна", "probability": 0, "category": "lost"},
            ],
        },
    )
    stages = {s["name"]: s["id"] for s in pipeline["stages"]}
    process_name = f"Допродажа {tag}"
    key = f"upsell-{tag}"
    published = await admin.api.post(
        "/api/v1/process-definitions", content=_process(key, process_name, seller.id).encode(), headers=YAML
    )
    assert published.status_code == 201, published.text

    client = await _created(seller.api, "/api/v1/parties", company_body())
    deal = await _created(
        seller.api,
        "/api/v1/deals",
        {"client_id": client["id"], "pipeline_id": pipeline["id"], "title": "Стеллажи", "amount": "1250000"},
    )
    moved = await seller.api.post(f"/api/v1/deals/{deal['id']}/move", json={"stage_id": stages["Переговоры"]})
    assert moved.status_code == 200, moved.text
    # Due at 13:30 in Moscow three days on: a client writing the server's UTC would say 10:30.
    due = (datetime.now(MOSCOW) + timedelta(days=3)).replace(hour=13, minute=30, second=0, microsecond=0)
    await _created(
        seller.api,
        "/api/v1/tasks",
        {
            "type": "meeting",
            "subject": "Встреча на складе",
            "due_at": due.isoformat(),
            "links": [{"kind": "party", "id": client["id"]}],
        },
    )
    await _created(admin.api, "/api/v1/process-instances", {"key": key, "record": {"kind": "deal", "id": deal["id"]}})

    async def projected() -> bool:
        items = (await seller.api.get(f"/api/v1/parties/{client['id']}/timeline")).json()["items"]
        subjects = {i["data"].get("subject") for i in items if i["type"] == "task.created"}
        types = {i["type"] for i in items}
        return {"deal.stage_changed", "process.started"} <= types and {
            "Встреча на складе",
            "Уточнить сроки поставки",
        } <= subjects

    await eventually(projected, timeout=20)

    page = await logged_in_page(seller, f"/parties/{client['id']}", language="ru", timezone_id="Europe/Moscow")
    await wait_ready(page, "party")
    entries = page.locator(".timeline-item")

    meeting = entries.filter(has_text="Встреча на складе")
    await expect(meeting).to_have_attribute("data-type", "task.created")
    await expect(meeting).to_contain_text("Задача запланирована")
    await expect(meeting).to_contain_text("Встреча · Встреча на складе · срок:")
    await expect(meeting).to_contain_text("13:30")
    await expect(meeting).not_to_contain_text("10:30")

    move = page.locator('.timeline-item[data-type="deal.stage_changed"]')
    await expect(move).to_contain_text("Сделка перемещена")
    text = await move.inner_text()
    for space in NBSP:
        text = text.replace(space, " ")
    assert "Стеллажи · Первичный контакт → Переговоры · 1 250 000" in text, text
    await expect(move).to_contain_text(seller.display_name)  # a user's move is theirs

    process_task = entries.filter(has_text="Уточнить сроки поставки")
    await expect(process_task.locator(".timeline-meta")).to_contain_text(f"процесс «{process_name}»")
    started = page.locator('.timeline-item[data-type="process.started"]')
    await expect(started).to_contain_text("Процесс запущен")
    await expect(started).to_contain_text(process_name)
    await expect(started.locator(".timeline-meta")).to_contain_text(f"процесс «{process_name}»")
    await expect(page.locator(".timeline-meta", has_text="кто-то")).to_have_count(0)

    # Nothing in English: no server summary, no raw event code, no English label.
    templates = _english_templates(dictionaries)
    people = {seller.display_name, admin.display_name}
    texts = [text.lstrip("· ") for text in await page.evaluate(TIMELINE_TEXTS)]
    english = [
        text
        for text in texts
        if text not in people
        and (
            any(p.fullmatch(text) for p in templates)
            or (ENGLISH_RUN.search(text) and not CYRILLIC.search(text))
            or RAW_CODE.search(text)
        )
    ]
    assert english == [], english
    await screenshot(page, "timeline-ru")
