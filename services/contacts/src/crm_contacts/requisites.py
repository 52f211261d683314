"""Russian registration ids and bank details: format and check digits."""

from __future__ import annotations

import re

_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_KPP = re.compile(r"^\d{4}[\dA-Z]{2}\d{3}$")


def _check(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def is_valid_inn(inn: str) -> bool:
    """10 digits (organisation) or 12 (individual) with valid check digits."""
    if not inn.isdigit():
        return False
    if len(inn) == 10:
        return _check(inn, _INN10) == int(inn[9])
    if len(inn) == 12:
        return _check(inn, _INN11) == int(inn[10]) and _check(inn, _INN12) == int(inn[11])
    return False


def is_valid_ogrn(ogrn: str) -> bool:
    """ОГРН (13 digits) or ОГРНИП (15 digits) with a valid check digit."""
    if not ogrn.isdigit():
        return False
    if len(ogrn) == 13:
        return int(ogrn[:12]) % 11 % 10 == int(ogrn[12])
    if len(ogrn) == 15:
        return int(ogrn[:14]) % 13 % 10 == int(ogrn[14])
    return False


def is_valid_kpp(kpp: str) -> bool:
    return bool(_KPP.match(kpp))


def is_valid_bic(bic: str) -> bool:
    return len(bic) == 9 and bic.isdigit()


def _account_key_ok(prefix: str, account: str) -> bool:
    weights = (7, 1, 3) * 8
    return sum(int(c) * w for c, w in zip(prefix + account, weights, strict=False)) % 10 == 0


def is_valid_checking_account(account: str, bic: str) -> bool:
    """20 digits whose control key matches the bank's BIC (ЦБ РФ algorithm)."""
    return len(account) == 20 and account.isdigit() and is_valid_bic(bic) and _account_key_ok(bic[-3:], account)


def is_valid_correspondent_account(account: str, bic: str) -> bool:
    return len(account) == 20 and account.isdigit() and is_valid_bic(bic) and _account_key_ok("0" + bic[4:6], account)


def with_account_key(account: str, bic: str) -> str:
    """The account with its control digit (position 9) set to match the BIC."""
    for digit in "0123456789":
        candidate = account[:8] + digit + account[9:]
        if _account_key_ok(bic[-3:], candidate):
            return candidate
    raise ValueError("no control digit fits")
