"""The name key duplicates compare: a party's name without what every company's name shares.

"ООО «Ромашка»", "Ромашка ООО" and "ромашка" are one key, `ромашка`. The key is computed here, at
write time, and nowhere else (the migration that added it backfilled through this function), so the
database and the service never disagree on it.
"""

from __future__ import annotations

import re

# Legal forms, longest first so "общество с ограниченной ответственностью" goes before "общество".
LEGAL_FORMS = (
    "общество с ограниченной ответственностью",
    "открытое акционерное общество",
    "закрытое акционерное общество",
    "публичное акционерное общество",
    "непубличное акционерное общество",
    "акционерное общество",
    "индивидуальный предприниматель",
    "некоммерческая организация",
    "товарищество с ограниченной ответственностью",
    "ооо",
    "оао",
    "зао",
    "пао",
    "нао",
    "ао",
    "ип",
    "нко",
    "тоо",
    "чп",
    "limited liability company",
    "llc",
    "ltd",
    "limited",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "gmbh",
    "ag",
    "plc",
    "co",
)
_FORMS = re.compile(r"\b(?:" + "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in LEGAL_FORMS) + r")\b")
# Quotes and punctuation are separators; letters and digits of any script are kept.
_NOT_WORD = re.compile(r"[\W_]+")


def name_key(name: str, kind: str = "company") -> str:
    """The normalized name: lower case, ё as е, quotes, punctuation and (a company's) legal forms dropped.

    A person keeps every word: "Ао" or "Ип" may be part of a name, and people have no legal form.
    """
    text = " ".join(_NOT_WORD.sub(" ", name.lower().replace("ё", "е")).split())
    if kind != "company":
        return text
    key = " ".join(_FORMS.sub(" ", text).split())
    # A name that is only a legal form ("ООО") keeps its words rather than becoming empty.
    return key or text
