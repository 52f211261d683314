"""A bank statement in the 1C exchange format (`1CClientBankExchange`) read into typed, frozen data.

Every Russian bank's client-bank exports a statement for 1C in this format: text, one `key=value` per
line, Windows-1251 by default (the header's `Кодировка=Windows`; `Кодировка=DOS` means cp866):

    1CClientBankExchange
    ВерсияФормата=1.03
    Кодировка=Windows
    Отправитель=Бухгалтерия предприятия
    ДатаСоздания=06.12.2026
    ДатаНачала=01.12.2026
    ДатаКонца=06.12.2026
    РасчСчет=40702810900000012345
    СекцияРасчСчет                 balances of one account over the period
    ...
    КонецРасчСчет
    СекцияДокумент=Платежное поручение
    Номер=17
    Дата=05.12.2026
    Сумма=12500.00
    ПлательщикСчет=...             Плательщик1, ПлательщикИНН, ПлательщикКПП, ПлательщикБИК, ...
    ПолучательСчет=...             the same for the payee
    ДатаПоступило=05.12.2026       money in (ДатаСписано: money out)
    НазначениеПлатежа=Оплата по счету №17 от 01.12.2026
    КонецДокумента
    КонецФайла

`parse_statement(data)` returns a `Statement`: the header, the account sections and one
`StatementDocument` per `СекцияДокумент` (any kind: платёжное поручение, банковский ордер,
инкассовое поручение, ...), each with its payer and payee (`StatementParty`), the amount as a
Decimal, the purpose and a `fingerprint`: the sha256 of what identifies a bank document (number,
date, amount, payer INN, payer account, payee account), so the same payment in two imports (two
overlapping statements, the same file twice) is recognised and recorded once.

A document is `incoming` when its payee account is one of the statement's accounts (the header's
`РасчСчет` and the `СекцияРасчСчет` sections) or its payee INN is one of `our_inns`.

The bytes are settled first by crm_documents.statement_text (limits, the first line, the encoding:
Windows-1251, DOS or UTF-8, CRLF, LF or CR line ends, with or without a BOM); this module reads the
sections of the text. Tolerated: unknown keys (banks add their own) and missing optional ones; amounts
written `12500.00`, `12500`, `12500.5` or `12500,00`; blank lines; a purpose continued on a line
without `=`; anything after `КонецФайла`. An INN or KPP of "0" (a person paying without one) reads as "".

Refused, with one `StatementError` (an InvalidArgument: the gateway answers 422) whose `code` is stable
and whose English message ends with the line it is about, "(line 12)": a file that is not this format
(no first line `1CClientBankExchange`, binary data, a line without `=`, a section not closed before the
next one or before `КонецФайла`, a document without Номер, Дата or Сумма, no account, no `КонецФайла`:
a cut-off download would lose payments silently), text that does not read in the file's encoding, an
amount or a date that cannot be read, and files past the limits (MAX_BYTES, MAX_LINES,
MAX_LINE_LENGTH). Nothing is returned half-read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from crm_documents.statement_text import (
    MAX_BYTES,
    MAX_LINE_LENGTH,
    MAX_LINES,
    STATEMENT_AMOUNT_INVALID,
    STATEMENT_DATE_INVALID,
    STATEMENT_ENCODING_INVALID,
    STATEMENT_FORMAT_INVALID,
    STATEMENT_TOO_LARGE,
    STATEMENT_TOO_MANY_LINES,
    StatementError,
    read_lines,
)

__all__ = [
    "MAX_BYTES",
    "MAX_LINES",
    "MAX_LINE_LENGTH",
    "STATEMENT_AMOUNT_INVALID",
    "STATEMENT_DATE_INVALID",
    "STATEMENT_ENCODING_INVALID",
    "STATEMENT_FORMAT_INVALID",
    "STATEMENT_TOO_LARGE",
    "STATEMENT_TOO_MANY_LINES",
    "AccountSection",
    "Statement",
    "StatementDocument",
    "StatementError",
    "StatementParty",
    "parse_statement",
]

_DOCUMENT_START = "СекцияДокумент"
_DOCUMENT_END = "КонецДокумента"
_ACCOUNT_START = "СекцияРасчСчет"
_ACCOUNT_END = "КонецРасчСчет"
_FILE_END = "КонецФайла"
_PURPOSE_KEYS = ("НазначениеПлатежа", *(f"НазначениеПлатежа{i}" for i in range(1, 7)))

_AMOUNT = re.compile(r"^[0-9]{1,16}(?:[.,][0-9]{1,2})?$")
_DATE = re.compile(r"^([0-9]{2})\.([0-9]{2})\.([0-9]{4})$")
_INN_PREFIX = re.compile(r"^ИНН\s*[0-9]*\s*", re.IGNORECASE)
_LEADING_ZEROS = re.compile(r"^0+(?=.)")

Direction = Literal["incoming", "outgoing"]


@dataclass(frozen=True)
class StatementParty:
    """The payer or the payee of a document, as the bank wrote them ("" where a key is absent)."""

    name: str = ""
    inn: str = ""
    kpp: str = ""
    account: str = ""
    bic: str = ""
    bank: str = ""
    correspondent_account: str = ""


@dataclass(frozen=True)
class StatementDocument:
    """One `СекцияДокумент`: a payment in or out of the statement's account.

    `kind` is the section's value ("Платежное поручение", "Банковский ордер", ...); `received_on` is
    `ДатаПоступило` (money credited), `written_off_on` `ДатаСписано` (money debited); `payment_type`
    is `ВидОплаты` ("01" for a payment order); `line` is where the section starts in the file.
    """

    kind: str
    number: str
    date: dt.date
    amount: Decimal
    payer: StatementParty
    payee: StatementParty
    purpose: str
    received_on: dt.date | None
    written_off_on: dt.date | None
    payment_type: str
    direction: Direction
    line: int

    @property
    def incoming(self) -> bool:
        return self.direction == "incoming"

    @property
    def fingerprint(self) -> str:
        """sha256 (hex) of the fields that identify a bank document; equal for the same payment in any import.

        The number loses its leading zeros and the amount is written with two decimals, so "000017" and
        "17", "12500" and "12500.00" (two banks' habits, or one bank's two exports) are the same payment.
        """
        parts = (
            _LEADING_ZEROS.sub("", self.number),
            self.date.isoformat(),
            f"{self.amount:.2f}",
            self.payer.inn,
            self.payer.account,
            self.payee.account,
        )
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AccountSection:
    """One `СекцияРасчСчет`: an account's balances over a period (None where the bank left a key out)."""

    account: str
    period_start: dt.date | None
    period_end: dt.date | None
    opening_balance: Decimal | None
    total_in: Decimal | None
    total_out: Decimal | None
    closing_balance: Decimal | None


@dataclass(frozen=True)
class Statement:
    """A parsed statement: the header's facts, the account sections and the documents in file order.

    `encoding` is the codec the file was read with ("cp1251", "cp866" or "utf-8").
    """

    format_version: str
    encoding: str
    sender: str
    recipient: str
    created_on: dt.date | None
    period_start: dt.date | None
    period_end: dt.date | None
    accounts: tuple[str, ...]
    account_sections: tuple[AccountSection, ...]
    documents: tuple[StatementDocument, ...]

    @property
    def account(self) -> str:
        """The statement's (first) account: a statement is almost always of one."""
        return self.accounts[0]

    @property
    def incoming(self) -> tuple[StatementDocument, ...]:
        """The documents that brought money in, in file order."""
        return tuple(d for d in self.documents if d.incoming)


def parse_statement(
    data: bytes,
    *,
    our_inns: Collection[str] = (),
    max_bytes: int = MAX_BYTES,
    max_lines: int = MAX_LINES,
) -> Statement:
    """The statement a 1CClientBankExchange file holds, or StatementError naming what is wrong and where.

    `our_inns` are the INNs of the installation's legal entities: a document paid to one of them is
    incoming even when its payee account is not among the statement's (a bank's transit account).
    """
    encoding, lines = read_lines(data, max_bytes=max_bytes, max_lines=max_lines)
    return _Reader(lines, encoding, frozenset(our_inns)).read()


@dataclass
class _Section:
    """A section being read: where it started and its keys (the last of a repeated key wins)."""

    name: str
    value: str
    line: int
    keys: dict[str, tuple[str, int]]


class _Reader:
    """One pass over the decoded lines: header keys, then sections, then КонецФайла."""

    def __init__(self, lines: list[str], encoding: str, our_inns: frozenset[str]) -> None:
        self.lines = lines
        self.encoding = encoding
        self.our_inns = our_inns
        self.header: dict[str, tuple[str, int]] = {}
        self.header_accounts: list[str] = []
        self.sections: list[_Section] = []

    def read(self) -> Statement:
        self._collect()
        accounts = [a for a in self.header_accounts if a]
        account_sections = tuple(self._account_section(s) for s in self.sections if s.name == _ACCOUNT_START)
        accounts += [s.account for s in account_sections if s.account and s.account not in accounts]
        if not accounts:
            raise StatementError(STATEMENT_FORMAT_INVALID, "the statement names no account (РасчСчет)")
        own = frozenset(accounts)
        documents = tuple(self._document(s, own) for s in self.sections if s.name == _DOCUMENT_START)
        return Statement(
            format_version=self._header_text("ВерсияФормата"),
            encoding=self.encoding,
            sender=self._header_text("Отправитель"),
            recipient=self._header_text("Получатель"),
            created_on=_optional_date(self.header, "ДатаСоздания"),
            period_start=_optional_date(self.header, "ДатаНачала"),
            period_end=_optional_date(self.header, "ДатаКонца"),
            accounts=tuple(dict.fromkeys(accounts)),
            account_sections=account_sections,
            documents=documents,
        )

    def _header_text(self, key: str) -> str:
        return self.header.get(key, ("", 0))[0]

    def _collect(self) -> None:
        """Sort every line into the header or its section; raise at the first line out of place."""
        current: _Section | None = None
        last_key: str | None = None
        for number, line in enumerate(self.lines[1:], start=2):
            text = line.strip()
            if not text:
                continue
            key, has_value, value = (part.strip() for part in text.partition("="))
            if key == _FILE_END and not has_value:
                if current is not None:
                    raise _unclosed(current, number)
                return
            if key in (_DOCUMENT_START, _ACCOUNT_START):
                if current is not None:
                    raise _unclosed(current, number)
                current = _Section(key, value, number, {})
                self.sections.append(current)
                last_key = None
                continue
            if key in (_DOCUMENT_END, _ACCOUNT_END) and not has_value:
                expected = _DOCUMENT_START if key == _DOCUMENT_END else _ACCOUNT_START
                if current is None or current.name != expected:
                    raise StatementError(STATEMENT_FORMAT_INVALID, f"{key} without {expected}", number)
                current = None
                continue
            if not has_value:
                if current is not None and last_key in _PURPOSE_KEYS:
                    # Some banks break a long purpose over lines instead of НазначениеПлатежа1..6.
                    previous, line_of = current.keys[last_key]
                    current.keys[last_key] = (f"{previous} {text}".strip(), line_of)
                    continue
                raise StatementError(STATEMENT_FORMAT_INVALID, f"{text[:40]!r} is not a key=value line", number)
            if current is not None:
                current.keys[key] = (value, number)
            elif key == "РасчСчет":
                self.header_accounts.append(value)
            else:
                self.header[key] = (value, number)
            last_key = key
        last = len(self.lines)
        if current is not None:
            raise _unclosed(current, last)
        raise StatementError(
            STATEMENT_FORMAT_INVALID, f"the file ends without {_FILE_END}: it may have been cut off", last
        )

    def _account_section(self, section: _Section) -> AccountSection:
        keys = section.keys
        return AccountSection(
            account=keys.get("РасчСчет", ("", 0))[0],
            period_start=_optional_date(keys, "ДатаНачала"),
            period_end=_optional_date(keys, "ДатаКонца"),
            opening_balance=_optional_amount(keys, "НачальныйОстаток", signed=True),
            total_in=_optional_amount(keys, "ВсегоПоступило"),
            total_out=_optional_amount(keys, "ВсегоСписано"),
            closing_balance=_optional_amount(keys, "КонечныйОстаток", signed=True),
        )

    def _document(self, section: _Section, own_accounts: frozenset[str]) -> StatementDocument:
        keys = section.keys

        def text(key: str) -> str:
            return keys.get(key, ("", 0))[0]

        for required in ("Номер", "Дата", "Сумма"):
            if not text(required):
                raise StatementError(
                    STATEMENT_FORMAT_INVALID, f"the document {section.value!r} has no {required}", section.line
                )
        payer = _party(keys, "Плательщик")
        payee = _party(keys, "Получатель")
        payee_accounts = {payee.account, text("ПолучательРасчСчет")} - {""}
        incoming = bool(payee_accounts & own_accounts) or (payee.inn != "" and payee.inn in self.our_inns)
        purpose = text("НазначениеПлатежа") or " ".join(
            p for p in (text(f"НазначениеПлатежа{i}") for i in range(1, 7)) if p
        )
        return StatementDocument(
            kind=section.value,
            number=text("Номер"),
            date=_date(*keys["Дата"], "Дата"),
            amount=_amount(*keys["Сумма"], "Сумма"),
            payer=payer,
            payee=payee,
            purpose=purpose,
            received_on=_optional_date(keys, "ДатаПоступило"),
            written_off_on=_optional_date(keys, "ДатаСписано"),
            payment_type=text("ВидОплаты"),
            direction="incoming" if incoming else "outgoing",
            line=section.line,
        )


def _unclosed(section: _Section, line: int) -> StatementError:
    end = _DOCUMENT_END if section.name == _DOCUMENT_START else _ACCOUNT_END
    return StatementError(
        STATEMENT_FORMAT_INVALID, f"the section {section.name} of line {section.line} is not closed by {end}", line
    )


def _party(keys: dict[str, tuple[str, int]], prefix: str) -> StatementParty:
    """Payer or payee: `<prefix>1` is the name; `<prefix>` alone is "ИНН 7707083893 ООО Ромашка" in some exports."""

    def text(suffix: str) -> str:
        return keys.get(prefix + suffix, ("", 0))[0]

    name = text("1") or _INN_PREFIX.sub("", text(""))
    inn = text("ИНН")
    return StatementParty(
        name=name.strip(),
        inn="" if inn.strip("0") == "" else inn,
        kpp="" if text("КПП").strip("0") == "" else text("КПП"),
        account=text("Счет") or text("РасчСчет"),
        bic=text("БИК"),
        bank=text("Банк1"),
        correspondent_account=text("Корсчет"),
    )


def _optional_date(keys: dict[str, tuple[str, int]], key: str) -> dt.date | None:
    value, line = keys.get(key, ("", 0))
    return _date(value, line, key) if value else None


def _date(value: str, line: int, key: str) -> dt.date:
    match = _DATE.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    raise StatementError(STATEMENT_DATE_INVALID, f"{key}={value[:40]!r} is not a date dd.mm.yyyy", line)


def _optional_amount(keys: dict[str, tuple[str, int]], key: str, *, signed: bool = False) -> Decimal | None:
    value, line = keys.get(key, ("", 0))
    return _amount(value, line, key, signed=signed) if value else None


def _amount(value: str, line: int, key: str, *, signed: bool = False) -> Decimal:
    """A non-negative amount ("12500.00", "12500", "12500,5"); a balance may be negative (`signed`)."""
    digits = value[1:] if signed and value.startswith("-") else value
    if not _AMOUNT.match(digits):
        raise StatementError(STATEMENT_AMOUNT_INVALID, f"{key}={value[:40]!r} is not an amount like 12500.00", line)
    return Decimal(value.replace(",", ".")).quantize(Decimal("0.01"))
