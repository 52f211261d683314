"""The knowledge base in the browser: a support user writes, previews and publishes an article; a colleague finds it
by another word form with the words highlighted and says it helped; the history restores an older text; the list
on a 375 px phone in Russian."""

from __future__ import annotations

import uuid

from playwright.async_api import expect


async def test_write_publish_find_vote_and_restore(
    browser_users, logged_in_page, wait_ready, unlabelled, screenshot
) -> None:  # type: ignore[no-untyped-def]
    writer = await browser_users.user(roles=["support"])
    reader = await browser_users.user()
    word = "zq" + uuid.uuid4().hex[:8]

    page = await logged_in_page(writer, "/kb")
    await wait_ready(page, "knowledge")
    await page.get_by_role("button", name="New category").click()
    dialog = page.locator("dialog")
    await dialog.get_by_label("Name in Russian").fill(f"Возвраты {word}")
    await dialog.get_by_role("button", name="Create").click()
    await wait_ready(page, "knowledge")
    await expect(page.locator("main").get_by_label("Category")).to_contain_text(f"Возвраты {word} (0)")
    await page.get_by_role("link", name="New article").click()
    await wait_ready(page, "knowledge-new")
    assert await unlabelled(page) == []
    await page.locator("main").get_by_label("Title").fill(f"How to pay an invoice {word}")
    await page.locator("main").get_by_label("Language").select_option("en")
    await page.locator("main").get_by_label("Visible to").select_option("public")
    await page.locator("main").get_by_label("Tags").fill(f"billing, {word}")
    await (
        page.locator("main")
        .get_by_label("Text", exact=True)
        .fill(f"Pay the invoice {word} by card.\n\n- <b>not bold</b>\n- second")
    )
    await page.get_by_role("button", name="Preview").click()
    preview = page.locator(".kb-preview")
    await expect(preview.locator("li").first).to_have_text("<b>not bold</b>")
    await page.get_by_role("button", name="Save").click()
    await wait_ready(page, "knowledge-article")
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"How to pay an invoice {word}")
    await page.get_by_role("button", name="Publish").click()
    await expect(page.get_by_role("button", name="Publish")).to_have_count(0)

    await page.get_by_role("link", name="Edit").click()
    await wait_ready(page, "knowledge-edit")
    await page.locator("main").get_by_label("Text", exact=True).fill(f"A new text {word}.")
    await page.get_by_role("button", name="Save").click()
    await wait_ready(page, "knowledge-article")
    await page.get_by_role("link", name="Version history").click()
    await wait_ready(page, "knowledge-versions")
    await page.get_by_role("button", name="Restore version 1").click()
    await wait_ready(page, "knowledge-article")
    await expect(page.locator(".kb-article")).to_contain_text(f"Pay the invoice {word} by card.")

    other = await logged_in_page(reader, f"/kb?query=invoices+{word}")
    await wait_ready(other, "knowledge")
    item = other.locator(".kb-item")
    await expect(item).to_have_count(1)
    await expect(item.locator("mark")).to_have_text(["invoice", word])
    await expect(other.get_by_role("link", name="New article")).to_have_count(0)
    await item.get_by_role("link").click()
    await wait_ready(other, "knowledge-article")
    await other.get_by_role("button", name="Yes, it helped").click()
    await expect(other.locator(".kb-votes")).to_contain_text("Helpful: 1")
    await expect(other.get_by_role("button", name="Yes, it helped")).to_have_attribute("aria-pressed", "true")
    await screenshot(other, "knowledge-article")
    await other.get_by_role("link", name=word, exact=True).click()
    await wait_ready(other, "knowledge")
    await expect(other.locator(".kb-tag-filter")).to_contain_text(f"Tag: {word}")
    await expect(other.locator(".kb-item")).to_have_count(1)


async def test_the_list_on_a_phone_in_russian(browser_users, pages, wait_ready, unlabelled, screenshot) -> None:  # type: ignore[no-untyped-def]
    reader = await browser_users.user()
    page = await pages.open("/kb", phone=True, user=reader, language="ru")
    await wait_ready(page, "knowledge")
    await expect(page.get_by_role("heading", level=1)).to_have_text("База знаний")
    await expect(page.locator("main").get_by_label("Раздел", exact=True)).to_contain_text("Оплата и документы")
    assert await unlabelled(page) == []
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    await screenshot(page, "knowledge-phone")

    writer = await browser_users.user(roles=["support"])
    editor = await pages.open("/kb/new", phone=True, user=writer, language="ru")
    await wait_ready(editor, "knowledge-new")
    await expect(editor.get_by_role("heading", level=1)).to_have_text("Новая статья")
    assert await unlabelled(editor) == []
    assert await editor.evaluate("document.documentElement.scrollWidth") <= 375
