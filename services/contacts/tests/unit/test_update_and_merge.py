"""domain.PARTY_MASK (field masks) and domain.merged_columns (folding a duplicate into a survivor)."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from faker import Faker

from crm_contacts import domain
from crm_core.errors import InvalidArgument


def current_company() -> dict[str, Any]:
    return {
        "kind": "company",
        "display_name": "Ромашка",
        "company": {"legal_name": "ООО «Ромашка»", "inn": "7707083893", "industry": "Ритейл"},
        "phones": [{"value": "+7 495 123 45 67"}],
        "tags": ["vip"],
        "knowledge": {"purchase_volume": {"amount": "100", "currency": "RUB"}, "season_months": [3]},
    }


def test_masked_paths_are_replaced_and_the_rest_kept() -> None:
    patch = {"tags": ["key", "retail"], "phones": [{"value": "8 800 555 35 35"}], "display_name": "Не то"}
    result = domain.PARTY_MASK.apply(current_company(), patch, ["tags", "phones"])
    assert result["tags"] == ["key", "retail"]
    assert result["phones"] == [{"value": "8 800 555 35 35"}]
    assert result["display_name"] == "Ромашка"
    assert result["company"] == current_company()["company"]


def test_masked_path_absent_from_the_patch_is_cleared() -> None:
    result = domain.PARTY_MASK.apply(current_company(), {}, ["tags", "company.industry"])
    assert "tags" not in result
    assert "industry" not in result["company"]
    assert result["company"]["inn"] == "7707083893"


def test_nested_path_replaces_only_that_field() -> None:
    patch = {
        "company": {"inn": "500100732259", "legal_name": "ignored"},
        "knowledge": {"purchase_volume": {"amount": "7"}},
    }
    result = domain.PARTY_MASK.apply(current_company(), patch, ["company.inn", "knowledge.purchase_volume.amount"])
    assert result["company"] == {"legal_name": "ООО «Ромашка»", "inn": "500100732259", "industry": "Ритейл"}
    assert result["knowledge"]["purchase_volume"] == {"amount": "7", "currency": "RUB"}
    assert result["knowledge"]["season_months"] == [3]


def test_apply_update_leaves_the_current_party_unchanged() -> None:
    current = current_company()
    before = copy.deepcopy(current)
    domain.PARTY_MASK.apply(
        current, {"company": {"inn": "1"}, "knowledge": {}}, ["company.inn", "knowledge.purchase_volume.amount"]
    )
    assert current == before


@pytest.mark.parametrize("path", ["kind", "id", "version", "company.bogus", "custom_fields.budget.x", "created_by"])
def test_unknown_update_path_is_rejected(path: str) -> None:
    with pytest.raises(InvalidArgument) as info:
        domain.PARTY_MASK.apply(current_company(), {}, ["tags", path])
    assert [(p.field, p.code) for p in info.value.fields] == [("update_mask", "unknown_field")]
    assert path in info.value.fields[0].message


def test_update_starts_without_a_derived_display_name_so_a_rename_derives_it_again(fake: Faker) -> None:
    data = {"kind": "person", "person": {"first_name": "Мария", "last_name": "Иванова"}}
    cols = {**domain.party_columns(data, "person", {}, ()), "kind": "person"}
    assert "display_name" not in domain.editable_party_dict(cols)
    renamed = domain.PARTY_MASK.apply(
        domain.editable_party_dict(cols), {"person": {"last_name": "Кузнецова"}}, ["person.last_name"]
    )
    assert domain.party_columns(renamed, "person", {}, ())["display_name"] == "Кузнецова Мария"


def test_update_keeps_a_given_display_name(fake: Faker) -> None:
    data = {"kind": "person", "display_name": "Маша (закупки)", "person": {"last_name": "Иванова"}}
    cols = {**domain.party_columns(data, "person", {}, ()), "kind": "person"}
    assert domain.editable_party_dict(cols)["display_name"] == "Маша (закупки)"


def columns(fake: Faker, **values: Any) -> dict[str, Any]:
    data = {"kind": "company", "company": {"legal_name": fake.company()}}
    cols = domain.party_columns(data, "company", {}, ())
    cols.update(kind="company", id=fake.uuid4())
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
