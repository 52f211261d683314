"""The customer portal through the gateway: a client contact invited by support signs in and sees only their
company's requests (another company's is 404 and never counted), files and rates one; portal and staff tokens
never work on each other's routes; deactivation ends the session; bad input is refused with codes."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from crm_core.testing import eventually

from .conftest import client_company, open_ticket
from .portal import PASSWORD, link_from_mail, person_of, portal_login, portal_user

pytestmark = pytest.mark.e2e


async def test_a_portal_user_sees_their_company_s_requests_only_and_rates_one(  # type: ignore[no-untyped-def]
    desk, admin, mail_server, platform, fake
) -> None:
    staff = desk.agent.client
    company, user, portal = await portal_user(staff, mail_server, platform.config.gateway_url, fake)
    assert (user["status"], user["organisation_id"]) == ("invited", company["id"])
    me = (await portal.get("/api/v1/portal/me")).json()
    assert (me["status"], me["organisation_id"]) == ("active", company["id"])

    theirs = await open_ticket(staff, requester_party_id=company["id"], queue_id=desk.queue["id"])
    other = await client_company(staff, fake)
    foreign = await open_ticket(staff, requester_party_id=other["id"], queue_id=desk.queue["id"])
    filed = await portal.post(
        "/api/v1/portal/tickets",
        json={"subject": "Не открывается личный кабинет", "description": "Ошибка 500", "category": "incident"},
    )
    assert filed.status_code == 201, filed.text
    ticket = filed.json()
    assert (ticket["channel"], ticket["status"]) == ("portal", "new")
    assert "assignee_id" not in ticket and "team_id" not in ticket

    listed = (await portal.get("/api/v1/portal/tickets")).json()
    assert {t["id"] for t in listed["items"]} == {theirs["id"], ticket["id"]} and listed["total"] == 2
    for method, path, body in (
        ("GET", f"/api/v1/portal/tickets/{foreign['id']}", None),
        ("GET", f"/api/v1/portal/tickets/{foreign['id']}/messages", None),
        ("POST", f"/api/v1/portal/tickets/{foreign['id']}/messages", {"body": "Это моё?"}),
        ("POST", f"/api/v1/portal/tickets/{foreign['id']}/rating", {"rating": 5}),
    ):
        response = await portal.request(method, path, json=body)
        assert (response.status_code, response.json()["code"]) == (404, "ticket_not_found"), (method, path)

    # A staff note never reaches the portal; replies do, both ways.
    await staff.post(f"/api/v1/tickets/{theirs['id']}/messages", json={"kind": "note", "body": "внутреннее"})
    await staff.post(f"/api/v1/tickets/{theirs['id']}/messages", json={"body": "Проверяем"})
    reply = await portal.post(f"/api/v1/portal/tickets/{theirs['id']}/messages", json={"body": "Спасибо"})
    assert reply.status_code == 201, reply.text
    thread = (await portal.get(f"/api/v1/portal/tickets/{theirs['id']}/messages")).json()["items"]
    assert [m["body"] for m in thread] == ["Проверяем", "Спасибо"]

    early = await portal.post(f"/api/v1/portal/tickets/{ticket['id']}/rating", json={"rating": 5})
    assert (early.status_code, early.json()["code"]) == (409, "ticket_not_resolved")
    resolved = await admin.client.post(f"/api/v1/tickets/{ticket['id']}/status", json={"status": "resolved"})
    assert resolved.status_code == 200, resolved.text
    for bad in ({"rating": 6}, {"rating": 0}, {"rating": "5"}, {"rating": 4, "comment": "x" * 2001}):
        response = await portal.post(f"/api/v1/portal/tickets/{ticket['id']}/rating", json=bad)
        assert response.status_code == 422, bad
    rated = await portal.post(
        f"/api/v1/portal/tickets/{ticket['id']}/rating", json={"rating": 5, "comment": "Быстро помогли"}
    )
    assert (rated.status_code, rated.json()["csat_rating"]) == (200, 5)

    async def rated_on_timeline() -> bool | None:
        items = (await admin.client.get(f"/api/v1/parties/{company['id']}/timeline")).json().get("items", [])
        return any(i["type"] == "csat.rated" for i in items) or None

    assert await eventually(rated_on_timeline, timeout=15)
    await portal.aclose()


async def test_portal_and_staff_tokens_never_work_on_each_other_s_routes(  # type: ignore[no-untyped-def]
    desk, mail_server, platform, fake
) -> None:
    _, _, portal = await portal_user(desk.agent.client, mail_server, platform.config.gateway_url, fake)
    for path in ("/api/v1/tickets", "/api/v1/me", "/api/v1/parties", "/api/v1/portal-users"):
        response = await portal.get(path)
        assert (response.status_code, response.json()["code"]) == (401, "unauthenticated"), path
    for path in ("/api/v1/portal/tickets", "/api/v1/portal/me"):
        response = await desk.agent.client.get(path)
        assert (response.status_code, response.json()["code"]) == (401, "unauthenticated"), path
    await portal.aclose()


async def test_deactivation_ends_the_portal_session_and_logout_too(  # type: ignore[no-untyped-def]
    desk, mail_server, platform, fake
) -> None:
    staff = desk.agent.client
    _, user, portal = await portal_user(staff, mail_server, platform.config.gateway_url, fake)
    off = await staff.post(f"/api/v1/portal-users/{user['id']}/deactivate")
    assert (off.status_code, off.json()["status"]) == (200, "inactive")

    async def refused() -> int | None:
        status = (await portal.get("/api/v1/portal/tickets")).status_code
        return status if status == 401 else None

    assert await eventually(refused, timeout=10) == 401
    login = await portal.post("/api/v1/portal/login", json={"email": user["email"], "password": PASSWORD})
    assert (login.status_code, login.json()["code"]) == (401, "invalid_credentials")
    unknown = await portal.post("/api/v1/portal/login", json={"email": "nobody@example.ru", "password": PASSWORD})
    assert (unknown.status_code, unknown.json()["code"]) == (401, "invalid_credentials")

    assert (await staff.post(f"/api/v1/portal-users/{user['id']}/reactivate")).status_code == 200
    again = await portal_login(platform.config.gateway_url, user["email"])
    assert (await again.post("/api/v1/portal/logout")).status_code == 204
    assert (await again.get("/api/v1/portal/me")).status_code == 401
    await again.aclose()
    await portal.aclose()


async def test_invitations_need_support_and_a_visible_person_and_links_work_once(  # type: ignore[no-untyped-def]
    desk, users, mail_server, anonymous, fake
) -> None:
    staff = desk.agent.client
    person = await person_of(staff)
    sales = await users.user([desk.team], ["sales"])
    refused = await sales.client.post("/api/v1/portal-users", json={"party_id": person["id"]})
    assert (refused.status_code, refused.json()["code"]) == (403, "support_only")
    outsider = await users.user([await users.team("elsewhere")], ["support"])
    hidden = await outsider.client.post("/api/v1/portal-users", json={"party_id": person["id"]})
    assert (hidden.status_code, hidden.json()["code"]) == (404, "party_not_found")
    for body, field in (
        ({"party_id": "not-an-id"}, "party_id"),
        ({"party_id": person["id"], "email": "nope"}, "email"),
        ({"party_id": person["id"], "language": "de"}, "language"),
    ):
        response = await staff.post("/api/v1/portal-users", json=body)
        assert response.status_code == 422, body
        assert field in {e["field"] for e in response.json()["errors"]}, response.text

    invited = await staff.post("/api/v1/portal-users", json={"party_id": person["id"], "language": "en"})
    assert invited.status_code == 201, invited.text
    mail = [m for m in mail_server.messages if m["To"] == person["email"]][-1]
    assert mail["Subject"] == "Invitation to the customer portal"
    token = await link_from_mail(mail_server, person["email"], "accept")
    short = await anonymous.post("/api/v1/portal/accept-invitation", json={"token": token, "password": "short"})
    assert short.status_code == 422
    assert (
        await anonymous.post("/api/v1/portal/accept-invitation", json={"token": token, "password": PASSWORD})
    ).status_code == 200
    used = await anonymous.post("/api/v1/portal/accept-invitation", json={"token": token, "password": PASSWORD})
    assert (used.status_code, used.json()["code"]) == (404, "invitation_invalid")
    nul = await anonymous.post("/api/v1/portal/login", json={"email": "a\u0000@example.ru", "password": PASSWORD})
    assert (nul.status_code, nul.json()["code"]) == (422, "invalid_text")
    listed = (await staff.get("/api/v1/portal-users", params={"party_id": person["id"]})).json()
    assert [u["status"] for u in listed["items"]] == ["active"] and listed["total"] == 1


async def test_malformed_ids_and_huge_texts_are_clear_4xx_and_a_retried_request_is_filed_once(
    desk, mail_server, platform, fake
) -> None:  # type: ignore[no-untyped-def]
    _, _, portal = await portal_user(desk.agent.client, mail_server, platform.config.gateway_url, fake)
    for path in ("/api/v1/portal/tickets/not-an-id", f"/api/v1/portal/tickets/{uuid.uuid4()}"):
        response = await portal.get(path)
        assert 400 <= response.status_code < 500 and response.json()["code"], path
    key = {"Idempotency-Key": f"portal-{uuid.uuid4()}"}
    first = await portal.post("/api/v1/portal/tickets", json={"subject": "Повтор"}, headers=key)
    again = await portal.post("/api/v1/portal/tickets", json={"subject": "Повтор"}, headers=key)
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    huge = await portal.post("/api/v1/portal/tickets", json={"subject": "x" * 301})
    assert huge.status_code == 422
    assert (
        await portal.post("/api/v1/portal/tickets", json={"subject": "Тема", "priority": "asap"})
    ).status_code == 422
    await portal.aclose()


async def test_a_portal_user_attaches_files_to_their_company_s_requests_only(  # type: ignore[no-untyped-def]
    desk, mail_server, platform, fake
) -> None:
    staff = desk.agent.client
    _, _, portal = await portal_user(staff, mail_server, platform.config.gateway_url, fake)
    ticket = (await portal.post("/api/v1/portal/tickets", json={"subject": "Акт сверки"})).json()
    foreign = await open_ticket(staff, requester_party_id=(await client_company(staff, fake))["id"])
    content = "Дата;Сумма\n2026-11-30;1200,00\n".encode()
    files = {"file": ("сверка.csv", content, "text/csv")}
    uploaded = await portal.post(f"/api/v1/portal/tickets/{ticket['id']}/attachments", files=files)
    assert uploaded.status_code == 201, uploaded.text
    attachment = uploaded.json()
    listed = (await portal.get(f"/api/v1/portal/tickets/{ticket['id']}/attachments")).json()
    assert [a["id"] for a in listed["items"]] == [attachment["id"]]
    download = await portal.get(f"/api/v1/portal/attachments/{attachment['id']}/content")
    assert (download.status_code, download.content) == (200, content)
    assert download.headers["x-content-type-options"] == "nosniff"
    refused = await portal.post(f"/api/v1/portal/tickets/{foreign['id']}/attachments", files=files)
    assert (refused.status_code, refused.json()["code"]) == (404, "record_not_found")
    hidden = await portal.get(f"/api/v1/portal/tickets/{foreign['id']}/attachments")
    assert hidden.status_code == 404
    staff_file = await staff.post(
        "/api/v1/attachments", params={"record_type": "ticket", "record_id": foreign["id"]}, files=files
    )
    assert staff_file.status_code == 201, staff_file.text
    stolen = await portal.get(f"/api/v1/portal/attachments/{staff_file.json()['id']}/content")
    assert stolen.status_code == 404
    await portal.aclose()


async def _published(support, title: str, body: str, visibility: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    created = await support.post("/api/v1/kb/articles", json={"title": title, "body": body, "visibility": visibility})
    assert created.status_code == 201, created.text
    published = await support.post(
        f"/api/v1/kb/articles/{created.json()['id']}/publish", headers={"If-Match": created.headers["etag"]}
    )
    assert published.status_code == 200, published.text
    return dict(published.json())


async def test_a_portal_user_finds_and_rates_public_articles_only(  # type: ignore[no-untyped-def]
    desk, mail_server, platform, fake
) -> None:
    staff = desk.agent.client
    word = f"портал{uuid.uuid4().hex[:8]}"
    public = await _published(
        staff, f"Как скачать акт {word}", f"Акт {word} лежит в разделе документов.\n\nЕщё.", "public"
    )
    internal = await _published(staff, f"Скидки для {word}", f"Внутреннее правило {word}.", "internal")
    _, _, portal = await portal_user(staff, mail_server, platform.config.gateway_url, fake)

    found = (await portal.get("/api/v1/portal/articles", params={"q": word})).json()["items"]
    assert [a["id"] for a in found] == [public["id"]] and word in found[0]["snippet"]
    assert "author_id" not in found[0]
    article = await portal.get(f"/api/v1/portal/articles/{public['id']}")
    assert (article.status_code, article.json()["body"].startswith("Акт")) == (200, True)
    hidden = await portal.get(f"/api/v1/portal/articles/{internal['id']}")
    assert hidden.status_code == 404
    voted = await portal.post(f"/api/v1/portal/articles/{public['id']}/vote", json={"helpful": True})
    assert (voted.status_code, voted.json()["my_vote"], voted.json()["helpful_count"]) == (200, "helpful", 1)
    bad = await portal.post(f"/api/v1/portal/articles/{public['id']}/vote", json={"helpful": "да"})
    assert bad.status_code == 422
    refused = await portal.post(f"/api/v1/portal/articles/{internal['id']}/vote", json={"helpful": True})
    assert refused.status_code == 404
    await portal.aclose()


async def test_portal_logins_are_refused_after_ten_wrong_passwords(desk, mail_server, platform, fake) -> None:  # type: ignore[no-untyped-def]
    _, user, portal = await portal_user(desk.agent.client, mail_server, platform.config.gateway_url, fake)
    for attempt in range(10):
        wrong = await portal.post("/api/v1/portal/login", json={"email": user["email"], "password": f"guess{attempt}"})
        assert (wrong.status_code, wrong.json()["code"]) == (401, "invalid_credentials")
    refused = await portal.post("/api/v1/portal/login", json={"email": user["email"], "password": PASSWORD})
    assert (refused.status_code, refused.json()["code"]) == (429, "too_many_attempts")
    assert int(refused.headers["Retry-After"]) > 0
    # The portal's session of before is untouched: only new logins wait.
    assert (await portal.get("/api/v1/portal/me")).status_code == 200
    await portal.aclose()
