"""The customer portal in the browser, in Russian on a 375 px phone: support invites a person from their card, the
client contact sets a password from the invitation link, files a request, and rates it once support has resolved
it."""

from __future__ import annotations

import uuid

from playwright.async_api import expect

from e2e.helpdesk.conftest import client_company
from e2e.helpdesk.portal import link_from_mail, person_of

PASSWORD = "портал-пароль-42"


async def test_a_client_contact_files_a_request_and_rates_it_on_a_phone_in_russian(  # type: ignore[no-untyped-def]
    admin, browser_users, pages, logged_in_page, wait_ready, mail_server, screenshot, unlabelled, fake
) -> None:
    support = await browser_users.user(["support"])
    company = await client_company(support.api, fake)
    person = await person_of(support.api, company["id"])
    card = await logged_in_page(support, f"/parties/{person['id']}", language="ru")
    await wait_ready(card, "party")
    panel = card.locator('[data-section="portal"]')
    await expect(panel).to_contain_text("Не приглашён в портал.")
    await panel.get_by_role("button", name="Пригласить в портал").click()
    await expect(panel).to_contain_text("Приглашён, пароль не задан")
    token = await link_from_mail(mail_server, person["email"], "accept")

    page = await pages.open(None, phone=True, language="ru")
    await page.goto(f"/portal/#/accept/{token}")
    await expect(page.get_by_role("heading", name="Задайте пароль")).to_be_visible()
    await page.get_by_label("Пароль *").fill(PASSWORD)
    await page.get_by_label("Пароль ещё раз").fill(PASSWORD)
    await page.get_by_role("button", name="Сохранить и войти").click()
    await expect(page.get_by_role("heading", name="Мои обращения")).to_be_visible()

    await page.get_by_role("link", name="Новое обращение").click()
    await page.get_by_label("Тема *").fill("Не приходят счета на почту")
    await page.get_by_label("Описание").fill("С ноября счета не приходят бухгалтеру")
    await page.get_by_label("Категория").select_option("incident")
    assert await unlabelled(page) == []
    await page.get_by_role("button", name="Отправить обращение").click()
    await expect(page.get_by_role("heading", name="Не приходят счета на почту")).to_be_visible()
    ticket_id = page.url.rsplit("/", 1)[-1]
    await page.get_by_label("Выберите файл").set_input_files(
        files=[{"name": "счёт.txt", "mimeType": "text/plain", "buffer": "Счёт № 17 не пришёл".encode()}]
    )
    await page.get_by_role("button", name="Прикрепить файл").click()
    await expect(page.get_by_role("button", name="Скачать: счёт.txt")).to_be_visible()
    assert await page.evaluate("document.documentElement.scrollWidth") <= 375

    resolved = await admin.client.post(f"/api/v1/tickets/{ticket_id}/status", json={"status": "resolved"})
    assert resolved.status_code == 200, resolved.text
    await page.reload()
    await expect(page.get_by_role("heading", name="Оцените решение")).to_be_visible()
    await page.get_by_label("★★★★★ 5").check()
    await page.get_by_label("Комментарий").fill("Спасибо, всё пришло")
    assert await unlabelled(page) == []
    await screenshot(page, "portal-rating")
    await page.get_by_role("button", name="Отправить оценку").click()
    await expect(page.get_by_text("Ваша оценка: 5 из 5")).to_be_visible()
    ticket = (await admin.client.get(f"/api/v1/tickets/{ticket_id}")).json()
    assert (ticket["csat_rating"], ticket["channel"], ticket["organisation_id"]) == (5, "portal", company["id"])
    assert await page.evaluate("document.documentElement.scrollWidth") <= 375

    # The public knowledge base: found by a word, read, and rated.
    word = f"справка{uuid.uuid4().hex[:6]}"
    draft = await support.api.post(
        "/api/v1/kb/articles",
        json={"title": f"Где найти акты {word}", "body": f"Акты {word} в разделе документов.", "visibility": "public"},
    )
    published = await support.api.post(
        f"/api/v1/kb/articles/{draft.json()['id']}/publish", headers={"If-Match": draft.headers["etag"]}
    )
    assert published.status_code == 200, published.text
    await page.get_by_role("link", name="База знаний").click()
    await page.get_by_label("Поиск по статьям").fill(word)
    await page.get_by_role("button", name="Найти").click()
    await page.get_by_role("link", name=f"Где найти акты {word}").click()
    await expect(page.get_by_role("heading", name=f"Где найти акты {word}")).to_be_visible()
    await page.get_by_role("button", name="Да").click()
    await expect(page.get_by_text("Вы ответили: помогла.")).to_be_visible()
    assert await unlabelled(page) == []


async def test_marketing_surveys_a_segment_and_a_client_answers_on_the_public_page(  # type: ignore[no-untyped-def]
    browser_users, pages, logged_in_page, wait_ready, mail_server, unlabelled
) -> None:
    marketer = await browser_users.user(["marketing"])
    tag = f"nps-{uuid.uuid4().hex[:6]}"
    person = await person_of(marketer.api, tag=tag)
    segment = await marketer.api.post(
        "/api/v1/segments",
        json={"name": f"Опрос {tag}", "kind": "dynamic", "source": "parties",
              "filters": [{"field": "tags", "op": "in", "value": tag}]},
    )  # fmt: skip
    assert segment.status_code == 201, segment.text

    page = await logged_in_page(marketer, "/nps", language="ru")
    await wait_ready(page, "nps-surveys")
    await page.get_by_role("button", name="Новый опрос").click()
    dialog = page.locator("dialog")
    await dialog.get_by_label("Название").fill(f"Осень {tag}")
    await dialog.get_by_label("Сегмент").select_option(label=f"Опрос {tag}")
    assert await unlabelled(page) == []
    await dialog.get_by_role("button", name="Создать").click()
    await wait_ready(page, "nps-survey")
    await page.get_by_role("button", name="Отправить опрос").click()
    await expect(page.locator("main")).to_contain_text("спрошено 1, ответили 0")
    token = await link_from_mail(mail_server, person["email"], "nps")

    client = await pages.open(None, phone=True, language="ru")
    await client.goto(f"/portal/#/nps/{token}")
    await expect(client.get_by_role("heading", name=f"Осень {tag}")).to_be_visible()
    await client.get_by_label("10", exact=True).check()
    await client.get_by_label("Что повлияло на оценку?").fill("Быстро отвечают")
    assert await unlabelled(client) == []
    assert await client.evaluate("document.documentElement.scrollWidth") <= 375
    await client.get_by_role("button", name="Отправить ответ").click()
    await expect(client.get_by_text("Спасибо за ответ!")).to_be_visible()

    await page.reload()
    await wait_ready(page, "nps-survey")
    await expect(page.locator('[data-section="nps-score"]')).to_contain_text("100")
    await expect(page.locator('[data-section="nps-answers"]')).to_contain_text("Быстро отвечают")
