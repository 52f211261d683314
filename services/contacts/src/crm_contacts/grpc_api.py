"""gRPC servicer of crm.contacts.v1.ContactsService: protobuf -> typed input (inputs.py) -> command -> protobuf."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

import grpc

from crm.contacts.v1 import contacts_pb2 as pb
from crm.contacts.v1 import contacts_pb2_grpc
from crm_contacts import domain, inputs, models
from crm_contacts.bulk import OnDuplicate, RowResult, bulk_create_parties
from crm_contacts.commands import Contacts
from crm_contacts.repository import ContactsRepository, Duplicate, PartyQuery, columns_of
from crm_core.auth import current_caller
from crm_core.db import Database
from crm_core.pagination import clamp_limit
from crm_core.protojson import from_dict, timestamp

Context: TypeAlias = grpc.aio.ServicerContext


def party_message(party: models.Party, links: Sequence[tuple[models.PartyLink, str, str]] = ()) -> pb.Party:
    message = from_dict(domain.party_dict(columns_of(party)), pb.Party)
    message.id = party.id
    message.version = party.version
    message.created_by = party.created_by
    message.created_at.CopyFrom(timestamp(party.created_at))
    message.updated_at.CopyFrom(timestamp(party.updated_at))
    if party.deleted_at:
        message.deleted_at.CopyFrom(timestamp(party.deleted_at))
    message.merged_into_id = party.merged_into_id or ""
    for link, company_name, person_name in links:
        message.links.append(
            pb.PartyLink(
                company_id=link.company_id,
                person_id=link.person_id,
                role=link.role,
                company_name=company_name,
                person_name=person_name,
            )
        )
    return message


def duplicate_message(duplicate: Duplicate) -> pb.DuplicateCandidate:
    return pb.DuplicateCandidate(party=party_message(duplicate.party), reasons=duplicate.reasons, score=duplicate.score)


_OUTCOMES = {
    "created": pb.BulkCreateResult.CREATED,
    "duplicate": pb.BulkCreateResult.DUPLICATE,
    "rejected": pb.BulkCreateResult.REJECTED,
}


def bulk_result_message(result: RowResult) -> pb.BulkCreateResult:
    return pb.BulkCreateResult(
        outcome=_OUTCOMES[result.outcome],
        party_id=result.party_id,
        duplicates=[
            pb.BulkDuplicate(party_id=m.party_id, reasons=m.reasons, in_request=m.row is not None, row=m.row or 0)
            for m in result.matches
        ],
        error=result.error.detail() if result.error else None,
    )


def note_message(note: models.Note) -> pb.Note:
    return pb.Note(
        id=note.id,
        party_id=note.party_id,
        author_id=note.author_id,
        text=note.text,
        mentions=note.mentions,
        created_at=timestamp(note.created_at),
    )


def saved_filter_message(s: models.SavedFilter) -> pb.SavedFilter:
    return pb.SavedFilter(
        id=s.id,
        owner_id=s.owner_id,
        name=s.name,
        query=s.query,
        sort=s.sort,
        shared=s.shared,
        filters=[{"field": f, "op": op, "value": v} for f, op, v in s.filters],
    )


def _filters(items: Any) -> list[tuple[str, str, str]]:
    return [(f.field, f.op, f.value) for f in items]


def _counts(pairs: list[tuple[str, int]]) -> list[pb.CountByKey]:
    return [pb.CountByKey(key=k, count=n) for k, n in pairs]


class ContactsServicer(contacts_pb2_grpc.ContactsServiceServicer):
    """Every method reads the caller from context; access rules live in the repository."""

    def __init__(self, db: Database, contacts: Contacts) -> None:
        self.db = db
        self.contacts = contacts

    async def _party_with_links(self, repo: ContactsRepository, party: models.Party) -> pb.Party:
        """The party a command returned, with its links as they are now."""
        _, links = await repo.get_party_with_links(party.id, include_deleted=True)
        return party_message(party, links)

    async def CreateParty(self, request: pb.CreatePartyRequest, context: Context) -> pb.CreatePartyResponse:
        """Create a company or person; returns it with look-alike parties."""
        draft = inputs.parse_party_draft(request.party)
        party, duplicates = await self.contacts.create_party(current_caller(), draft, request.allow_duplicate)
        return pb.CreatePartyResponse(
            party=party_message(party), possible_duplicates=[duplicate_message(d) for d in duplicates]
        )

    async def BulkCreateParties(
        self, request: pb.BulkCreatePartiesRequest, context: Context
    ) -> pb.BulkCreatePartiesResponse:
        """Create up to 1000 parties in one transaction; one result per party, in request order."""
        drafts = inputs.parse_party_drafts(request.parties)
        on_duplicate: OnDuplicate = "skip" if request.on_duplicate == pb.ON_DUPLICATE_SKIP else "create"
        results = await bulk_create_parties(self.contacts, current_caller(), drafts, on_duplicate)
        return pb.BulkCreatePartiesResponse(results=[bulk_result_message(r) for r in results])

    async def GetParty(self, request: pb.GetPartyRequest, context: Context) -> pb.Party:
        """A visible party with its links."""
        async with self.db.readers() as session:
            repo = ContactsRepository(session, current_caller())
            party, links = await repo.get_party_with_links(request.id, include_deleted=request.include_deleted)
            return party_message(party, links)

    async def UpdateParty(self, request: pb.UpdatePartyRequest, context: Context) -> pb.Party:
        """Replace the fields named in update_mask, checking expected_version."""
        changes = inputs.parse_party_changes(request)
        caller = current_caller()
        party = await self.contacts.update_party(caller, request.party.id, changes, request.expected_version)
        async with self.db.readers() as session:
            return await self._party_with_links(ContactsRepository(session, caller), party)

    async def DeleteParty(self, request: pb.DeletePartyRequest, context: Context) -> pb.Party:
        """Soft-delete a party."""
        return party_message(await self.contacts.delete_party(current_caller(), request.id, request.expected_version))

    async def RestoreParty(self, request: pb.RestorePartyRequest, context: Context) -> pb.Party:
        """Bring back a deleted party."""
        return party_message(await self.contacts.restore_party(current_caller(), request.id))

    async def ListParties(self, request: pb.ListPartiesRequest, context: Context) -> pb.ListPartiesResponse:
        """Search with query, filters, sort and cursor; optionally starting from a saved filter."""
        limit = clamp_limit(request.limit)
        async with self.db.readers() as session:
            repo = ContactsRepository(session, current_caller())
            query = PartyQuery(request.query, _filters(request.filters), request.sort, request.deleted)
            if request.saved_filter_id:
                saved = await repo.saved_filter(request.saved_filter_id)
                query = PartyQuery(
                    request.query or saved.query,
                    [tuple(f) for f in saved.filters] + list(query.filters),
                    request.sort or saved.sort,
                    request.deleted,
                )
            page = await repo.list_parties(query, limit, request.cursor)
            return pb.ListPartiesResponse(parties=[party_message(p) for p in page.items], next_cursor=page.next_cursor)

    async def CountParties(self, request: pb.CountPartiesRequest, context: Context) -> pb.CountPartiesResponse:
        """How many visible parties match, exact up to a cap (then `capped`: more than `count`)."""
        async with self.db.readers() as session:
            repo = ContactsRepository(session, current_caller())
            count, capped = await repo.count_parties(
                PartyQuery(request.query, _filters(request.filters), "", request.deleted)
            )
            return pb.CountPartiesResponse(count=count, capped=capped)

    async def FindPartiesByKeys(
        self, request: pb.FindPartiesByKeysRequest, context: Context
    ) -> pb.FindPartiesByKeysResponse:
        """Visible live parties holding any of the INNs, e-mails or phones given (a batch's duplicate check)."""
        inns, emails, phones = inputs.party_keys(request)
        # A transaction, though it only reads: exact_duplicates turns JIT off with SET LOCAL, which holds only in one.
        async with self.db.transaction() as session:
            found = await ContactsRepository(session, current_caller()).parties_by_keys(inns, emails, phones)
        return pb.FindPartiesByKeysResponse(
            matches=[pb.PartyKeyMatch(party=party_message(p), keys=keys) for p, keys in found]
        )

    async def FindDuplicates(self, request: pb.FindDuplicatesRequest, context: Context) -> pb.FindDuplicatesResponse:
        """Visible parties that look like an existing party or an unsaved candidate."""
        limit = clamp_limit(request.limit or 20)
        async with self.db.readers() as session:
            repo = ContactsRepository(session, current_caller())
            if request.party_id:
                party = await repo.get_party(request.party_id)
                cols, exclude = {**columns_of(party)}, party.id
            else:
                draft = inputs.parse_party_draft(request.candidate)
                # A candidate's custom fields are judged as a kind without any (none is looked up by them).
                values = inputs.checked_against(draft.fields, {}, await repo.relationship_codes(), ())
                cols, exclude = {**domain.party_columns(draft.kind, values.values()), "kind": draft.kind}, None
            duplicates = await repo.find_duplicates(cols, exclude, limit)
            return pb.FindDuplicatesResponse(candidates=[duplicate_message(d) for d in duplicates])

    async def MergeParties(self, request: pb.MergePartiesRequest, context: Context) -> pb.Party:
        """Fold merged_id into survivor_id."""
        merge = inputs.parse_merge(request)
        caller = current_caller()
        party = await self.contacts.merge_parties(caller, merge)
        async with self.db.readers() as session:
            return await self._party_with_links(ContactsRepository(session, caller), party)

    async def LinkPerson(self, request: pb.LinkPersonRequest, context: Context) -> pb.PartyLink:
        """Link (or re-role) a person at a company."""
        draft = inputs.parse_link_draft(request)
        link, company, person = await self.contacts.link_person(current_caller(), draft)
        return pb.PartyLink(
            company_id=link.company_id,
            person_id=link.person_id,
            role=link.role,
            company_name=company.display_name,
            person_name=person.display_name,
        )

    async def UnlinkPerson(self, request: pb.UnlinkPersonRequest, context: Context) -> pb.UnlinkPersonResponse:
        """Remove a person-company link."""
        await self.contacts.unlink_person(current_caller(), request.company_id, request.person_id)
        return pb.UnlinkPersonResponse()

    async def AddNote(self, request: pb.AddNoteRequest, context: Context) -> pb.Note:
        """Add a note to a visible party."""
        draft = inputs.parse_note_draft(request)
        return note_message(await self.contacts.add_note(current_caller(), draft))

    async def ListNotes(self, request: pb.ListNotesRequest, context: Context) -> pb.ListNotesResponse:
        """Notes of a visible party, newest first."""
        limit = clamp_limit(request.limit)
        async with self.db.readers() as session:
            repo = ContactsRepository(session, current_caller())
            party = await repo.get_party(request.party_id)
            page = await repo.list_notes(party.id, limit, request.cursor)
            return pb.ListNotesResponse(notes=[note_message(n) for n in page.items], next_cursor=page.next_cursor)

    async def ListTimeline(self, request: pb.ListTimelineRequest, context: Context) -> pb.ListTimelineResponse:
        """The relationship history of a visible party, newest first."""
        limit = clamp_limit(request.limit)
        async with self.db.readers() as session:
            repo = ContactsRepository(session, current_caller())
            party = await repo.get_party(request.party_id)
            page = await repo.list_timeline(party.id, list(request.sources), limit, request.cursor)
            return pb.ListTimelineResponse(
                entries=[
                    pb.TimelineEntry(
                        id=str(e.id),
                        event_id=e.event_id,
                        type=e.type,
                        source=e.source,
                        occurred_at=timestamp(e.occurred_at),
                        actor_id=e.actor_id,
                        subject_id=e.subject_id,
                        summary=e.summary,
                        data=e.data,
                    )
                    for e in page.items
                ],
                next_cursor=page.next_cursor,
            )

    async def CreateSavedFilter(self, request: pb.SavedFilter, context: Context) -> pb.SavedFilter:
        """Save a search for the caller (shared when asked)."""
        draft = inputs.parse_saved_filter_draft(request)
        return saved_filter_message(await self.contacts.create_saved_filter(current_caller(), draft))

    async def ListSavedFilters(
        self, request: pb.ListSavedFiltersRequest, context: Context
    ) -> pb.ListSavedFiltersResponse:
        """The caller's saved filters and the shared ones."""
        async with self.db.readers() as session:
            filters = await ContactsRepository(session, current_caller()).saved_filters()
            return pb.ListSavedFiltersResponse(filters=[saved_filter_message(s) for s in filters])

    async def DeleteSavedFilter(
        self, request: pb.DeleteSavedFilterRequest, context: Context
    ) -> pb.DeleteSavedFilterResponse:
        """Delete one of the caller's saved filters."""
        await self.contacts.delete_saved_filter(current_caller(), request.id)
        return pb.DeleteSavedFilterResponse()

    async def GetKnowledgeReport(self, request: pb.GetKnowledgeReportRequest, context: Context) -> pb.KnowledgeReport:
        """Client-knowledge aggregates over the visible parties matching the search."""
        async with self.db.readers() as session:
            report = await ContactsRepository(session, current_caller()).knowledge_report(
                PartyQuery(request.query, _filters(request.filters))
            )
            return pb.KnowledgeReport(
                parties=report["parties"],
                **{
                    key: _counts(report[key])
                    for key in (
                        "needs",
                        "unmet_needs",
                        "refusal_reasons",
                        "payment_discipline",
                        "season_months",
                        "relationship_types",
                    )
                },
            )
