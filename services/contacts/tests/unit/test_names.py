"""The name key duplicates compare: legal forms, quotes, case and ё/е do not make two names differ."""

from __future__ import annotations

import pytest

from crm_contacts.names import name_key


@pytest.mark.parametrize(
    "name",
    [
        "ООО «Ромашка»",
        "Ромашка ООО",
        'ООО "Ромашка"',
        "ооо 'ромашка'",
        "Общество с ограниченной ответственностью «Ромашка»",
        "ОБЩЕСТВО С ОГРАНИЧЕННОЙ  ОТВЕТСТВЕННОСТЬЮ Ромашка",
        "АО Ромашка",
        "ПАО «Ромашка»",
        "Ромашка, LLC",
        "Ромашка GmbH",
        "  Ромашка.  ",
    ],
)
def test_legal_forms_quotes_case_and_punctuation_are_dropped(name: str) -> None:
    assert name_key(name) == "ромашка"


def test_yo_is_folded_to_ye() -> None:
    assert name_key("ЗАО «Ёлка-Полёт»") == name_key("Елка Полет") == "елка полет"


def test_english_legal_forms_are_dropped() -> None:
    assert name_key("Acme, Inc.") == name_key("ACME Ltd") == name_key("Acme LLC") == "acme"


def test_legal_form_letters_inside_a_word_are_kept() -> None:
    # "ао" and "ип" are forms only as whole words.
    assert name_key("Маоист Липа") == "маоист липа"


def test_a_name_that_is_only_a_legal_form_keeps_its_words() -> None:
    assert name_key("ООО") == "ооо"


def test_a_person_keeps_every_word() -> None:
    assert name_key("Ао Ип Сергеевич", "person") == "ао ип сергеевич"
    assert name_key("Фёдоров  Пётр", "person") == "федоров петр"
