"""Phones (phonenumbers) and e-mail addresses (email-validator): what is accepted, stored and shown."""

from __future__ import annotations

import pytest
from faker import Faker

from crm_core.contact_points import (
    NotAContactPoint,
    email_value,
    normalize_email,
    normalize_phone,
    phone_display,
    phone_value,
)


@pytest.mark.parametrize(
    "typed",
    ["+7 (495) 123-45-67", "8 495 1234567", "8 (495) 123-45-67", "(495) 123-45-67", "74951234567", "+7-495-1234567"],
)
def test_a_russian_number_in_any_format_is_stored_in_e164(typed: str) -> None:
    assert phone_value(typed) == "+74951234567"


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("+44 20 7946 0958", "+442079460958", "+44 20 7946 0958"),
        ("+44 (0) 20 7946 0958", "+442079460958", "+44 20 7946 0958"),
        ("+1 650 253 0000", "+16502530000", "+1 650-253-0000"),
        ("+49 30 901820", "+4930901820", "+49 30 901820"),
        ("810 44 20 7946 0958", "+442079460958", "+44 20 7946 0958"),  # dialled from Russia
    ],
)
def test_a_foreign_number_keeps_its_country(typed: str, stored: str, shown: str) -> None:
    assert phone_value(typed) == stored
    assert phone_display(stored) == shown


def test_a_russian_number_is_shown_in_international_format() -> None:
    assert phone_display("+74951234567") == "+7 495 123-45-67"
    assert phone_display("+79123456789") == "+7 912 345-67-89"
    assert phone_display("+78005553535") == "+7 800 555-35-35"


@pytest.mark.parametrize(
    "typed", ["+7 495 123-45-67 доб. 123", "8 (495) 123-45-67, доб 123", "+7 495 1234567 ext. 123"]
)
def test_an_extension_is_kept_after_the_e164_number(typed: str) -> None:
    stored = phone_value(typed)
    assert stored == "+74951234567;ext=123"
    assert phone_value(stored) == stored  # a stored value sent back unchanged stays the same
    assert phone_display(stored) == "+7 495 123-45-67 ext. 123"
    assert normalize_phone(stored) == "74951234567"


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("12", "too short"),
        ("123-45-67", "a local number without its area code"),
        ("1" * 200, "too long"),
        ("+7 495 123 45 67 89 01 23", "too long"),
        ("+7 495 123 45 6", "too short"),
        ("+7 495 123 45 67 8", "wrong number of digits for its country"),
        ("abc", "not a phone number"),
        ("телефон", "not a phone number"),
        ("8\x00495 123 45 67", "not a phone number"),
        ("+", "not a phone number"),
        ("+999 1234567", "unknown country code"),
        ("8 (105) 070-2493", "too short"),  # 8 10 is Russia's international prefix: a call to +5 070…
    ],
)
def test_text_that_is_no_phone_number_is_refused_with_the_reason(typed: str, why: str) -> None:
    with pytest.raises(NotAContactPoint, match=f"^{why}$"):
        phone_value(typed)


def test_every_faker_russian_number_is_stored_as_a_plus_seven_e164_number(fake: Faker) -> None:
    for _ in range(300):
        typed = fake.phone_number()
        stored = phone_value(typed)
        assert stored.startswith("+7") and len(stored) == 12 and stored[1:].isdigit(), typed
        assert normalize_phone(typed) == stored[1:]


def test_normalize_phone_gives_e164_digits_or_the_digits_typed() -> None:
    assert normalize_phone("8 (495) 123-45-67") == "74951234567"
    assert normalize_phone("+44 20 7946 0958") == "442079460958"
    assert normalize_phone("123-45") == "12345"  # part of a number, as typed into search
    assert normalize_phone("Иванов") == ""


def test_a_value_stored_before_phones_were_parsed_is_shown_as_it_is() -> None:
    assert phone_display("123-45-67") == "123-45-67"
    assert phone_display("спросить у секретаря") == "спросить у секретаря"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ivan.petrov@yandex.ru", "ivan.petrov@yandex.ru"),
        ("Ivan.Petrov@Yandex.RU", "Ivan.Petrov@yandex.ru"),  # the domain is case-insensitive, the mailbox may not be
        ("Info@Romashka.RU", "info@romashka.ru"),  # role mailboxes are case-insensitive
        ("директор@почта.рф", "директор@почта.рф"),
        ("user+crm@gmail.com", "user+crm@gmail.com"),
    ],
)
def test_an_email_address_is_stored_normalized(typed: str, stored: str) -> None:
    assert email_value(typed) == stored
    assert normalize_email(stored) == stored.lower()


@pytest.mark.parametrize(
    "typed",
    [
        "not-an-email",
        "нет",
        "a@b",
        "ivan@localhost",
        "ivan..petrov@mail.ru",
        "ivan petrov@mail.ru",
        "a@mail.ru\x00",
        "Иван <ivan@mail.ru>",
        "x" * 250 + "@mail.ru",
        "ivan@test.test",
    ],
)
def test_text_that_is_no_email_address_is_refused(typed: str) -> None:
    with pytest.raises(NotAContactPoint):
        email_value(typed)


def test_faker_email_addresses_are_accepted_as_they_are(fake: Faker) -> None:
    for _ in range(200):
        for address in (fake.email(), fake.company_email(), fake.free_email()):
            assert email_value(address) == address
