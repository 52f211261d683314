"""Tables of the documents database.

`Base` is the service's own declarative base: its metadata holds crm_core's core tables (outbox, inbox,
relay checkpoint, answered requests, audit, access_scope) beside the service's own, declared here and created
by migrations in migrations/versions/.

A document carries the access of its deal: `scope_keys` names the deal ("deal:<id>") and the deal's scope,
read from deals when the document is made and kept current by the deal's events, is in access_scope; reads
filter with crm_core.scopes.copies_visible_to.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, Numeric, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from crm_core.db import new_id, service_registry, utcnow
from crm_documents import DOMAIN

__all__ = [
    "BankPaymentRow",
    "BankStatementRow",
    "Base",
    "DocumentFileRow",
    "DocumentRow",
    "LegalEntityRow",
    "NumberCounter",
    "TemplateRow",
    "TemplateVersionRow",
]

MONEY = Numeric(18, 2)


class Base(DeclarativeBase):
    """Declarative base of the documents database: its own tables and crm_core's (service_registry)."""

    registry = service_registry(DOMAIN, access_scopes=True)


class LegalEntityRow(Base):
    """One of the seller's own companies, whose requisites and signatories its documents print."""

    __tablename__ = "legal_entity"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(Text)
    full_name: Mapped[str] = mapped_column(Text, default="")
    inn: Mapped[str] = mapped_column(Text)
    kpp: Mapped[str] = mapped_column(Text, default="")
    ogrn: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(Text, default="")
    bank_name: Mapped[str] = mapped_column(Text, default="")
    bik: Mapped[str] = mapped_column(Text, default="")
    correspondent_account: Mapped[str] = mapped_column(Text, default="")
    account: Mapped[str] = mapped_column(Text, default="")
    # [{"role", "title", "name", "basis"}]
    signatories: Mapped[list[dict[str, str]]] = mapped_column(JSONB, default=list)
    vat_payer: Mapped[bool] = mapped_column(Boolean, default=True)
    number_prefixes: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class TemplateRow(Base):
    """A document template of one type and language; its HTML and CSS are in versions."""

    __tablename__ = "template"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    doc_type: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    # The key of a template shipped with the platform ("invoice.ru"); NULL for an admin's own.
    shipped_key: Mapped[str | None] = mapped_column(Text, unique=True)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TemplateVersionRow(Base):
    """The HTML and CSS of one version of a template; never changed once written."""

    __tablename__ = "template_version"

    template_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("template.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    html: Mapped[str] = mapped_column(Text)
    css: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NumberCounter(Base):
    """The last number given per legal entity, document type and year.

    A document takes its number by incrementing this row in the transaction that inserts it: the row lock
    makes concurrent issuers (any replica) wait for each other, and a rolled-back insert rolls the increment
    back too, so numbers are never reused and never skipped.
    """

    __tablename__ = "number_counter"

    legal_entity_id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True)
    doc_type: Mapped[str] = mapped_column(Text, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(BigInteger, default=0)


class DocumentRow(Base):
    """A numbered document of a deal; its PDFs are the versions in document_file."""

    __tablename__ = "document"
    __table_args__ = (UniqueConstraint("legal_entity_id", "doc_type", "year", "sequence"),)

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    doc_type: Mapped[str] = mapped_column(Text)
    legal_entity_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("legal_entity.id"))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(BigInteger)
    number: Mapped[str] = mapped_column(Text)
    doc_date: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(Text, default="draft")
    deal_id: Mapped[str] = mapped_column(UUID(as_uuid=False), index=True)
    deal_title: Mapped[str] = mapped_column(Text, default="")
    party_id: Mapped[str | None] = mapped_column(UUID(as_uuid=False), index=True)
    party_name: Mapped[str] = mapped_column(Text, default="")
    # The client's INN when made: bank payments are matched on it.
    party_inn: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(Text)
    vat_mode: Mapped[str] = mapped_column(Text)
    net_amount: Mapped[Decimal] = mapped_column(MONEY)
    vat_amount: Mapped[Decimal] = mapped_column(MONEY)
    total: Mapped[Decimal] = mapped_column(MONEY)
    paid_amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    # The records whose access decides who sees the document: ["deal:<id>"].
    scope_keys: Mapped[list[str]] = mapped_column(ARRAY(Text))
    sent_to: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column()
    paid_at: Mapped[datetime | None] = mapped_column()
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(BigInteger, default=1)


class DocumentFileRow(Base):
    """One rendered PDF of a document: immutable, with its checksum, template version and data snapshot."""

    __tablename__ = "document_file"

    document_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("document.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    blob_key: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(Text)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    template_id: Mapped[str] = mapped_column(UUID(as_uuid=False))
    template_version: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BankStatementRow(Base):
    """An imported bank statement (1CClientBankExchange) and what its import found."""

    __tablename__ = "bank_statement"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    filename: Mapped[str] = mapped_column(Text)
    account: Mapped[str] = mapped_column(Text, default="")
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BankPaymentRow(Base):
    """A payment of a statement. `fingerprint` identifies the bank document across imports: the first
    import's row is the payment; a later import's row of the same payment is a "duplicate" pointing at it."""

    __tablename__ = "bank_payment"

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True, default=new_id)
    statement_id: Mapped[str] = mapped_column(UUID(as_uuid=False), ForeignKey("bank_statement.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(Text, index=True)
    number: Mapped[str] = mapped_column(Text, default="")
    paid_on: Mapped[date | None] = mapped_column(Date)
    received_on: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    payer_name: Mapped[str] = mapped_column(Text, default="")
    payer_inn: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    document_id: Mapped[str | None] = mapped_column(UUID(as_uuid=False), ForeignKey("document.id"))
    deal_payment_id: Mapped[str] = mapped_column(Text, default="")
