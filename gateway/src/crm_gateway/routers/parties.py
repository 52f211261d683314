"""/api/v1/parties: companies and people, their links, notes, timeline, audit, duplicates."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from google.protobuf import field_mask_pb2

from crm.contacts.v1 import contacts_pb2 as pb
from crm_gateway import rest
from crm_gateway.deps import Call, Cursor, Filters, IfMatch, Limit
from crm_gateway.directory import check_user_refs, check_user_refs_of
from crm_gateway.problems import Problem
from crm_gateway.schemas.common import Count, Page
from crm_gateway.schemas.parties import (
    BulkDuplicateOut,
    BulkErrorOut,
    BulkItemOut,
    DuplicateOut,
    LinkRequest,
    MergeRequest,
    NoteCreate,
    NoteOut,
    PartyBulkCreate,
    PartyBulkCreated,
    PartyCreate,
    PartyCreated,
    PartyLinkOut,
    PartyOut,
    PartyPatch,
    TimelineEntryOut,
)

router = APIRouter(prefix="/api/v1/parties", tags=["parties"])


def _party(message: pb.Party, response: Response) -> PartyOut:
    return rest.versioned(message, PartyOut, response)


@router.get("", response_model=Page[PartyOut], summary="Search parties")
async def list_parties(
    call: Call,
    response: Response,
    q: Annotated[
        str, Query(max_length=200, description="Words (prefix match), a fuzzy name, a phone, an INN or e-mail")
    ] = "",
    filters: Filters = [],
    sort: Annotated[
        str,
        Query(
            max_length=100,
            description="Comma-separated: created_at, updated_at, display_name, relevance; '-' for descending",
        ),
    ] = "",
    limit: Limit = 50,
    cursor: Cursor = "",
    deleted: Literal["", "only", "include"] = "",
    saved_filter: Annotated[
        str, Query(max_length=64, description="Start from a saved filter's query, filters and sort")
    ] = "",
) -> Response:
    result = await call.contacts.ListParties(
        pb.ListPartiesRequest(
            query=q,
            filters=rest.parse_filters(filters),
            sort=sort,
            limit=limit,
            cursor=cursor,
            deleted=deleted,
            saved_filter_id=saved_filter,
        )
    )
    page = Page[PartyOut](items=[rest.out(p, PartyOut) for p in result.parties], next_cursor=result.next_cursor)
    return rest.sent(page, response)


@router.get("/count", response_model=Count, summary="Count parties matching a search")
async def count_parties(
    call: Call,
    q: Annotated[str, Query(max_length=200)] = "",
    filters: Filters = [],
    deleted: Literal["", "only", "include"] = "",
) -> Count:
    result = await call.contacts.CountParties(
        pb.CountPartiesRequest(query=q, filters=rest.parse_filters(filters), deleted=deleted)
    )
    return Count(count=result.count, capped=result.capped)


@router.post("", response_model=PartyCreated, status_code=201, summary="Create a company or a person")
async def create_party(
    body: PartyCreate,
    call: Call,
    request: Request,
    response: Response,
    allow_duplicate: Annotated[bool, Query(description="Create even if a visible party has the same INN/OGRN")] = False,
) -> PartyCreated:
    await check_user_refs(request, body.owner_id, body.team_id, body.shared_with)
    result = await call.contacts.CreateParty(
        pb.CreatePartyRequest(party=rest.body_message(body, pb.Party), allow_duplicate=allow_duplicate)
    )
    rest.set_etag(response, result.party.version)
    response.headers["Location"] = f"/api/v1/parties/{result.party.id}"
    created = rest.out(result.party, PartyCreated)
    created.possible_duplicates = [rest.out(d, DuplicateOut) for d in result.possible_duplicates]
    return created


# The JSON of 1000 full parties stays well under this; a bigger body is refused before it is parsed into models.
MAX_BULK_BYTES = 8 * 1024 * 1024
_OUTCOMES = {
    pb.BulkCreateResult.CREATED: "created",
    pb.BulkCreateResult.DUPLICATE: "duplicate",
    pb.BulkCreateResult.REJECTED: "rejected",
}
_ON_DUPLICATE = {"create": pb.ON_DUPLICATE_CREATE, "skip": pb.ON_DUPLICATE_SKIP}


async def _bulk_body_size(request: Request) -> None:
    if len(await request.body()) > MAX_BULK_BYTES:
        raise Problem(413, "too_large", f"a bulk request is at most {MAX_BULK_BYTES // 1024 // 1024} MB")


@router.post(
    "/bulk",
    response_model=PartyBulkCreated,
    summary="Create up to 1000 companies and people in one transaction; one result per item",
    dependencies=[Depends(_bulk_body_size)],
)
async def bulk_create_parties(body: PartyBulkCreate, call: Call, request: Request) -> PartyBulkCreated:
    await check_user_refs_of(
        request, [(f"items[{i}].", p.owner_id, p.team_id, p.shared_with) for i, p in enumerate(body.items)]
    )
    result = await call.contacts.BulkCreateParties(
        pb.BulkCreatePartiesRequest(
            parties=[rest.body_message(p, pb.Party) for p in body.items],
            on_duplicate=_ON_DUPLICATE[body.on_duplicate],
        )
    )
    return PartyBulkCreated(items=[_bulk_item(r) for r in result.results])


def _bulk_item(result: pb.BulkCreateResult) -> BulkItemOut:
    error = result.error if result.HasField("error") else None
    return BulkItemOut(
        outcome=_OUTCOMES[result.outcome],
        id=result.party_id or None,
        duplicates=[
            BulkDuplicateOut(id=d.party_id, reasons=list(d.reasons), item=d.row if d.in_request else None)
            for d in result.duplicates
        ],
        error=BulkErrorOut(
            code=error.code,
            detail=error.message,
            errors=[{"field": v.field, "code": v.code, "message": v.message} for v in error.field_violations],
        )
        if error
        else None,
    )


@router.post(
    "/duplicates/check", response_model=list[DuplicateOut], summary="Find look-alikes of a party not yet saved"
)
async def check_duplicates(body: PartyCreate, call: Call) -> list[DuplicateOut]:
    result = await call.contacts.FindDuplicates(pb.FindDuplicatesRequest(candidate=rest.body_message(body, pb.Party)))
    return [rest.out(d, DuplicateOut) for d in result.candidates]


@router.get("/{party_id}", response_model=PartyOut, summary="A party with its links (ETag = version)")
async def get_party(party_id: str, call: Call, response: Response, include_deleted: bool = False) -> Response:
    party = await call.contacts.GetParty(pb.GetPartyRequest(id=party_id, include_deleted=include_deleted))
    return rest.sent(_party(party, response), response)


@router.patch(
    "/{party_id}",
    response_model=PartyOut,
    summary="Change a party (JSON merge patch; If-Match for optimistic concurrency)",
)
async def update_party(
    party_id: str, body: PartyPatch, call: Call, request: Request, response: Response, if_match: IfMatch = None
) -> PartyOut:
    patch, paths = rest.merge_patch(body.model_dump(mode="json", exclude_unset=True))
    await check_user_refs(request, patch.get("owner_id"), patch.get("team_id"), patch.get("shared_with"))
    party = rest.body_message(PartyPatch.model_validate(patch), pb.Party)
    party.id = party_id
    message = await call.contacts.UpdateParty(
        pb.UpdatePartyRequest(
            party=party,
            update_mask=field_mask_pb2.FieldMask(paths=paths),
            expected_version=rest.expected_version(if_match),
        )
    )
    return _party(message, response)


@router.delete("/{party_id}", response_model=PartyOut, summary="Delete a party (restorable)")
async def delete_party(party_id: str, call: Call, response: Response, if_match: IfMatch = None) -> PartyOut:
    message = await call.contacts.DeleteParty(
        pb.DeletePartyRequest(id=party_id, expected_version=rest.expected_version(if_match))
    )
    return _party(message, response)


@router.post("/{party_id}/restore", response_model=PartyOut, summary="Restore a deleted party")
async def restore_party(party_id: str, call: Call, response: Response) -> PartyOut:
    return _party(await call.contacts.RestoreParty(pb.RestorePartyRequest(id=party_id)), response)


@router.get(
    "/{party_id}/duplicates", response_model=list[DuplicateOut], summary="Visible parties that look like this one"
)
async def find_duplicates(party_id: str, call: Call, limit: Limit = 20) -> list[DuplicateOut]:
    result = await call.contacts.FindDuplicates(pb.FindDuplicatesRequest(party_id=party_id, limit=limit))
    return [rest.out(d, DuplicateOut) for d in result.candidates]


@router.post("/{party_id}/merge", response_model=PartyOut, summary="Fold another party into this one")
async def merge_parties(
    party_id: str, body: MergeRequest, call: Call, response: Response, if_match: IfMatch = None
) -> PartyOut:
    message = await call.contacts.MergeParties(
        pb.MergePartiesRequest(
            survivor_id=party_id, merged_id=body.merged_id, expected_survivor_version=rest.expected_version(if_match)
        )
    )
    return _party(message, response)


@router.put(
    "/{company_id}/people/{person_id}", response_model=PartyLinkOut, summary="Link a person to a company with a role"
)
async def link_person(company_id: str, person_id: str, body: LinkRequest, call: Call) -> PartyLinkOut:
    link = await call.contacts.LinkPerson(
        pb.LinkPersonRequest(company_id=company_id, person_id=person_id, role=body.role)
    )
    return rest.out(link, PartyLinkOut)


@router.delete("/{company_id}/people/{person_id}", status_code=204, summary="Unlink a person from a company")
async def unlink_person(company_id: str, person_id: str, call: Call) -> Response:
    await call.contacts.UnlinkPerson(pb.UnlinkPersonRequest(company_id=company_id, person_id=person_id))
    return Response(status_code=204)


@router.get("/{party_id}/notes", response_model=Page[NoteOut], summary="Notes, newest first")
async def list_notes(party_id: str, call: Call, limit: Limit = 50, cursor: Cursor = "") -> Page[NoteOut]:
    result = await call.contacts.ListNotes(pb.ListNotesRequest(party_id=party_id, limit=limit, cursor=cursor))
    return Page[NoteOut](items=[rest.out(n, NoteOut) for n in result.notes], next_cursor=result.next_cursor)


@router.post(
    "/{party_id}/notes", response_model=NoteOut, status_code=201, summary="Add a note (with @mentions as user ids)"
)
async def add_note(party_id: str, body: NoteCreate, call: Call, request: Request) -> NoteOut:
    await check_user_refs(request, None, None, body.mentions, field="mentions")
    note = await call.contacts.AddNote(pb.AddNoteRequest(party_id=party_id, text=body.text, mentions=body.mentions))
    return rest.out(note, NoteOut)


@router.get("/{party_id}/timeline", response_model=Page[TimelineEntryOut], summary="Relationship history, newest first")
async def list_timeline(
    party_id: str,
    call: Call,
    source: Annotated[list[str], Query(description="Only these domains: contacts, deals, tasks, ...")] = [],
    limit: Limit = 50,
    cursor: Cursor = "",
) -> Page[TimelineEntryOut]:
    result = await call.contacts.ListTimeline(
        pb.ListTimelineRequest(party_id=party_id, sources=source, limit=limit, cursor=cursor)
    )
    return Page[TimelineEntryOut](
        items=[rest.out(e, TimelineEntryOut) for e in result.entries], next_cursor=result.next_cursor
    )
