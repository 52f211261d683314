"""REST shapes of documents, templates, legal entities and bank statements (mirror crm.documents.v1).

Request shapes check shape only (types, lengths as sanity bounds); the documents service judges values
(requisites' check digits, template variables, statuses) and answers with its codes. See docs/documents.md.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from crm_gateway.schemas.common import Out, Strict

ID = 64


class SignatoryIn(Strict):
    role: str = Field(max_length=20, description="director, accountant or manager")
    title: str = Field("", max_length=300, description="Генеральный директор")
    name: str = Field("", max_length=300, description="Иванов И. И.")
    basis: str = Field("", max_length=300, description="A power of attorney a non-director signs by")


class LegalEntityFields(Strict):
    name: str | None = Field(None, max_length=300, description="Short name: ООО «Ромашка»")
    full_name: str | None = Field(None, max_length=1000)
    inn: str | None = Field(None, max_length=20, description="10 or 12 digits with a valid check digit")
    kpp: str | None = Field(None, max_length=20)
    ogrn: str | None = Field(None, max_length=20)
    address: str | None = Field(None, max_length=1000)
    phone: str | None = Field(None, max_length=300)
    email: str | None = Field(None, max_length=300)
    bank_name: str | None = Field(None, max_length=300)
    bik: str | None = Field(None, max_length=20)
    correspondent_account: str | None = Field(None, max_length=30)
    account: str | None = Field(None, max_length=30, description="Settlement account (20 digits, matches the BIC)")
    signatories: list[SignatoryIn] | None = Field(None, max_length=10)
    vat_payer: bool | None = None
    number_prefixes: dict[str, str] | None = Field(
        None, max_length=5, description='Per document type, e.g. {"invoice": "СЧ-"}'
    )
    is_default: bool | None = None
    archived: bool | None = None


class LegalEntityCreate(LegalEntityFields):
    name: str = Field(max_length=300)
    inn: str = Field(max_length=20)


class SignatoryOut(Out):
    role: str
    title: str = ""
    name: str = ""
    basis: str = ""


class LegalEntityOut(Out):
    id: str
    name: str
    full_name: str = ""
    inn: str
    kpp: str = ""
    ogrn: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    bank_name: str = ""
    bik: str = ""
    correspondent_account: str = ""
    account: str = ""
    signatories: list[SignatoryOut] = []
    vat_payer: bool = False
    number_prefixes: dict[str, str] = {}
    is_default: bool = False
    archived: bool = False
    version: int
    created_at: datetime
    updated_at: datetime


class TemplateVersionOut(Out):
    version: int
    created_at: datetime
    created_by: str = ""
    comment: str = ""


class TemplateOut(Out):
    id: str
    doc_type: str
    language: str
    name: str
    shipped: bool = False
    is_default: bool = False
    archived: bool = False
    current_version: int
    version: int = Field(0, description="The version whose html and css these are (0 in lists)")
    html: str = ""
    css: str = ""
    versions: list[TemplateVersionOut] = []
    row_version: int = Field(description="The ETag of the template's settings (name, default, archived)")
    created_at: datetime


class TemplateCreate(Strict):
    doc_type: str = Field(max_length=20, description="quote, invoice, act, delivery_note or contract")
    language: str = Field(max_length=2, description="ru or en")
    name: str = Field(max_length=300)
    html: str = Field(max_length=600_000, description="HTML with Jinja2 variables (GET .../variables)")
    css: str = Field("", max_length=600_000)
    is_default: bool = False


class TemplateVersionIn(Strict):
    html: str = Field(max_length=600_000)
    css: str = Field("", max_length=600_000)
    comment: str = Field("", max_length=1000)


class TemplatePatch(Strict):
    name: str | None = Field(None, max_length=300)
    is_default: bool | None = None
    archived: bool | None = None
    current_version: int | None = Field(None, ge=1, le=1_000_000, description="Go back to an older version")


class TemplateVariableOut(Out):
    path: str
    description_ru: str
    description_en: str
    example: str = ""


class TemplatePreviewIn(Strict):
    template_id: str = Field("", max_length=ID, description="A stored template, or html + css + doc_type + language")
    version: int = Field(0, ge=0, le=1_000_000)
    html: str = Field("", max_length=600_000)
    css: str = Field("", max_length=600_000)
    doc_type: str = Field("", max_length=20)
    language: str = Field("", max_length=2)
    deal_id: str = Field("", max_length=ID, description="A deal you see; empty: the sample deal")
    legal_entity_id: str = Field("", max_length=ID)


class DocumentLineOut(Out):
    name: str
    article: str = ""
    unit_code: str = ""
    unit: str = ""
    quantity: str
    price: str
    discount_percent: str = ""
    vat_rate: str = ""
    vat_amount: str = ""
    total: str


class DocumentFileOut(Out):
    version: int
    sha256: str
    size_bytes: int
    template_id: str
    template_version: int
    created_at: datetime
    created_by: str = ""


class DocumentOut(Out):
    id: str
    doc_type: str
    number: str
    sequence: int
    year: int
    doc_date: str
    valid_until: str = ""
    status: str
    deal_id: str
    deal_title: str = ""
    party_id: str = ""
    party_name: str = ""
    legal_entity_id: str
    language: str
    currency: str
    vat_mode: str
    net_amount: str
    vat_amount: str
    total: str
    paid_amount: str = "0"
    lines: list[DocumentLineOut] = []
    current_version: int
    files: list[DocumentFileOut] = []
    snapshot: dict[str, Any] | None = Field(None, description="The data the current version was rendered from")
    sent_to: str = ""
    sent_at: datetime | None = None
    paid_at: datetime | None = None
    cancel_reason: str = ""
    created_by: str = ""
    created_at: datetime
    updated_at: datetime
    version: int


class DocumentsPage(Out):
    items: list[DocumentOut]
    next_cursor: str = ""
    total: int = Field(0, description="Documents matching the filter that you may see")


class DocumentCreate(Strict):
    deal_id: str = Field(max_length=ID)
    doc_type: str = Field(max_length=20, description="quote, invoice, act, delivery_note or contract")
    legal_entity_id: str = Field("", max_length=ID, description="Empty: the default legal entity")
    template_id: str = Field("", max_length=ID, description="Empty: the default template of the type and language")
    language: str = Field("", max_length=2, description="ru or en; empty: the installation's")
    doc_date: str = Field("", max_length=10, description="YYYY-MM-DD; empty: today")
    valid_until: str = Field("", max_length=10, description="A quote's validity, an invoice's due date")


class DocumentPreviewIn(Strict):
    deal_id: str = Field(max_length=ID)
    doc_type: str = Field(max_length=20)
    legal_entity_id: str = Field("", max_length=ID)
    template_id: str = Field("", max_length=ID)
    language: str = Field("", max_length=2)


class RegenerateIn(Strict):
    template_id: str = Field("", max_length=ID, description="Empty: the template it was made with (current version)")


class StatusIn(Strict):
    status: str = Field(max_length=20, description="issued, signed, paid or cancelled")
    reason: str = Field("", max_length=1000, description="Why it is cancelled (required then)")


class SendIn(Strict):
    to: list[str] = Field([], max_length=10, description="Addresses; empty: the client's e-mail")
    subject: str = Field("", max_length=300)
    message: str = Field("", max_length=10_000)


class BankPaymentOut(Out):
    id: str
    number: str = ""
    date: str = ""
    amount: str
    payer_name: str = ""
    payer_inn: str = ""
    purpose: str = ""
    outcome: str
    reason: str = ""
    document_id: str = ""
    document_number: str = ""
    deal_payment_id: str = ""
    received_on: str = ""


class BankStatementOut(Out):
    id: str
    filename: str
    account: str = ""
    period_start: str = ""
    period_end: str = ""
    payments_total: int = 0
    matched: int = 0
    unmatched: int = 0
    duplicates: int = 0
    payments: list[BankPaymentOut] = []
    created_by: str = ""
    created_at: datetime


class ResolveIn(Strict):
    document_id: str = Field(max_length=ID, description="The invoice this payment pays")
