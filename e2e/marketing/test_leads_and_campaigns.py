"""Marketing through the gateway: web forms from a company's site, leads, conversion, ROI, access."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal
from typing import Any

import httpx

from crm_core.testing import eventually

SITE = "https://stanki-ural.ru"
FIELDS = [
    {"name": "person_name", "type": "text", "required": True, "label_ru": "Имя", "label_en": "Name"},
    {"name": "email", "type": "email", "required": True, "label_ru": "Почта", "label_en": "E-mail"},
    {"name": "phone", "type": "phone", "label_ru": "Телефон", "label_en": "Phone"},
    {"name": "comment", "type": "textarea", "label_ru": "Что нужно?", "label_en": "What do you need?"},
]


async def _campaign(api: httpx.AsyncClient, **extra: Any) -> dict[str, Any]:
    body = {"name": f"Сайт, прайс {uuid.uuid4().hex[:6]}", "type": "web_form", "status": "active", **extra}
    response = await api.post("/api/v1/campaigns", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _form(api: httpx.AsyncClient, campaign_id: str, **extra: Any) -> dict[str, Any]:
    body = {
        "name": "Запрос прайса",
        "campaign_id": campaign_id,
        "fields": FIELDS,
        "allowed_origins": [SITE],
        "success_message_ru": "Спасибо! Перезвоним в течение часа.",
        "success_message_en": "Thank you! We will call you back within an hour.",
        **extra,
    }
    response = await api.post("/api/v1/forms", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _visit(email: str) -> dict[str, Any]:
    return {
        "values": {"person_name": "Олег Васильев", "email": email, "phone": "8 912 000-11-22", "comment": "Фрезер"},
        "website": "",
        "visitor_id": str(uuid.uuid4()),
        "utm": {"source": "yandex", "medium": "cpc", "campaign": "stanki"},
        "page_url": f"{SITE}/price?utm_source=yandex",
    }


async def _leads_with(api: httpx.AsyncClient, text: str) -> list[dict[str, Any]]:
    response = await api.get("/api/v1/leads", params={"q": text})
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def test_a_form_on_the_company_s_site_makes_a_lead_in_its_campaign(users, anonymous) -> None:
    team = await users.team("marketing")
    owner = await users.user([team], ["marketing"])
    campaign = await _campaign(owner.client)
    form = await _form(owner.client, campaign["id"])
    assert form["token"] in form["snippet"] and form["submit_url"].endswith("/submissions")
    url = f"/api/v1/public/forms/{form['token']}"
    preflight = await anonymous.options(
        f"{url}/submissions", headers={"Origin": SITE, "Access-Control-Request-Method": "POST"}
    )
    assert (preflight.status_code, preflight.headers["access-control-allow-origin"]) == (204, SITE)
    shown = await anonymous.get(url, headers={"Origin": SITE})
    assert [f["label_ru"] for f in shown.json()["fields"]] == ["Имя", "Почта", "Телефон", "Что нужно?"]
    email = f"{uuid.uuid4().hex[:8]}@zavod-ural.ru"
    sent = await anonymous.post(
        f"{url}/submissions", json=_visit(email), headers={"Origin": SITE, "Accept-Language": "ru-RU"}
    )
    assert sent.status_code == 201, sent.text
    assert sent.headers["access-control-allow-origin"] == SITE
    assert sent.json() == {"outcome": "created", "message": "Спасибо! Перезвоним в течение часа."}
    [lead] = await _leads_with(owner.client, email)
    assert (lead["campaign_id"], lead["channel"], lead["owner_id"], lead["phone_e164"]) == (
        campaign["id"],
        "form",
        owner.id,
        "+79120001122",
    )
    assert (lead["utm"]["source"], lead["raw"]["page_url"]) == ("yandex", f"{SITE}/price?utm_source=yandex")
    script = await anonymous.get(f"{url}/embed.js")
    assert script.status_code == 200 and "data-crm-form" in script.text


async def test_spam_bursts_other_sites_and_bad_fields_are_refused_and_nothing_is_stored(users, anonymous) -> None:
    owner = await users.user([await users.team("site")])
    form = await _form(owner.client, (await _campaign(owner.client))["id"], rate_limit_per_minute=3)
    url = f"/api/v1/public/forms/{form['token']}/submissions"
    before = (await owner.client.get("/api/v1/leads/count")).json()["count"]
    spam = _visit("bot@spam.example") | {"website": "http://cheap.example"}
    refused = await anonymous.post(url, json=spam, headers={"Origin": SITE})
    assert (refused.status_code, refused.json()["errors"][0]["code"]) == (422, "spam_rejected")
    assert refused.headers["access-control-allow-origin"] == SITE  # the site's script can read why
    elsewhere = await anonymous.post(url, json=_visit("x@ok.ru"), headers={"Origin": "https://evil.example"})
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (403, "origin_not_allowed")
    assert "access-control-allow-origin" not in elsewhere.headers
    missing = _visit("") | {"values": {"person_name": "\u0000", "email": ""}}
    bad = await anonymous.post(url, json=missing, headers={"Origin": SITE})
    assert bad.status_code == 422, bad.text
    garbage = await anonymous.post(url, content=b"[1, 2", headers={"Origin": SITE, "Content-Type": "application/json"})
    assert garbage.status_code == 400
    unknown = await anonymous.post("/api/v1/public/forms/no-such-token/submissions", json=_visit("a@b.ru"))
    assert unknown.status_code == 404
    assert (await owner.client.get("/api/v1/leads/count")).json()["count"] == before
    # The burst: the refused tries above count too, so the limit (3 a minute) is reached at once.
    burst = await anonymous.post(url, json=_visit("late@ok.ru"), headers={"Origin": SITE})
    assert (burst.status_code, burst.json()["code"]) == (429, "rate_limited")


async def test_converting_a_lead_twice_makes_one_company_one_person_one_deal(users) -> None:
    sales = await users.user([await users.team("sales")])
    campaign = await _campaign(sales.client, type="exhibition", name=f"Иннопром {uuid.uuid4().hex[:6]}")
    company = f"ООО «Уралсталь {uuid.uuid4().hex[:6]}»"
    lead = (
        await sales.client.post(
            "/api/v1/leads",
            json={
                "person_name": "Петров Сергей Иванович",
                "company_name": company,
                "email": f"{uuid.uuid4().hex[:8]}@uralstal.ru",
                "campaign_id": campaign["id"],
            },
        )
    ).json()
    body = {"create_company": True, "create_person": True, "create_deal": True, "deal_amount": "1250000.50"}
    answers = await asyncio.gather(
        *(sales.client.post(f"/api/v1/leads/{lead['id']}/convert", json=body) for _ in range(2))
    )
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    again = await sales.client.post(f"/api/v1/leads/{lead['id']}/convert", json=body)
    converted = again.json()
    assert {(a.json()["company_id"], a.json()["person_id"], a.json()["deal_id"]) for a in [*answers, again]} == {
        (converted["company_id"], converted["person_id"], converted["deal_id"])
    }
    parties = (await sales.client.get("/api/v1/parties", params={"q": company})).json()["items"]
    assert [p["id"] for p in parties] == [converted["company_id"]]
    deal = (await sales.client.get(f"/api/v1/deals/{converted['deal_id']}")).json()
    assert deal["source"] == {"campaign_id": campaign["id"], "lead_id": lead["id"]}
    assert deal["amount"] == "1250000.50"


async def test_winning_and_paying_a_converted_deal_shows_revenue_and_roi(users) -> None:
    sales = await users.user([await users.team("north")])
    campaign = await _campaign(sales.client, type="advertising", name=f"Директ {uuid.uuid4().hex[:6]}")
    cost = await sales.client.post(
        f"/api/v1/campaigns/{campaign['id']}/costs",
        json={"date": "2026-11-01", "item": "Яндекс Директ", "amount": "40000"},
    )
    assert cost.status_code == 201, cost.text
    lead = (
        await sales.client.post("/api/v1/leads", json={"company_name": "АО Вектор", "campaign_id": campaign["id"]})
    ).json()
    converted = (
        await sales.client.post(
            f"/api/v1/leads/{lead['id']}/convert",
            json={"create_company": True, "create_deal": True, "deal_amount": "100000"},
        )
    ).json()
    deal = (await sales.client.get(f"/api/v1/deals/{converted['deal_id']}")).json()
    pipeline = (await sales.client.get(f"/api/v1/pipelines/{deal['pipeline_id']}")).json()
    won = next(s["id"] for s in pipeline["stages"] if s["category"] == "won")
    moved = await sales.client.post(f"/api/v1/deals/{deal['id']}/move", json={"stage_id": won})
    assert moved.status_code == 200, moved.text
    paid = await sales.client.post(
        f"/api/v1/deals/{deal['id']}/payments",
        json={"status": "received", "amount": "100000", "received_on": "2026-11-20"},
    )
    assert paid.status_code == 201, paid.text

    async def funnel() -> dict[str, Any] | None:
        report = (await sales.client.get("/api/v1/campaigns/report", params={"campaign_id": campaign["id"]})).json()
        found = report["campaigns"][0]["funnel"] if report["campaigns"] else None
        return found if found and found["revenue"] == "100000.00" else None

    found = await eventually(funnel, timeout=15)
    assert (found["cost"], found["leads"], found["converted"], found["won"]) == ("40000.00", 1, 1, 1)
    assert Decimal(found["roi"]) == Decimal("1.5")


async def test_a_lead_of_another_team_is_404_and_never_counted(users) -> None:
    north = await users.user([await users.team("north")])
    south = await users.user([await users.team("south")])
    marker = uuid.uuid4().hex[:10]
    lead = (await north.client.post("/api/v1/leads", json={"company_name": f"Тайна {marker}"})).json()
    assert (await south.client.get(f"/api/v1/leads/{lead['id']}")).status_code == 404
    assert (await south.client.post(f"/api/v1/leads/{lead['id']}/qualify")).status_code == 404
    assert (await south.client.get(f"/api/v1/leads/{lead['id']}/audit")).status_code == 404
    assert (await south.client.get("/api/v1/leads", params={"q": marker})).json()["items"] == []
    assert (await south.client.get("/api/v1/leads/count", params={"q": marker})).json()["count"] == 0
    assert (await north.client.get("/api/v1/leads/count", params={"q": marker})).json()["count"] == 1


async def test_a_deal_s_source_must_be_a_campaign_its_author_can_see(users, sales_client_company) -> None:
    north = await users.user([await users.team("north")])
    south = await users.user([await users.team("south")])
    hidden = await _campaign(south.client)
    client = await sales_client_company(north.client)
    for source in ({"campaign_id": hidden["id"]}, {"campaign_id": str(uuid.uuid4())}, {"campaign_id": "выставка"}):
        response = await north.client.post(
            "/api/v1/deals", json={"title": "Станок", "client_id": client["id"], "source": source}
        )
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0] == {
            "field": "source.campaign_id",
            "code": "campaign_not_found",
            "message": response.json()["errors"][0]["message"],
        }
    mine = await _campaign(north.client)
    ok = await north.client.post(
        "/api/v1/deals", json={"title": "Станок", "client_id": client["id"], "source": {"campaign_id": mine["id"]}}
    )
    assert ok.status_code == 201, ok.text


async def test_bad_campaign_and_lead_input_is_a_clear_422(users) -> None:
    user = await users.user([await users.team("north")])
    bad = await user.client.post(
        "/api/v1/campaigns", json={"name": "x", "type": "exhibition", "budget": "много", "starts_on": "31.12.2026"}
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"budget", "starts_on"}
    lead = await user.client.post("/api/v1/leads", json={"email": "нет", "phone": "123", "inn": "1111111111"})
    assert {e["field"]: e["code"] for e in lead.json()["errors"]} == {
        "email": "invalid_email",
        "phone": "invalid_phone",
        "inn": "invalid_inn",
    }


async def test_a_form_submission_starts_a_qualification_process_for_the_lead_s_owner(admin, users, anonymous) -> None:
    team = await users.team("web")
    owner = await users.user([team])
    form = await _form(owner.client, (await _campaign(owner.client))["id"], team_id=team)
    key = f"site-leads-{uuid.uuid4().hex[:8]}"
    definition = f"""
key: {key}
name: Call leads of the price-list form
trigger:
  event: lead.captured
  condition: form_id == "{form["id"]}"
steps:
  - id: call
    type: user_task
    task: {{type: call, subject: "Перезвонить: {{name}}"}}
    assignee: owner
    deadline: {{working_days: 1}}
    next: done
  - {{id: done, type: end}}
"""
    published = await admin.client.post(
        "/api/v1/process-definitions", content=definition.encode(), headers={"Content-Type": "application/yaml"}
    )
    assert published.status_code == 201, published.text
    email = f"{uuid.uuid4().hex[:8]}@zavod-ural.ru"
    sent = await anonymous.post(
        f"/api/v1/public/forms/{form['token']}/submissions", json=_visit(email), headers={"Origin": SITE}
    )
    assert sent.status_code == 201, sent.text
    [lead] = await _leads_with(owner.client, email)

    async def call() -> dict[str, Any] | None:
        found = (await owner.client.get("/api/v1/tasks", params={"filter": f"link:eq:lead:{lead['id']}"})).json()
        return found["items"][0] if found["items"] else None

    task = await eventually(call, timeout=15)
    assert (task["subject"], task["assignee_id"], task["team_id"]) == ("Перезвонить: Олег Васильев", owner.id, team)
