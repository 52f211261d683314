"""Bank statements for tests: valid 1CClientBankExchange files (cp1251, CRLF) written from a list of payments.

The parties are Russian companies from Faker's ru_RU locale with registration ids and bank details
that pass crm_core.requisites (INN check digits, a KPP of the INN's tax office, a BIC, checking and
correspondent accounts whose control keys match the BIC), so the import is tested on what a bank
really sends. The same seed gives the same file on every machine.

    files = StatementFiles(seed=7)
    client = files.company()                               # a payer to put on an invoice
    data = files.statement([
        StatementPayment("12500.00", "Оплата по счету №17 от 01.12.2026", payer=client),
        StatementPayment("990", "Аренда за декабрь", incoming=False),
    ])
    parse_statement(data).incoming                         # the first payment, from `client`

`files.owner` is the statement's holder (its account is the header's РасчСчет); pass `owner=` to
`statement()` for another one. `encoding="cp866"` writes a DOS file, `line_end="\\n"` an LF one.

This is a plain module of services/documents/tests: a test imports it as `statement_files` with that
folder on sys.path (tests/unit/conftest.py puts it there; an integration or e2e conftest does the same).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from faker import Faker

from crm_core import requisites


@dataclass(frozen=True)
class Requisites:
    """A company's name, registration ids and bank account, as a payment order carries them."""

    name: str
    inn: str
    kpp: str
    account: str
    bic: str
    bank: str
    correspondent_account: str


@dataclass(frozen=True)
class StatementPayment:
    """One payment of a statement: incoming (from `payer` to the owner) or outgoing (from the owner to `payer`).

    Unset fields are generated: a number from 1 on, the statement's last day, a new company.
    """

    amount: Decimal | str
    purpose: str = ""
    payer: Requisites | None = None
    number: str | None = None
    date: dt.date | None = None
    incoming: bool = True
    kind: str = "Платежное поручение"


class StatementFiles:
    """A seeded source of companies and statement files."""

    def __init__(self, seed: int = 0) -> None:
        self.faker = Faker("ru_RU")
        self.faker.seed_instance(seed)
        self.owner = self.company()

    def company(self) -> Requisites:
        """A company with a valid INN, KPP, BIC and checking and correspondent accounts."""
        f = self.faker
        inn = f.businesses_inn()
        bic = f.bic()
        return Requisites(
            name=f'ООО "{f.large_company()}"',
            inn=inn,
            kpp=inn[:4] + f.kpp()[4:],
            # 40702 810: a company's settlement account in roubles; Faker's account has any first digits.
            account=requisites.with_account_key("40702810" + f.numerify("#" * 12), bic),
            bic=bic,
            bank=f"{f.bank()}",
            correspondent_account=_correspondent_account(bic),
        )

    def statement(
        self,
        payments: Sequence[StatementPayment],
        *,
        owner: Requisites | None = None,
        start: dt.date = dt.date(2026, 12, 1),
        end: dt.date = dt.date(2026, 12, 6),
        encoding: str = "cp1251",
        line_end: str = "\r\n",
    ) -> bytes:
        """The bytes of a statement of `owner`'s account over start..end holding `payments` in order."""
        lines = self.lines(payments, owner=owner, start=start, end=end, encoding=encoding)
        return render_statement(lines, encoding, line_end)

    def lines(
        self,
        payments: Sequence[StatementPayment],
        *,
        owner: Requisites | None = None,
        start: dt.date = dt.date(2026, 12, 1),
        end: dt.date = dt.date(2026, 12, 6),
        encoding: str = "cp1251",
    ) -> list[str]:
        """The statement's lines, for a test that wants to break one before `render_statement`."""
        holder = owner or self.owner
        amounts = [Decimal(p.amount) for p in payments]
        total_in = sum((a for a, p in zip(amounts, payments, strict=True) if p.incoming), Decimal(0))
        total_out = sum((a for a, p in zip(amounts, payments, strict=True) if not p.incoming), Decimal(0))
        opening = Decimal("100000.00")
        lines = [
            "1CClientBankExchange",
            "ВерсияФормата=1.03",
            f"Кодировка={'DOS' if encoding == 'cp866' else 'Windows'}",
            "Отправитель=Бухгалтерия предприятия, редакция 3.0",
            "Получатель=",
            f"ДатаСоздания={_date(end)}",
            "ВремяСоздания=10:15:00",
            f"ДатаНачала={_date(start)}",
            f"ДатаКонца={_date(end)}",
            f"РасчСчет={holder.account}",
            "Документ=Платежное поручение",
            "СекцияРасчСчет",
            f"ДатаНачала={_date(start)}",
            f"ДатаКонца={_date(end)}",
            f"РасчСчет={holder.account}",
            f"НачальныйОстаток={opening:.2f}",
            f"ВсегоПоступило={total_in:.2f}",
            f"ВсегоСписано={total_out:.2f}",
            f"КонечныйОстаток={opening + total_in - total_out:.2f}",
            "КонецРасчСчет",
        ]
        for index, (payment, amount) in enumerate(zip(payments, amounts, strict=True), 1):
            other = payment.payer or self.company()
            payer, payee = (other, holder) if payment.incoming else (holder, other)
            when = payment.date or end
            lines += [
                f"СекцияДокумент={payment.kind}",
                f"Номер={payment.number or index}",
                f"Дата={_date(when)}",
                f"Сумма={amount:.2f}",
                *_party_lines("Плательщик", payer),
                *_party_lines("Получатель", payee),
                f"ДатаПоступило={_date(when) if payment.incoming else ''}",
                f"ДатаСписано={'' if payment.incoming else _date(when)}",
                "ВидОплаты=01",
                "Очередность=5",
                f"НазначениеПлатежа={payment.purpose}",
                *(f"НазначениеПлатежа{i}={part}" for i, part in enumerate(_split(payment.purpose), 1)),
                "КонецДокумента",
            ]
        lines.append("КонецФайла")
        return lines


def render_statement(lines: Sequence[str], encoding: str = "cp1251", line_end: str = "\r\n") -> bytes:
    """Lines joined and encoded as a bank writes them (every line ended, the last one too).

    DOS (cp866) has no typographic quotes or dashes ("«Томскнефть»", "Аэрофлот — ..."): they become
    plain ones, as a DOS exporter writes them.
    """
    text = "".join(line + line_end for line in lines)
    if encoding == "cp866":
        text = text.translate(_DOS_PUNCTUATION)
    return text.encode(encoding)


_DOS_PUNCTUATION = str.maketrans({"«": '"', "»": '"', "—": "-", "–": "-"})


def _party_lines(prefix: str, party: Requisites) -> list[str]:
    return [
        f"{prefix}Счет={party.account}",
        f"{prefix}=ИНН {party.inn} {party.name}",
        f"{prefix}ИНН={party.inn}",
        f"{prefix}1={party.name}",
        f"{prefix}РасчСчет={party.account}",
        f"{prefix}Банк1={party.bank}",
        f"{prefix}Банк2=г. Москва",
        f"{prefix}БИК={party.bic}",
        f"{prefix}Корсчет={party.correspondent_account}",
        f"{prefix}КПП={party.kpp}",
    ]


def _split(purpose: str, width: int = 70) -> list[str]:
    """The purpose cut into НазначениеПлатежа1..6 as 1C does (at most six parts)."""
    return [purpose[i : i + width] for i in range(0, min(len(purpose), width * 6), width)]


def _date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def _correspondent_account(bic: str) -> str:
    base = "30101810" + "0" * 9 + bic[-3:]
    for digit in "0123456789":
        candidate = base[:8] + digit + base[9:]
        if requisites.is_valid_correspondent_account(candidate, bic):
            return candidate
    raise AssertionError("no control digit fits")  # every 20 digits have one
