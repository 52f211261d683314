"""Numbers from requests, checked before protobuf or SQL sees them.

Protobuf raises on an integer outside its field's type and PostgreSQL on a
numeric(18, 2) overflow; Python's Decimal takes "NaN", "Infinity" and
"1e999999999" (which asyncpg would try to send digit by digit). Each check
is here once, as a clear INVALID_ARGUMENT naming the field.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from crm_core.errors import Validator

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
UINT32 = (0, 2**32 - 1)
UINT64 = (0, 2**64 - 1)

# The money columns of every service are numeric(18, 2).
MAX_MONEY = Decimal("9999999999999999.99")
# Numbers compared with columns (filters, cursors): past any column (and sort sentinels), short enough to send.
MAX_NUMBER = Decimal("1e30")
NUMBER_PLACES = 10


def parse_number(text: str, *, maximum: Decimal = MAX_NUMBER, places: int = NUMBER_PLACES) -> Decimal:
    """A finite decimal of at most `places` decimal places within ±`maximum`; ValueError saying why otherwise."""
    try:
        number = Decimal(text.strip())
    except InvalidOperation as exc:
        raise ValueError(f"'{text}' is not a number") from exc
    if not number.is_finite():
        raise ValueError(f"'{text}' is not a finite number")
    if number.copy_abs() > maximum:  # abs() would round to the context and overflow on "1e999999999"
        raise ValueError(f"'{text}' is out of range (at most {maximum} either way)")
    if number.as_tuple().exponent < -places:  # type: ignore[operator]
        raise ValueError(f"'{text}' has more than {places} decimal places")
    return number


def parse_int(text: str, bounds: tuple[int, int] = INT64) -> int:
    """A whole number within `bounds` (INT32, INT64); ValueError saying why otherwise."""
    try:
        number = int(text.strip())
    except ValueError as exc:
        raise ValueError(f"'{text}' is not a whole number") from exc
    if not bounds[0] <= number <= bounds[1]:
        raise ValueError(f"'{text}' is out of range ({bounds[0]} to {bounds[1]})")
    return number


def parse_decimal(
    v: Validator,
    value: Any,
    path: str,
    *,
    minimum: Decimal | None = Decimal(0),
    places: int = 2,
    maximum: Decimal = MAX_MONEY,
) -> Decimal | None:
    """Decimal text (or a number) of a request, e.g. an amount, -> Decimal; problems go to `v`. Empty is None.

    Codes: invalid_decimal (not a finite number), negative_amount (below a
    minimum of 0), out_of_range, too_precise (more than `places` decimals).
    The default bounds fit a numeric(18, 2) money column.
    """
    if value is None or value == "":
        return None
    message = f'{path} must be a decimal number as text, e.g. "1500.00"'
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        v.add(path, "invalid_decimal", message)
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        v.add(path, "invalid_decimal", message)
        return None
    if minimum is not None and number < minimum:
        code = "negative_amount" if minimum == 0 else "out_of_range"
        v.add(path, code, f"{path} must be at least {minimum}")
        return None
    if number.as_tuple().exponent < -places:  # type: ignore[operator]
        v.add(path, "too_precise", f"{path} takes at most {places} decimal places")
        return None
    if number.copy_abs() > maximum:  # abs() would round to the context and overflow on "1e999999999"
        v.add(path, "out_of_range", f"{path} is too large")
        return None
    return number
