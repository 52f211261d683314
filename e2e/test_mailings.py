"""Mailings through the gateway: a segment of parties, a template, a mailing sent to the platform's SMTP server
(a real aiosmtpd in the test process); the unsubscribed address gets nothing next time; the open pixel and a
click are recorded; links are only what was signed; another user sees none of it."""

from __future__ import annotations

import asyncio
import re
import uuid
from email.message import EmailMessage
from typing import Any

import httpx

from crm_core.testing import SmtpServer, eventually

HTML = (
    "<p>Здравствуйте, {{ first_name }}!</p>"
    '<p><a href="https://zavod.example.ru/catalog?from=mail">Каталог станков</a></p>'
    '<p><a href="{{ unsubscribe_url }}">Отписаться</a></p>'
)


async def _person(client: httpx.AsyncClient, first: str, last: str, email: str, tag: str) -> str:
    body = {
        "kind": "person",
        "person": {"first_name": first, "last_name": last},
        "emails": [{"kind": "work", "value": email}],
        "tags": [tag],
    }
    response = await client.post("/api/v1/parties", json=body, params={"allow_duplicate": "true"})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _created(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(path, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _mailing(client: httpx.AsyncClient, tag: str) -> dict[str, Any]:
    campaign = await _created(client, "/api/v1/campaigns", {"name": f"Рассылка {tag}", "type": "mailing"})
    template = await _created(
        client,
        "/api/v1/mail-templates",
        {
            "name": "Каталог",
            "subject": "{{ first_name }}, новый каталог станков",
            "text": "Здравствуйте, {{ first_name }}!\nОтписаться: {{ unsubscribe_url }}",
            "html": HTML,
        },
    )
    segment = await _created(
        client,
        "/api/v1/segments",
        {
            "name": f"Клиенты {tag}",
            "kind": "dynamic",
            "source": "parties",
            "filters": [{"field": "tags", "op": "in", "value": tag}],
        },
    )
    return await _created(
        client,
        "/api/v1/mailings",
        {"name": "Май", "template_id": template["id"], "segment_id": segment["id"], "campaign_id": campaign["id"]},
    )


async def _send(client: httpx.AsyncClient, mailing_id: str) -> dict[str, Any]:
    response = await client.post(f"/api/v1/mailings/{mailing_id}/send")
    assert response.status_code == 202, response.text

    async def finished() -> dict[str, Any] | None:
        current = (await client.get(f"/api/v1/mailings/{mailing_id}")).json()
        return current if current["status"] == "sent" else None

    return dict(await eventually(finished, timeout=30))


def _to(server: SmtpServer, address: str) -> list[EmailMessage]:
    return [m for m in server.messages if address in str(m["To"])]


def _link(text: str, kind: str) -> str:
    match = re.search(rf"https?://[^\s\"'<>]+/api/v1/public/mail/{kind}/[^\s\"'<>]+", text)
    assert match, text
    return match.group(0).replace("&amp;", "&")


async def test_a_mailing_reaches_the_mail_server_and_honours_unsubscribes(
    users, anonymous, mail_server: SmtpServer
) -> None:
    team = await users.team("mail")
    manager = await users.user([team])
    tag = f"e2e-mail-{uuid.uuid4().hex[:8]}"
    ivan, olga = f"ivan.{tag}@example.ru", f"olga.{tag}@example.ru"
    await _person(manager.client, "Иван", "Петров", ivan, tag)
    await _person(manager.client, "Ольга", "Смирнова", olga, tag)

    mailing = await _send(manager.client, (await _mailing(manager.client, tag))["id"])

    assert mailing["counts"] == {"sent": 2}
    [message] = _to(mail_server, ivan)
    assert message["Subject"] == "Иван, новый каталог станков"
    html_part = message.get_body(("html",))
    assert html_part is not None
    html = str(html_part.get_content())  # type: ignore[attr-defined]

    pixel = await anonymous.get(_link(html, "open"))
    assert (pixel.status_code, pixel.headers["content-type"]) == (200, "image/gif")
    click = await anonymous.get(_link(html, "click"), follow_redirects=False)
    assert (click.status_code, click.headers["location"]) == (302, "https://zavod.example.ru/catalog?from=mail")
    recipients = (await manager.client.get(f"/api/v1/mailings/{mailing['id']}/recipients")).json()["items"]
    mine = next(r for r in recipients if r["email"] == ivan)
    assert mine["status"] == "sent" and mine["opened_at"] and mine["clicked_at"] and mine["clicks"] == 1

    [olga_message] = _to(mail_server, olga)
    unsubscribe_url = str(olga_message["List-Unsubscribe"]).strip("<>")
    page = await anonymous.get(unsubscribe_url)
    assert page.status_code == 200 and "Отписаться" in page.text and "o***@example.ru" in page.text
    one_click = await anonymous.post(unsubscribe_url, content=b"List-Unsubscribe=One-Click")
    assert one_click.status_code == 200

    again = await _send(manager.client, (await _mailing(manager.client, tag))["id"])
    assert again["counts"] == {"sent": 1, "suppressed": 1}
    await asyncio.sleep(0.2)
    assert len(_to(mail_server, olga)) == 1 and len(_to(mail_server, ivan)) == 2


async def test_forged_mail_links_are_404_and_mailings_are_private(users, anonymous) -> None:
    team = await users.team("mail-private")
    owner, stranger = await users.user([team]), await users.user([await users.team("other")])
    mailing = await _mailing(owner.client, f"priv-{uuid.uuid4().hex[:6]}")
    for path in (
        "/api/v1/public/mail/click/eyJ4IjoxfQ.bm90LWEtc2lnbmF0dXJl",
        "/api/v1/public/mail/open/forged.token.gif",
    ):
        response = await anonymous.get(path, follow_redirects=False)
        assert response.status_code == 404, (path, response.text)
    assert (await anonymous.get("/api/v1/public/mail/unsubscribe/forged.token")).status_code == 404
    assert (await stranger.client.get(f"/api/v1/mailings/{mailing['id']}")).status_code == 404
    assert (await stranger.client.get(f"/api/v1/segments/{mailing['segment_id']}")).status_code == 404
    listed = (await stranger.client.get("/api/v1/mailings")).json()["items"]
    assert mailing["id"] not in [m["id"] for m in listed]
    assert (await anonymous.get("/api/v1/mailings")).status_code == 401


async def test_bad_mailing_input_is_422_naming_the_field(users) -> None:
    manager = await users.user([await users.team("mail-bad")])
    response = await manager.client.post(
        "/api/v1/mail-templates", json={"name": "Плохой", "subject": "{{ salary }}", "text": "x"}
    )
    assert response.status_code == 422, response.text
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("subject", "unknown_field")]
    response = await manager.client.post("/api/v1/segments", json={"name": "x", "kind": "sometimes"})
    assert response.status_code == 422
    assert (await manager.client.get("/api/v1/segments/x/export", params={"format": "pdf"})).status_code == 422


async def test_a_segment_exports_as_csv(users) -> None:
    manager = await users.user([await users.team("mail-export")])
    tag = f"exp-{uuid.uuid4().hex[:6]}"
    await _person(manager.client, "Анна", "Экспортова", f"anna.{tag}@example.ru", tag)
    segment = await _created(
        manager.client,
        "/api/v1/segments",
        {"name": "Экспорт", "filters": [{"field": "tags", "op": "in", "value": tag}]},
    )
    response = await manager.client.get(f"/api/v1/segments/{segment['id']}/export", params={"format": "csv"})
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf") and "attachment" in response.headers["content-disposition"]
    assert "Анна;Экспортова" in response.content.decode("utf-8-sig")


async def test_static_segments_test_sends_and_the_suppression_list(users, admin, mail_server: SmtpServer) -> None:
    team = await users.team("mail-static")
    manager, stranger = await users.user([team]), await users.user([await users.team("mail-other")])
    tag = f"static-{uuid.uuid4().hex[:6]}"
    theirs = await _person(stranger.client, "Чужой", "Клиент", f"x.{tag}@example.ru", tag)
    lead = await _created(
        manager.client, "/api/v1/leads", {"person_name": "Лев Лидов", "email": f"lev.{tag}@example.ru"}
    )
    segment = await _created(manager.client, "/api/v1/segments", {"name": "Ручной", "kind": "static"})

    refused = await manager.client.post(
        f"/api/v1/segments/{segment['id']}/members", json={"members": [{"kind": "party", "id": theirs}]}
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["code"] == "member_not_found"
    added = await manager.client.post(
        f"/api/v1/segments/{segment['id']}/members", json={"members": [{"kind": "lead", "id": lead["id"]}]}
    )
    assert added.status_code == 200, added.text
    members = (await manager.client.get(f"/api/v1/segments/{segment['id']}/members")).json()["items"]
    assert [(m["kind"], m["id"], m["first_name"]) for m in members] == [("lead", lead["id"], "Лев")]

    mailing = await _mailing(manager.client, tag)
    me = f"me.{tag}@example.ru"
    sent = await manager.client.post(f"/api/v1/mailings/{mailing['id']}/test-send", json={"email": me})
    assert sent.status_code == 200, sent.text
    assert (
        await manager.client.post(f"/api/v1/mailings/{mailing['id']}/test-send", json={"email": "no"})
    ).status_code == 422
    await eventually(lambda: _to(mail_server, me))
    assert str(_to(mail_server, me)[0]["Subject"]).startswith("[Тест] ")

    blocked = f"Blocked.{tag}@Example.ru"
    created = await manager.client.post("/api/v1/mail-suppressions", json={"email": blocked})
    assert created.status_code == 201 and created.json()["email"] == blocked.lower()
    assert (await manager.client.get("/api/v1/mail-suppressions")).status_code == 403
    assert (await manager.client.delete(f"/api/v1/mail-suppressions/{blocked.lower()}")).status_code == 403
    listed = (await admin.client.get("/api/v1/mail-suppressions", params={"limit": 200})).json()["items"]
    assert blocked.lower() in [s["email"] for s in listed]
    assert (await admin.client.delete(f"/api/v1/mail-suppressions/{blocked.lower()}")).status_code == 204
    assert (await admin.client.delete(f"/api/v1/mail-suppressions/{blocked.lower()}")).status_code == 404
