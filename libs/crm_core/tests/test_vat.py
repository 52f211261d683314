"""VAT modes, rates and per-line rounding (crm_core.vat)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crm_core import vat
from crm_core.vat import VatLine, compute, line_vat

D = Decimal


def test_included_vat_is_the_part_of_the_price_at_rate_over_100_plus_rate() -> None:
    line = line_vat(D("12000.00"), "20", "included")
    assert (line.net, line.vat, line.gross) == (D("10000.00"), D("2000.00"), D("12000.00"))
    line = line_vat(D("1220.00"), "22", "included")
    assert (line.net, line.vat, line.gross) == (D("1000.00"), D("220.00"), D("1220.00"))


def test_on_top_vat_is_added_to_the_net_amount() -> None:
    line = line_vat(D("10000.00"), "20", "on_top")
    assert (line.net, line.vat, line.gross) == (D("10000.00"), D("2000.00"), D("12000.00"))


def test_exempt_has_no_vat_whatever_the_line_rate() -> None:
    totals = compute([VatLine(D("500.00"), "20"), VatLine(D("300.00"), "22")], "exempt")
    assert totals.vat == D("0.00")
    assert totals.gross == totals.net == totals.amount == D("800.00")
    assert [(r.rate, r.vat) for r in totals.by_rate] == [("none", D("0.00"))]


def test_none_and_zero_rates_have_no_vat_but_keep_their_own_rows() -> None:
    totals = compute([VatLine(D("100.00"), "none"), VatLine(D("50.00"), "0")], "on_top")
    assert totals.vat == D("0.00")
    assert [(r.rate, r.gross) for r in totals.by_rate] == [("none", D("100.00")), ("0", D("50.00"))]


def test_vat_is_rounded_half_up_per_line_and_totals_are_sums_of_rounded_lines() -> None:
    # Three lines of 0.10 at 5 % on top: each line's VAT is 0.005 -> 0.01, so the total VAT is 0.03,
    # where VAT on the summed 0.30 would be 0.015 -> 0.02.
    totals = compute([VatLine(D("0.10"), "5")] * 3, "on_top")
    assert [line.vat for line in totals.lines] == [D("0.01")] * 3
    assert totals.vat == D("0.03")
    assert totals.gross == D("0.33")
    assert vat.single_amount(D("0.30"), "5", "on_top").vat == D("0.02")


def test_included_per_line_rounding_differs_from_rounding_the_sum() -> None:
    # 100.00 incl. 22 %: 18.0327... -> 18.03 per line; two lines 36.06, whereas 200.00 gives 36.0655 -> 36.07.
    totals = compute([VatLine(D("100.00"), "22"), VatLine(D("100.00"), "22")], "included")
    assert totals.vat == D("36.06")
    assert totals.net == D("163.94")
    assert totals.gross == D("200.00")
    assert vat.single_amount(D("200.00"), "22", "included").vat == D("36.07")


def test_half_a_kopeck_rounds_up() -> None:
    # 0.25 x 10 / 100 = 0.025 -> 0.03 (half up, not banker's 0.02).
    assert line_vat(D("0.25"), "10", "on_top").vat == D("0.03")


def test_totals_per_rate_follow_the_rate_order_and_add_up() -> None:
    lines = [VatLine(D("1000.00"), "22"), VatLine(D("333.33"), "10"), VatLine(D("1.00"), "22"), VatLine(D("5"), "0")]
    totals = compute(lines, "on_top")
    assert [r.rate for r in totals.by_rate] == ["0", "10", "22"]
    by_rate = {r.rate: r for r in totals.by_rate}
    assert by_rate["22"].vat == D("220.00") + D("0.22")
    assert by_rate["10"].vat == D("33.33")
    assert sum(r.vat for r in totals.by_rate) == totals.vat
    assert sum(r.gross for r in totals.by_rate) == totals.gross == totals.net + totals.vat
    assert totals.amount == totals.net == D("1339.33")


def test_every_line_s_net_and_vat_add_up_to_its_gross() -> None:
    for amount in ("0.01", "0.07", "99.99", "123456.78"):
        for rate in vat.VAT_RATES:
            for mode in vat.VAT_MODES:
                line = line_vat(D(amount), rate, mode)
                assert line.net + line.vat == line.gross


def test_unknown_rate_and_mode_are_refused() -> None:
    with pytest.raises(ValueError):
        line_vat(D("1"), "18", "included")
    with pytest.raises(ValueError):
        line_vat(D("1"), "20", "gross")  # type: ignore[arg-type]
    assert not vat.is_vat_rate("18") and vat.is_vat_rate("22") and vat.is_vat_mode("on_top")
