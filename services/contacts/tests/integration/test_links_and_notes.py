"""People linked to companies in a role, and notes on parties."""

from __future__ import annotations

import grpc

from crm.contacts.v1 import contacts_pb2 as pb

INVALID = grpc.StatusCode.INVALID_ARGUMENT


def violations(detail) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(v.field, v.code) for v in detail.field_violations]


async def test_linked_person_and_company_see_each_other_with_the_role(alice, parties) -> None:
    company = await parties.new_company(alice)
    person = await parties.new_person(alice)
    link = await alice.LinkPerson(
        pb.LinkPersonRequest(company_id=company.id, person_id=person.id, role="Главный бухгалтер")
    )
    assert (link.company_name, link.person_name, link.role) == (
        company.display_name,
        person.display_name,
        "Главный бухгалтер",
    )

    from_company = (await alice.GetParty(pb.GetPartyRequest(id=company.id))).links
    from_person = (await alice.GetParty(pb.GetPartyRequest(id=person.id))).links
    expected = [(company.id, person.id, "Главный бухгалтер", company.display_name, person.display_name)]
    for links in (from_company, from_person):
        assert [(x.company_id, x.person_id, x.role, x.company_name, x.person_name) for x in links] == expected


async def test_linking_again_changes_the_role_instead_of_adding_a_link(alice, parties) -> None:
    company = await parties.new_company(alice)
    person = await parties.new_person(alice)
    await alice.LinkPerson(pb.LinkPersonRequest(company_id=company.id, person_id=person.id, role="Менеджер"))
    await alice.LinkPerson(pb.LinkPersonRequest(company_id=company.id, person_id=person.id, role="Директор"))
    links = (await alice.GetParty(pb.GetPartyRequest(id=company.id))).links
    assert [(x.person_id, x.role) for x in links] == [(person.id, "Директор")]


async def test_unlinked_person_disappears_from_both_sides(alice, parties, rejected) -> None:
    company = await parties.new_company(alice)
    kept, leaving = await parties.new_person(alice), await parties.new_person(alice)
    for person in (kept, leaving):
        await alice.LinkPerson(pb.LinkPersonRequest(company_id=company.id, person_id=person.id))
    await alice.UnlinkPerson(pb.UnlinkPersonRequest(company_id=company.id, person_id=leaving.id))
    assert [x.person_id for x in (await alice.GetParty(pb.GetPartyRequest(id=company.id))).links] == [kept.id]
    assert list((await alice.GetParty(pb.GetPartyRequest(id=leaving.id))).links) == []
    detail = await rejected(
        alice.UnlinkPerson(pb.UnlinkPersonRequest(company_id=company.id, person_id=leaving.id)),
        grpc.StatusCode.NOT_FOUND,
    )
    assert detail.code == "link_not_found"


async def test_link_needs_a_company_and_a_person(alice, parties, rejected, row_counts) -> None:
    company, other_company = await parties.new_company(alice), await parties.new_company(alice)
    person = await parties.new_person(alice)
    before = await row_counts()
    detail = await rejected(
        alice.LinkPerson(pb.LinkPersonRequest(company_id=company.id, person_id=other_company.id)), INVALID
    )
    assert violations(detail) == [("person_id", "not_a_person")]
    detail = await rejected(alice.LinkPerson(pb.LinkPersonRequest(company_id=person.id, person_id=person.id)), INVALID)
    assert violations(detail) == [("company_id", "not_a_company")]
    detail = await rejected(
        alice.LinkPerson(pb.LinkPersonRequest(company_id=company.id, person_id=person.id, role="Я" * 301)), INVALID
    )
    assert violations(detail) == [("role", "too_long")]
    assert await row_counts() == before


async def test_links_to_a_deleted_person_are_hidden_and_cannot_be_made(alice, parties, rejected) -> None:
    company = await parties.new_company(alice)
    person, gone = await parties.new_person(alice), await parties.new_person(alice)
    await alice.LinkPerson(pb.LinkPersonRequest(company_id=company.id, person_id=person.id))
    await alice.DeleteParty(pb.DeletePartyRequest(id=person.id))
    assert list((await alice.GetParty(pb.GetPartyRequest(id=company.id))).links) == []
    await alice.DeleteParty(pb.DeletePartyRequest(id=gone.id))
    await rejected(
        alice.LinkPerson(pb.LinkPersonRequest(company_id=company.id, person_id=gone.id)), grpc.StatusCode.NOT_FOUND
    )


async def test_notes_are_listed_newest_first_page_by_page(alice, carol, parties, fake) -> None:
    company = await parties.new_company(alice)
    texts = [fake.sentence(nb_words=8) for _ in range(5)]
    added = [
        await (alice if i % 2 else carol).AddNote(pb.AddNoteRequest(party_id=company.id, text=t))
        for i, t in enumerate(texts)
    ]
    assert [n.author_id for n in added] == ["u-carol", "u-alice", "u-carol", "u-alice", "u-carol"]

    seen, cursor, pages = [], "", 0
    while True:
        page = await alice.ListNotes(pb.ListNotesRequest(party_id=company.id, limit=2, cursor=cursor))
        pages += 1
        seen += list(page.notes)
        cursor = page.next_cursor
        if not cursor:
            break
    assert pages == 3
    assert [n.id for n in seen] == [n.id for n in reversed(added)]
    assert [n.text for n in seen] == list(reversed(texts))


async def test_note_keeps_mentions_once_and_needs_text(alice, parties, rejected, row_counts) -> None:
    company = await parties.new_company(alice)
    note = await alice.AddNote(
        pb.AddNoteRequest(
            party_id=company.id, text="  @carol посмотри договор  ", mentions=["u-carol", "u-carol", "u-bob"]
        )
    )
    assert note.text == "@carol посмотри договор"
    assert list(note.mentions) == ["u-carol", "u-bob"]
    before = await row_counts()
    detail = await rejected(alice.AddNote(pb.AddNoteRequest(party_id=company.id, text="   ")), INVALID)
    assert violations(detail) == [("text", "required")]
    detail = await rejected(alice.AddNote(pb.AddNoteRequest(party_id=company.id, text="я" * 20001)), INVALID)
    assert violations(detail) == [("text", "too_long")]
    assert await row_counts() == before


async def test_notes_cursor_of_another_listing_is_invalid(alice, parties, rejected) -> None:
    company = await parties.new_company(alice)
    for text in ("Первая", "Вторая"):
        await alice.AddNote(pb.AddNoteRequest(party_id=company.id, text=text))
    await parties.new_company(alice)
    parties_page = await alice.ListParties(pb.ListPartiesRequest(limit=1, sort="-created_at"))
    detail = await rejected(
        alice.ListNotes(pb.ListNotesRequest(party_id=company.id, cursor=parties_page.next_cursor)), INVALID
    )
    assert violations(detail) == [("cursor", "invalid_cursor")]
