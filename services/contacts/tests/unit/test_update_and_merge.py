"""inputs.PartyChanges (an update mask parsed and applied) and domain.merged_columns (folding a duplicate in)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from faker import Faker

from crm.contacts.v1 import contacts_pb2 as pb
from crm_contacts import domain, inputs
from crm_core.errors import InvalidArgument
from crm_core.protojson import from_dict


def current_company() -> inputs.PartyFields:
    return inputs.PartyFields(
        display_name="Ромашка",
        legal_name="ООО «Ромашка»",
        inn="7707083893",
        industry="Ритейл",
        phones=(inputs.ContactPoint("work", "+74951234567"),),
        tags=("vip",),
        purchase_amount=Decimal("100"),
        purchase_currency="RUB",
        season_months=(3,),
    )


def changes(party: dict[str, Any], *paths: str) -> inputs.PartyChanges:
    request = pb.UpdatePartyRequest(party=from_dict(party, pb.Party), update_mask={"paths": list(paths)})
    return inputs.parse_party_changes(request)


def test_masked_paths_are_replaced_and_the_rest_kept() -> None:
    patch = {"tags": ["key", "retail"], "phones": [{"value": "8 800 555 35 35"}], "display_name": "Не то"}
    result = changes(patch, "tags", "phones").applied_to("company", current_company())
    assert result.tags == ("key", "retail")
    assert result.phones == (inputs.ContactPoint("work", "+78005553535"),)
    assert result.display_name == "Ромашка"
    assert (result.legal_name, result.inn, result.industry) == ("ООО «Ромашка»", "7707083893", "Ритейл")


def test_masked_path_absent_from_the_patch_is_cleared() -> None:
    result = changes({}, "tags", "company.industry").applied_to("company", current_company())
    assert result.tags == ()
    assert result.industry is None
    assert result.inn == "7707083893"


def test_nested_path_replaces_only_that_field() -> None:
    patch = {
        "company": {"inn": "500100732259", "legal_name": "ignored"},
        "knowledge": {"purchase_volume": {"amount": "7"}},
    }
    result = changes(patch, "company.inn", "knowledge.purchase_volume.amount").applied_to("company", current_company())
    assert (result.legal_name, result.inn, result.industry) == ("ООО «Ромашка»", "500100732259", "Ритейл")
    assert (result.purchase_amount, result.purchase_currency) == (Decimal("7"), "RUB")
    assert result.season_months == (3,)


def test_a_whole_object_path_replaces_all_its_fields() -> None:
    result = changes({"knowledge": {"obstacles": ["Тендер"]}}, "knowledge").applied_to("company", current_company())
    assert (result.purchase_amount, result.season_months, result.obstacles) == (None, (), ("Тендер",))
    assert result.payment_discipline == "unknown"


@pytest.mark.parametrize("path", ["kind", "id", "version", "company.bogus", "custom_fields.budget.x", "created_by"])
def test_unknown_update_path_is_rejected_before_any_value(path: str) -> None:
    with pytest.raises(InvalidArgument) as info:
        changes({"company": {"inn": "1"}}, "company.inn", path)
    assert [(p.field, p.code) for p in info.value.fields] == [("update_mask", "unknown_field")]
    assert path in info.value.fields[0].message


def test_an_empty_update_mask_is_required() -> None:
    with pytest.raises(InvalidArgument) as info:
        changes({"tags": ["vip"]})
    assert [(p.field, p.code) for p in info.value.fields] == [("update_mask", "required")]


def test_only_masked_values_are_judged() -> None:
    patch = {"tags": ["ok"], "company": {"inn": "1234567890"}, "emails": [{"value": "not-an-email"}]}
    assert changes(patch, "tags").values.tags == ("ok",)
    with pytest.raises(InvalidArgument) as info:
        changes(patch, "tags", "company")
    assert [(p.field, p.code) for p in info.value.fields] == [("company.inn", "invalid_inn")]


def test_an_update_keeps_an_owner() -> None:
    with pytest.raises(InvalidArgument) as info:
        changes({}, "owner_id")
    assert [(p.field, p.code) for p in info.value.fields] == [("owner_id", "required")]


def test_an_update_that_leaves_no_name_requires_one() -> None:
    with pytest.raises(InvalidArgument) as info:
        changes({}, "display_name", "company").applied_to("company", current_company())
    assert [(p.field, p.code) for p in info.value.fields] == [("company.legal_name", "required")]


def test_company_details_on_a_person_are_not_allowed() -> None:
    person = inputs.PartyFields(last_name="Петров")
    with pytest.raises(InvalidArgument) as info:
        changes({"company": {"industry": "Ритейл"}}, "company.industry").applied_to("person", person)
    assert [(p.field, p.code) for p in info.value.fields] == [("company", "not_allowed")]


def test_update_starts_without_a_derived_display_name_so_a_rename_derives_it_again() -> None:
    cols = stored({"kind": "person", "person": {"first_name": "Мария", "last_name": "Иванова"}})
    current = inputs.current_fields("person", cols)
    assert current.display_name == ""
    renamed = changes({"person": {"last_name": "Кузнецова"}}, "person.last_name").applied_to("person", current)
    assert domain.party_columns("person", renamed.values())["display_name"] == "Кузнецова Мария"


def test_update_keeps_a_given_display_name() -> None:
    cols = stored({"kind": "person", "display_name": "Маша (закупки)", "person": {"last_name": "Иванова"}})
    assert inputs.current_fields("person", cols).display_name == "Маша (закупки)"


def stored(data: dict[str, Any]) -> dict[str, Any]:
    draft = inputs.parse_party_draft(from_dict(data, pb.Party))
    return {**domain.party_columns(draft.kind, draft.fields.values()), "kind": draft.kind}


def columns(fake: Faker, **values: Any) -> dict[str, Any]:
    cols = stored({"kind": "company", "company": {"legal_name": fake.company()}})
    cols.update(id=fake.uuid4())
    cols.update(values)
    return cols


def test_merge_fills_the_survivors_empty_fields_from_the_merged_party(fake: Faker) -> None:
    survivor = columns(fake, inn=None, industry="Ритейл", purchase_amount=None)
    merged = columns(fake, inn="7707083893", industry="Банки", website="romashka.ru", purchase_amount=Decimal("5"))
    result = domain.merged_columns(survivor, merged)
    assert result["inn"] == "7707083893"
    assert result["website"] == "romashka.ru"
    assert result["purchase_amount"] == Decimal("5")
    assert result["industry"] == "Ритейл"  # survivor wins on conflict
    assert result["display_name"] == survivor["display_name"]
    assert result["id"] == survivor["id"]


def test_merge_unites_contact_points_without_duplicates_across_formats(fake: Faker) -> None:
    survivor = columns(
        fake,
        phones=[{"kind": "work", "value": "8 (495) 123-45-67", "label": "", "primary": True}],
        emails=[{"kind": "work", "value": "info@romashka.ru", "label": "", "primary": False}],
    )
    merged = columns(
        fake,
        phones=[
            {"kind": "work", "value": "+7 495 123 45 67", "label": "", "primary": False},
            {"kind": "mobile", "value": "+7 912 345 67 89", "label": "", "primary": False},
        ],
        emails=[{"kind": "work", "value": "INFO@romashka.ru", "label": "", "primary": False}],
    )
    result = domain.merged_columns(survivor, merged)
    assert [p["value"] for p in result["phones"]] == ["8 (495) 123-45-67", "+7 912 345 67 89"]
    assert [e["value"] for e in result["emails"]] == ["info@romashka.ru"]
    assert result["phones_norm"] == ["74951234567", "79123456789"]
    assert "79123456789" in result["search_text"]


def test_merge_unites_lists_without_duplicates(fake: Faker) -> None:
    survivor = columns(
        fake,
        tags=["vip", "retail"],
        relationship_types=["client"],
        season_months=[3, 12],
        needs=[{"product": "Кассы", "we_offer": True, "note": ""}],
        obstacles=["Тендер"],
    )
    merged = columns(
        fake,
        tags=["retail", "moscow"],
        relationship_types=["client", "partner"],
        season_months=[1, 3],
        needs=[
            {"product": "Кассы", "we_offer": False, "note": "дубль"},
            {"product": "Эквайринг", "we_offer": False, "note": ""},
        ],
        obstacles=["Тендер", "Бюджет"],
    )
    result = domain.merged_columns(survivor, merged)
    assert result["tags"] == ["vip", "retail", "moscow"]
    assert result["relationship_types"] == ["client", "partner"]
    assert result["season_months"] == [1, 3, 12]
    assert result["needs"] == [
        {"product": "Кассы", "we_offer": True, "note": ""},
        {"product": "Эквайринг", "we_offer": False, "note": ""},
    ]
    assert result["obstacles"] == ["Тендер", "Бюджет"]


def test_merge_keeps_survivor_custom_values_and_payment_discipline_on_conflict(fake: Faker) -> None:
    survivor = columns(fake, custom_fields={"tier": "gold"}, payment_discipline="punctual")
    merged = columns(fake, custom_fields={"tier": "silver", "budget": 10}, payment_discipline="defaulted")
    result = domain.merged_columns(survivor, merged)
    assert result["custom_fields"] == {"tier": "gold", "budget": 10}
    assert result["payment_discipline"] == "punctual"


def test_merge_takes_known_payment_discipline_over_unknown(fake: Faker) -> None:
    result = domain.merged_columns(columns(fake), columns(fake, payment_discipline="chronic_delays"))
    assert result["payment_discipline"] == "chronic_delays"
