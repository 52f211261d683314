"""The parties' REST schemas check shape only: the contacts service's rules decide phones, e-mails and requisites."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from crm_gateway.schemas.parties import PartyCreate


def party(fields: dict) -> dict:
    return {"kind": "company", **fields, "company": {"legal_name": "Ромашка", **fields.get("company", {})}}


@pytest.mark.parametrize(
    "fields",
    [
        # Valid and invalid alike: the service answers with its own code (invalid, invalid_inn, ...).
        {"phones": [{"value": "+7 (495) 123-45-67"}, {"value": "+44 20 7946 0958"}, {"value": "12"}]},
        {"phones": [{"value": "8 495 1234567 доб. 12", "display": "+7 495 123-45-67 ext. 12"}]},
        {"emails": [{"value": "not-an-email"}, {"value": "директор@почта.рф"}]},
        {"company": {"inn": "7707 083 893"}},
        {"company": {"inn": "7707083893123"}},
        {"company": {"ogrn": "1 027700 132195", "kpp": "7736-01-001"}},
        {"company": {"bank_accounts": [{"bic": "0445252250", "checking_account": "407028100380000000011"}]}},
    ],
)
def test_contacts_and_requisites_reach_the_service_whatever_their_content(fields: dict) -> None:
    PartyCreate.model_validate(party(fields))


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"company": {"inn": "7" * 21}}, ("company", "inn")),
        ({"phones": [{"value": "7" * 301}]}, ("phones", 0, "value")),
        ({"phones": [{"value": 74951234567}]}, ("phones", 0, "value")),
    ],
)
def test_shape_is_still_checked_with_lengths_as_a_sanity_bound(fields: dict, where: tuple) -> None:
    with pytest.raises(ValidationError) as info:
        PartyCreate.model_validate(party(fields))
    assert [e["loc"] for e in info.value.errors()] == [where]
