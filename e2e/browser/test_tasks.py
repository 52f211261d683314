"""The task screens in the browser: "My tasks" with its counters, quick filters and the header's reminders; the task
card (move the deadline with a reason, start, complete with an outcome and the next activity); "Log a call /
schedule next" on the client and deal cards; and a task of another team staying out of sight."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import unquote

from playwright.async_api import expect

MOSCOW = timezone(timedelta(hours=3))


def _at(**delta: float) -> str:
    """An ISO 8601 time with an offset, `delta` from now (Moscow time: the API keeps the offset it is given)."""
    return (datetime.now(UTC) + timedelta(**delta)).astimezone(MOSCOW).isoformat(timespec="seconds")


def _later_today() -> str:
    """A moment later today in UTC (the browser's zone here), however late the tests run."""
    now = datetime.now(UTC)
    end_of_day = now.replace(hour=23, minute=59, second=0, microsecond=0)
    return (now + min(timedelta(minutes=30), (end_of_day - now) / 2)).isoformat(timespec="seconds")


def _local_input(moment: datetime) -> str:
    """The value a datetime-local input takes (the browser runs in UTC here)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


async def _task(api, *, past: bool = False, **fields) -> dict:  # type: ignore[no-untyped-def]
    body = {"type": "call", "subject": "Обсудить КП", "due_at": _at(hours=2), "remind_before_minutes": 0, **fields}
    response = await api.post("/api/v1/tasks", json=body, params={"allow_past_due": "true"} if past else None)
    assert response.status_code == 201, response.text
    return response.json()


async def _get(api, path: str, **params) -> dict:  # type: ignore[no-untyped-def]
    response = await api.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def _picture(screenshot, page, name: str) -> None:  # type: ignore[no-untyped-def]
    """A screenshot from the top of the page, without the toasts of the steps before."""
    await page.evaluate("() => { document.querySelectorAll('.toast').forEach((t) => t.remove()); scrollTo(0, 0); }")
    await screenshot(page, name)


async def _overflow(page) -> int:  # type: ignore[no-untyped-def]
    return await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


async def test_my_tasks_show_counters_quick_filters_overdue_rows_and_the_reminders_in_the_header(
    browser_users, logged_in_page, wait_ready, screenshot, company_body
):
    user = await browser_users.user()
    client = (await user.api.post("/api/v1/parties", json=company_body())).json()
    late = await _task(user.api, subject="Перезвонить бухгалтеру", due_at=_at(days=-1), priority="urgent", past=True)
    await _task(
        user.api,
        subject="Согласовать отгрузку",
        type="meeting",
        due_at=_later_today(),
        duration_minutes=45,
        remind_before_minutes=1440,  # its reminder is due already: a toast says so
        links=[{"kind": "party", "id": client["id"]}],
    )
    await _task(user.api, subject="Отправить счёт", type="email", due_at=_at(days=3))
    finished = await _task(user.api, subject="Уточнить реквизиты")
    done = await user.api.post(f"/api/v1/tasks/{finished['id']}/complete", json={"result_code": "reached"})
    assert done.status_code == 200, done.text

    page = await logged_in_page(user, "/tasks")
    await expect(page.get_by_role("heading", level=1)).to_have_text("My tasks")
    counters = page.get_by_role("group", name="Task counts")
    await expect(counters.locator(".stat")).to_have_text(["3Open", "1Due today", "1Overdue"])
    rows = page.locator("tbody tr")
    await expect(rows).to_have_count(3)
    await expect(rows.first).to_contain_text("Перезвонить бухгалтеру")  # by due time: the overdue one first
    await expect(rows.first).to_have_class("task-overdue")
    await expect(rows.first).to_contain_text("overdue 1 d")
    await expect(rows.first).to_contain_text("Urgent")
    meeting = rows.filter(has_text="Согласовать отгрузку")
    await expect(meeting).to_contain_text("Meeting")
    await expect(meeting).to_contain_text("Today,")
    await expect(meeting.get_by_role("link", name=client["display_name"])).to_have_attribute(
        "href", f"/parties/{client['id']}"
    )

    for label, subjects in [
        ("Overdue", ["Перезвонить бухгалтеру"]),
        ("Today", ["Согласовать отгрузку"]),
        ("Upcoming", ["Отправить счёт"]),
        ("Done", ["Уточнить реквизиты"]),
    ]:
        await page.get_by_role("button", name=label, exact=True).click()
        await expect(page.get_by_role("button", name=label, exact=True)).to_have_attribute("aria-pressed", "true")
        await expect(rows.locator("td.primary a")).to_have_text(subjects)
    await expect(rows.first).to_contain_text("Done")
    assert "due=done" in page.url
    await page.get_by_label("Subject", exact=True).fill("реквизиты")
    await expect(rows.locator("td.primary a")).to_have_text(["Уточнить реквизиты"])
    await page.get_by_role("button", name="Reset").click()
    await expect(rows).to_have_count(3)

    # The header: overdue and due-today counts, and what is due behind the button; the reminder toast.
    reminders = page.get_by_role("button", name="Tasks: 1 overdue, 1 due today")
    await expect(reminders).to_be_visible()
    await expect(page.locator(".toast", has_text="Reminder:")).to_contain_text("Согласовать отгрузку")
    await reminders.click()
    await expect(reminders).to_have_attribute("aria-expanded", "true")
    due = page.locator(".reminders-list li")
    await expect(due).to_have_count(2)
    await expect(due.first).to_contain_text("Перезвонить бухгалтеру")
    await page.keyboard.press("Escape")
    await expect(page.locator(".reminders-popover")).to_be_hidden()
    await expect(reminders).to_be_focused()

    # Completing the overdue task here shows in the header without waiting for the next minute's poll.
    await page.get_by_role("link", name="Перезвонить бухгалтеру").click()
    await wait_ready(page, "task")
    await page.get_by_role("button", name="Complete").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label("Result").select_option(label="No answer")
    await dialog.get_by_role("button", name="Complete").click()
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_role("button", name="Tasks: 0 overdue, 1 due today")).to_be_visible()
    assert (await _get(user.api, f"/api/v1/tasks/{late['id']}"))["outcome"]["result_code"] == "no_answer"

    await page.goto("/tasks")
    await wait_ready(page, "tasks")
    await expect(rows).to_have_count(2)
    await _picture(screenshot, page, "tasks")
    phone = await logged_in_page(user, "/tasks", phone=True)
    await expect(phone.locator("tbody tr")).to_have_count(2)
    assert await _overflow(phone) == 0
    await phone.get_by_role("button", name="Tasks: 0 overdue, 1 due today").click()
    await expect(phone.locator(".reminders-list li")).to_have_count(1)
    assert await _overflow(phone) == 0
    await _picture(screenshot, phone, "tasks")


async def test_task_card_moves_the_deadline_completes_with_an_outcome_and_the_follow_up_is_listed(
    browser_users, logged_in_page, wait_ready, screenshot, company_body
):
    user = await browser_users.user()
    client = (await user.api.post("/api/v1/parties", json=company_body())).json()
    task = await _task(
        user.api,
        subject="Обсудить условия поставки",
        description="Клиент хочет отсрочку платежа 30 дней.\nУточнить объёмы.",
        priority="high",
        duration_minutes=20,
        links=[{"kind": "party", "id": client["id"]}],
    )
    page = await logged_in_page(user, f"/tasks/{task['id']}")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Обсудить условия поставки")
    main = page.locator('[data-section="main"]')
    await expect(main).to_contain_text("Клиент хочет отсрочку платежа 30 дней.")
    await expect(main).to_contain_text("20 min")
    await expect(main).to_contain_text("UTC")  # the due time says in which zone it is shown
    await expect(main.get_by_role("link", name=client["display_name"])).to_have_attribute(
        "href", f"/parties/{client['id']}"
    )
    await expect(page.locator('[data-section="deadlines"]')).to_contain_text("The deadline has not been moved.")

    await page.get_by_role("button", name="Move deadline").click()
    dialog = page.get_by_role("dialog")
    new_due = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=1, hours=3)
    await dialog.get_by_label("New deadline").fill(_local_input(new_due))
    await dialog.get_by_role("button", name="Move deadline").click()
    reason = dialog.locator('[data-field="due_change_reason"]')
    await expect(reason.locator(".field-error")).not_to_be_empty()  # the server wants a reason
    await dialog.get_by_label("Why does the deadline move?").fill("Клиент в командировке до завтра")
    await dialog.get_by_role("button", name="Move deadline").click()
    await expect(dialog).to_be_hidden()
    history = page.locator('[data-section="deadlines"] li')
    await expect(history).to_have_count(1)
    await expect(history.first).to_contain_text("Клиент в командировке до завтра")
    await expect(history.first).to_contain_text(user.display_name)
    moved = await _get(user.api, f"/api/v1/tasks/{task['id']}")
    assert datetime.fromisoformat(moved["due_at"]) == new_due

    await page.get_by_role("button", name="Start").click()
    await expect(page.locator(".card-sub")).to_contain_text("In progress")
    await expect(page.get_by_role("button", name="Start")).to_have_count(0)

    await page.get_by_role("button", name="Edit: Task").click()
    await main.get_by_label("Priority").select_option(label="Urgent")
    await main.get_by_role("button", name="Save").click()
    await expect(page.locator(".card-sub")).to_contain_text("Urgent")
    edited = await _get(user.api, f"/api/v1/tasks/{task['id']}")
    assert (edited["priority"], edited["links"]) == ("urgent", [{"kind": "party", "id": client["id"]}])

    await page.get_by_role("button", name="Complete").click()
    await expect(dialog).to_contain_text("Complete “Обсудить условия поставки”")
    await dialog.get_by_label("Result").select_option(label="Reached")
    await dialog.get_by_label("What happened, what was agreed").fill("Договорились: отсрочка 14 дней, ждут договор")
    next_subject = dialog.get_by_label("Subject")
    await expect(next_subject).to_be_hidden()
    await dialog.get_by_label("Schedule the next activity").check()
    await dialog.get_by_label("Type").select_option(label="E-mail")
    await next_subject.fill("Отправить договор")
    await dialog.get_by_label("Due").fill(_local_input(datetime.now(UTC) - timedelta(hours=1)))
    await dialog.get_by_role("button", name="Complete").click()
    due_field = dialog.locator('[data-field="next_task.due_at"]')
    await expect(due_field.locator(".field-error")).to_contain_text(
        "choose a time in the future"
    )  # the translation of due_in_past, in place
    assert (await _get(user.api, f"/api/v1/tasks/{task['id']}"))["status"] == "in_progress"
    await dialog.get_by_label("Due").fill(_local_input(new_due + timedelta(days=1)))
    await dialog.get_by_role("button", name="Complete").click()
    await expect(dialog).to_be_hidden()

    outcome = page.locator('[data-section="outcome"]')
    await expect(outcome).to_contain_text("Reached")
    await expect(outcome).to_contain_text("Договорились: отсрочка 14 дней, ждут договор")
    await expect(page.locator(".card-sub")).to_contain_text("Done")
    await expect(page.locator(".task-actions")).to_have_count(0)
    follow_link = outcome.get_by_role("link", name="Отправить договор")
    await expect(follow_link).to_be_visible()
    done = await _get(user.api, f"/api/v1/tasks/{task['id']}")
    follow_up = await _get(user.api, f"/api/v1/tasks/{done['follow_up_task_id']}")
    assert (done["status"], done["outcome"]["text"]) == ("done", "Договорились: отсрочка 14 дней, ждут договор")
    assert (follow_up["type"], follow_up["previous_task_id"], follow_up["links"]) == (
        "email",
        task["id"],
        [{"kind": "party", "id": client["id"]}],
    )
    assert [a["action"] for a in (await _get(user.api, f"/api/v1/tasks/{task['id']}/audit"))["items"]] == [
        "completed",
        "updated",
        "started",
        "updated",
        "created",
    ]
    await expect(page.locator('[data-section="audit"] li').first).to_contain_text("Completed")
    await _picture(screenshot, page, "task")

    await page.get_by_role("navigation", name="Tasks").get_by_role("link", name="My tasks").click()
    await wait_ready(page, "tasks")
    rows = page.locator("tbody tr")
    await expect(rows.locator("td.primary a")).to_have_text(["Отправить договор"])
    await expect(rows.first).to_contain_text("E-mail")
    await expect(rows.first.get_by_role("link", name=client["display_name"])).to_be_visible()

    phone = await logged_in_page(user, f"/tasks/{follow_up['id']}", phone=True)
    await expect(phone.locator('[data-section="outcome"]')).to_contain_text("Follows: Обсудить условия поставки")
    assert await _overflow(phone) == 0
    await phone.get_by_role("button", name="Complete").click()
    assert await _overflow(phone) == 0
    await phone.get_by_role("dialog").get_by_label("Schedule the next activity").check()
    await _picture(screenshot, phone, "task")


async def test_a_call_logged_on_the_client_card_and_a_task_scheduled_on_the_deal_card_show_there(
    browser_users, logged_in_page, wait_ready, screenshot, company_body
):
    user = await browser_users.user()
    client = (await user.api.post("/api/v1/parties", json=company_body())).json()
    name = client["display_name"]
    page = await logged_in_page(user, f"/parties/{client['id']}")
    panel = page.locator('[data-section="tasks"]')
    await expect(panel).to_contain_text("No open tasks.")

    await panel.get_by_role("button", name="Log a call").click()
    form = panel.locator(".task-log")
    await expect(form.get_by_label("Result")).to_be_focused()
    await form.get_by_label("Result").select_option(label="Reached")
    await form.get_by_label("What happened, what was agreed").fill("Нужна доставка к 5 числу, пришлют заявку")
    await form.get_by_label("Schedule the next activity").check()
    await expect(form.get_by_label("Subject")).to_have_value(f"Follow up: {name}")
    await form.get_by_label("Subject").fill("Проверить заявку на доставку")
    await form.get_by_role("button", name="Save").click()
    await expect(page.locator(".toast-success")).to_contain_text("Call logged, next activity scheduled")
    await expect(form).to_have_count(0)
    planned = panel.locator(".task-lines:not(.recent) .task-line")
    await expect(planned).to_have_count(1)
    await expect(planned.first).to_contain_text("Проверить заявку на доставку")
    await expect(planned.first).to_contain_text(f"Tomorrow, 10:00 AM · {user.display_name}")
    recent = panel.locator(".task-lines.recent .task-line")
    await expect(recent).to_have_count(1)
    await expect(recent.first).to_contain_text(f"Call: {name}")
    await expect(recent.first).to_contain_text("Reached Нужна доставка к 5 числу, пришлют заявку")
    done_entry = page.locator(".timeline-item.source-tasks", has_text="Task done")
    await expect(done_entry).to_contain_text(f"Call: {name} · Reached", timeout=15_000)

    listed = (await _get(user.api, "/api/v1/tasks", filter=f"party_id:eq:{client['id']}"))["items"]
    assert [(t["type"], t["status"]) for t in listed] == [("call", "done"), ("call", "open")]
    call, follow_up = listed
    assert call["outcome"] == {"result_code": "reached", "text": "Нужна доставка к 5 числу, пришлют заявку"}
    assert call["follow_up_task_id"] == follow_up["id"] and follow_up["links"] == call["links"]
    await _picture(screenshot, page, "client-tasks")

    # On the deal card: only the next activity, linked to the deal and to its client.
    deal = (
        await user.api.post("/api/v1/deals", json={"client_id": client["id"], "title": "Поставка стеллажей"})
    ).json()
    phone = await logged_in_page(user, f"/deals/{deal['id']}", phone=True)
    deal_panel = phone.locator('[data-section="tasks"]')
    await expect(deal_panel).to_contain_text("No open tasks.")
    await deal_panel.get_by_role("button", name="Schedule").click()
    deal_form = deal_panel.locator(".task-log")
    await expect(deal_form.get_by_label("Result")).to_be_hidden()
    await deal_form.get_by_label("Type").select_option(label="Meeting")
    await deal_form.get_by_label("Subject").fill("Встреча на складе клиента")
    assert await _overflow(phone) == 0
    await _picture(screenshot, phone, "deal-tasks")
    await deal_form.get_by_role("button", name="Save").click()
    await expect(deal_panel.locator(".task-line")).to_have_count(1)
    await expect(deal_panel.locator(".task-line").first).to_contain_text("Встреча на складе клиента")
    (meeting,) = (await _get(user.api, "/api/v1/tasks", filter=f"link:eq:deal:{deal['id']}"))["items"]
    assert meeting["type"] == "meeting"
    assert sorted((link["kind"], link["id"]) for link in meeting["links"]) == [
        ("deal", deal["id"]),
        ("party", client["id"]),
    ]


async def test_another_teams_task_stays_hidden_while_the_teams_manager_sees_it_with_per_person_counts(
    browser_users, logged_in_page, wait_ready, screenshot
):
    team = await browser_users.team()
    owner = await browser_users.user(team=team)
    manager = await browser_users.user(roles=["manager"], team=team)
    stranger = await browser_users.user()
    hidden = await _task(owner.api, subject="Секретные переговоры", due_at=_at(days=-1), past=True)
    await _task(stranger.api, subject="Своя задача", due_at=_at(days=2))

    page = await logged_in_page(stranger, "/tasks")
    await expect(page.locator("tbody td.primary a")).to_have_text(["Своя задача"])
    await expect(page.get_by_role("group", name="Task counts").locator(".stat")).to_have_text(
        ["1Open", "0Due today", "0Overdue"]
    )
    await page.get_by_role("button", name="All", exact=True).click()
    await expect(page.locator("tbody td.primary a")).to_have_text(["Своя задача"])
    await page.get_by_role("link", name="Team tasks").click()
    await wait_ready(page, "team-tasks")
    await expect(page.locator("tbody td.primary a")).to_have_text(["Своя задача"])
    await expect(page.locator("main")).not_to_contain_text("Секретные")
    await page.get_by_role("combobox", name="Search").fill("Секретные")
    await expect(page.locator(".search-results")).to_contain_text("Nothing found")
    await page.goto(f"/tasks/{hidden['id']}")
    await wait_ready(page, "task")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    await expect(page.locator("main")).not_to_contain_text("Секретные")

    # The team's manager: the task is on "Team tasks" (not on "My tasks"), with who is behind.
    boss = await logged_in_page(manager, "/tasks/team")
    await expect(boss.locator("tbody td.primary a")).to_have_text(["Секретные переговоры"])
    await expect(boss.locator(".data-table tbody tr").first).to_have_class("task-overdue")
    per_person = boss.locator("table.per-person tbody tr")
    await expect(per_person).to_have_count(1)
    await expect(per_person.first).to_contain_text(owner.display_name)
    await expect(per_person.first.locator("td")).to_have_text([owner.display_name, "1", "0", "1"])
    await per_person.first.get_by_role("link", name="1", exact=True).last.click()
    await wait_ready(boss, "team-tasks")
    assert "due=overdue" in boss.url and f"filter=assignee_id:eq:{owner.id}" in unquote(boss.url)
    await expect(boss.get_by_role("button", name="Overdue", exact=True)).to_have_attribute("aria-pressed", "true")
    await expect(boss.locator("tbody td.primary a")).to_have_text(["Секретные переговоры"])
    await _picture(screenshot, boss, "team-tasks")
    await boss.get_by_role("link", name="My tasks").click()
    await wait_ready(boss, "tasks")
    await expect(boss.locator("tbody tr.empty")).to_have_text("Nothing found.")


async def test_a_new_task_for_a_client_is_created_on_the_new_task_page(
    browser_users, logged_in_page, wait_ready, company_body
):
    user = await browser_users.user()
    party = (await user.api.post("/api/v1/parties", json=company_body())).json()
    page = await logged_in_page(user, f"/tasks/new?party={party['id']}")
    await wait_ready(page, "task-new")
    await expect(page.get_by_role("heading", level=1)).to_have_text("New task")
    await page.get_by_label("Subject").fill("Позвонить по договору")
    await page.get_by_role("button", name="Create", exact=True).click()
    await wait_ready(page, "task")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Позвонить по договору")
    task = (await user.api.get(f"/api/v1/tasks/{page.url.rsplit('/', 1)[1]}")).json()
    assert (task["subject"], task["links"]) == ("Позвонить по договору", [{"kind": "party", "id": party["id"]}])


async def test_a_task_is_completed_from_its_list_row_with_a_result_on_a_desktop_and_on_a_phone(
    browser_users, logged_in_page, wait_ready, screenshot
):
    user = await browser_users.user()
    tasks = [await _task(user.api, subject=f"Перезвонить {n}", priority="high") for n in range(1, 6)]
    for phone, task in ((False, tasks[0]), (True, tasks[1])):
        page = await logged_in_page(user, "/tasks", phone=phone)
        row = page.locator("tbody tr", has_text=task["subject"])
        await expect(row).to_contain_text("High")
        assert (await row.inner_text()).count("High") == 1  # the priority once, in its column
        if phone:
            # A compact row: the subject and the button on one line, the rest on a second one.
            rows = page.locator("tbody tr")
            heights = [(await rows.nth(i).bounding_box())["height"] for i in range(await rows.count())]
            assert max(heights) < 90, heights
            assert await _overflow(page) == 0
            await _picture(screenshot, page, "tasks-compact")
        await row.get_by_role("button", name=f"Complete: {task['subject']}").click()
        dialog = page.get_by_role("dialog")
        await dialog.get_by_label("Result").select_option(label="Reached")
        await dialog.get_by_label("Schedule the next activity").check()
        await dialog.get_by_label("Subject").fill(f"Отправить КП {task['subject']}")
        await dialog.get_by_role("button", name="Complete").click()
        await expect(dialog).to_be_hidden()
        await expect(page.locator("tbody tr", has_text=task["subject"]).first).to_contain_text("Отправить КП")
        done = await _get(user.api, f"/api/v1/tasks/{task['id']}")
        assert (done["status"], done["outcome"]["result_code"]) == ("done", "reached")
        assert done["follow_up_task_id"]
