"""The two languages the platform speaks, texts in both, and the installation's default one.

Reference data the platform ships (pipelines and stages, code lists, process
definitions) carries every label in Russian and English; the user interface
shows the one of its language. Where a record keeps a single text made from
that data (a process task's subject, a pipeline's `name`), the installation's
default language decides which (CRM_DEFAULT_LANGUAGE, CommonSettings).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Language = Literal["ru", "en"]
LANGUAGES: tuple[Language, ...] = ("ru", "en")
DEFAULT_LANGUAGE: Language = "ru"


@dataclass(frozen=True)
class Bilingual:
    """A text in Russian and English; built with `both`, so neither is empty when one was given."""

    ru: str
    en: str

    @classmethod
    def both(cls, ru: str | None, en: str | None) -> Bilingual:
        """The texts stripped; one given serves both languages (an admin may write only one)."""
        ru_, en_ = (ru or "").strip(), (en or "").strip()
        return cls(ru_ or en_, en_ or ru_)

    def in_language(self, language: str) -> str:
        """The text in `language` (English for "en", Russian for anything else)."""
        return self.en if language == "en" else self.ru

    def __bool__(self) -> bool:
        return bool(self.ru or self.en)
