"""Rules of documents without a server: statuses, the data a document prints, templates' checks."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from crm_core.errors import FailedPrecondition, InvalidArgument
from crm_core.units import SHIPPED_UNITS
from crm_documents import document_data, domain, rendering
from crm_documents.document_data import SAMPLE_BUYER, SAMPLE_DEAL, SAMPLE_SELLER, Line
from crm_documents.templates import shipped_files

UNITS = {code: labels[0] for code, labels in SHIPPED_UNITS.items()}


def build(**changes):  # type: ignore[no-untyped-def]
    arguments = {
        "doc_type": "invoice",
        "number": "СЧ-7",
        "doc_date": date(2026, 12, 7),
        "valid_until": None,
        "language": "ru",
        "deal": SAMPLE_DEAL,
        "buyer": SAMPLE_BUYER,
        "seller": SAMPLE_SELLER,
        "units": UNITS,
    }
    return document_data.build(**{**arguments, **changes})


@pytest.mark.parametrize(
    ("doc_type", "current", "target", "allowed"),
    [
        ("invoice", "draft", "issued", True),
        ("invoice", "issued", "paid", True),
        ("invoice", "sent", "paid", True),
        ("invoice", "issued", "signed", False),
        ("act", "sent", "signed", True),
        ("act", "issued", "paid", False),
        ("act", "draft", "signed", False),
        ("contract", "signed", "cancelled", True),
        ("invoice", "paid", "cancelled", False),
        ("quote", "cancelled", "issued", False),
    ],
)
def test_status_moves(doc_type: str, current: str, target: str, allowed: bool) -> None:
    if allowed:
        domain.check_transition(doc_type, current, target)
    else:
        with pytest.raises(FailedPrecondition):
            domain.check_transition(doc_type, current, target)


def test_only_drafts_and_issued_documents_are_rendered_again() -> None:
    domain.check_regenerable("draft")
    domain.check_regenerable("issued")
    for status in ("sent", "signed", "paid", "cancelled"):
        with pytest.raises(FailedPrecondition):
            domain.check_regenerable(status)


def test_vat_on_top_lines_totals_and_words() -> None:
    data = build()
    assert [line["vat_amount"] for line in data["lines"]] == ["51000.00", "3000.00", "398.10"]
    assert (data["totals"]["net"], data["totals"]["vat"], data["totals"]["gross"]) == (
        "271990.50",
        "54398.10",
        "326388.60",
    )
    assert data["totals"]["in_words"] == "Триста двадцать шесть тысяч триста восемьдесят восемь рублей 60 копеек"
    assert data["lines"][1]["unit"] == "ч" and data["totals"]["by_rate"][0]["label"] == "НДС 20\u00a0%"


def test_vat_included_keeps_the_deal_s_amount_and_a_seller_without_vat_prints_none() -> None:
    included = build(deal=replace(SAMPLE_DEAL, vat_mode="included"))
    assert included["totals"]["gross"] == "271990.50"
    assert Decimal(included["totals"]["vat"]) == Decimal("45331.75")
    exempt = build(seller=replace(SAMPLE_SELLER, vat_payer=False), language="en")
    assert (exempt["doc"]["vat_mode"], exempt["totals"]["vat"], exempt["totals"]["by_rate"]) == ("exempt", "0.00", [])
    assert exempt["lines"][0]["vat_label"] == "No VAT" and exempt["totals"]["vat_label"] == "No VAT"


def test_a_deal_without_lines_or_with_totals_that_disagree_is_refused() -> None:
    with pytest.raises(FailedPrecondition) as empty:
        build(deal=replace(SAMPLE_DEAL, lines=()))
    assert empty.value.code == "deal_has_no_lines"
    with pytest.raises(FailedPrecondition) as differ:
        build(deal=replace(SAMPLE_DEAL, gross=Decimal("1.00"), vat_amount=Decimal("0.17")))
    assert differ.value.code == "deal_totals_mismatch"
    agreed = build(deal=replace(SAMPLE_DEAL, gross=Decimal("326388.60"), vat_amount=Decimal("54398.10")))
    assert agreed["totals"]["gross"] == "326388.60"


def test_fractional_quantities_print_as_written() -> None:
    deal = replace(
        SAMPLE_DEAL, lines=(Line("Кабель", Decimal("12.5"), Decimal("100"), Decimal("1250.00"), "006", vat_rate="22"),)
    )
    line = build(deal=deal)["lines"][0]
    assert (line["quantity"], line["unit"], line["vat_label"]) == ("12.5", "м", "НДС 22\u00a0%")


@pytest.mark.parametrize(
    ("html", "field_code"),
    [
        ("<p>{{ buyer.passport }}</p>", "template_variable_unknown"),
        ("<p>{{ nothing }}</p>", "template_variable_unknown"),
        ("{% for x in %}", "template_syntax_invalid"),
        ("{{ lines.__class__.__mro__ }}", "template_unsafe"),
        ("{{ doc.date | date('weekly') }}", "template_render_failed"),
        ("   ", "template_html_required"),
    ],
)
def test_templates_are_checked_with_the_sample(html: str, field_code: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        rendering.check_template(html, "", build(), language="ru", currency="RUB")
    assert [p.code for p in refused.value.fields] == [field_code]


def test_every_shipped_template_fills_in_both_languages() -> None:
    for (doc_type, language), (html, _css) in shipped_files().items():
        data = document_data.sample(doc_type, language, UNITS)
        filled = rendering.fill(html, data, language=language, currency="RUB")
        assert data["doc"]["number"] in filled and "&lt;" not in data["seller"]["name"]


def test_values_are_escaped_and_no_url_is_fetched() -> None:
    buyer = replace(SAMPLE_BUYER, name="<script>alert(1)</script>", full_name="")
    html = '<p>{{ buyer.name }}</p><img src="file:///etc/hostname"><img src="http://127.0.0.1:9/x.png">'
    filled = rendering.fill(html, build(buyer=buyer), language="ru", currency="RUB")
    assert "<script>" not in filled and "&lt;script&gt;" in filled
    text = PdfReader(io.BytesIO(rendering.pdf_of(filled, ""))).pages[0].extract_text()
    assert "<script>alert(1)</script>" in text


@pytest.mark.parametrize(
    "html",
    [
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "{{ 'x' * 100000000 }}",
        "{{ lines * 1000000 }}",
        "{{ 10 ** 100000 }}",
        "{% for i in range(90000) %}{{ 'абвгдежзий' * 10 }}{% endfor %}",
    ],
)
def test_a_template_cannot_keep_a_core_busy(html: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        rendering.fill(html, build(), language="ru", currency="RUB")
    assert next(p.code for p in refused.value.fields) in ("template_too_costly", "template_output_too_large")
