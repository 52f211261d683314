"""inputs.parse_party_draft and checked_against: a Party message's rules with field paths and stable codes,
normalization, derived values (domain.party_columns)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from faker import Faker

from crm.contacts.v1 import contacts_pb2 as pb
from crm_contacts import domain, inputs
from crm_core import requisites
from crm_core.errors import InvalidArgument, Validator
from crm_core.protojson import from_dict

RELATIONS = ("prospect", "client", "supplier", "partner")
CUSTOM = {
    "budget": {"type": "number", "options": [], "required": False, "archived": False},
    "tier": {"type": "enum", "options": ["gold", "silver"], "required": False, "archived": False},
}


def company(fake: Faker, **extra: Any) -> dict[str, Any]:
    bic = fake.bic()
    details = {
        "legal_name": fake.company(),
        "inn": fake.businesses_inn(),
        "kpp": fake.kpp(),
        "ogrn": fake.businesses_ogrn(),
        "legal_address": fake.address(),
        "industry": "Розничная торговля",
        "size": "11-50",
        "bank_accounts": [
            {
                "bank_name": fake.bank(),
                "bic": bic,
                "checking_account": requisites.with_account_key(fake.checking_account(), bic),
            }
        ],
    }
    return {"kind": "company", "company": details, **extra}


def columns(data: dict[str, Any], custom: Any = CUSTOM, relations: Any = RELATIONS) -> dict[str, Any]:
    """The party table's columns for a Party message of `data`: parsed, judged by the stored rules, derived."""
    draft = inputs.parse_party_draft(from_dict(data, pb.Party))
    return domain.party_columns(draft.kind, inputs.checked_against(draft.fields, custom, relations).values())


def problems(data: dict[str, Any]) -> set[tuple[str, str]]:
    with pytest.raises(InvalidArgument) as info:
        columns(data)
    assert info.value.code == "validation_failed"
    return {(p.field, p.code) for p in info.value.fields}


def test_valid_company_becomes_columns_with_display_name_from_legal_name(fake: Faker) -> None:
    data = company(fake, tags=["vip", "vip", "retail"], relationship_types=["client"], custom_fields={"budget": 5.0})
    cols = columns(data)
    assert cols["display_name"] == data["company"]["legal_name"]
    assert cols["inn"] == data["company"]["inn"]
    assert cols["bank_accounts"][0]["bic"] == data["company"]["bank_accounts"][0]["bic"]
    assert cols["tags"] == ["vip", "retail"]
    assert cols["custom_fields"] == {"budget": 5}
    assert cols["payment_discipline"] == "unknown"
    assert cols["first_name"] is None


def test_company_short_name_is_preferred_for_display_name(fake: Faker) -> None:
    data = company(fake)
    data["company"]["short_name"] = "Ромашка"
    assert columns(data)["display_name"] == "Ромашка"


def test_person_display_name_is_last_first_middle(fake: Faker) -> None:
    person = {"first_name": "Иван", "last_name": "Петров", "middle_name": "Сергеевич", "position": "Директор"}
    cols = columns({"kind": "person", "person": person}, {})
    assert cols["display_name"] == "Петров Иван Сергеевич"
    assert cols["position"] == "Директор"
    assert cols["inn"] is None


def test_given_display_name_is_kept(fake: Faker) -> None:
    data = company(fake, display_name="  Ромашка (Москва)  ")
    assert columns(data)["display_name"] == "Ромашка (Москва)"


def test_phones_and_emails_are_normalized_for_search_and_dedup(fake: Faker) -> None:
    data = company(
        fake,
        phones=[{"value": "8 (495) 123-45-67"}, {"kind": "mobile", "value": "+7 912 345 67 89"}],
        emails=[{"value": "Info@Romashka.RU"}],
    )
    cols = columns(data)
    assert cols["phones_norm"] == ["74951234567", "79123456789"]
    assert cols["emails_norm"] == ["info@romashka.ru"]
    assert cols["phones"][0] == {"kind": "work", "value": "+74951234567", "label": "", "primary": False}
    assert "74951234567" in cols["search_text"]
    assert data["company"]["inn"] in cols["search_text"]
    assert cols["search_text"] == cols["search_text"].lower()


def test_phones_are_stored_in_e164_and_read_back_with_a_display_form(fake: Faker) -> None:
    data = company(fake, phones=[{"value": "+44 20 7946 0958"}, {"value": "8 (495) 123-45-67 доб. 12"}])
    cols = columns(data)
    assert [p["value"] for p in cols["phones"]] == ["+442079460958", "+74951234567;ext=12"]
    assert cols["phones_norm"] == ["442079460958", "74951234567"]
    shown = domain.party_dict({**cols, "kind": "company"})["phones"]
    assert [(p["value"], p["display"]) for p in shown] == [
        ("+442079460958", "+44 20 7946 0958"),
        ("+74951234567;ext=12", "+7 495 123-45-67 ext. 12"),
    ]


@pytest.mark.parametrize("value", ["12", "1" * 200, "abc", "8\x00495 123 45 67", "+", "+999 1234567", "123-45-67"])
def test_garbage_in_a_phone_is_reported_at_its_value_not_raised(fake: Faker, value: str) -> None:
    assert problems(company(fake, phones=[{"value": value}])) == {("phones[0].value", "invalid")}


@pytest.mark.parametrize("value", ["not-an-email", "a@b", "ivan@mail.ru\x00", "ivan petrov@mail.ru", "@mail.ru"])
def test_garbage_in_an_email_is_reported_at_its_value_not_raised(fake: Faker, value: str) -> None:
    assert problems(company(fake, emails=[{"value": value}])) == {("emails[0].value", "invalid")}


def test_a_stored_phone_that_is_no_number_is_kept_while_sent_back_unchanged(fake: Faker) -> None:
    current = inputs.PartyFields(legal_name="Ромашка", phones=(inputs.ContactPoint("work", "123-45-67"),))
    same = {"phones": [{"value": "123-45-67"}, {"value": "8 495 123 45 67"}]}
    changes = inputs.parse_party_changes(update(same, "phones"))
    assert [p.value for p in changes.applied_to("company", current).phones] == ["123-45-67", "+74951234567"]
    changed = inputs.parse_party_changes(update({"phones": [{"value": "123-45-68"}]}, "phones"))
    with pytest.raises(InvalidArgument) as info:
        changed.applied_to("company", current)
    assert [(p.field, p.code) for p in info.value.fields] == [("phones[0].value", "invalid")]


def update(party: dict[str, Any], *paths: str) -> pb.UpdatePartyRequest:
    return pb.UpdatePartyRequest(party=from_dict(party, pb.Party), update_mask={"paths": list(paths)})


def test_inn_and_ogrn_typed_with_spaces_are_stored_without_them(fake: Faker) -> None:
    data = company(fake)
    inn, ogrn = data["company"]["inn"], data["company"]["ogrn"]
    data["company"].update(inn=f"{inn[:4]} {inn[4:]}", ogrn=f"{ogrn[:1]} {ogrn[1:7]} {ogrn[7:]}")
    cols = columns(data)
    assert (cols["inn"], cols["ogrn"]) == (inn, ogrn)


def test_invalid_inn_is_reported_at_company_inn(fake: Faker) -> None:
    data = company(fake)
    inn = data["company"]["inn"]
    data["company"]["inn"] = inn[:9] + str((int(inn[9]) + 1) % 10)
    assert problems(data) == {("company.inn", "invalid_inn")}


def test_kpp_and_ogrn_are_checked(fake: Faker) -> None:
    data = company(fake)
    data["company"]["kpp"] = "12345"
    ogrn = data["company"]["ogrn"]
    data["company"]["ogrn"] = ogrn[:12] + str((int(ogrn[12]) + 1) % 10)
    assert problems(data) == {("company.kpp", "invalid_kpp"), ("company.ogrn", "invalid_ogrn")}


def test_bank_account_must_match_its_bic(fake: Faker) -> None:
    data = company(fake)
    account = data["company"]["bank_accounts"][0]
    account["checking_account"] = account["checking_account"][:8] + str((int(account["checking_account"][8]) + 1) % 10)
    data["company"]["bank_accounts"].append({"bic": "12345", "checking_account": account["checking_account"]})
    assert problems(data) == {
        ("company.bank_accounts[0].checking_account", "invalid_account"),
        ("company.bank_accounts[1].bic", "invalid_bic"),
    }


def test_name_longer_than_the_limit_is_too_long(fake: Faker) -> None:
    data = company(fake)
    data["company"]["short_name"] = "Я" * (domain.MAX_NAME + 1)
    assert problems(data) == {("company.short_name", "too_long")}


def test_unknown_relationship_type_names_its_index(fake: Faker) -> None:
    data = company(fake, relationship_types=["client", "friend"])
    assert problems(data) == {("relationship_types[1]", "unknown_relationship_type")}


def test_unknown_and_invalid_custom_fields_are_reported_by_key(fake: Faker) -> None:
    data = company(fake, custom_fields={"budget": "много", "tier": "bronze", "color": "red"})
    assert problems(data) == {
        ("custom_fields.budget", "invalid_custom_field"),
        ("custom_fields.tier", "invalid_custom_field"),
        ("custom_fields.color", "unknown_custom_field"),
    }


def test_company_without_a_name_requires_legal_name(fake: Faker) -> None:
    data = company(fake)
    del data["company"]["legal_name"]
    assert problems(data) == {("company.legal_name", "required")}


def test_person_without_a_name_requires_last_name() -> None:
    assert problems({"kind": "person", "person": {"position": "Бухгалтер"}}) == {("person.last_name", "required")}


def test_values_of_the_wrong_type_are_wrong_type(fake: Faker) -> None:
    # A message cannot hold them; the rules judge plain data too (the gateway's JSON has the same shape).
    v = Validator()
    domain.party_values(v, company(fake, tags="vip", phones=["+7 495 123 45 67"], display_name=42), "company")
    assert {(p.field, p.code) for p in v.problems} == {
        ("tags", "wrong_type"),
        ("phones[0]", "wrong_type"),
        ("display_name", "wrong_type"),
    }


def test_every_problem_of_a_party_s_own_values_is_reported_at_once(fake: Faker) -> None:
    data = company(
        fake,
        relationship_types=["friend"],
        custom_fields={"color": "red"},
        phones=[{"value": "12"}],
        emails=[{"value": "not-an-email"}],
        knowledge={"season_months": [13], "payment_discipline": "sometimes", "needs": [{"we_offer": True}]},
    )
    data["company"]["inn"] = "1234567890"
    data["company"]["size"] = "huge"
    # Relationship types and custom fields are judged against the stored ones once these pass.
    assert problems(data) == {
        ("company.inn", "invalid_inn"),
        ("company.size", "not_allowed"),
        ("phones[0].value", "invalid"),
        ("emails[0].value", "invalid"),
        ("knowledge.season_months[0]", "invalid_month"),
        ("knowledge.payment_discipline", "not_allowed"),
        ("knowledge.needs[0].product", "required"),
    }


def test_every_problem_against_the_stored_definitions_is_reported_at_once(fake: Faker) -> None:
    data = company(fake, relationship_types=["client", "friend"], custom_fields={"color": "red", "tier": "bronze"})
    assert problems(data) == {
        ("relationship_types[1]", "unknown_relationship_type"),
        ("custom_fields.color", "unknown_custom_field"),
        ("custom_fields.tier", "invalid_custom_field"),
    }


def test_company_cannot_carry_person_details_nor_person_company_details(fake: Faker) -> None:
    assert ("person", "not_allowed") in problems(company(fake, person={"first_name": "Иван"}))
    data = {"kind": "person", "person": {"last_name": "Петров"}, "company": {"inn": fake.businesses_inn()}}
    assert problems(data) == {("company", "not_allowed")}


def test_unknown_kind_is_rejected() -> None:
    assert problems({"kind": "robot"}) == {("kind", "not_allowed")}


def test_client_knowledge_is_normalized(fake: Faker) -> None:
    knowledge = {
        "needs": [{"product": "Кассы", "we_offer": True}, {"product": "Эквайринг"}],
        "purchase_volume": {"amount": "150000.50", "currency": "RUB", "period": "quarter"},
        "season_months": [12, 3, 12, 1],
        "payment_discipline": "minor_delays",
        "refusal_reasons": [{"code": "price", "note": "дорого"}],
        "obstacles": ["Тендер"],
    }
    cols = columns(company(fake, knowledge=knowledge))
    assert cols["needs"] == [
        {"product": "Кассы", "we_offer": True, "note": ""},
        {"product": "Эквайринг", "we_offer": False, "note": ""},
    ]
    assert cols["purchase_amount"] == Decimal("150000.50")
    assert (cols["purchase_currency"], cols["purchase_period"]) == ("RUB", "quarter")
    assert cols["season_months"] == [1, 3, 12]
    assert cols["payment_discipline"] == "minor_delays"
    assert cols["refusal_reasons"] == [{"code": "price", "note": "дорого"}]


def test_bad_purchase_volume_is_reported(fake: Faker) -> None:
    knowledge = {"purchase_volume": {"amount": "-5", "currency": "rub", "period": "week"}}
    assert problems(company(fake, knowledge=knowledge)) == {
        ("knowledge.purchase_volume.amount", "negative_amount"),
        ("knowledge.purchase_volume.currency", "invalid_currency"),
        ("knowledge.purchase_volume.period", "not_allowed"),
    }


@pytest.mark.parametrize(
    ("amount", "code"),
    [("99999999999999999999", "out_of_range"), ("1e999999999", "out_of_range"), ("Infinity", "invalid_decimal")],
)
def test_a_purchase_volume_the_column_cannot_hold_is_reported(fake: Faker, amount: str, code: str) -> None:
    knowledge = {"purchase_volume": {"amount": amount, "currency": "RUB"}}
    assert problems(company(fake, knowledge=knowledge)) == {("knowledge.purchase_volume.amount", code)}


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("8 (495) 123-45-67", "74951234567"),
        ("+7 495 123 45 67", "74951234567"),
        ("(495) 123-45-67", "74951234567"),
        ("912 345-67-89", "79123456789"),
        ("+7 (912) 345-67-89", "79123456789"),
        ("8-800-555-35-35", "78005553535"),
        ("+44 20 7946 0958", "442079460958"),
        ("123-45-67", "1234567"),
    ],
)
def test_normalize_phone(raw: str, normalized: str) -> None:
    assert domain.normalize_phone(raw) == normalized


def test_faker_phone_numbers_normalize_to_russian_eleven_digits(fake: Faker) -> None:
    for _ in range(200):
        phone = fake.phone_number()
        normalized = domain.normalize_phone(phone)
        assert len(normalized) == 11 and normalized.startswith("7"), phone
