"""The installation's language and texts in both languages."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from crm_core.languages import Bilingual
from crm_core.settings import CommonSettings


def test_one_text_given_serves_both_languages_and_each_language_reads_its_own() -> None:
    assert Bilingual.both(" Продажи ", None) == Bilingual("Продажи", "Продажи")
    assert Bilingual.both("", "Sales") == Bilingual("Sales", "Sales")
    names = Bilingual.both("Продажи", "Sales")
    assert (names.in_language("ru"), names.in_language("en")) == ("Продажи", "Sales")
    assert not Bilingual.both(" ", None)


def test_the_installation_speaks_russian_unless_told_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRM_DEFAULT_LANGUAGE", raising=False)
    assert CommonSettings().default_language == "ru"
    monkeypatch.setenv("CRM_DEFAULT_LANGUAGE", "en")
    assert CommonSettings().default_language == "en"
    monkeypatch.setenv("CRM_DEFAULT_LANGUAGE", "de")
    with pytest.raises(ValidationError):
        CommonSettings()
