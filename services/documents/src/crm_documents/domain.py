"""Rules of the documents domain, on plain data: no database, no gRPC.

A document's life:

    draft -> issued -> sent -> signed (acts, delivery notes, contracts, quotes)
                            -> paid   (invoices)
    any status but paid -> cancelled (the number stays taken: numbering never reuses it)

Sending a draft issues it on the way. A paid or cancelled document changes no more; only drafts and issued
documents may be rendered again (a new version under the same number).
"""

from __future__ import annotations

from dataclasses import dataclass

from crm_core.errors import FailedPrecondition, invalid

STATUSES = ("draft", "issued", "sent", "signed", "paid", "cancelled")
# The statuses a caller may ask for (ChangeDocumentStatus); "sent" comes with SendDocument.
REQUESTABLE = ("issued", "signed", "paid", "cancelled")
NEXT = {
    "draft": ("issued", "sent", "cancelled"),
    "issued": ("sent", "signed", "paid", "cancelled"),
    "sent": ("signed", "paid", "cancelled"),
    "signed": ("paid", "cancelled"),
    "paid": (),
    "cancelled": (),
}
SIGNABLE = ("quote", "act", "delivery_note", "contract")
PAYABLE = ("invoice",)
REGENERABLE = ("draft", "issued")


@dataclass(frozen=True)
class ServiceState:
    """What a running instance reports about itself (GetServiceInfo)."""

    schema_revision: str
    pending_events: int


def check_transition(doc_type: str, current: str, target: str) -> None:
    """FAILED_PRECONDITION unless a document of `doc_type` may go from `current` to `target`."""
    if target not in STATUSES:
        raise invalid("status", "not_allowed", f"status must be one of: {', '.join(REQUESTABLE)}")
    if target == "signed" and doc_type not in SIGNABLE:
        raise FailedPrecondition("document_not_signable", f"a {doc_type} is not signed; an invoice is paid")
    if target == "paid" and doc_type not in PAYABLE:
        raise FailedPrecondition("document_not_payable", "only invoices are paid")
    if target not in NEXT[current]:
        raise FailedPrecondition("document_status_transition", f"a {current} document cannot become {target}")


def check_regenerable(status: str) -> None:
    if status not in REGENERABLE:
        raise FailedPrecondition(
            "document_frozen", f"a {status} document is not rendered again; cancel it and make a new one"
        )


def number_text(prefix: str, sequence: int) -> str:
    """The printed number: the legal entity's prefix for the type, then the sequence ("СЧ-17", "17")."""
    return f"{prefix}{sequence}"
