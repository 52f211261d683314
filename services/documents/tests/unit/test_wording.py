"""Amounts in words, money, numbers and dates as printed documents write them in Russian and English."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crm_documents.wording import (
    CURRENCIES_IN_WORDS,
    amount_in_words,
    format_date,
    format_money,
    format_number,
    russian_plural,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("amount", "russian"),
    [
        ("123456.78", "Сто двадцать три тысячи четыреста пятьдесят шесть рублей 78 копеек"),
        ("0", "Ноль рублей 00 копеек"),
        ("0.01", "Ноль рублей 01 копейка"),
        ("1", "Один рубль 00 копеек"),
        ("2", "Два рубля 00 копеек"),
        ("4.04", "Четыре рубля 04 копейки"),
        ("5", "Пять рублей 00 копеек"),
        ("11.11", "Одиннадцать рублей 11 копеек"),
        ("12.12", "Двенадцать рублей 12 копеек"),
        ("14.14", "Четырнадцать рублей 14 копеек"),
        ("20", "Двадцать рублей 00 копеек"),
        ("21.21", "Двадцать один рубль 21 копейка"),
        ("22.22", "Двадцать два рубля 22 копейки"),
        ("25.25", "Двадцать пять рублей 25 копеек"),
        ("101", "Сто один рубль 00 копеек"),
        ("111", "Сто одиннадцать рублей 00 копеек"),
        ("112", "Сто двенадцать рублей 00 копеек"),
        ("1000", "Одна тысяча рублей 00 копеек"),
        ("2000", "Две тысячи рублей 00 копеек"),
        ("5000", "Пять тысяч рублей 00 копеек"),
        ("21001.01", "Двадцать одна тысяча один рубль 01 копейка"),
        ("1000000", "Один миллион рублей 00 копеек"),
        ("2000000", "Два миллиона рублей 00 копеек"),
        ("1000000000", "Один миллиард рублей 00 копеек"),
        ("1000000000000", "Один триллион рублей 00 копеек"),
        ("150000.50", "Сто пятьдесят тысяч рублей 50 копеек"),
    ],
)
def test_roubles_in_russian_words_take_the_form_their_number_needs(amount: str, russian: str) -> None:
    assert amount_in_words(Decimal(amount), "RUB", "ru") == russian


@pytest.mark.parametrize(
    ("amount", "english"),
    [
        ("123456.78", "One hundred twenty-three thousand four hundred fifty-six roubles 78 kopecks"),
        ("0", "Zero roubles 00 kopecks"),
        ("1.01", "One rouble 01 kopeck"),
        ("2.02", "Two roubles 02 kopecks"),
        ("21", "Twenty-one roubles 00 kopecks"),
        ("111", "One hundred eleven roubles 00 kopecks"),
        ("1001", "One thousand one roubles 00 kopecks"),
        ("1000000", "One million roubles 00 kopecks"),
        ("1000000000", "One billion roubles 00 kopecks"),
        ("2500000.10", "Two million five hundred thousand roubles 10 kopecks"),
    ],
)
def test_roubles_in_english_words_are_written_without_and_or_commas(amount: str, english: str) -> None:
    assert amount_in_words(Decimal(amount), "RUB", "en") == english


@pytest.mark.parametrize(
    ("currency", "language", "words"),
    [
        ("USD", "ru", "Двадцать один доллар США 01 цент"),
        ("USD", "en", "Twenty-one US dollars 01 cent"),
        ("EUR", "ru", "Двадцать один евро 01 цент"),
        ("EUR", "en", "Twenty-one euros 01 cent"),
        ("KZT", "ru", "Двадцать один тенге 01 тиын"),
        ("KZT", "en", "Twenty-one tenge 01 tiyn"),
        ("BYN", "ru", "Двадцать один белорусский рубль 01 копейка"),
        ("BYN", "en", "Twenty-one Belarusian roubles 01 kopeck"),
        ("CNY", "ru", "Двадцать один юань 01 фэнь"),
        ("CNY", "en", "Twenty-one yuan 01 fen"),
        ("usd", "en", "Twenty-one US dollars 01 cent"),
        ("GBP", "ru", "Двадцать один GBP 01"),
        ("GBP", "en", "Twenty-one GBP 01"),
    ],
)
def test_other_currencies_in_words(currency: str, language: str, words: str) -> None:
    assert amount_in_words(Decimal("21.01"), currency, language) == words


def test_every_currency_in_words_has_both_languages_and_plural_forms() -> None:
    assert set(CURRENCIES_IN_WORDS) == {"RUB", "USD", "EUR", "KZT", "BYN", "CNY"}
    for currency in CURRENCIES_IN_WORDS:
        assert amount_in_words(Decimal("5.05"), currency, "ru") != amount_in_words(Decimal("1.01"), currency, "ru")


def test_three_dollars_and_five_dollars_take_the_russian_few_and_many_forms() -> None:
    assert amount_in_words(Decimal("3.03"), "USD", "ru") == "Три доллара США 03 цента"
    assert amount_in_words(Decimal("5.05"), "USD", "ru") == "Пять долларов США 05 центов"


def test_an_amount_is_rounded_half_up_to_kopecks_first() -> None:
    assert amount_in_words(Decimal("0.995"), "RUB", "ru") == "Один рубль 00 копеек"
    assert amount_in_words(Decimal("1.994"), "RUB", "ru") == "Один рубль 99 копеек"
    assert amount_in_words(Decimal("10.005"), "RUB", "en") == "Ten roubles 01 kopeck"


@pytest.mark.parametrize("amount", ["-1", "NaN", "Infinity"])
def test_a_negative_or_non_finite_amount_in_words_is_a_programming_error(amount: str) -> None:
    with pytest.raises(ValueError):
        amount_in_words(Decimal(amount), "RUB", "ru")


@pytest.mark.parametrize(
    ("number", "form"),
    [
        (0, "рублей"),
        (1, "рубль"),
        (2, "рубля"),
        (4, "рубля"),
        (5, "рублей"),
        (11, "рублей"),
        (12, "рублей"),
        (14, "рублей"),
        (20, "рублей"),
        (21, "рубль"),
        (22, "рубля"),
        (101, "рубль"),
        (111, "рублей"),
        (112, "рублей"),
        (1001, "рубль"),
        (1011, "рублей"),
        (1_000_000, "рублей"),
        (-1, "рубль"),
    ],
)
def test_russian_plural(number: int, form: str) -> None:
    assert russian_plural(number, ("рубль", "рубля", "рублей")) == form


@pytest.mark.parametrize(
    ("amount", "currency", "language", "text"),
    [
        ("1234567.89", "RUB", "ru", f"1{NBSP}234{NBSP}567,89{NBSP}₽"),
        ("1234567.89", "RUB", "en", f"RUB{NBSP}1,234,567.89"),
        ("1234567.89", "USD", "en", "$1,234,567.89"),
        ("1234567.89", "USD", "ru", f"1{NBSP}234{NBSP}567,89{NBSP}$"),
        ("1234567.89", "EUR", "ru", f"1{NBSP}234{NBSP}567,89{NBSP}€"),
        ("1234567.89", "KZT", "en", f"KZT{NBSP}1,234,567.89"),
        ("0", "RUB", "ru", f"0,00{NBSP}₽"),
        ("5", "RUB", "en", f"RUB{NBSP}5.00"),
        ("999.999", "RUB", "ru", f"1{NBSP}000,00{NBSP}₽"),
        ("0.125", "RUB", "ru", f"0,13{NBSP}₽"),  # half up, not babel's half even
        ("1234.5", "JPY", "en", "¥1,235"),
        ("-1500.5", "RUB", "ru", f"-1{NBSP}500,50{NBSP}₽"),
        ("-1500.5", "RUB", "en", f"-RUB{NBSP}1,500.50"),
    ],
)
def test_money_is_written_as_the_locale_writes_it(amount: str, currency: str, language: str, text: str) -> None:
    assert format_money(Decimal(amount), currency, language) == text


@pytest.mark.parametrize(
    ("value", "language", "places", "text"),
    [
        (Decimal("1234567.891"), "ru", None, f"1{NBSP}234{NBSP}567,891"),
        (Decimal("1234567.891"), "en", None, "1,234,567.891"),
        (Decimal("2.000"), "ru", None, "2"),
        (Decimal("1.50"), "ru", None, "1,5"),
        (Decimal("1.5"), "ru", 2, "1,50"),
        (Decimal("1234.5"), "en", 2, "1,234.50"),
        (Decimal("0.125"), "ru", 2, "0,13"),
        (Decimal("7.6"), "ru", 0, "8"),
        (12, "ru", None, "12"),
        (12000, "ru", 3, f"12{NBSP}000,000"),
    ],
)
def test_numbers_take_the_locale_s_separators(
    value: Decimal | int, language: str, places: int | None, text: str
) -> None:
    assert format_number(value, language, places) == text


@pytest.mark.parametrize(
    ("day", "language", "style", "text"),
    [
        (dt.date(2026, 12, 6), "ru", "long", f"6 декабря 2026{NBSP}г."),
        (dt.date(2026, 12, 6), "en", "long", "December 6, 2026"),
        (dt.date(2026, 12, 6), "ru", "short", "06.12.2026"),
        (dt.date(2026, 12, 6), "en", "short", "12/06/2026"),
        (dt.date(2026, 3, 1), "ru", "long", f"1 марта 2026{NBSP}г."),
        (dt.date(2026, 5, 31), "ru", "long", f"31 мая 2026{NBSP}г."),
        (dt.date(2027, 1, 9), "ru", "short", "09.01.2027"),
    ],
)
def test_dates_are_written_as_the_locale_writes_them(day: dt.date, language: str, style: str, text: str) -> None:
    assert format_date(day, language, style) == text  # type: ignore[arg-type]


def test_an_unknown_language_or_date_style_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        amount_in_words(Decimal(1), "RUB", "de")
    with pytest.raises(ValueError):
        format_money(Decimal(1), "RUB", "fr")
    with pytest.raises(ValueError):
        format_number(Decimal(1), "kk")
    with pytest.raises(ValueError):
        format_date(dt.date(2026, 12, 6), "ru", "medium")  # type: ignore[arg-type]
