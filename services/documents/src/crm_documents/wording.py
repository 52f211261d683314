"""Amounts in words, money, numbers and dates written for printed documents, in Russian or English.

    amount_in_words(Decimal("123456.78"), "RUB", "ru")
        "Сто двадцать три тысячи четыреста пятьдесят шесть рублей 78 копеек"
    amount_in_words(Decimal("123456.78"), "RUB", "en")
        "One hundred twenty-three thousand four hundred fifty-six roubles 78 kopecks"
    format_money(Decimal("1234567.89"), "RUB", "ru")   "1 234 567,89 ₽"   (no-break spaces)
    format_money(Decimal("1234567.89"), "RUB", "en")   "RUB 1,234,567.89" (a no-break space)
    format_number(Decimal("1.5"), "ru")                 "1,5"
    format_date(date(2026, 12, 6), "ru")                "6 декабря 2026 г."  ("short": "06.12.2026")
    format_date(date(2026, 12, 6), "en")                "December 6, 2026"   ("short": "12/06/2026")

An amount in words is written the way Russian invoices write it ("Сумма прописью"): the whole units in
words with a capital first letter, the minor units in two digits, each unit name in the form its number
takes (1 рубль, 2-4 рубля, 5-20 рублей, 21 рубль, 111 рублей; 01 копейка, 02 копейки, 00 копеек).
num2words spells the numbers; the unit names are this module's (RUB, USD, EUR, KZT, BYN, CNY in both
languages: num2words lacks some and writes others in forms invoices do not use); another currency is
written with its code ("Двадцать один GBP 01"). An amount is rounded half up to two places first.
English numbers are written without "and" or commas, as invoices and cheques do.

Money and numbers follow the locale's CLDR rules through babel (ru_RU and en_US): a Russian writes
groups of thousands with no-break spaces and a decimal comma, the symbol after the amount. Every space
inside a formatted value is a no-break space (U+00A0: CLDR's narrow one, U+202F, is replaced, as not every
PDF font has it), so a value never breaks across lines; a test searching a PDF's text must expect it. Every
function raises ValueError for a language other than "ru" or "en", a negative or non-finite amount in
words: both are the caller's mistakes, never a user's input.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from babel.dates import format_date as babel_format_date
from babel.numbers import format_currency, format_decimal, get_currency_precision
from num2words import num2words

from crm_core.languages import LANGUAGES

DateStyle = Literal["long", "short"]
NBSP = "\u00a0"

_LOCALES = {"ru": "ru_RU", "en": "en_US"}
_CENT = Decimal("0.01")
_SHORT_DATES = {"ru": "dd.MM.yyyy", "en": "MM/dd/yyyy"}
# CLDR's currency spacing: a symbol ending in a letter ("RUB") is kept apart from the digits; babel omits it.
_LETTER_THEN_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)")

# (major unit, minor unit) names: Russian in the forms for 1, 2-4 and 5-20 ("рубль", "рубля", "рублей"),
# English singular and plural.
_RUSSIAN_UNITS: dict[str, tuple[tuple[str, str, str], tuple[str, str, str]]] = {
    "RUB": (("рубль", "рубля", "рублей"), ("копейка", "копейки", "копеек")),
    "USD": (("доллар США", "доллара США", "долларов США"), ("цент", "цента", "центов")),
    "EUR": (("евро", "евро", "евро"), ("цент", "цента", "центов")),
    "KZT": (("тенге", "тенге", "тенге"), ("тиын", "тиына", "тиынов")),
    "BYN": (("белорусский рубль", "белорусских рубля", "белорусских рублей"), ("копейка", "копейки", "копеек")),
    "CNY": (("юань", "юаня", "юаней"), ("фэнь", "фэня", "фэней")),
}
_ENGLISH_UNITS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "RUB": (("rouble", "roubles"), ("kopeck", "kopecks")),
    "USD": (("US dollar", "US dollars"), ("cent", "cents")),
    "EUR": (("euro", "euros"), ("cent", "cents")),
    "KZT": (("tenge", "tenge"), ("tiyn", "tiyn")),
    "BYN": (("Belarusian rouble", "Belarusian roubles"), ("kopeck", "kopecks")),
    "CNY": (("yuan", "yuan"), ("fen", "fen")),
}
CURRENCIES_IN_WORDS = tuple(_RUSSIAN_UNITS)


def amount_in_words(amount: Decimal, currency: str = "RUB", language: str = "ru") -> str:
    """The amount as an invoice writes it out: whole units in words, minor units in two digits."""
    _check_language(language)
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"an amount in words must be a finite non-negative number, not {amount}")
    rounded = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    whole = int(rounded)
    minor = int((rounded - whole) * 100)
    words = _number_in_words(whole, language)
    code = currency.upper()
    if language == "ru" and code in _RUSSIAN_UNITS:
        major_forms, minor_forms = _RUSSIAN_UNITS[code]
        text = f"{words} {russian_plural(whole, major_forms)} {minor:02d} {russian_plural(minor, minor_forms)}"
    elif language == "en" and code in _ENGLISH_UNITS:
        major_names, minor_names = _ENGLISH_UNITS[code]
        text = f"{words} {_english_plural(whole, major_names)} {minor:02d} {_english_plural(minor, minor_names)}"
    else:
        text = f"{words} {code} {minor:02d}"
    return text[0].upper() + text[1:]


def russian_plural(number: int, forms: tuple[str, str, str]) -> str:
    """The form of a Russian noun after `number`: forms for 1 ("рубль"), 2-4 ("рубля"), 5-20 and 0 ("рублей")."""
    tens, units = abs(number) % 100, abs(number) % 10
    if 11 <= tens <= 19 or units == 0 or units >= 5:
        return forms[2]
    return forms[0] if units == 1 else forms[1]


def format_money(amount: Decimal, currency: str, language: str) -> str:
    """The amount with the currency's decimals (rounded half up) and its symbol as the locale writes it ("1 234 567,89 ₽")."""
    _check_language(language)
    code = currency.upper()
    rounded = amount.quantize(Decimal(1).scaleb(-get_currency_precision(code)), rounding=ROUND_HALF_UP)
    text = format_currency(rounded, code, locale=_LOCALES[language])
    return _no_break(_LETTER_THEN_DIGIT.sub(NBSP, text))


def format_number(value: Decimal | int, language: str, places: int | None = None) -> str:
    """The number with the locale's group and decimal separators; `places` fixes the decimals, else as written.

    "As written" drops trailing zeros: a quantity of Decimal("2.000") prints "2", of "1.50" prints "1,5".
    """
    _check_language(language)
    if places is None:
        return _no_break(format_decimal(value, locale=_LOCALES[language], decimal_quantization=False))
    pattern = "#,##0" + ("." + "0" * places if places > 0 else "")
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return _no_break(format_decimal(rounded, format=pattern, locale=_LOCALES[language]))


def format_date(day: date, language: str, style: DateStyle = "long") -> str:
    """ "6 декабря 2026 г." / "December 6, 2026" (long) or "06.12.2026" / "12/06/2026" (short)."""
    _check_language(language)
    if style == "short":
        return babel_format_date(day, _SHORT_DATES[language], locale=_LOCALES[language])
    if style == "long":
        return _no_break(babel_format_date(day, "long", locale=_LOCALES[language]))
    raise ValueError(f"unknown date style {style!r}")


def _no_break(text: str) -> str:
    """CLDR's narrow no-break space (U+202F, "2026 г.") as the plain one every PDF font has."""
    return text.replace("\u202f", NBSP)


def _number_in_words(number: int, language: str) -> str:
    words: str = num2words(number, lang=language)
    if language == "en":
        # num2words writes British "one hundred and twenty-three thousand, four hundred..."
        words = words.replace(",", "").replace(" and ", " ")
    return words


def _english_plural(number: int, names: tuple[str, str]) -> str:
    return names[0] if number == 1 else names[1]


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: one of {', '.join(LANGUAGES)}")
