"""Russian registration ids and bank details: format and check digits.

INN and OGRN are checked by python-stdnum (stdnum.ru.inn, stdnum.ru.ogrn). python-stdnum has
no Russian KPP, BIC (БИК) or bank account modules, so those rules stay here.
"""

from __future__ import annotations

import re

from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

# ASCII digits only: \d and str.isdigit also take "７" and "³", which int() then refuses.
_KPP = re.compile(r"^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$")


def compact(number: str) -> str:
    """An INN or OGRN without the spaces people type into it ("7707 083 893" -> "7707083893")."""
    return stdnum_inn.compact(number)  # stdnum.ru.ogrn.compact is the same


def is_valid_inn(inn: str) -> bool:
    """10 digits (organisation) or 12 (individual) with valid check digits; spaces are the caller's to compact."""
    return inn == compact(inn) and bool(stdnum_inn.is_valid(inn))


def is_valid_ogrn(ogrn: str) -> bool:
    """ОГРН (13 digits) or ОГРНИП (15 digits) with a valid check digit; spaces are the caller's to compact."""
    if ogrn != compact(ogrn):
        return False
    try:
        stdnum_ogrn.validate(ogrn)
    except InvalidChecksum:
        # python-stdnum (2.2) compares an ОГРНИП's check digit with the whole remainder of its
        # first 14 digits by 13, so the remainders 10, 11 and 12 never match and 3 valid
        # ОГРНИП in 13 are refused; the rule takes the remainder's last digit.
        return len(ogrn) == 15 and int(ogrn[:14]) % 13 % 10 == int(ogrn[14])
    except ValidationError:
        return False
    return True


def _digits(text: str, length: int) -> bool:
    return len(text) == length and text.isascii() and text.isdigit()


def is_valid_kpp(kpp: str) -> bool:
    """4 digits (tax office), 2 digits or capital letters (reason), 3 digits; no check digit."""
    return bool(_KPP.fullmatch(kpp))


def is_valid_bic(bic: str) -> bool:
    """9 digits (БИК); the Bank of Russia's directory, not a check digit, says which exist."""
    return _digits(bic, 9)


def _account_key_ok(prefix: str, account: str) -> bool:
    weights = (7, 1, 3) * 8
    return sum(int(c) * w for c, w in zip(prefix + account, weights, strict=False)) % 10 == 0


def is_valid_checking_account(account: str, bic: str) -> bool:
    """20 digits whose control key matches the bank's BIC (ЦБ РФ algorithm)."""
    return _digits(account, 20) and is_valid_bic(bic) and _account_key_ok(bic[-3:], account)


def is_valid_correspondent_account(account: str, bic: str) -> bool:
    """20 digits whose control key matches the BIC's settlement centre digits."""
    return _digits(account, 20) and is_valid_bic(bic) and _account_key_ok("0" + bic[4:6], account)


def with_account_key(account: str, bic: str) -> str:
    """The account with its control digit (position 9) set to match the BIC."""
    for digit in "0123456789":
        candidate = account[:8] + digit + account[9:]
        if _account_key_ok(bic[-3:], candidate):
            return candidate
    raise ValueError("no control digit fits")
