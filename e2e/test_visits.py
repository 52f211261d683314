"""Site visits through the gateway: the tracking snippet's page views, linked by a form submission."""

import json
import uuid

import pytest

from crm_core.testing import eventually

pytestmark = pytest.mark.e2e

SITE = "https://metall.example.ru"


def _page_view(visitor_id: str, path: str, title: str = "Металлопрокат") -> dict[str, str]:
    return {"visitor_id": visitor_id, "url": f"{SITE}{path}", "title": title, "referrer": "https://yandex.ru/"}


async def _beacon(anonymous, body: object, content_type: str = "text/plain;charset=UTF-8"):  # type: ignore[no-untyped-def]
    """What navigator.sendBeacon sends: JSON as text/plain, from the company's site."""
    return await anonymous.post(
        "/api/v1/public/visits",
        content=json.dumps(body) if not isinstance(body, (bytes, str)) else body,
        headers={"content-type": content_type, "origin": SITE},
    )


async def _setting(users):  # type: ignore[no-untyped-def]
    """An owner with a form and a person of theirs that an outsider (another team) may see too."""
    north, south = await users.team("north"), await users.team("south")
    owner = await users.user([north])
    outsider = await users.user([south])
    email = f"{uuid.uuid4().hex[:8]}@zavod.example.ru"
    party = await owner.client.post(
        "/api/v1/parties",
        json={
            "kind": "person",
            "person": {"first_name": "Ольга", "last_name": "Кузнецова"},
            "emails": [{"kind": "work", "value": email}],
            "shared_with": [outsider.id],
        },
    )
    assert party.status_code == 201, party.text
    form = await owner.client.post(
        "/api/v1/forms",
        json={
            "name": "Запрос прайса",
            "fields": [
                {"name": "person_name", "type": "text", "required": True, "label_ru": "Имя"},
                {"name": "email", "type": "email", "required": True, "label_ru": "E-mail"},
            ],
            "owner_id": owner.id,
            "rate_limit_per_minute": 100,
        },
    )
    assert form.status_code == 201, form.text
    return owner, outsider, party.json(), form.json(), email


async def test_page_views_are_linked_by_a_submission_and_shown_only_to_who_may_see_the_lead(users, anonymous):
    owner, outsider, party, form, email = await _setting(users)
    visitor = str(uuid.uuid4())
    first = await _beacon(anonymous, _page_view(visitor, "/prices?utm_source=yandex&utm_medium=cpc&utm_campaign=km"))
    assert first.status_code == 204, first.text
    assert first.headers["access-control-allow-origin"] == "*"
    second = await anonymous.post("/api/v1/public/visits", json=_page_view(visitor, "/contacts", "Контакты"))
    assert second.status_code == 204, second.text

    submitted = await anonymous.post(
        f"/api/v1/public/forms/{form['token']}/submissions",
        json={"values": {"person_name": "Ольга Кузнецова", "email": email}, "visitor_id": visitor},
    )
    assert submitted.status_code == 201, submitted.text
    assert submitted.json()["outcome"] == "attached"
    leads = (await owner.client.get("/api/v1/leads", params={"q": email})).json()["items"]
    assert len(leads) == 1
    lead_id = leads[0]["id"]

    visits = (await owner.client.get(f"/api/v1/leads/{lead_id}/visits")).json()["items"]
    assert [v["url"] for v in visits] == [
        f"{SITE}/contacts",
        f"{SITE}/prices?utm_source=yandex&utm_medium=cpc&utm_campaign=km",
    ]
    assert visits[1]["utm"] == {"source": "yandex", "medium": "cpc", "campaign": "km", "content": "", "term": ""}
    assert {(v["lead_id"], v["party_id"]) for v in visits} == {(lead_id, party["id"])}
    by_party = (await owner.client.get(f"/api/v1/parties/{party['id']}/visits")).json()["items"]
    assert [v["id"] for v in by_party] == [v["id"] for v in visits]

    async def visit_entries():  # type: ignore[no-untyped-def]
        timeline = (await owner.client.get(f"/api/v1/parties/{party['id']}/timeline")).json()["items"]
        found = [e for e in timeline if e["type"] == "visit.recorded"]
        return found if len(found) == 2 else None

    entries = await eventually(visit_entries, timeout=20)
    assert {e["subject_id"] for e in entries} == {v["id"] for v in visits}

    # The outsider may see the person, not the lead: no visits, no visit entries, the lead itself 404.
    assert (await outsider.client.get(f"/api/v1/parties/{party['id']}")).status_code == 200
    hidden = await outsider.client.get(f"/api/v1/leads/{lead_id}/visits")
    assert hidden.status_code == 404, hidden.text
    assert (await outsider.client.get(f"/api/v1/parties/{party['id']}/visits")).json()["items"] == []
    timeline = (await outsider.client.get(f"/api/v1/parties/{party['id']}/timeline")).json()["items"]
    assert "party.created" in [e["type"] for e in timeline]
    assert not [e for e in timeline if e["type"] in ("visit.recorded", "lead.captured")]


async def test_bad_page_views_are_4xx(anonymous):
    visitor = str(uuid.uuid4())
    cases = [
        (_page_view(visitor, "/" + "a" * 2100), "url"),
        ({"url": f"{SITE}/"}, "visitor_id"),
        (_page_view("x" * 101, "/"), "visitor_id"),
        (_page_view(visitor, "/", title="a\u0000b"), None),
    ]
    for body, field in cases:
        response = await _beacon(anonymous, body)
        assert 400 <= response.status_code < 500, (body, response.text)
        assert response.headers["access-control-allow-origin"] == "*"
        if field:
            assert field in response.text, response.text
    as_json = await anonymous.post("/api/v1/public/visits", json=_page_view(visitor, "/", title="a\u0000b"))
    assert as_json.status_code == 422, as_json.text
    assert (await _beacon(anonymous, "not json")).status_code == 400
    assert (await _beacon(anonymous, "x" * 20000)).status_code == 413
    assert (await _beacon(anonymous, _page_view(visitor, "/"), "application/xml")).status_code == 415


async def test_a_burst_from_one_visitor_is_429(anonymous):
    visitor = str(uuid.uuid4())
    statuses = [(await _beacon(anonymous, _page_view(visitor, f"/p/{i}"))).status_code for i in range(31)]
    assert statuses[:30] == [204] * 30
    assert statuses[30] == 429


async def test_the_tracking_snippet_is_served_without_a_login(anonymous):
    response = await anonymous.get("/api/v1/public/track.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "crm_vid" in response.text and "sendBeacon" in response.text
    preflight = await anonymous.options(
        "/api/v1/public/visits", headers={"origin": SITE, "access-control-request-method": "POST"}
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
