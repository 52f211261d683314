"""The relationship timeline: events about a party flow outbox -> NATS -> timeline consumer -> ListTimeline."""

from __future__ import annotations

from google.protobuf import field_mask_pb2, json_format

from crm.contacts.v1 import contacts_pb2 as pb
from crm_core.testing import eventually


async def timeline_with(stub, party_id: str, *types: str, **request) -> list[pb.TimelineEntry]:  # type: ignore[no-untyped-def]
    """The party's timeline once it holds every given event type."""

    async def check() -> list[pb.TimelineEntry] | None:
        page = await stub.ListTimeline(pb.ListTimelineRequest(party_id=party_id, **request))
        return list(page.entries) if set(types) <= {e.type for e in page.entries} else None

    return await eventually(check)


async def test_created_party_and_added_note_appear_newest_first(alice, carol, parties) -> None:
    company = await parties.new_company(alice)
    note = await carol.AddNote(pb.AddNoteRequest(party_id=company.id, text="Договорились о встрече во вторник"))
    entries = await timeline_with(alice, company.id, "party.created", "note.added")
    assert [e.type for e in entries] == ["note.added", "party.created"]
    added, created = entries
    assert (added.source, added.actor_id, added.subject_id) == ("contacts", "u-carol", note.id)
    assert "Договорились о встрече" in added.summary
    assert (created.actor_id, created.subject_id) == ("u-alice", company.id)
    assert company.display_name in created.summary
    assert added.occurred_at.ToDatetime() >= created.occurred_at.ToDatetime()
    assert added.event_id != created.event_id


async def test_update_and_delete_are_on_the_timeline_with_what_changed(alice, parties) -> None:
    company = await parties.new_company(alice)
    patch = pb.Party(id=company.id, company=pb.CompanyDetails(industry="Фармацевтика"))
    await alice.UpdateParty(
        pb.UpdatePartyRequest(party=patch, update_mask=field_mask_pb2.FieldMask(paths=["company.industry"]))
    )
    await alice.DeleteParty(pb.DeletePartyRequest(id=company.id))
    await alice.RestoreParty(pb.RestorePartyRequest(id=company.id))
    entries = await timeline_with(
        alice, company.id, "party.created", "party.updated", "party.deleted", "party.restored"
    )
    assert [e.type for e in entries] == ["party.restored", "party.deleted", "party.updated", "party.created"]
    assert "industry" in entries[2].summary


async def test_a_link_is_on_both_the_company_and_the_person_timeline(alice, parties) -> None:
    company = await parties.new_company(alice)
    person = await parties.new_person(alice)
    await alice.LinkPerson(pb.LinkPersonRequest(company_id=company.id, person_id=person.id, role="Директор"))
    on_company = await timeline_with(alice, company.id, "party.person_linked")
    on_person = await timeline_with(alice, person.id, "party.person_linked")
    linked = [e for e in on_company if e.type == "party.person_linked"]
    assert [e.event_id for e in linked] == [e.event_id for e in on_person if e.type == "party.person_linked"]
    assert "Директор" in linked[0].summary


async def test_timeline_filters_by_source_and_pages_by_cursor(alice, parties) -> None:
    company = await parties.new_company(alice)
    for i in range(3):
        await alice.AddNote(pb.AddNoteRequest(party_id=company.id, text=f"Заметка {i}"))

    async def four_entries() -> list[pb.TimelineEntry] | None:
        page = await alice.ListTimeline(pb.ListTimelineRequest(party_id=company.id))
        return list(page.entries) if len(page.entries) == 4 else None

    everything = await eventually(four_entries)
    first = await alice.ListTimeline(pb.ListTimelineRequest(party_id=company.id, limit=3))
    rest = await alice.ListTimeline(pb.ListTimelineRequest(party_id=company.id, limit=3, cursor=first.next_cursor))
    assert [e.id for e in [*first.entries, *rest.entries]] == [e.id for e in everything]
    assert rest.next_cursor == ""
    assert (
        len((await alice.ListTimeline(pb.ListTimelineRequest(party_id=company.id, sources=["contacts"]))).entries) == 4
    )
    assert (
        list((await alice.ListTimeline(pb.ListTimelineRequest(party_id=company.id, sources=["deals"]))).entries) == []
    )


async def test_projected_entries_carry_their_events_payload_as_data(alice, parties) -> None:
    company = await parties.new_company(alice)
    person = await parties.new_person(alice)
    await alice.LinkPerson(pb.LinkPersonRequest(company_id=company.id, person_id=person.id, role="Директор"))
    await alice.AddNote(pb.AddNoteRequest(party_id=company.id, text="Договорились о встрече во вторник"))
    entries = {e.type: e for e in await timeline_with(alice, company.id, "party.person_linked", "note.added")}
    linked = json_format.MessageToDict(entries["party.person_linked"].data)
    assert linked["display_name"] == company.display_name
    assert (linked["other_party_id"], linked["other_display_name"], linked["role"]) == (
        person.id,
        person.display_name,
        "Директор",
    )
    assert json_format.MessageToDict(entries["note.added"].data)["excerpt"] == "Договорились о встрече во вторник"
