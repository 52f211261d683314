"""Which column of an uploaded file fills which field of a lead or a party.

A mapping is {header: field or None}; None ignores the column. Several columns may fill the
list fields (phones, e-mails, tags, comments): exports put each phone kind in its own column.
`suggest_mapping` offers a mapping the user confirms: an amoCRM or Bitrix24 export is recognised
by its headers and mapped by its preset; other headers are guessed from ru/en synonyms, compared
case-, ё- and punctuation-insensitively ("E-mail", "e_mail" and "Email" are one header).
Synonyms are written as header_key gives them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from crm_core.errors import FieldProblem

Target = Literal["lead", "party"]
Mapping = dict[str, str | None]

LEAD_FIELDS = (
    "person_name", "first_name", "last_name", "middle_name", "company_name", "email", "phone", "inn",
    "position", "comment", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "tags",
    "owner_email",
)  # fmt: skip
# What contacts' BulkCreateParties takes (Party, CompanyDetails, PersonDetails, ContactPoint kinds),
# plus comment (a note the job adds) and owner_email (resolved to owner_id by the job). amoCRM's and
# Bitrix24's "Ответственный" holds the user's name, not an e-mail, so no preset fills owner_email.
PARTY_FIELDS = (
    "kind", "name", "first_name", "last_name", "middle_name", "position", "company_name", "short_name",
    "inn", "kpp", "ogrn", "phone", "mobile_phone", "home_phone", "fax", "email", "personal_email",
    "address", "postal_address", "website", "industry", "comment", "tags", "owner_email",
)  # fmt: skip
# Fields several columns may fill: their values are merged into one list (comments joined).
LIST_FIELDS = frozenset({"phone", "mobile_phone", "home_phone", "fax", "email", "personal_email", "tags", "comment"})

# A preset's fields are party fields; a lead import reads them through this (None: not a lead field).
_AS_LEAD: dict[str, str | None] = {
    "name": "person_name",
    "mobile_phone": "phone",
    "home_phone": "phone",
    "fax": "phone",
    "personal_email": "email",
    "kind": None,
    "short_name": None,
    "kpp": None,
    "ogrn": None,
    "address": None,
    "postal_address": None,
    "website": None,
    "industry": None,
}


@dataclass(frozen=True)
class Preset:
    """The headers an export of another CRM has, and the party field each fills."""

    name: str
    title: str
    columns: dict[str, str]


AMOCRM = Preset(
    "amocrm",
    "amoCRM: export of contacts or companies",
    {
        "Наименование": "company_name",  # the companies export names a company here
        "Полное имя": "name",
        "Имя": "first_name",
        "Фамилия": "last_name",
        "Компания": "company_name",
        "Должность": "position",
        "Рабочий телефон": "phone",
        "Рабочий прямой телефон": "phone",
        "Мобильный телефон": "mobile_phone",
        "Домашний телефон": "home_phone",
        "Факс": "fax",
        "Другой телефон": "phone",
        "Рабочий email": "email",
        "Личный email": "personal_email",
        "Другой email": "email",
        "Web": "website",
        "Адрес": "address",
        "Теги": "tags",
        "Примечание": "comment",
    },
)
BITRIX24 = Preset(
    "bitrix24",
    "Bitrix24: export of leads, contacts or companies",
    {
        "Название лида": "comment",
        "Имя": "first_name",
        "Фамилия": "last_name",
        "Отчество": "middle_name",
        "Название компании": "company_name",
        "Компания": "company_name",
        "Должность": "position",
        "Рабочий телефон": "phone",
        "Мобильный телефон": "mobile_phone",
        "Домашний телефон": "home_phone",
        "Факс": "fax",
        "Другой телефон": "phone",
        "Рабочий e-mail": "email",
        "Частный e-mail": "personal_email",
        "Другой e-mail": "email",
        "Корпоративный сайт": "website",
        "Адрес": "address",
        "Комментарий": "comment",
        "ИНН": "inn",
        "Рекламная система": "utm_source",
        "Тип трафика": "utm_medium",
        "Обозначение рекламной кампании": "utm_campaign",
        "Содержание кампании": "utm_content",
        "Условие поиска кампании": "utm_term",
    },
)
PRESETS = {p.name: p for p in (AMOCRM, BITRIX24)}

# Guesses for files from anywhere else, by field; compared with header_key.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "фио", "контакт", "клиент", "наименование", "название", "полное имя"),
    "first_name": ("first name", "firstname", "given name", "имя"),
    "last_name": ("last name", "lastname", "surname", "family name", "фамилия"),
    "middle_name": ("middle name", "patronymic", "отчество"),
    "company_name": (
        "company",
        "company name",
        "organization",
        "organisation",
        "компания",
        "организация",
        "название компании",
        "наименование организации",
    ),
    "position": ("position", "job title", "title", "role", "должность"),
    "short_name": ("short name", "краткое наименование", "краткое название"),
    "inn": ("inn", "tin", "tax id", "инн"),
    "kpp": ("kpp", "кпп"),
    "ogrn": ("ogrn", "огрн", "огрнип"),
    "phone": ("phone", "telephone", "tel", "phone number", "телефон", "тел", "номер телефона", "рабочий телефон"),
    "mobile_phone": ("mobile", "mobile phone", "cell", "мобильный", "мобильный телефон", "сотовый"),
    "email": ("email", "e mail", "mail", "почта", "электронная почта", "эл почта", "рабочий email"),
    "personal_email": ("personal email", "личный email", "частный email"),
    "address": ("address", "адрес", "юридический адрес"),
    "postal_address": ("postal address", "почтовый адрес"),
    "website": ("website", "site", "web", "url", "сайт"),
    "industry": ("industry", "отрасль", "сфера деятельности"),
    "comment": ("comment", "comments", "note", "notes", "комментарий", "примечание", "заметка"),
    "tags": ("tags", "tag", "теги", "тег", "метки"),
    "owner_email": ("owner email", "email ответственного", "e mail ответственного"),
    "kind": ("kind", "type", "тип", "тип контрагента"),
    "utm_source": ("utm source", "utmsource", "источник"),
    "utm_medium": ("utm medium", "utmmedium", "канал"),
    "utm_campaign": ("utm campaign", "utmcampaign", "кампания"),
    "utm_content": ("utm content", "utmcontent"),
    "utm_term": ("utm term", "utmterm"),
}
_PUNCTUATION = re.compile(r"[\W_]+")
# A preset is recognised when at least this many headers, and half of the file's, are its own.
_PRESET_MIN = 3


def header_key(header: str) -> str:
    """A header compared loosely: case-folded, ё as е, hyphens dropped ("e-mail" is "email"), other
    punctuation as one space, "(2)"-style numbering dropped.
    """
    key = re.sub(r"\s\(\d+\)$", "", header).casefold().replace("ё", "е").replace("-", "")
    return _PUNCTUATION.sub(" ", key).strip()


def fields_for(target: Target) -> tuple[str, ...]:
    """The fields a mapping for `target` may name."""
    return LEAD_FIELDS if target == "lead" else PARTY_FIELDS


def as_target(field: str, target: Target) -> str | None:
    """A party field (the presets' and synonyms' vocabulary) as the field of `target` it fills."""
    if target == "party":
        return field if field in PARTY_FIELDS else None
    field_ = _AS_LEAD.get(field, field)
    return field_ if field_ in LEAD_FIELDS else None


@dataclass(frozen=True)
class SuggestedMapping:
    """A mapping to offer the user, and the preset it came from (None: guessed from synonyms)."""

    preset: str | None
    mapping: Mapping


def preset_mapping(preset: Preset, headers: Iterable[str], target: Target) -> Mapping:
    """A preset applied to a file's headers; headers it does not know are ignored."""
    columns = {header_key(h): f for h, f in preset.columns.items()}
    result: Mapping = {}
    for header in headers:
        field = columns.get(header_key(header))
        result[header] = as_target(field, target) if field else None
    return result


def detect_preset(headers: Sequence[str]) -> Preset | None:
    """The preset whose headers the file has most of, when it has enough of them, else None.

    Ties (amoCRM and Bitrix24 share "Имя", "Рабочий телефон") go to the preset whose headers
    match exactly, before loose comparison ("Рабочий email" is amoCRM's, "Рабочий e-mail" Bitrix24's).
    """
    keys = {header_key(h) for h in headers}
    best, best_score = None, (0, 0)
    for preset in PRESETS.values():
        loose = sum(1 for h in preset.columns if header_key(h) in keys)
        exact = sum(1 for h in preset.columns if h in headers)
        if (loose, exact) > best_score:
            best, best_score = preset, (loose, exact)
    if best is None or best_score[0] < _PRESET_MIN or best_score[0] * 2 < len(keys):
        return None
    return best


def guess_field(header: str, target: Target) -> str | None:
    """The field a header names by its synonyms, or None."""
    key = header_key(header)
    for field, synonyms in SYNONYMS.items():
        if key == header_key(field) or key in synonyms:
            return as_target(field, target)
    return None


def suggest_mapping(headers: Sequence[str], target: Target) -> SuggestedMapping:
    """A preset's mapping when the file is its export (synonyms fill what it does not know), else guesses.

    A single-valued field is offered for its first column only; later ones are ignored.
    """
    preset = detect_preset(headers)
    mapping = preset_mapping(preset, headers, target) if preset else dict.fromkeys(headers)
    taken = {f for f in mapping.values() if f}
    for header in headers:
        if mapping[header] is None:
            field = guess_field(header, target)
            if field and (field in LIST_FIELDS or field not in taken):
                mapping[header] = field
                taken.add(field)
    return SuggestedMapping(preset.name if preset else None, mapping)


def mapping_problems(mapping: Mapping, headers: Sequence[str], target: Target) -> list[FieldProblem]:
    """Why a mapping the user sent cannot be applied to the file: empty when it can."""
    problems = []
    allowed = fields_for(target)
    seen: dict[str, str] = {}
    for header, field in mapping.items():
        path = f"mapping.{header}"
        if header not in headers:
            problems.append(FieldProblem(path, "unknown_column", f"the file has no column {header!r}"))
        if field is None:
            continue
        if field not in allowed:
            problems.append(FieldProblem(path, "unknown_field", f"{field!r} is not a {target} field"))
        elif field in seen and field not in LIST_FIELDS:
            problems.append(FieldProblem(path, "duplicate_field", f"{field!r} is already filled by {seen[field]!r}"))
        seen.setdefault(field, header)
    return problems
