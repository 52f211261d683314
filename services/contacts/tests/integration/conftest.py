"""Helpers of the integration tests: unique tags, realistic parties, decoded errors.

The service and its database live for the whole session, so every test
marks what it creates with its own tag and filters by it.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from faker import Faker
from google.protobuf import json_format
from sqlalchemy import text

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2 as pb
from crm_core import requisites
from crm_core.service import ServiceApp
from crm_core.testing import CallerStub


@pytest.fixture
def tag() -> str:
    """A tag no other test uses (valid as a tag, a custom field key and a name part)."""
    return f"t{uuid.uuid4().hex[:12]}"


class Parties:
    """Builds valid Party messages from Faker data and creates them through a stub."""

    def __init__(self, fake: Faker, tag: str) -> None:
        self.fake = fake
        self.tag = tag

    def company(self, **fields: Any) -> pb.Party:
        """A company with valid requisites and a bank account keyed to its BIC; `fields` override."""
        fake = self.fake
        bic = fake.bic()
        data: dict[str, Any] = {
            "kind": "company",
            "company": {
                "legal_name": fake.company(),
                "inn": fake.businesses_inn(),
                "kpp": fake.kpp(),
                "ogrn": fake.businesses_ogrn(),
                "legal_address": fake.address(),
                "industry": fake.bs()[:60],
                "size": "11-50",
                "bank_accounts": [
                    {
                        "bank_name": fake.bank(),
                        "bic": bic,
                        "checking_account": requisites.with_account_key(fake.checking_account(), bic),
                    }
                ],
            },
            "phones": [{"kind": "work", "value": fake.phone_number()}],
            "emails": [{"kind": "work", "value": f"{self.tag}.{uuid.uuid4().hex[:6]}@{fake.free_email_domain()}"}],
            "tags": [self.tag],
        }
        if "display_name" in fields:
            # A random legal name could match a name search by accident ("Громов" has "ром").
            data["company"]["legal_name"] = f"ООО «{fields['display_name']}»"
        company = fields.pop("company", None)
        if company:
            data["company"].update(company)
        data.update(fields)
        return json_format.ParseDict(data, pb.Party())

    def person(self, **fields: Any) -> pb.Party:
        fake = self.fake
        data: dict[str, Any] = {
            "kind": "person",
            "person": {
                "first_name": fake.first_name_male(),
                "last_name": fake.last_name_male(),
                "middle_name": fake.middle_name_male(),
                "position": fake.job()[:100],
            },
            "phones": [{"kind": "mobile", "value": fake.phone_number()}],
            "emails": [{"kind": "work", "value": f"{self.tag}.{uuid.uuid4().hex[:6]}@{fake.free_email_domain()}"}],
            "tags": [self.tag],
        }
        person = fields.pop("person", None)
        if person:
            data["person"].update(person)
        data.update(fields)
        return json_format.ParseDict(data, pb.Party())

    async def create(self, stub: CallerStub, party: pb.Party, allow_duplicate: bool = False) -> pb.Party:
        response = await stub.CreateParty(pb.CreatePartyRequest(party=party, allow_duplicate=allow_duplicate))
        return response.party

    async def new_company(self, stub: CallerStub, **fields: Any) -> pb.Party:
        return await self.create(stub, self.company(**fields))

    async def new_person(self, stub: CallerStub, **fields: Any) -> pb.Party:
        return await self.create(stub, self.person(**fields))


@pytest.fixture
def parties(fake: Faker, tag: str) -> Parties:
    return Parties(fake, tag)


@pytest.fixture
def by_tag(tag: str) -> list[common_pb2.Filter]:
    """Filters selecting only this test's parties."""
    return [common_pb2.Filter(field="tags", op="eq", value=tag)]


@pytest.fixture
def row_counts(contacts_app: ServiceApp) -> Callable[[], Awaitable[dict[str, int]]]:
    """Rows in the tables a command writes (to prove a rejected command wrote nothing)."""

    async def count() -> dict[str, int]:
        async with contacts_app.db.sessions() as session:
            return {
                table: int(await session.scalar(text(f"SELECT count(*) FROM {table}")) or 0)
                for table in ("party", "party_link", "note", "audit_entry", "outbox")
            }

    return count
