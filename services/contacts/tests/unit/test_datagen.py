"""crm_core.datagen's parties pass the contacts service's own rules, and a seed gives the same rows."""

from __future__ import annotations

from crm_contacts import domain
from crm_core import requisites
from crm_core.datagen import PartyGenerator, company_inn, female_surname, ogrn, ogrnip, person_inn
from crm_core.errors import Validator


def test_registration_ids_have_check_digits_the_service_accepts() -> None:
    rows = PartyGenerator(seed=3).parties(3000)
    companies = [r["company"] for r in rows if r["kind"] == "company"]
    assert {len(c["inn"]) for c in companies} == {10, 12}  # organisations and sole traders
    assert {len(c["ogrn"]) for c in companies} == {13, 15}
    for details in companies:
        assert requisites.is_valid_inn(details["inn"]), details
        assert requisites.is_valid_ogrn(details["ogrn"]), details
        assert len(details["inn"]) == 12 or requisites.is_valid_kpp(details["kpp"]), details
        assert len(details["inn"]) != 12 or "kpp" not in details  # a sole trader has no KPP
    assert len({c["inn"] for c in companies}) == len(companies)


def test_check_digit_functions_agree_with_known_ids() -> None:
    assert company_inn("770708389") == "7707083893"  # Сбербанк
    assert ogrn("102770013219") == "1027700132195"
    assert person_inn("1234567890") == "123456789047"
    assert requisites.is_valid_ogrn(ogrnip("30450013500001"))
    # Every remainder of an ОГРНИП by 13, 10..12 included (python-stdnum refuses those).
    assert all(requisites.is_valid_ogrn(ogrnip(f"3045001350{n:04d}")) for n in range(40))


def test_every_generated_party_is_valid_as_the_service_judges_it() -> None:
    for row in PartyGenerator(seed=11, owners=[("u1", "t1"), ("u2", "")]).parties(1500):
        v = Validator()
        cols = domain.party_values(v, row, row["kind"])
        domain.record_problems(v, row["kind"], cols)
        assert not v.problems, (row, v.problems)
        assert cols["owner_id"] in ("u1", "u2")


def test_people_have_gender_agreeing_names() -> None:
    for row in PartyGenerator(seed=5).parties(500, companies=0):
        person = row["person"]
        female = person["middle_name"].endswith("на")
        assert person["middle_name"].endswith("ич") != female
        assert person["last_name"].endswith(("а", "ая")) == female, person
    assert female_surname("Высоцкий") == "Высоцкая" and female_surname("Иванов") == "Иванова"


def test_the_same_seed_gives_the_same_parties() -> None:
    owners = [("u1", "t1")]
    assert PartyGenerator(42, owners).parties(200) == PartyGenerator(42, owners).parties(200)
    assert PartyGenerator(42, owners).parties(50) != PartyGenerator(43, owners).parties(50)
