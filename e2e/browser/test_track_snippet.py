"""The tracking snippet in a real browser: it keeps the visitor id and reports the page view it is on."""

import uuid

from crm_core.testing import eventually


async def test_the_snippet_reports_the_page_with_its_utm_and_a_submission_links_it(browser, base_url, users, anonymous):
    owner = await users.user([await users.team("north")])
    form = await owner.client.post(
        "/api/v1/forms",
        json={
            "name": "Заявка",
            "fields": [
                {"name": "person_name", "type": "text", "required": True, "label_ru": "Имя"},
                {"name": "email", "type": "email", "required": True, "label_ru": "E-mail"},
            ],
            "owner_id": owner.id,
        },
    )
    assert form.status_code == 201, form.text
    # A page of the site (served here by the browser itself) carrying the snippet.
    page_url = f"{base_url}/site-{uuid.uuid4().hex[:6]}.html?utm_source=yandex&utm_campaign=armatura"
    context = await browser.new_context()
    page = await context.new_page()
    await page.route(
        "**/site-*.html*",
        lambda route: route.fulfill(
            content_type="text/html; charset=utf-8",
            body='<!doctype html><html lang="ru"><title>Арматура А500С</title>'
            f'<script src="{base_url}/api/v1/public/track.js" async></script>',
        ),
    )
    beacon = page.wait_for_event("requestfinished", lambda r: r.url.endswith("/api/v1/public/visits"))
    await page.goto(page_url)
    await beacon
    visitor = await page.evaluate("localStorage.getItem('crm_vid')")
    assert visitor
    await page.reload()  # the second view keeps the same visitor id
    assert await page.evaluate("localStorage.getItem('crm_vid')") == visitor
    await context.close()

    email = f"{uuid.uuid4().hex[:8]}@zavod.example.ru"
    submitted = await anonymous.post(
        f"/api/v1/public/forms/{form.json()['token']}/submissions",
        json={"values": {"person_name": "Ольга", "email": email}, "visitor_id": visitor},
    )
    assert submitted.status_code == 201, submitted.text
    lead = (await owner.client.get("/api/v1/leads", params={"q": email})).json()["items"][0]

    async def visits():  # type: ignore[no-untyped-def]
        found = (await owner.client.get(f"/api/v1/leads/{lead['id']}/visits")).json()["items"]
        return found if len(found) == 2 else None

    seen = await eventually(visits)
    assert {v["url"] for v in seen} == {page_url}
    assert {(v["title"], v["utm"]["source"], v["utm"]["campaign"]) for v in seen} == {
        ("Арматура А500С", "yandex", "armatura")
    }
