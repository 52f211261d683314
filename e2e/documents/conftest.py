"""Helpers of the documents e2e tests: the seller's legal entity, clients with requisites, deals with lines,
bank statement files (services/documents/tests/statement_files.py), PDF text."""

from __future__ import annotations

import io
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from faker import Faker
from pypdf import PdfReader

from crm_core import requisites

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "services" / "documents" / "tests"))
from statement_files import Requisites, StatementFiles, StatementPayment

__all__ = ["Requisites", "StatementFiles", "StatementPayment"]

SELLER_BIC = "044525593"


def pdf_text(content: bytes) -> str:
    """A PDF's text, its no-break spaces (thousands, "НДС 20 %") as plain ones."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return text.replace("\u00a0", " ").replace("\u202f", " ")


async def seller(admin_client: httpx.AsyncClient) -> dict[str, Any]:
    """The installation's default legal entity, made once per platform."""
    listed = (await admin_client.get("/api/v1/legal-entities")).json()
    default = next((e for e in listed if e["is_default"]), None)
    if default is not None:
        return dict(default)
    body = {
        "name": "ООО «Ромашка»",
        "full_name": "Общество с ограниченной ответственностью «Ромашка»",
        "inn": "7728168971",
        "kpp": "772801001",
        "ogrn": "1027700067328",
        "address": "119049, г. Москва, ул. Донская, д. 1",
        "phone": "+7 495 123-45-67",
        "bank_name": "АО «Альфа-Банк»",
        "bik": SELLER_BIC,
        "correspondent_account": "30101810200000000593",
        "account": requisites.with_account_key("40702810001300000001", SELLER_BIC),
        "signatories": [
            {"role": "director", "title": "Генеральный директор", "name": "Петров Пётр Петрович"},
            {"role": "accountant", "title": "Главный бухгалтер", "name": "Сидорова Анна Викторовна"},
        ],
        "vat_payer": True,
        "number_prefixes": {"invoice": "СЧ-"},
        "is_default": True,
    }
    response = await admin_client.post("/api/v1/legal-entities", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


class Clients:
    """Clients with full requisites and deals with lines, over REST as a given user."""

    def __init__(self, fake: Faker) -> None:
        self.fake = fake

    async def company(self, api: httpx.AsyncClient, inn: str = "") -> dict[str, Any]:
        fake = self.fake
        bic = fake.bic()
        body = {
            "kind": "company",
            "company": {
                "legal_name": f"Общество с ограниченной ответственностью «{fake.company()[:60]}»",
                "short_name": f"ООО «Клиент {uuid.uuid4().hex[:4]}»",
                "inn": inn or fake.businesses_inn(),
                "kpp": fake.kpp(),
                "legal_address": fake.address(),
                "bank_accounts": [
                    {
                        "bank_name": fake.bank(),
                        "bic": bic,
                        "checking_account": requisites.with_account_key("40702810" + fake.numerify("#" * 12), bic),
                    }
                ],
            },
            "emails": [{"value": fake.company_email()}],
        }
        response = await api.post("/api/v1/parties", json=body, params={"allow_duplicate": "true"})
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def deal(
        self, api: httpx.AsyncClient, client_id: str, lines: list[dict[str, Any]], **fields: Any
    ) -> dict[str, Any]:
        body = {"title": f"Поставка {uuid.uuid4().hex[:6]}", "client_id": client_id, "lines": lines, **fields}
        response = await api.post("/api/v1/deals", json=body)
        assert response.status_code == 201, response.text
        return dict(response.json())


@pytest.fixture
def clients(fake: Faker) -> Clients:
    return Clients(fake)
