"""Check digits of Russian registration ids and bank details."""

from __future__ import annotations

from typing import Any

import pytest
from faker import Faker

from crm_core import requisites

SAMPLES = 300


def _bump(value: str, index: int) -> str:
    """The value with one digit changed (+1 mod 10)."""
    return value[:index] + str((int(value[index]) + 1) % 10) + value[index + 1 :]


def test_faker_company_and_individual_inns_are_accepted(fake: Faker) -> None:
    for _ in range(SAMPLES):
        company_inn, person_inn = fake.businesses_inn(), fake.individuals_inn()
        assert len(company_inn) == 10 and requisites.is_valid_inn(company_inn), company_inn
        assert len(person_inn) == 12 and requisites.is_valid_inn(person_inn), person_inn


def test_faker_ogrn_and_kpp_are_accepted(fake: Faker) -> None:
    for _ in range(SAMPLES):
        ogrn, kpp = fake.businesses_ogrn(), fake.kpp()
        assert requisites.is_valid_ogrn(ogrn), ogrn
        assert requisites.is_valid_kpp(kpp), kpp


def test_inn_with_a_changed_check_digit_is_rejected(fake: Faker) -> None:
    for _ in range(SAMPLES):
        company_inn, person_inn = fake.businesses_inn(), fake.individuals_inn()
        assert not requisites.is_valid_inn(_bump(company_inn, 9)), company_inn
        assert not requisites.is_valid_inn(_bump(person_inn, 10)), person_inn
        assert not requisites.is_valid_inn(_bump(person_inn, 11)), person_inn


def test_known_inns_are_accepted_and_a_changed_inner_digit_is_rejected() -> None:
    # Sberbank's INN and the tax service's sample INN of an individual.
    assert requisites.is_valid_inn("7707083893")
    assert requisites.is_valid_inn("500100732259")
    assert not requisites.is_valid_inn("7707083983")  # two digits swapped
    assert not requisites.is_valid_inn("7707183893")
    assert not requisites.is_valid_inn("500100733259")


@pytest.mark.parametrize("inn", ["", "770708389", "77070838931", "770708389X", "7707-83893", "7707083893 "])
def test_inn_of_wrong_length_or_with_non_digits_is_rejected(inn: str) -> None:
    assert not requisites.is_valid_inn(inn)


def test_ogrn_with_a_changed_digit_is_rejected(fake: Faker) -> None:
    for _ in range(SAMPLES):
        ogrn = fake.businesses_ogrn()
        assert not requisites.is_valid_ogrn(_bump(ogrn, 12)), ogrn
    assert requisites.is_valid_ogrn("1027700132195")  # Sberbank
    assert requisites.is_valid_ogrn("304500116000157")  # sample ОГРНИП
    assert not requisites.is_valid_ogrn("1027700132196")
    assert not requisites.is_valid_ogrn("304500116000158")
    assert not requisites.is_valid_ogrn("10277001321950")  # 14 digits: neither form


def test_faker_individual_ogrns_are_accepted_whatever_their_remainder(fake: Faker) -> None:
    remainders = set()
    for _ in range(SAMPLES):
        ogrnip = fake.individuals_ogrn()
        remainders.add(int(ogrnip[:14]) % 13)
        assert len(ogrnip) == 15 and requisites.is_valid_ogrn(ogrnip), ogrnip
    assert remainders >= {10, 11, 12}  # the ones python-stdnum alone refuses


def test_an_ogrnip_whose_remainder_has_two_digits_ends_in_its_last_digit() -> None:
    assert int("30450011600018") % 13 == 10
    assert requisites.is_valid_ogrn("304500116000180")
    assert not requisites.is_valid_ogrn("304500116000181")


@pytest.mark.parametrize(
    ("check", "args"),
    [
        (requisites.is_valid_inn, ("770708389³",)),
        (requisites.is_valid_ogrn, ("102770013219５",)),
        (requisites.is_valid_kpp, ("７７３６01001",)),
        (requisites.is_valid_bic, ("04452522³",)),
        (requisites.is_valid_checking_account, ("4070281003800000000³", "044525225")),
        (requisites.is_valid_correspondent_account, ("30101810400000000225", "04452522５")),
    ],
)
def test_digits_other_than_ascii_are_refused_not_a_crash(check: Any, args: tuple[str, ...]) -> None:
    assert check(*args) is False


def test_spaces_typed_into_an_inn_or_ogrn_are_compacted() -> None:
    assert requisites.compact(" 7707 083 893 ") == "7707083893"
    assert requisites.is_valid_inn(requisites.compact("7707 083893"))
    assert requisites.is_valid_ogrn(requisites.compact("1 027700 132195"))


@pytest.mark.parametrize(
    ("kpp", "valid"),
    [("773601001", True), ("7736AB001", True), ("77360100", False), ("7736ab001", False), ("77A601001", False)],
)
def test_kpp_format(kpp: str, valid: bool) -> None:
    assert requisites.is_valid_kpp(kpp) is valid


def test_checking_account_keyed_to_its_bic_is_accepted(fake: Faker) -> None:
    for _ in range(SAMPLES):
        bic = fake.bic()
        account = requisites.with_account_key(fake.checking_account(), bic)
        assert requisites.is_valid_checking_account(account, bic), (account, bic)


def test_checking_account_does_not_match_another_bic_or_a_changed_key(fake: Faker) -> None:
    for _ in range(SAMPLES):
        bic = fake.bic()
        account = requisites.with_account_key(fake.checking_account(), bic)
        other_bank = _bump(bic, 8)  # the bank's number is part of the control sum
        assert not requisites.is_valid_checking_account(account, other_bank), (account, bic)
        assert not requisites.is_valid_checking_account(_bump(account, 8), bic), (account, bic)
        assert not requisites.is_valid_checking_account(account[:19], bic)
        assert not requisites.is_valid_checking_account(account, bic[:8])


def test_correspondent_account_is_keyed_by_the_bics_settlement_centre() -> None:
    # Sberbank, Moscow: БИК 044525225, к/с 30101810400000000225.
    assert requisites.is_valid_correspondent_account("30101810400000000225", "044525225")
    assert not requisites.is_valid_correspondent_account("30101810500000000225", "044525225")
    assert not requisites.is_valid_correspondent_account("30101810400000000225", "044535225")


@pytest.mark.parametrize(("bic", "valid"), [("044525225", True), ("04452522", False), ("04452522A", False)])
def test_bic_is_nine_digits(bic: str, valid: bool) -> None:
    assert requisites.is_valid_bic(bic) is valid
