"""The Files panel in the browser: a file uploaded on a deal card shows its progress bar while it is sent (a slow
upload, throttled in Chromium) and then stands in the list; dropped files upload too; an image previews in the
page; a refused file says why in the reader's language; the panel fits a 375 px phone."""

from __future__ import annotations

import os
import re

from playwright.async_api import expect

from crm_core.testing import create_company

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000100ffff03000006000557bfabd40000000049454e44ae426082"
)


async def _deal(user, fake) -> dict:  # type: ignore[no-untyped-def]
    client = await create_company(user.api, fake)
    response = await user.api.post("/api/v1/deals", json={"title": "Поставка плитки", "client_id": client["id"]})
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_a_file_uploaded_on_a_deal_card_shows_progress_then_stands_in_the_list(
    browser_users, logged_in_page, wait_ready, screenshot, fake
) -> None:
    user = await browser_users.user()
    deal = await _deal(user, fake)
    page = await logged_in_page(user, f"/deals/{deal['id']}")
    await wait_ready(page, "deal")
    panel = page.locator('[data-section="attachments"]')
    await expect(panel).to_contain_text("No files yet.")

    # 2 MB at 512 KB/s: the bar is on screen, part way, for a few seconds.
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("Network.enable")
    await cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 512 * 1024},
    )
    content = b"%PDF-1.4\n" + os.urandom(2 * 1024 * 1024)
    await panel.locator('input[type="file"]').first.set_input_files(
        {"name": "Спецификация.pdf", "mimeType": "application/pdf", "buffer": content}
    )
    upload = panel.locator('.attachment-upload[data-file="Спецификация.pdf"]')
    await expect(upload).to_be_visible()
    bar = upload.locator("progress")
    await page.wait_for_function(
        "(bar) => bar.value > 0 && bar.value < 100", arg=await bar.element_handle(), timeout=10_000
    )
    await screenshot(page, "attachment-uploading")
    await cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    row = panel.locator(".attachment", has_text="Спецификация.pdf")
    await expect(row).to_be_visible(timeout=20_000)
    await expect(row).to_contain_text("2 MB")
    await expect(row).to_contain_text(user.display_name)

    listed = (await user.api.get("/api/v1/attachments", params={"record_type": "deal", "record_id": deal["id"]})).json()
    assert [a["filename"] for a in listed["items"]] == ["Спецификация.pdf"]

    # Dropped on the panel: uploaded the same way; an image previews in a dialog.
    await panel.locator(".attachment-drop").evaluate(
        """(zone, bytes) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(bytes)], 'logo.png', { type: 'image/png' }));
            zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }""",
        list(PNG_1PX),
    )
    image_row = panel.locator(".attachment", has_text="logo.png")
    await expect(image_row).to_be_visible()
    await image_row.get_by_role("button", name="Preview").click()
    dialog = page.locator("dialog.attachment-preview")
    await expect(dialog.locator("img")).to_be_visible()
    assert await dialog.locator("img").evaluate("(img) => img.complete && img.naturalWidth === 1")
    await dialog.get_by_role("button", name="Close").click()

    # A disguised program is refused, and the bar says why.
    await panel.locator('input[type="file"]').first.set_input_files(
        {"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": b"MZ" + os.urandom(2048)}
    )
    refused = panel.locator('.attachment-upload[data-file="invoice.pdf"]')
    await expect(refused).to_have_attribute("data-state", "failed")
    await expect(refused).to_contain_text("Programs and scripts cannot be attached.")
    await expect(panel.locator(".attachment")).to_have_count(2)
    await screenshot(page, "attachments-panel")


async def test_the_files_panel_fits_a_phone_in_russian(
    browser_users, logged_in_page, wait_ready, screenshot, fake
) -> None:
    user = await browser_users.user()
    deal = await _deal(user, fake)
    files = {"file": ("Очень длинное имя договора поставки с приложениями и спецификацией.pdf", b"%PDF-1.4\n" * 50)}
    created = await user.api.post(
        "/api/v1/attachments", data={"record_type": "deal", "record_id": deal["id"]}, files=files
    )
    assert created.status_code == 201, created.text
    page = await logged_in_page(user, f"/deals/{deal['id']}", phone=True, language="ru")
    await wait_ready(page, "deal")
    panel = page.locator('[data-section="attachments"]')
    await expect(panel.get_by_role("heading", name="Файлы")).to_be_visible()
    await expect(panel).to_contain_text("Перетащите файлы сюда")
    await expect(panel.locator(".attachment")).to_have_count(1)
    await panel.scroll_into_view_if_needed()
    assert await page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
    await screenshot(page, "attachments-panel-ru")


async def test_the_client_and_task_cards_have_their_files_too(browser_users, logged_in_page, wait_ready, fake) -> None:
    user = await browser_users.user()
    client = await create_company(user.api, fake)
    task = await user.api.post(
        "/api/v1/tasks",
        json={"type": "call", "subject": "Обсудить договор", "links": [{"kind": "party", "id": client["id"]}]},
    )
    assert task.status_code == 201, task.text
    for record_type, record_id, name in (
        ("party", client["id"], "реквизиты.txt"),
        ("task", task.json()["id"], "notes.txt"),
    ):
        created = await user.api.post(
            "/api/v1/attachments",
            data={"record_type": record_type, "record_id": record_id},
            files={"file": (name, "Текст".encode())},
        )
        assert created.status_code == 201, created.text
    page = await logged_in_page(user, f"/parties/{client['id']}")
    await wait_ready(page, "party")
    await expect(page.locator('[data-section="attachments"] .attachment')).to_have_text(re.compile("реквизиты.txt"))
    await page.goto(f"/tasks/{task.json()['id']}")
    await wait_ready(page, "task")
    await expect(page.locator('[data-section="attachments"] .attachment')).to_have_text(re.compile("notes.txt"))
