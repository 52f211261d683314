"""The client's REST plumbing on a bad day: an expired access token, an answer lost on the way back."""

from playwright.async_api import expect


async def test_a_rejected_access_token_is_refreshed_and_the_request_repeated(
    browser_users, logged_in_page, wait_ready, company_body
):
    user = await browser_users.user()
    party = (await user.api.post("/api/v1/parties", json=company_body())).json()
    page = await logged_in_page(user, "/")
    refreshed = []
    page.on("request", lambda r: refreshed.append(r.url) if r.url.endswith("/api/v1/auth/refresh") else None)
    rejected = []

    async def reject_once(route):  # type: ignore[no-untyped-def]
        if rejected:
            await route.continue_()
            return
        rejected.append(route.request.headers["authorization"])
        await route.fulfill(
            status=401, content_type="application/problem+json", body='{"status":401,"code":"unauthenticated"}'
        )

    await page.route(f"**/api/v1/parties/{party['id']}", reject_once)
    await page.get_by_role("navigation").get_by_role("link", name="Clients").click()
    await wait_ready(page, "parties")
    await page.get_by_role("link", name=party["display_name"]).click()
    await wait_ready(page, "party")
    await expect(page.get_by_role("heading", level=1)).to_have_text(party["display_name"])
    assert len(rejected) == 1 and len(refreshed) == 1


async def test_a_note_whose_answer_was_lost_is_retried_without_a_second_note(
    browser_users, logged_in_page, company_body
):
    user = await browser_users.user()
    party = (await user.api.post("/api/v1/parties", json=company_body())).json()
    page = await logged_in_page(user, f"/parties/{party['id']}")
    keys = []

    async def lose_first_answer(route):  # type: ignore[no-untyped-def]
        keys.append(route.request.headers["idempotency-key"])
        response = await route.fetch()  # the server stores the note...
        if len(keys) == 1:
            await route.abort("connectionreset")  # ...but the phone never hears back
        else:
            await route.fulfill(response=response)

    await page.route(f"**/api/v1/parties/{party['id']}/notes", lose_first_answer)
    await page.get_by_label("New note", exact=True).fill("Sent from a train")
    await page.get_by_role("button", name="Add note").click()
    await expect(page.locator(".note-text")).to_have_text(["Sent from a train"])
    assert len(keys) == 2 and keys[0] == keys[1]  # the retry carried the same Idempotency-Key
    notes = (await user.api.get(f"/api/v1/parties/{party['id']}/notes")).json()["items"]
    assert [n["text"] for n in notes] == ["Sent from a train"]
