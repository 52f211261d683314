"""Columns are mapped to fields: amoCRM and Bitrix24 exports by their presets, other files by synonyms."""

from __future__ import annotations

from pathlib import Path

from crm_core.errors import FieldProblem
from crm_marketing.imports.mapping import (
    LEAD_FIELDS,
    PARTY_FIELDS,
    PRESETS,
    SYNONYMS,
    header_key,
    mapping_problems,
    suggest_mapping,
)

AMOCRM_CONTACTS = (
    "ID", "Полное имя", "Имя", "Фамилия", "Компания", "Должность", "Рабочий телефон", "Мобильный телефон",
    "Рабочий email", "Личный email", "Теги", "Ответственный", "Дата создания",
)  # fmt: skip
BITRIX24_LEADS = (
    "ID", "Название лида", "Имя", "Фамилия", "Отчество", "Название компании", "Должность", "Рабочий телефон",
    "Мобильный телефон", "Рабочий e-mail", "Частный e-mail", "Источник", "Комментарий", "ИНН", "Ответственный",
    "Рекламная система", "Тип трафика", "Обозначение рекламной кампании", "Содержание кампании",
    "Условие поиска кампании",
)  # fmt: skip


def test_amocrm_contacts_export_is_recognised_and_mapped_for_leads() -> None:
    suggested = suggest_mapping(AMOCRM_CONTACTS, "lead")
    assert suggested.preset == "amocrm"
    assert suggested.mapping == {
        "ID": None,
        "Полное имя": "person_name",
        "Имя": "first_name",
        "Фамилия": "last_name",
        "Компания": "company_name",
        "Должность": "position",
        "Рабочий телефон": "phone",
        "Мобильный телефон": "phone",
        "Рабочий email": "email",
        "Личный email": "email",
        "Теги": "tags",
        "Ответственный": None,  # a user's name, not the e-mail owner_email needs
        "Дата создания": None,
    }


def test_amocrm_export_for_parties_keeps_phone_and_email_kinds() -> None:
    mapping = suggest_mapping(AMOCRM_CONTACTS, "party").mapping
    assert mapping["Полное имя"] == "name"
    assert mapping["Мобильный телефон"] == "mobile_phone"
    assert mapping["Личный email"] == "personal_email"


def test_bitrix24_leads_export_is_recognised_and_mapped_for_leads() -> None:
    suggested = suggest_mapping(BITRIX24_LEADS, "lead")
    assert suggested.preset == "bitrix24"
    assert suggested.mapping == {
        "ID": None,
        "Название лида": "comment",
        "Имя": "first_name",
        "Фамилия": "last_name",
        "Отчество": "middle_name",
        "Название компании": "company_name",
        "Должность": "position",
        "Рабочий телефон": "phone",
        "Мобильный телефон": "phone",
        "Рабочий e-mail": "email",
        "Частный e-mail": "email",
        "Источник": None,  # its synonym utm_source is taken by "Рекламная система"
        "Комментарий": "comment",
        "ИНН": "inn",
        "Ответственный": None,
        "Рекламная система": "utm_source",
        "Тип трафика": "utm_medium",
        "Обозначение рекламной кампании": "utm_campaign",
        "Содержание кампании": "utm_content",
        "Условие поиска кампании": "utm_term",
    }


def test_preset_is_told_apart_by_exact_headers_when_loose_ones_tie() -> None:
    headers = ("Имя", "Фамилия", "Рабочий телефон", "Рабочий e-mail")
    assert suggest_mapping(headers, "lead").preset == "bitrix24"
    assert suggest_mapping(("Имя", "Фамилия", "Рабочий телефон", "Рабочий email"), "lead").preset == "amocrm"


def test_a_file_with_few_preset_headers_is_guessed_not_preset() -> None:
    suggested = suggest_mapping(("E-MAIL", "Phone number", "Full name", "utm_source", "Ёмкость склада"), "lead")
    assert suggested.preset is None
    assert suggested.mapping == {
        "E-MAIL": "email",
        "Phone number": "phone",
        "Full name": "person_name",
        "utm_source": "utm_source",
        "Ёмкость склада": None,
    }


def test_a_single_valued_field_is_offered_for_its_first_column_only() -> None:
    mapping = suggest_mapping(("ИНН", "инн (2)", "Телефон", "Телефон (2)"), "party").mapping
    assert mapping == {"ИНН": "inn", "инн (2)": None, "Телефон": "phone", "Телефон (2)": "phone"}


def test_header_key_ignores_case_yo_and_punctuation() -> None:
    assert header_key(" Рабочий E-Mail ") == header_key("рабочий email") == "рабочий email"
    assert header_key("utm_source") == header_key("UTM Source") == "utm source"
    assert header_key("Отчёт") == "отчет"


def test_presets_and_synonyms_name_only_known_fields() -> None:
    for preset in PRESETS.values():
        assert set(preset.columns.values()) <= set(PARTY_FIELDS) | set(LEAD_FIELDS)
    assert set(SYNONYMS) <= set(PARTY_FIELDS) | set(LEAD_FIELDS)


def test_mapping_problems_name_unknown_columns_fields_and_repeated_single_fields() -> None:
    headers = ("Имя", "ИНН", "ИНН (2)", "Телефон", "Телефон (2)")
    mapping: dict[str, str | None] = {
        "Имя": "person_name",
        "ИНН": "inn",
        "ИНН (2)": "inn",
        "Телефон": "phone",
        "Телефон (2)": "phone",
        "Сайт": "website",
    }
    assert mapping_problems(mapping, headers, "lead") == [
        FieldProblem("mapping.ИНН (2)", "duplicate_field", "'inn' is already filled by 'ИНН'"),
        FieldProblem("mapping.Сайт", "unknown_column", "the file has no column 'Сайт'"),
        FieldProblem("mapping.Сайт", "unknown_field", "'website' is not a lead field"),
    ]
    assert mapping_problems({"Имя": "first_name", "Телефон": None}, headers, "lead") == []


def test_docs_list_every_preset_header_with_its_field() -> None:
    docs = (Path(__file__).parents[4] / "docs" / "marketing.md").read_text(encoding="utf-8")
    for preset in PRESETS.values():
        for header, field in preset.columns.items():
            assert f"| {header} | `{field}` |" in docs, (preset.name, header)
