"""The data a document is rendered from, and its snapshot: plain values in, a JSON-able dict out.

A document's template sees exactly this dict (the variables `ListTemplateVariables` describes):

    doc      type, title, number, date, valid_until, language, currency, vat_mode
    seller   the legal entity: name, full_name, inn, kpp, ogrn, address, phone, email, bank_name, bik,
             correspondent_account, account, vat_payer, director {title, name, basis}, accountant {...}
    buyer    the deal's client: name, full_name, inn, kpp, ogrn, address, phone, email, bank_name, bik,
             correspondent_account, account
    deal     id, title
    lines    [{n, name, article, unit_code, unit, quantity, price, discount_percent, vat_rate, vat_label,
               vat_amount, net, total}]
    totals   net, vat, gross, count, in_words, vat_label, by_rate [{rate, label, net, vat, gross}]

Amounts are decimal strings (the template's filters `money`, `number`, `in_words` format them), dates
ISO strings (`date` formats them). Lines and totals are computed with crm_core.vat, the computation deals
uses, so they equal the deal's; a difference is refused rather than printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from crm_core import vat
from crm_core.errors import FailedPrecondition
from crm_documents import wording

DOC_TYPES = ("quote", "invoice", "act", "delivery_note", "contract")
LANGUAGES = ("ru", "en")
TITLES = {
    "quote": ("Коммерческое предложение", "Commercial proposal"),
    "invoice": ("Счёт на оплату", "Invoice"),
    "act": ("Акт выполненных работ", "Certificate of completion"),
    "delivery_note": ("Товарная накладная", "Delivery note"),
    "contract": ("Договор", "Contract"),
}


def title_of(doc_type: str, language: str) -> str:
    ru, en = TITLES[doc_type]
    return ru if language == "ru" else en


@dataclass(frozen=True)
class Line:
    """A deal line as documents print it."""

    name: str
    quantity: Decimal
    price: Decimal
    total: Decimal
    unit_code: str = "796"
    article: str = ""
    discount_percent: Decimal = Decimal(0)
    vat_rate: str = vat.NO_VAT


@dataclass(frozen=True)
class Deal:
    """What a document needs of a deal; `vat_amount` and `gross` as deals computed them."""

    id: str
    title: str
    currency: str
    vat_mode: str
    lines: tuple[Line, ...]
    client_id: str
    client_name: str
    vat_amount: Decimal | None = None
    gross: Decimal | None = None


@dataclass(frozen=True)
class Party:
    """The buyer's requisites (a company's, or a person's name and contacts)."""

    name: str
    full_name: str = ""
    inn: str = ""
    kpp: str = ""
    ogrn: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    bank_name: str = ""
    bik: str = ""
    correspondent_account: str = ""
    account: str = ""

    def as_dict(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class Seller:
    """The legal entity's requisites and signatories ([{role, title, name, basis}])."""

    name: str
    inn: str
    full_name: str = ""
    kpp: str = ""
    ogrn: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    bank_name: str = ""
    bik: str = ""
    correspondent_account: str = ""
    account: str = ""
    vat_payer: bool = True
    signatories: tuple[dict[str, str], ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "signatories"}
        for role in ("director", "accountant", "manager"):
            person = next((s for s in self.signatories if s.get("role") == role), {})
            out[role] = {
                "title": person.get("title", ""),
                "name": person.get("name", ""),
                "basis": person.get("basis", ""),
            }
        return out


def decimal_of(text: str, what: str) -> Decimal:
    """A decimal from a peer's text ("" is 0)."""
    try:
        return Decimal(text or "0")
    except InvalidOperation as exc:
        raise FailedPrecondition("deal_data_invalid", f"the deal's {what} is not a number: {text!r}") from exc


def vat_label(rate: str, mode: str, language: str) -> str:
    """ "НДС 20 %" / "VAT 20%", or "Без НДС" / "No VAT" for an exempt document or a line not subject to VAT."""
    if mode == "exempt" or rate == vat.NO_VAT:
        return "Без НДС" if language == "ru" else "No VAT"
    return f"НДС {rate}\u00a0%" if language == "ru" else f"VAT {rate}%"


def build(
    *,
    doc_type: str,
    number: str,
    doc_date: date,
    valid_until: date | None,
    language: str,
    deal: Deal,
    buyer: Party,
    seller: Seller,
    units: dict[str, str],
) -> dict[str, Any]:
    """The document's data (its snapshot): both parties, the lines with VAT and the totals, as plain JSON."""
    if not deal.lines:
        raise FailedPrecondition("deal_has_no_lines", "the deal has no lines: add products or services first")
    mode = deal.vat_mode if vat.is_vat_mode(deal.vat_mode) else vat.DEFAULT_MODE
    if not seller.vat_payer:
        mode = "exempt"
    totals = vat.compute([vat.VatLine(line.total, line.vat_rate) for line in deal.lines], mode)  # type: ignore[arg-type]
    stated = (deal.gross, deal.vat_amount)
    if seller.vat_payer and None not in stated and (totals.gross, totals.vat) != stated:
        raise FailedPrecondition(
            "deal_totals_mismatch",
            f"the deal's totals ({deal.gross}, VAT {deal.vat_amount}) differ from its lines' "
            f"({totals.gross}, VAT {totals.vat})",
        )
    lines = [
        {
            "n": n,
            "name": line.name,
            "article": line.article,
            "unit_code": line.unit_code,
            "unit": units.get(line.unit_code, line.unit_code),
            "quantity": str(line.quantity.normalize())
            if line.quantity == line.quantity.to_integral()
            else str(line.quantity),
            "price": str(vat.to_kopecks(line.price)),
            "discount_percent": str(line.discount_percent),
            "vat_rate": computed.rate,
            "vat_label": vat_label(computed.rate, mode, language),
            "vat_amount": str(computed.vat),
            "net": str(computed.net),
            "total": str(computed.gross if mode != "on_top" else computed.net),
        }
        for n, (line, computed) in enumerate(zip(deal.lines, totals.lines, strict=True), start=1)
    ]
    return {
        "doc": {
            "type": doc_type,
            "title": title_of(doc_type, language),
            "number": number,
            "date": doc_date.isoformat(),
            "valid_until": valid_until.isoformat() if valid_until else "",
            "language": language,
            "currency": deal.currency,
            "vat_mode": mode,
        },
        "seller": seller.as_dict(),
        "buyer": buyer.as_dict(),
        "deal": {"id": deal.id, "title": deal.title},
        "lines": lines,
        "totals": {
            "net": str(totals.net),
            "vat": str(totals.vat),
            "gross": str(totals.gross),
            "count": len(lines),
            "in_words": wording.amount_in_words(totals.gross, deal.currency, language),
            "vat_label": vat_label("", "exempt", language) if mode == "exempt" or totals.vat == 0 else "",
            "by_rate": [
                {
                    "rate": r.rate,
                    "label": vat_label(r.rate, mode, language),
                    "net": str(r.net),
                    "vat": str(r.vat),
                    "gross": str(r.gross),
                }
                for r in totals.by_rate
                if r.rate != vat.NO_VAT and mode != "exempt"
            ],
        },
    }


SAMPLE_DEAL = Deal(
    id="00000000-0000-0000-0000-000000000000",
    title="Поставка оборудования",
    currency="RUB",
    vat_mode="on_top",
    client_id="",
    client_name="ООО «Пример»",
    lines=(
        Line(
            "Ноутбук Aquarius Cmp NS685U",
            Decimal(3),
            Decimal("85000.00"),
            Decimal("255000.00"),
            "796",
            "NB-685",
            vat_rate="20",
        ),
        Line("Настройка рабочего места", Decimal(6), Decimal("2500.00"), Decimal("15000.00"), "356", vat_rate="20"),
        Line("Доставка", Decimal(1), Decimal("1990.50"), Decimal("1990.50"), "876", vat_rate="20"),
    ),
)
SAMPLE_BUYER = Party(
    name="ООО «Пример»",
    full_name="Общество с ограниченной ответственностью «Пример»",
    inn="7707083893",
    kpp="773601001",
    ogrn="1027700132195",
    address="117997, г. Москва, ул. Вавилова, д. 19",
    email="buh@primer.ru",
    bank_name="ПАО Сбербанк",
    bik="044525225",
    correspondent_account="30101810400000000225",
    account="40702810938000000001",
)
SAMPLE_SELLER = Seller(
    name="ООО «Ромашка»",
    full_name="Общество с ограниченной ответственностью «Ромашка»",
    inn="7728168971",
    kpp="772801001",
    ogrn="1027700067328",
    address="119049, г. Москва, ул. Донская, д. 1",
    phone="+7 495 123-45-67",
    bank_name="АО «Альфа-Банк»",
    bik="044525593",
    correspondent_account="30101810200000000593",
    account="40702810801300000001",
    signatories=(
        {"role": "director", "title": "Генеральный директор", "name": "Петров П. П.", "basis": ""},
        {"role": "accountant", "title": "Главный бухгалтер", "name": "Сидорова А. В.", "basis": ""},
    ),
)


def sample(doc_type: str, language: str, units: dict[str, str], seller: Seller | None = None) -> dict[str, Any]:
    """The data of a sample document (template checks and previews without a deal)."""
    return build(
        doc_type=doc_type,
        number="1",
        doc_date=date(2026, 12, 6),
        valid_until=date(2026, 12, 16),
        language=language,
        deal=SAMPLE_DEAL,
        buyer=SAMPLE_BUYER,
        seller=seller or SAMPLE_SELLER,
        units=units,
    )
