"""Incoming bank payments matched to issued invoices: by invoice number, payer INN and amount.

`match_payments(documents, invoices)` takes a statement's documents (crm_documents.bank_statement) and
the invoices that could be paid (`IssuedInvoice`: number, date, the client's INN, total, what is paid
already, currency) and returns one `PaymentMatch` per document, in the documents' order:

* `paid`: the purpose names the invoice, the payer's INN is the invoice client's and the amount equals
  the invoice's open amount (total - paid - what earlier documents of this run applied);
* `partial`: the same, but the amount is smaller than the open amount;
* `unmatched`, with a `reason` a person resolves by hand (the codes are stable, the client translates):
  `outgoing` (money out of our account), `no_invoice_number` (the purpose names no invoice),
  `invoice_not_found` (it names numbers no invoice of this currency has), `inn_mismatch` (the invoices
  named belong to clients of other INNs, or the payer gave none), `already_paid` (nothing is open on
  them), `amount_mismatch` (more than is open, or nothing at all). The reason is the furthest check
  the best candidate passed, in that order.

How the purpose names an invoice (`mentioned_invoice_numbers`):

* after a word for an invoice: "счет №17 от 01.12.2026", "сч. 17", "Оплата по счету СЧ-2026-00017",
  "по счетам 17, 18 и 19", "счет-фактура 17", "с/ф 17", "invoice #17"; a number written there alone
  ("17", "00017") names the invoice numbered 17 and the one whose number ends in 17 ("СЧ-2026-00017"),
  never 170 or 2017; a number with letters or separators must equal the invoice's number;
* anywhere, a token equal to an invoice's full number ("...согл. СЧ-2026-00017, НДС 20%") when that
  number is not digits alone (a bare "17" anywhere would be any quantity, date or address).
Numbers compare case-insensitively, with Cyrillic and Latin look-alike letters ("СЧ"/"CЧ") and dashes
(‐ – — −) taken as the same.

One payment never pays two invoices: when several pass every check the one whose date the purpose
gives ("от 01.12.2026") wins, then the oldest, then the lowest number. Two payments of one invoice are
handled in order: the second sees the open amount the first left (a partial payment and its balance
close the invoice; a second full payment is `already_paid`). Invoices in another currency than the
statement's are not candidates. Pure and deterministic: the same inputs give the same result.

Importing the same statement twice is not this module's concern: the caller skips documents whose
`fingerprint` it has recorded, and passes `paid` as recorded, before matching.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from crm_documents.bank_statement import StatementDocument

OUTGOING = "outgoing"
NO_INVOICE_NUMBER = "no_invoice_number"
INVOICE_NOT_FOUND = "invoice_not_found"
INN_MISMATCH = "inn_mismatch"
ALREADY_PAID = "already_paid"
AMOUNT_MISMATCH = "amount_mismatch"
REASONS = (OUTGOING, NO_INVOICE_NUMBER, INVOICE_NOT_FOUND, INN_MISMATCH, ALREADY_PAID, AMOUNT_MISMATCH)

Outcome = Literal["paid", "partial", "unmatched"]

_WORD = r"0-9a-zа-яё"
_TOKEN = rf"[{_WORD}]+(?:[-/][{_WORD}]+)*"
_INVOICE_WORD = r"(?:сч[её]т(?:ам|ами|ах|ом|ов|а|е|у)?(?:[\s-]*фактур[а-яё]*)?|сч|с/ф|инвойс[а-яё]*|invoices?|inv)"
_SIGN = r"(?:(?:№|n|no\.?|#)\s*)?"
_WRITTEN_DATE = r"[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{2,4}(?![0-9])"
_DATE = rf"(?:\s*(?:от|from|dated)\s*(?P<date>{_WRITTEN_DATE}))?"
# "счет от 01.12.2026 №17": the date may come first.
_DATE_FIRST = rf"(?:(?:от|from|dated)\s*(?P<date_first>{_WRITTEN_DATE})\S*\s*)?"
_MENTION = re.compile(
    rf"(?<![{_WORD}]){_INVOICE_WORD}(?![{_WORD}])\.?\s*(?:на\s+оплату\s*)?{_DATE_FIRST}{_SIGN}(?P<number>{_TOKEN}){_DATE}",
    re.IGNORECASE,
)
# More numbers of a list after the first: "счета 17, 18 и 19", "invoices 17 and 18".
_MORE = re.compile(rf"\s*(?:,|;|\bи\b|\band\b)\s*{_SIGN}(?P<number>{_TOKEN}){_DATE}", re.IGNORECASE)
_ANY_TOKEN = re.compile(rf"(?<![{_WORD}]){_TOKEN}", re.IGNORECASE)
_TAIL = re.compile(r"([0-9]+)$")
# Cyrillic letters that look Latin, and dashes, folded so "СЧ-17" typed with a Latin C still compares equal.
_FOLD = str.maketrans("АВЕКМНОРСТУХ‐‑‒–—−", "ABEKMHOPCTYX------")
_DASHES = str.maketrans("‐‑‒–—−", "------")


@dataclass(frozen=True)
class IssuedInvoice:
    """An invoice a payment may settle: `client_inn` is the INN of the party it was issued to."""

    id: str
    number: str
    date: dt.date
    client_inn: str
    total: Decimal
    paid: Decimal = Decimal(0)
    currency: str = "RUB"

    @property
    def open_amount(self) -> Decimal:
        return self.total - self.paid


@dataclass(frozen=True)
class Mention:
    """An invoice number a purpose names (as written), with the date written after it if any."""

    number: str
    date: dt.date | None = None


@dataclass(frozen=True)
class PaymentMatch:
    """What one statement document turned out to be.

    `invoice` is set for paid and partial; `open_before` is the invoice's open amount before this
    payment (after earlier documents of the same run); `reason` is one of REASONS for unmatched.
    """

    document: StatementDocument
    outcome: Outcome
    invoice: IssuedInvoice | None = None
    open_before: Decimal | None = None
    reason: str | None = None

    @property
    def open_after(self) -> Decimal | None:
        """The invoice's open amount after this payment (0 once paid), None when unmatched."""
        if self.open_before is None:
            return None
        return self.open_before - self.document.amount


def normalize_number(number: str) -> str:
    """An invoice number folded for comparison: upper case, look-alike letters and dashes unified, no spaces."""
    return "".join(number.upper().translate(_FOLD).split())


def mentioned_invoice_numbers(purpose: str) -> tuple[Mention, ...]:
    """The numbers a purpose names after a word for an invoice, in order ("счет №17 от 01.12.2026" -> 17, 1 Dec)."""
    mentions: list[Mention] = []
    purpose = purpose.translate(_DASHES)
    for match in _MENTION.finditer(purpose):
        found = [match]
        position = match.end()
        while more := _MORE.match(purpose, position):
            found.append(more)
            position = more.end()
        first_date = match.group("date_first")
        mentions += [
            Mention(m.group("number"), _purpose_date(m.group("date") or first_date))
            for m in found
            if _has_digit(m.group("number"))
        ]
    return tuple(mentions)


def match_payments(
    documents: Iterable[StatementDocument], invoices: Iterable[IssuedInvoice], *, currency: str = "RUB"
) -> tuple[PaymentMatch, ...]:
    """One PaymentMatch per document, in order; see the module's docstring for the rules."""
    index = _InvoiceIndex([i for i in invoices if i.currency == currency])
    applied: dict[str, Decimal] = defaultdict(Decimal)
    results: list[PaymentMatch] = []
    for document in documents:
        result = _match(document, index, applied)
        if result.invoice is not None:
            applied[result.invoice.id] += document.amount
        results.append(result)
    return tuple(results)


class _InvoiceIndex:
    """Invoices by their folded full number and by the number their digits end in."""

    def __init__(self, invoices: list[IssuedInvoice]) -> None:
        self.by_number: dict[str, list[IssuedInvoice]] = defaultdict(list)
        self.by_tail: dict[int, list[IssuedInvoice]] = defaultdict(list)
        for invoice in invoices:
            folded = normalize_number(invoice.number)
            self.by_number[folded].append(invoice)
            tail = _TAIL.search(folded)
            if tail:
                self.by_tail[int(tail.group(1))].append(invoice)

    def named(self, purpose: str) -> tuple[bool, dict[str, tuple[IssuedInvoice, dt.date | None]]]:
        """Whether the purpose names any invoice number, and the invoices it names (by id, with the date written)."""
        found: dict[str, tuple[IssuedInvoice, dt.date | None]] = {}
        mentions = mentioned_invoice_numbers(purpose)
        for mention in mentions:
            folded = normalize_number(mention.number)
            matches = self.by_tail.get(int(folded), []) if folded.isdigit() else self.by_number.get(folded, [])
            for invoice in matches:
                found.setdefault(invoice.id, (invoice, mention.date))
        for token in _ANY_TOKEN.findall(purpose.translate(_DASHES)):
            folded = normalize_number(token)
            if folded.isdigit():
                continue
            for invoice in self.by_number.get(folded, []):
                found.setdefault(invoice.id, (invoice, None))
        return bool(mentions) or bool(found), found


def _match(document: StatementDocument, index: _InvoiceIndex, applied: dict[str, Decimal]) -> PaymentMatch:
    if not document.incoming:
        return PaymentMatch(document, "unmatched", reason=OUTGOING)
    names_any, named = index.named(document.purpose)
    if not names_any:
        return PaymentMatch(document, "unmatched", reason=NO_INVOICE_NUMBER)
    if not named:
        return PaymentMatch(document, "unmatched", reason=INVOICE_NOT_FOUND)
    client = [(i, d) for i, d in named.values() if document.payer.inn and i.client_inn == document.payer.inn]
    if not client:
        return PaymentMatch(document, "unmatched", reason=INN_MISMATCH)
    open_ = [(i, d, i.open_amount - applied[i.id]) for i, d in client]
    open_ = [(i, d, amount) for i, d, amount in open_ if amount > 0]
    if not open_:
        return PaymentMatch(document, "unmatched", reason=ALREADY_PAID)
    if document.amount > 0:
        full = [c for c in open_ if c[2] == document.amount]
        if full:
            invoice, _, amount = min(full, key=_preference)
            return PaymentMatch(document, "paid", invoice, open_before=amount)
        partial = [c for c in open_ if c[2] > document.amount]
        if partial:
            invoice, _, amount = min(partial, key=_preference)
            return PaymentMatch(document, "partial", invoice, open_before=amount)
    return PaymentMatch(document, "unmatched", reason=AMOUNT_MISMATCH)


def _preference(candidate: tuple[IssuedInvoice, dt.date | None, Decimal]) -> tuple[bool, dt.date, str, str]:
    """The invoice of the date the purpose gives first, then the oldest, then the lowest number."""
    invoice, written, _ = candidate
    return (written != invoice.date, invoice.date, normalize_number(invoice.number), invoice.id)


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _purpose_date(text: str | None) -> dt.date | None:
    """A date written "01.12.2026" or "01.12.26" (None when absent or impossible)."""
    if not text:
        return None
    day, month, year = (int(part) for part in text.split("."))
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
