"""VAT (НДС): the one computation of the platform, used by deals (totals) and documents (printed invoices).

A deal's lines carry amounts (after discounts) and a VAT rate each; the deal
has a VAT mode that says what those amounts mean:

- ``included``: prices include VAT, ``vat = total x rate / (100 + rate)``, gross = total;
- ``on_top``: prices are net, ``vat = total x rate / 100``, gross = total + vat;
- ``exempt``: no VAT at all (documents print "Без НДС"), vat = 0, gross = total.

Rates are codes: ``none`` (not subject to VAT), ``0``, ``5``, ``7`` (simplified-tax
payers), ``10``, ``20`` (the standard rate before 2026), ``22`` (standard since 2026).

VAT is computed per line in Decimal and rounded half up to kopecks per line;
the totals are the sums of the rounded line values (so a printed invoice's
column adds up to its total), also per rate for the "В том числе НДС 20 %" rows.
Pure functions on frozen dataclasses: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

VatMode = Literal["included", "on_top", "exempt"]
VAT_MODES: tuple[VatMode, ...] = ("included", "on_top", "exempt")
DEFAULT_MODE: VatMode = "included"
# Rate codes in the order pick lists show them; `none` is "not subject to VAT".
VAT_RATES: tuple[str, ...] = ("none", "0", "5", "7", "10", "20", "22")
NO_VAT = "none"
DEFAULT_RATE = "22"
KOPECK = Decimal("0.01")
ZERO = Decimal("0.00")


def to_kopecks(value: Decimal) -> Decimal:
    """Rounded half up to kopecks (cents)."""
    return value.quantize(KOPECK, rounding=ROUND_HALF_UP)


def rate_percent(rate: str) -> Decimal:
    """The percentage of a rate code ("none" -> 0); ValueError for an unknown code."""
    if rate not in VAT_RATES:
        raise ValueError(f"unknown VAT rate '{rate}'")
    return Decimal(0) if rate == NO_VAT else Decimal(rate)


def is_vat_rate(rate: str) -> bool:
    return rate in VAT_RATES


def is_vat_mode(mode: str) -> bool:
    return mode in VAT_MODES


@dataclass(frozen=True)
class VatLine:
    """One line as VAT sees it: its amount (after discount, as the deal states it) and its rate code."""

    amount: Decimal
    rate: str = NO_VAT


@dataclass(frozen=True)
class LineVat:
    """A line's VAT: net (without VAT), vat, gross (with VAT), each rounded to kopecks; net + vat == gross."""

    rate: str
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class RateTotal:
    """The sums of the lines of one rate (what an invoice prints as "В том числе НДС 20 %")."""

    rate: str
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class VatTotals:
    """Lines' VAT and the sums of their rounded values, overall and per rate (in VAT_RATES order)."""

    mode: VatMode
    lines: tuple[LineVat, ...]
    net: Decimal
    vat: Decimal
    gross: Decimal
    by_rate: tuple[RateTotal, ...]

    @property
    def amount(self) -> Decimal:
        """The sum of the lines as stated (gross for included/exempt, net for on_top)."""
        return self.net if self.mode == "on_top" else self.gross


def line_vat(amount: Decimal, rate: str, mode: VatMode) -> LineVat:
    """The VAT of one line's amount at `rate` under `mode`, rounded half up to kopecks."""
    if mode not in VAT_MODES:
        raise ValueError(f"unknown VAT mode '{mode}'")
    amount = to_kopecks(amount)
    percent = rate_percent(rate)
    if mode == "exempt" or percent == 0:
        return LineVat(rate if mode != "exempt" else NO_VAT, amount, ZERO, amount)
    if mode == "included":
        vat = to_kopecks(amount * percent / (100 + percent))
        return LineVat(rate, amount - vat, vat, amount)
    vat = to_kopecks(amount * percent / 100)
    return LineVat(rate, amount, vat, amount + vat)


def compute(lines: Iterable[VatLine], mode: VatMode) -> VatTotals:
    """Every line's VAT under `mode`, and the totals as sums of the rounded line values.

    Under `exempt` every line counts as `none`: nothing is taxed whatever the lines' rates say.
    """
    computed = tuple(line_vat(line.amount, line.rate, mode) for line in lines)
    return VatTotals(
        mode=mode,
        lines=computed,
        net=sum((line.net for line in computed), ZERO),
        vat=sum((line.vat for line in computed), ZERO),
        gross=sum((line.gross for line in computed), ZERO),
        by_rate=per_rate(computed),
    )


def per_rate(lines: Sequence[LineVat]) -> tuple[RateTotal, ...]:
    """Sums per rate code, in VAT_RATES order, only the rates the lines use."""
    sums: dict[str, tuple[Decimal, Decimal, Decimal]] = {}
    for line in lines:
        net, vat, gross = sums.get(line.rate, (ZERO, ZERO, ZERO))
        sums[line.rate] = (net + line.net, vat + line.vat, gross + line.gross)
    return tuple(RateTotal(rate, *sums[rate]) for rate in VAT_RATES if rate in sums)


def single_amount(amount: Decimal, rate: str, mode: VatMode) -> VatTotals:
    """The VAT of a deal without lines: its whole amount as one line at `rate`."""
    return compute([VatLine(amount, rate)], mode)
