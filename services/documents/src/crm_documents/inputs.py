"""Typed inputs of the documents commands: each request's values checked on their own (INVALID_ARGUMENT
naming every bad field); what needs stored data is checked by the commands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crm.documents.v1 import documents_pb2 as pb
from crm_core.errors import Validator
from crm_core.fields import iso_date, record_id, text
from crm_core.mail import parse_address
from crm_documents.document_data import DOC_TYPES, LANGUAGES


@dataclass(frozen=True)
class GenerateInput:
    deal_id: str
    doc_type: str
    legal_entity_id: str
    template_id: str
    language: str
    doc_date: date | None
    valid_until: date | None


def parse_generate(request: pb.GenerateDocumentRequest) -> GenerateInput:
    v = Validator()
    if request.doc_type not in DOC_TYPES:
        v.add("doc_type", "not_allowed", f"doc_type must be one of: {', '.join(DOC_TYPES)}")
    if request.language and request.language not in LANGUAGES:
        v.add("language", "not_allowed", "language must be ru or en")
    doc_date = iso_date(v, request.doc_date, "doc_date")
    valid_until = iso_date(v, request.valid_until, "valid_until")
    if doc_date and valid_until and valid_until < doc_date:
        v.add("valid_until", "before_doc_date", "valid_until is before the document's date")
    if doc_date and not 2000 <= doc_date.year <= 2100:
        v.add("doc_date", "out_of_range", "doc_date must be between 2000 and 2100")
    result = GenerateInput(
        deal_id=record_id(v, request.deal_id, "deal_id", required=True),
        doc_type=request.doc_type,
        legal_entity_id=record_id(v, request.legal_entity_id, "legal_entity_id"),
        template_id=record_id(v, request.template_id, "template_id"),
        language=request.language,
        doc_date=doc_date,
        valid_until=valid_until,
    )
    v.raise_if_any()
    return result


@dataclass(frozen=True)
class SendInput:
    to: tuple[str, ...]
    subject: str
    message: str


def parse_send(request: pb.SendDocumentRequest) -> SendInput:
    v = Validator()
    to: list[str] = []
    if len(request.to) > 10:
        v.add("to", "too_many", "at most 10 recipients")
    for i, address in enumerate(request.to[:10]):
        try:
            to.append(str(parse_address(address)))
        except ValueError:
            v.add(f"to[{i}]", "invalid_email", "not an e-mail address")
    subject = text(v, request.subject, "subject", 300) or ""
    message = text(v, request.message, "message", 10_000) or ""
    v.raise_if_any()
    return SendInput(tuple(to), subject, message)


def parse_id(value: str, path: str = "id") -> str:
    v = Validator()
    result = record_id(v, value, path, required=True)
    v.raise_if_any()
    return result
