"""A mapped row becomes a typed lead or party with the platform's own checks, or every reason it cannot."""

from __future__ import annotations

from faker import Faker

from crm_core.errors import FieldProblem
from crm_marketing.imports.mapping import suggest_mapping
from crm_marketing.imports.rows import (
    ContactPointValue,
    LeadRow,
    PartyRow,
    dedup_keys,
    parse_lead_row,
    parse_party_row,
)

AMO = ("Имя", "Фамилия", "Компания", "Рабочий телефон", "Мобильный телефон", "Рабочий email", "Должность", "Теги")
AMO_LEAD = suggest_mapping(AMO, "lead").mapping
BITRIX = ("Название компании", "ИНН", "Рабочий телефон", "Мобильный телефон", "Рабочий e-mail", "Частный e-mail")
BITRIX_PARTY = suggest_mapping(BITRIX, "party").mapping


def test_amocrm_row_becomes_a_lead_with_phones_in_e164_and_emails_normalized() -> None:
    cells = ("Иван", "Петров", "ООО Ромашка", "8 (495) 123-45-67, доб. 12", "+7 916 123-45-67; 8 916 765-43-21",
             "IVAN@Example.COM", "Директор", "vip, опт, vip")  # fmt: skip
    assert parse_lead_row(AMO, cells, AMO_LEAD) == LeadRow(
        first_name="Иван",
        last_name="Петров",
        company_name="ООО Ромашка",
        position="Директор",
        emails=("IVAN@example.com",),
        phones=("+74951234567;ext=12", "+79161234567", "+79167654321"),
        tags=("vip", "опт"),
    )


def test_the_same_phone_in_two_columns_is_one_phone() -> None:
    cells = ("Оля", "", "", "+7 916 123-45-67", "89161234567", "", "", "")
    row = parse_lead_row(AMO, cells, AMO_LEAD)
    assert isinstance(row, LeadRow)
    assert row.phones == ("+79161234567",)


def test_bad_phone_and_email_are_reported_together_with_their_fields() -> None:
    cells = ("Иван", "", "", "123", "", "ivan@", "", "")
    assert parse_lead_row(AMO, cells, AMO_LEAD) == [
        FieldProblem("email", "invalid_email", "'ivan@' is not an e-mail address: There must be something after the @-sign."),
        FieldProblem("phone", "invalid_phone", "'123' is not a phone number: too short"),
    ]  # fmt: skip


def test_lead_needs_a_name_a_company_an_email_or_a_phone() -> None:
    cells = ("", "", "", "", "", "", "Директор", "vip")
    assert parse_lead_row(AMO, cells, AMO_LEAD) == [
        FieldProblem("row", "required", "a lead needs a name, a company, an e-mail or a phone")
    ]
    assert isinstance(parse_lead_row(AMO, ("", "", "", "", "", "a@b.ru", "", ""), AMO_LEAD), LeadRow)


def test_inn_check_digits_are_checked_and_spaces_dropped(fake: Faker) -> None:
    inn = fake.businesses_inn()
    headers, mapping = ("Компания", "ИНН"), {"Компания": "company_name", "ИНН": "inn"}
    row = parse_lead_row(headers, ("Ромашка", f" {inn[:4]} {inn[4:]} "), mapping)
    assert isinstance(row, LeadRow)
    assert row.inn == inn
    bad = inn[:-1] + str((int(inn[-1]) + 1) % 10)
    assert parse_lead_row(headers, ("Ромашка", bad), mapping) == [
        FieldProblem("inn", "invalid_inn", f"{bad!r} is not a valid INN (10 or 12 digits with check digits)")
    ]


def test_nul_characters_are_refused_and_other_control_characters_removed() -> None:
    headers, mapping = ("Имя", "Комментарий"), {"Имя": "person_name", "Комментарий": "comment"}
    assert parse_lead_row(headers, ("Ива\x00н", ""), mapping) == [
        FieldProblem("person_name", "invalid_text", "Имя: text must not contain NUL characters (U+0000) or unpaired surrogates")
    ]  # fmt: skip
    row = parse_lead_row(headers, ("Ива\x07н  \t Петров", "строка 1\r\nстрока\x1b 2"), mapping)
    assert row == LeadRow(person_name="Иван Петров", comment="строка 1\nстрока 2")


def test_text_over_its_limit_is_refused() -> None:
    headers, mapping = ("Имя",), {"Имя": "person_name"}
    assert parse_lead_row(headers, ("я" * 301,), mapping) == [
        FieldProblem("person_name", "too_long", "person_name must be at most 300 characters")
    ]


def test_bitrix24_company_row_becomes_a_company_party_with_contact_point_kinds(fake: Faker) -> None:
    inn = fake.businesses_inn()
    cells = ("ООО «Ромашка»", inn, "+7 495 123-45-67", "+7 916 123-45-67", "info@romashka.ru", "Info@Romashka.ru")
    assert parse_party_row(BITRIX, cells, BITRIX_PARTY, default_kind="company") == PartyRow(
        kind="company",
        name="ООО «Ромашка»",
        inn=inn,
        phones=(ContactPointValue("work", "+74951234567"), ContactPointValue("mobile", "+79161234567")),
        emails=(ContactPointValue("work", "info@romashka.ru"),),
    )


def test_party_kind_comes_from_its_column_and_is_checked() -> None:
    headers = ("Тип", "Наименование", "КПП", "ОГРН")
    mapping = {"Тип": "kind", "Наименование": "name", "КПП": "kpp", "ОГРН": "ogrn"}
    row = parse_party_row(headers, ("Компания", "Ромашка", "770701001", "1027700132195"), mapping)
    assert row == PartyRow(kind="company", name="Ромашка", kpp="770701001", ogrn="1027700132195")
    assert parse_party_row(headers, ("робот", "Ромашка", "77", "1027700132196"), mapping) == [
        FieldProblem("kind", "invalid_kind", "'робот' is neither a company nor a person"),
        FieldProblem("kpp", "invalid_kpp", "'77' is not a valid KPP (9 characters)"),
        FieldProblem("ogrn", "invalid_ogrn", "'1027700132196' is not a valid OGRN (13 or 15 digits with a check digit)"),
    ]  # fmt: skip


def test_person_party_needs_a_name_and_company_party_a_name() -> None:
    headers, mapping = ("Фамилия", "Телефон"), {"Фамилия": "last_name", "Телефон": "phone"}
    assert parse_party_row(headers, ("Петров", ""), mapping) == PartyRow(kind="person", last_name="Петров")
    assert parse_party_row(headers, ("", "+74951234567"), mapping) == [
        FieldProblem("name", "required", "a person needs a name, a first name or a last name")
    ]
    assert parse_party_row(headers, ("Петров", ""), mapping, default_kind="company") == [
        FieldProblem("name", "required", "a company needs a name")
    ]


def test_dedup_keys_compare_emails_case_insensitively_phones_as_digits_and_inn() -> None:
    one = LeadRow(inn="7707083893", emails=("Ivan@Example.com",), phones=("+74951234567;ext=12",))
    assert dedup_keys(one) == ("inn:7707083893", "email:ivan@example.com", "phone:74951234567")
    party = PartyRow(kind="company", name="Р", ogrn="1027700132195", emails=(ContactPointValue("work", "a@b.ru"),))
    assert dedup_keys(party) == ("ogrn:1027700132195", "email:a@b.ru")
