"""Rules of the marketing domain: lead moves, assignment rules, funnel arithmetic, names of converted people."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crm_core.errors import FailedPrecondition
from crm_marketing import domain
from crm_marketing.conversion import person_names


def test_a_converted_lead_moves_nowhere_and_a_disqualified_one_only_back_to_work() -> None:
    with pytest.raises(FailedPrecondition) as info:
        domain.check_lead_move("converted", "in_work")
    assert info.value.code == "lead_converted"
    domain.check_lead_move("disqualified", "in_work")
    with pytest.raises(FailedPrecondition):
        domain.check_lead_move("disqualified", "qualified")


def test_rule_values_read_the_email_domain_the_calling_code_and_utm() -> None:
    values = domain.rule_values(
        {"email": "Anna@Metall.RU", "phone_e164": "+375291234567", "utm": {"source": "yandex"}, "company_name": "ООО"}
    )
    assert (values["email_domain"], values["phone_region"], values["utm_source"], values["has_company"]) == (
        "metall.ru",
        "375",
        "yandex",
        "true",
    )


@pytest.mark.parametrize(
    ("op", "value", "holds"),
    [
        ("eq", "YANDEX", True),
        ("ne", "google", True),
        ("in", "google, yandex", True),
        ("contains", "and", True),
        ("eq", "google", False),
    ],
)
def test_conditions_compare_text_without_case(op: str, value: str, holds: bool) -> None:
    assert domain.condition_holds({"field": "utm_source", "op": op, "value": value}, {"utm_source": "yandex"}) is holds


def test_a_rule_without_conditions_takes_every_lead_and_gives_them_in_turn() -> None:
    assert domain.rule_matches([], {"channel": "form"})
    assert [domain.round_robin(["a", "b", "c"], n) for n in range(5)] == ["a", "b", "c", "a", "b"]


def test_roi_and_unit_costs_in_decimal() -> None:
    funnel = domain.Funnel("RUB", cost=Decimal("100000"), leads=3, won=2, revenue=Decimal("250000"))
    assert (funnel.roi, funnel.cost_per_lead, funnel.cost_per_won) == (
        Decimal("1.5000"),
        Decimal("33333.33"),
        Decimal("50000.00"),
    )


def test_no_cost_means_no_roi_rather_than_a_division_by_zero() -> None:
    funnel = domain.Funnel("RUB", leads=5, revenue=Decimal("1000"))
    assert (funnel.roi, funnel.cost_per_lead, funnel.cost_per_won) == (None, None, None)


def test_a_loss_making_campaign_has_a_negative_roi() -> None:
    assert domain.Funnel("RUB", cost=Decimal("300"), revenue=Decimal("100")).roi == Decimal("-0.6667")


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        ("Смирнова Анна Петровна", {"last_name": "Смирнова", "first_name": "Анна", "middle_name": "Петровна"}),
        ("Анна Смирнова", {"first_name": "Анна", "last_name": "Смирнова"}),
        ("Анна", {"first_name": "Анна"}),
    ],
)
def test_a_typed_full_name_splits_the_russian_way(typed: str, parts: dict[str, str]) -> None:
    assert person_names(typed) == parts
