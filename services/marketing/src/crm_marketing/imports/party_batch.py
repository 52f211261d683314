"""A batch of imported parties as contacts' BulkCreateParties takes it, and its answer as row outcomes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from crm.contacts.v1 import contacts_pb2
from crm_core.errors import FieldProblem
from crm_marketing.imports.rows import PartyRow


class RowOutcome(Protocol):
    """What party_outcomes fills in (imports.job.Outcome)."""

    outcome: str
    record_id: str
    duplicate_kind: str
    errors: list[FieldProblem]


def party_message(row: PartyRow) -> contacts_pb2.Party:
    """The party a row describes, as CreateParty would take it (contacts validates it again)."""
    party = contacts_pb2.Party(kind=row.kind, tags=list(row.tags))
    if row.kind == "company":
        party.display_name = row.name or ""
        company = party.company
        company.short_name = row.short_name or ""
        company.legal_name = row.name or ""
        company.inn = row.inn or ""
        company.kpp = row.kpp or ""
        company.ogrn = row.ogrn or ""
        company.legal_address = row.address or ""
        company.postal_address = row.postal_address or ""
        company.website = row.website or ""
        company.industry = row.industry or ""
    else:
        party.display_name = row.name or ""
        person = party.person
        person.first_name = row.first_name or ""
        person.last_name = row.last_name or ""
        person.middle_name = row.middle_name or ""
        person.position = row.position or ""
    party.phones.extend(contacts_pb2.ContactPoint(kind=p.kind, value=p.value) for p in row.phones)
    party.emails.extend(contacts_pb2.ContactPoint(kind=e.kind, value=e.value) for e in row.emails)
    return party


def party_outcomes(outcomes: Sequence[RowOutcome], results: Sequence[contacts_pb2.BulkCreateResult]) -> None:
    """Each sent row's outcome from contacts' result for it (one result per party, in order)."""
    for outcome, result in zip(outcomes, results, strict=True):
        if result.outcome == contacts_pb2.BulkCreateResult.CREATED:
            outcome.outcome = "created"
            outcome.record_id = result.party_id
            if any(set(d.reasons) - {"name"} for d in result.duplicates) and not outcome.duplicate_kind:
                outcome.duplicate_kind = "party"
        elif result.outcome == contacts_pb2.BulkCreateResult.DUPLICATE:
            outcome.outcome = "duplicate"
            outcome.duplicate_kind = "party"
            if result.duplicates:
                outcome.record_id = result.duplicates[0].party_id
        else:
            outcome.outcome = "error"
            detail = result.error
            outcome.errors = [FieldProblem(v.field, v.code, v.message) for v in detail.field_violations] or [
                FieldProblem("row", detail.code or "rejected", detail.message or "contacts refused the party")
            ]
