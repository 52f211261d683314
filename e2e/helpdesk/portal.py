"""Helpers of the portal and NPS e2e tests: a client contact invited to the portal, signed in as a portal user."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
from faker import Faker

from crm_core.testing import SmtpServer, eventually

from .conftest import client_company

PASSWORD = "портал-пароль-42"


async def person_of(api: httpx.AsyncClient, company_id: str = "", tag: str = "") -> dict[str, Any]:
    """A person with an e-mail, linked to the company when given."""
    email = f"client-{uuid.uuid4().hex[:8]}@example.ru"
    body: dict[str, Any] = {
        "kind": "person",
        "person": {"first_name": "Ольга", "last_name": "Клиентова"},
        "emails": [{"kind": "work", "value": email}],
        "tags": [tag] if tag else [],
    }
    response = await api.post("/api/v1/parties", json=body, params={"allow_duplicate": "true"})
    assert response.status_code == 201, response.text
    person = dict(response.json())
    if company_id:
        link = await api.put(f"/api/v1/parties/{company_id}/people/{person['id']}", json={"role": "Бухгалтер"})
        assert link.status_code == 200, link.text
    return {**person, "email": email}


async def link_from_mail(mail: SmtpServer, address: str, kind: str) -> str:
    """The token of the newest portal link of `kind` ("accept", "nps") mailed to `address`."""

    async def token() -> str | None:
        for message in reversed(mail.messages):
            if message["To"] == address:
                found = re.search(rf"/portal/#/{kind}/([\w-]+)", message.get_body(("plain",)).get_content())
                if found:
                    return found.group(1)
        return None

    return str(await eventually(token, timeout=10))


async def portal_login(base_url: str, email: str, password: str = PASSWORD) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base_url, timeout=15)
    response = await client.post("/api/v1/portal/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
    return client


async def portal_user(
    staff: httpx.AsyncClient, mail: SmtpServer, base_url: str, fake: Faker
) -> tuple[dict[str, Any], dict[str, Any], httpx.AsyncClient]:
    """A company, a person of it invited by `staff` (support) who accepted and signed in: (company, user, client)."""
    company = await client_company(staff, fake)
    person = await person_of(staff, company["id"])
    invited = await staff.post("/api/v1/portal-users", json={"party_id": person["id"]})
    assert invited.status_code == 201, invited.text
    token = await link_from_mail(mail, person["email"], "accept")
    async with httpx.AsyncClient(base_url=base_url, timeout=15) as anonymous:
        accepted = await anonymous.post("/api/v1/portal/accept-invitation", json={"token": token, "password": PASSWORD})
    assert accepted.status_code == 200, accepted.text
    return company, invited.json(), await portal_login(base_url, person["email"])
