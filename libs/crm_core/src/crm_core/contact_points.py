"""Phones and e-mail addresses: parsed, checked and normalized by phonenumbers and email-validator.

A phone is stored in E.164 ("+74951234567"), followed by ";ext=<digits>" (RFC 3966) when an
extension was typed ("… доб. 123"), so a stored value is also the body of a `tel:` URI. A number
without a country code is Russian (default region RU); a foreign number is typed with "+" and
its country code. Readers see it formatted ("+7 495 123-45-67"), made from the stored value.

An e-mail address is stored as email-validator normalizes it (domain lower-cased, Unicode in NFC);
duplicates and search compare it lower-cased. No DNS lookups: deliverability is not checked.
"""

from __future__ import annotations

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

DEFAULT_REGION = "RU"
EXTENSION = ";ext="

_NOT_A_NUMBER = "not a phone number"
_PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: "unknown country code",
    NumberParseException.NOT_A_NUMBER: _NOT_A_NUMBER,
    NumberParseException.TOO_SHORT_AFTER_IDD: "too short",
    NumberParseException.TOO_SHORT_NSN: "too short",
    NumberParseException.TOO_LONG: "too long",
}
_LENGTH_ERRORS = {
    ValidationResult.INVALID_COUNTRY_CODE: "unknown country code",
    ValidationResult.TOO_SHORT: "too short",
    ValidationResult.TOO_LONG: "too long",
    ValidationResult.INVALID_LENGTH: "wrong number of digits for its country",
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "a local number without its area code",
}


class NotAContactPoint(ValueError):
    """The text is not a phone number / e-mail address; the message says why, for people."""


def parse_phone(raw: str) -> phonenumbers.PhoneNumber:
    """The number `raw` spells, Russian unless it starts with "+" and a country code.

    A number is accepted when its length is possible for its country (phonenumbers'
    metadata): that catches typos and garbage without refusing a real number in a range
    the metadata does not know yet (is_valid_number would, and Faker's Russian numbers too).
    """
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except NumberParseException as exc:
        raise NotAContactPoint(_PARSE_ERRORS.get(exc.error_type, _NOT_A_NUMBER)) from None
    result = phonenumbers.is_possible_number_with_reason(number)
    if result != ValidationResult.IS_POSSIBLE:
        raise NotAContactPoint(_LENGTH_ERRORS.get(result, _NOT_A_NUMBER))
    return number


def phone_value(raw: str) -> str:
    """The stored form of a typed phone: E.164, plus ";ext=<digits>" when it has an extension."""
    number = parse_phone(raw)
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return f"{e164}{EXTENSION}{number.extension}" if number.extension else e164


def phone_display(value: str) -> str:
    """A stored phone formatted for reading ("+7 495 123-45-67", "+44 20 7946 0958").

    Values stored before phones were parsed may not be numbers at all: they are shown as they are.
    """
    try:
        number = parse_phone(value)
    except NotAContactPoint:
        return value
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def normalize_phone(raw: str) -> str:
    """The digits duplicates and search compare: E.164 without "+" and extension ("74951234567").

    Text that is no whole phone number (part of one typed into search, a value stored before
    phones were parsed) gives the digits it holds, so "123-45-67" still finds "+74951234567".
    """
    try:
        number = parse_phone(raw)
    except NotAContactPoint:
        return re.sub(r"\D", "", raw)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164).removeprefix("+")


_STORED = re.compile(r"\+([0-9]{1,15})(?:;ext=[0-9]+)?")


def stored_phone_digits(value: str) -> str:
    """`normalize_phone` of a stored phone, without parsing it again when it is `phone_value`'s E.164 form.

    Parsing is most of what a phone costs (a bulk create of a thousand parties parses each twice
    otherwise); E.164 is already what normalizing would give. Other stored text (kept from before
    phones were parsed) is normalized as typed text is.
    """
    match = _STORED.fullmatch(value)
    return match[1] if match else normalize_phone(value)


def email_value(raw: str) -> str:
    """The stored form of a typed e-mail address, as email-validator normalizes it."""
    try:
        return validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise NotAContactPoint(str(exc)) from None


def normalize_email(raw: str) -> str:
    """The form duplicates and search compare: the address lower-cased."""
    return raw.strip().lower()
