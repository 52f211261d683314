"""Matching incoming payments to issued invoices by number, payer INN and amount."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from statement_files import StatementFiles, StatementPayment

from crm_documents.bank_statement import StatementDocument, StatementParty, parse_statement
from crm_documents.matching import (
    ALREADY_PAID,
    AMOUNT_MISMATCH,
    INN_MISMATCH,
    INVOICE_NOT_FOUND,
    NO_INVOICE_NUMBER,
    OUTGOING,
    IssuedInvoice,
    Mention,
    PaymentMatch,
    match_payments,
    mentioned_invoice_numbers,
    normalize_number,
)

CLIENT_INN = "7707083893"
OTHER_INN = "7728168971"


def invoice(
    number: str = "СЧ-2026-00017",
    total: str = "12500.00",
    *,
    paid: str = "0",
    inn: str = CLIENT_INN,
    day: dt.date = dt.date(2026, 12, 1),
    currency: str = "RUB",
    id: str | None = None,
) -> IssuedInvoice:
    return IssuedInvoice(id or number, number, day, inn, Decimal(total), Decimal(paid), currency)


def payment(
    purpose: str, amount: str = "12500.00", *, inn: str = CLIENT_INN, incoming: bool = True, number: str = "1"
) -> StatementDocument:
    return StatementDocument(
        kind="Платежное поручение",
        number=number,
        date=dt.date(2026, 12, 5),
        amount=Decimal(amount),
        payer=StatementParty(name='ООО "Ромашка"', inn=inn, account="40702810000000000001"),
        payee=StatementParty(name='ООО "Мы"', inn="7736207543", account="40702810900000012345"),
        purpose=purpose,
        received_on=dt.date(2026, 12, 5),
        written_off_on=None,
        payment_type="01",
        direction="incoming" if incoming else "outgoing",
        line=1,
    )


def one(document: StatementDocument, *invoices: IssuedInvoice) -> PaymentMatch:
    (result,) = match_payments([document], invoices)
    return result


@pytest.mark.parametrize(
    "purpose",
    [
        "Оплата по счету №17 от 01.12.2026 за монтаж, в т.ч. НДС 20% - 2083.33 руб.",
        "счет №17 от 01.12.2026",
        "Оплата сч. 17",
        "Оплата по сч.17, НДС не облагается",
        "Оплата по счету СЧ-2026-00017",
        "Оплата по счёту № 00017 от 01.12.26г.",
        "Оплата по счету от 01.12.2026 № 17",
        "ОПЛАТА ПО СЧЕТУ N17",
        "оплата по счету на оплату №17",
        "Оплата по счету-фактуре 17",
        "Payment for invoice #17",
        "Оплата согласно СЧ-2026-00017, НДС 20%",
        "Предоплата по договору поставки №5/2026 от 10.11.2026, счет 17",
    ],
)
def test_a_payment_naming_the_invoice_from_its_client_for_the_open_amount_pays_it(purpose: str) -> None:
    result = one(payment(purpose), invoice())
    assert (result.outcome, result.invoice, result.reason) == ("paid", invoice(), None)
    assert (result.open_before, result.open_after) == (Decimal("12500.00"), Decimal("0"))


@pytest.mark.parametrize(
    ("purpose", "reason"),
    [
        ("Оплата по счету №170 от 01.12.2026", INVOICE_NOT_FOUND),
        ("Оплата по счету №2017", INVOICE_NOT_FOUND),
        ("Оплата по счету 117", INVOICE_NOT_FOUND),
        ("Оплата по счету 17/1", INVOICE_NOT_FOUND),
        ("Оплата по счету СЧ-2026-000170", INVOICE_NOT_FOUND),
        ("Оплата по счету СЧ-2026-00017-2", INVOICE_NOT_FOUND),
        ("Оплата за 2017 год по договору 17, 17 шт.", NO_INVOICE_NUMBER),
        ("Оплата за поверку счетчика №17", NO_INVOICE_NUMBER),
        ("Возврат за счет средств фонда, 17 шт.", NO_INVOICE_NUMBER),
        ("Оплата за услуги", NO_INVOICE_NUMBER),
        ("", NO_INVOICE_NUMBER),
    ],
)
def test_seventeen_is_never_found_inside_another_number(purpose: str, reason: str) -> None:
    result = one(payment(purpose), invoice(), invoice("17", id="plain"))
    assert (result.outcome, result.reason, result.invoice) == ("unmatched", reason, None)


def test_a_bare_number_names_a_plain_numbered_invoice_and_a_prefixed_one_only_by_its_whole_number() -> None:
    plain = invoice("17")
    assert one(payment("Оплата по счету 0017"), plain).invoice == plain
    assert one(payment("Оплата по счету СЧ-2026-00017"), plain).reason == INVOICE_NOT_FOUND
    assert one(payment("Оплата СЧ-2026-00017"), plain).reason == NO_INVOICE_NUMBER


def test_look_alike_letters_case_and_dashes_do_not_matter() -> None:
    latin = invoice("CЧ-2026-00017")  # a Latin C typed in the invoice number
    assert one(payment("Оплата по счету сч–2026–00017"), latin).outcome == "paid"
    assert normalize_number("сч – 2026-00017") == normalize_number("CЧ-2026-00017")


def test_a_payment_from_another_inn_or_without_one_is_not_matched() -> None:
    assert one(payment("Оплата по счету 17", inn=OTHER_INN), invoice()).reason == INN_MISMATCH
    assert one(payment("Оплата по счету 17", inn=""), invoice()).reason == INN_MISMATCH
    assert one(payment("Оплата по счету 17"), invoice(inn="")).reason == INN_MISMATCH


def test_more_than_is_open_or_nothing_is_an_amount_mismatch() -> None:
    assert one(payment("Оплата по счету 17", "12500.01"), invoice()).reason == AMOUNT_MISMATCH
    assert one(payment("Оплата по счету 17", "7500"), invoice(paid="5000.01")).reason == AMOUNT_MISMATCH
    assert one(payment("Оплата по счету 17", "0"), invoice()).reason == AMOUNT_MISMATCH


def test_less_than_is_open_is_a_partial_payment() -> None:
    result = one(payment("Оплата по счету 17", "5000"), invoice())
    assert (result.outcome, result.invoice, result.reason) == ("partial", invoice(), None)
    assert (result.open_before, result.open_after) == (Decimal("12500.00"), Decimal("7500.00"))


def test_the_rest_of_a_partly_paid_invoice_pays_it() -> None:
    result = one(payment("Оплата по счету 17 (остаток)", "7500"), invoice(paid="5000"))
    assert (result.outcome, result.open_before) == ("paid", Decimal("7500.00"))


def test_an_invoice_paid_already_is_reported_as_such() -> None:
    assert one(payment("Оплата по счету 17"), invoice(paid="12500")).reason == ALREADY_PAID


def test_money_out_is_never_matched_even_when_it_names_an_invoice() -> None:
    assert one(payment("Оплата по счету 17", incoming=False), invoice()).reason == OUTGOING


def test_an_invoice_in_another_currency_is_no_candidate() -> None:
    assert one(payment("Оплата по счету 17"), invoice(currency="USD")).reason == INVOICE_NOT_FOUND


def test_two_payments_of_one_invoice_see_each_other_in_order() -> None:
    first, second, third = match_payments(
        [
            payment("Аванс по счету 17", "5000", number="1"),
            payment("Оплата по счету 17, остаток", "7500", number="2"),
            payment("Оплата по счету 17", "7500", number="3"),
        ],
        [invoice()],
    )
    assert (first.outcome, first.open_before, first.open_after) == ("partial", Decimal("12500"), Decimal("7500"))
    assert (second.outcome, second.open_before, second.open_after) == ("paid", Decimal("7500"), Decimal("0"))
    assert (third.outcome, third.reason) == ("unmatched", ALREADY_PAID)


def test_the_same_full_payment_twice_pays_the_invoice_once() -> None:
    results = match_payments(
        [payment("Оплата по счету 17", number="1"), payment("Оплата по счету 17", number="2")], [invoice()]
    )
    assert [(r.outcome, r.reason) for r in results] == [("paid", None), ("unmatched", ALREADY_PAID)]


def test_one_payment_naming_two_invoices_pays_one_and_the_next_pays_the_other() -> None:
    older = invoice("17", "1000", day=dt.date(2026, 11, 30))
    newer = invoice("18", "1000", day=dt.date(2026, 12, 1))
    first, second, third = match_payments([payment("Оплата по счетам 17 и 18", "1000")] * 3, [newer, older])
    assert (first.invoice, second.invoice) == (older, newer)
    assert third.reason == ALREADY_PAID


def test_the_invoice_of_the_date_written_wins_over_an_older_one_of_the_same_number() -> None:
    last_year = invoice("СЧ-2025-00017", day=dt.date(2025, 12, 1))
    this_year = invoice("СЧ-2026-00017", day=dt.date(2026, 12, 1))
    assert one(payment("Оплата по счету №17 от 01.12.2026"), last_year, this_year).invoice == this_year
    assert one(payment("Оплата по счету №17"), this_year, last_year).invoice == last_year  # the oldest open first


def test_the_reason_is_the_furthest_check_a_named_invoice_passed() -> None:
    paid_mine = invoice("17", paid="12500")
    someone_else_s = invoice("СЧ-2026-00017", inn=OTHER_INN)
    assert one(payment("Оплата по счету 17"), paid_mine, someone_else_s).reason == ALREADY_PAID


def test_one_result_per_document_in_order_and_the_same_for_any_order_of_invoices() -> None:
    invoices = [invoice(f"СЧ-2026-{n:05d}", f"{n}000", day=dt.date(2026, 11, n)) for n in range(1, 21)]
    documents = [payment(f"Оплата по счету {n}", f"{n}000", number=str(n)) for n in (3, 3, 7, 25, 12)]
    expected = match_payments(documents, invoices)
    assert [r.document for r in expected] == documents
    assert [(r.outcome, r.invoice.number if r.invoice else r.reason) for r in expected] == [
        ("paid", "СЧ-2026-00003"),
        ("unmatched", ALREADY_PAID),
        ("paid", "СЧ-2026-00007"),
        ("unmatched", INVOICE_NOT_FOUND),
        ("paid", "СЧ-2026-00012"),
    ]
    shuffled = invoices[:]
    random.Random(5).shuffle(shuffled)
    assert match_payments(documents, shuffled) == expected


def test_a_generated_statement_of_three_payments_matches_two_invoices() -> None:
    files = StatementFiles(seed=21)
    alpha, beta = files.company(), files.company()
    invoices = [
        invoice("СЧ-2026-00017", "120000.00", inn=alpha.inn, id="a"),
        invoice("СЧ-2026-00018", "36000.00", inn=beta.inn, id="b"),
        invoice("СЧ-2026-00019", "5000.00", inn=beta.inn, id="c"),
    ]
    data = files.statement(
        [
            StatementPayment("120000", "Оплата по счету №СЧ-2026-00017 от 01.12.2026, в т.ч. НДС 20%", payer=alpha),
            StatementPayment("36000.00", "Оплата по сч. 18 от 01.12.2026", payer=beta),
            StatementPayment("5000", "Оплата по счету 19", payer=alpha),  # the wrong client's invoice
            StatementPayment("5000", "Оплата по счету 19", payer=beta, incoming=False),
        ]
    )
    results = match_payments(parse_statement(data).documents, invoices)
    assert [(r.outcome, r.invoice.id if r.invoice else r.reason) for r in results] == [
        ("paid", "a"),
        ("paid", "b"),
        ("unmatched", INN_MISMATCH),
        ("unmatched", OUTGOING),
    ]


def test_the_numbers_a_purpose_names_with_their_dates() -> None:
    assert mentioned_invoice_numbers("Оплата по счетам №17, 18 и 19 от 01.12.2026; НДС нет") == (
        Mention("17"),
        Mention("18"),
        Mention("19", dt.date(2026, 12, 1)),
    )
    assert mentioned_invoice_numbers("сч 5 от 31.02.2026") == (Mention("5"),)  # no such day: no date
    assert mentioned_invoice_numbers("Оплата по счету от 01.12.2026") == ()
    assert mentioned_invoice_numbers("За счет средств, счет на оплату") == ()


def test_random_statements_never_overpay_an_invoice_nor_pay_a_stranger_s() -> None:
    rng = random.Random(17)
    inns = [CLIENT_INN, OTHER_INN, "7736207543"]
    invoices = [
        invoice(
            f"СЧ-2026-{n:05d}", f"{rng.randint(1, 20) * 500}", paid=rng.choice(["0", "0", "500"]), inn=rng.choice(inns)
        )
        for n in range(1, 16)
    ]
    purposes = [
        "Оплата по счету {n}",
        "сч. {n} от 01.12.2026",
        "по счетам {n} и {m}",
        "Оплата СЧ-2026-{n:05d}",
        "аванс",
    ]
    documents = [
        payment(
            rng.choice(purposes).format(n=rng.randint(1, 18), m=rng.randint(1, 18)),
            f"{rng.randint(0, 20) * 250}",
            inn=rng.choice(inns),
            incoming=rng.random() > 0.1,
            number=str(k),
        )
        for k in range(400)
    ]
    results = match_payments(documents, invoices)
    assert [r.document for r in results] == documents
    applied: dict[str, Decimal] = {}
    for result in results:
        if result.outcome == "unmatched":
            assert result.invoice is None and result.reason is not None
            continue
        assert result.invoice is not None and result.reason is None and result.open_before is not None
        assert result.document.incoming and result.document.payer.inn == result.invoice.client_inn
        assert result.open_before == result.invoice.open_amount - applied.get(result.invoice.id, Decimal(0))
        assert (
            result.document.amount == result.open_before
            if result.outcome == "paid"
            else result.document.amount < result.open_before
        )
        applied[result.invoice.id] = applied.get(result.invoice.id, Decimal(0)) + result.document.amount
    for paid in invoices:
        assert applied.get(paid.id, Decimal(0)) <= paid.open_amount
    assert {r.outcome for r in results} == {"paid", "partial", "unmatched"}
    assert {r.reason for r in results} - {None} == {
        OUTGOING,
        NO_INVOICE_NUMBER,
        INVOICE_NOT_FOUND,
        INN_MISMATCH,
        ALREADY_PAID,
        AMOUNT_MISMATCH,
    }
