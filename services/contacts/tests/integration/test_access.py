"""Record-level access: owner, team, shared_with, admin; hidden parties are NOT_FOUND and never counted."""

from __future__ import annotations

import grpc
from google.protobuf import field_mask_pb2

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2 as pb

NOT_FOUND = grpc.StatusCode.NOT_FOUND


def mask(*paths: str) -> field_mask_pb2.FieldMask:
    return field_mask_pb2.FieldMask(paths=list(paths))


async def test_hidden_party_is_not_found_for_every_call_of_another_team(alice, bob, parties, rejected) -> None:
    company = await parties.new_company(alice)
    person = await parties.new_person(alice)
    await alice.LinkPerson(pb.LinkPersonRequest(company_id=company.id, person_id=person.id, role="Директор"))
    own_company = await parties.new_company(bob)
    own_person = await parties.new_person(bob)
    party_id = company.id
    calls = {
        "GetParty": bob.GetParty(pb.GetPartyRequest(id=party_id)),
        "GetParty deleted": bob.GetParty(pb.GetPartyRequest(id=party_id, include_deleted=True)),
        "UpdateParty": bob.UpdateParty(
            pb.UpdatePartyRequest(party=pb.Party(id=party_id, tags=["mine"]), update_mask=mask("tags"))
        ),
        "DeleteParty": bob.DeleteParty(pb.DeletePartyRequest(id=party_id)),
        "AddNote": bob.AddNote(pb.AddNoteRequest(party_id=party_id, text="Подсмотрел")),
        "ListNotes": bob.ListNotes(pb.ListNotesRequest(party_id=party_id)),
        "ListTimeline": bob.ListTimeline(pb.ListTimelineRequest(party_id=party_id)),
        "ListAudit": bob.ListAudit(common_pb2.ListAuditRequest(entity_id=party_id)),
        "FindDuplicates": bob.FindDuplicates(pb.FindDuplicatesRequest(party_id=party_id)),
        "LinkPerson": bob.LinkPerson(pb.LinkPersonRequest(company_id=party_id, person_id=own_person.id)),
        "LinkPerson person": bob.LinkPerson(pb.LinkPersonRequest(company_id=own_company.id, person_id=person.id)),
        "UnlinkPerson": bob.UnlinkPerson(pb.UnlinkPersonRequest(company_id=party_id, person_id=person.id)),
        "MergeParties into": bob.MergeParties(pb.MergePartiesRequest(survivor_id=party_id, merged_id=own_company.id)),
        "MergeParties from": bob.MergeParties(pb.MergePartiesRequest(survivor_id=own_company.id, merged_id=party_id)),
    }
    for name, call in calls.items():
        detail = await rejected(call, NOT_FOUND)
        assert detail.code == "party_not_found", name
        assert "u-alice" not in detail.message, name

    # Nothing happened to alice's party or bob's own ones.
    got = await alice.GetParty(pb.GetPartyRequest(id=party_id))
    assert got.version == 1 and [link.person_id for link in got.links] == [person.id]
    assert (await alice.ListNotes(pb.ListNotesRequest(party_id=party_id))).notes == []
    assert (await bob.GetParty(pb.GetPartyRequest(id=own_company.id))).version == 1


async def test_deleted_hidden_party_cannot_be_restored_by_another_team(alice, bob, parties, rejected) -> None:
    company = await parties.new_company(alice)
    await alice.DeleteParty(pb.DeletePartyRequest(id=company.id))
    await rejected(bob.RestoreParty(pb.RestorePartyRequest(id=company.id)), NOT_FOUND)
    lists = await bob.ListParties(pb.ListPartiesRequest(query=company.company.inn, deleted="include"))
    assert company.id not in {p.id for p in lists.parties}


async def test_hidden_party_is_absent_from_lists_counts_duplicates_and_reports(alice, bob, parties, by_tag) -> None:
    knowledge = {"needs": [{"product": "Кассы"}], "payment_discipline": "punctual", "season_months": [5]}
    company = await parties.new_company(alice, knowledge=knowledge)
    name_query = company.display_name

    listed = await bob.ListParties(pb.ListPartiesRequest(filters=by_tag))
    assert list(listed.parties) == []
    searched = await bob.ListParties(pb.ListPartiesRequest(query=company.company.inn))
    assert company.id not in {p.id for p in searched.parties}
    by_name = await bob.ListParties(pb.ListPartiesRequest(query=name_query, limit=200))
    assert company.id not in {p.id for p in by_name.parties}
    assert (await bob.CountParties(pb.CountPartiesRequest(filters=by_tag))).count == 0
    assert (await bob.CountParties(pb.CountPartiesRequest(query=company.company.inn))).count == 0

    candidate = pb.Party(
        kind="company",
        company=pb.CompanyDetails(legal_name=company.company.legal_name, inn=company.company.inn),
        emails=list(company.emails),
        phones=list(company.phones),
    )
    duplicates = await bob.FindDuplicates(pb.FindDuplicatesRequest(candidate=candidate))
    assert company.id not in {c.party.id for c in duplicates.candidates}

    report = await bob.GetKnowledgeReport(pb.GetKnowledgeReportRequest(filters=by_tag))
    assert report.parties == 0 and list(report.needs) == [] and list(report.season_months) == []

    # The same INN is no duplicate for bob: he cannot know the party exists.
    created = await bob.CreateParty(pb.CreatePartyRequest(party=candidate))
    assert company.id not in {c.party.id for c in created.possible_duplicates}

    # ...while alice, who sees both, gets both.
    assert (await alice.CountParties(pb.CountPartiesRequest(query=company.company.inn))).count == 1
    alice_dups = await alice.FindDuplicates(pb.FindDuplicatesRequest(party_id=company.id))
    assert created.party.id not in {c.party.id for c in alice_dups.candidates}  # bob's, team-south
    assert (await alice.CountParties(pb.CountPartiesRequest(filters=by_tag))).count == 1


async def test_team_member_sees_and_edits_a_teammates_party(alice, carol, parties, by_tag) -> None:
    company = await parties.new_company(alice)
    got = await carol.GetParty(pb.GetPartyRequest(id=company.id))
    assert got.owner_id == "u-alice"
    assert [p.id for p in (await carol.ListParties(pb.ListPartiesRequest(filters=by_tag))).parties] == [company.id]
    note = await carol.AddNote(pb.AddNoteRequest(party_id=company.id, text="Созвонились, ждут КП"))
    assert note.author_id == "u-carol"
    updated = await carol.UpdateParty(
        pb.UpdatePartyRequest(
            party=pb.Party(id=company.id, relationship_types=["client"]), update_mask=mask("relationship_types")
        )
    )
    assert list(updated.relationship_types) == ["client"]


async def test_sharing_a_party_with_a_user_gives_and_takes_access(alice, bob, parties, by_tag, rejected) -> None:
    company = await parties.new_company(alice)
    shared = await alice.UpdateParty(
        pb.UpdatePartyRequest(party=pb.Party(id=company.id, shared_with=["u-bob"]), update_mask=mask("shared_with"))
    )
    assert (await bob.GetParty(pb.GetPartyRequest(id=company.id))).id == company.id
    assert [p.id for p in (await bob.ListParties(pb.ListPartiesRequest(filters=by_tag))).parties] == [company.id]
    assert (await bob.CountParties(pb.CountPartiesRequest(filters=by_tag))).count == 1
    await bob.AddNote(pb.AddNoteRequest(party_id=company.id, text="Взял в работу"))

    await alice.UpdateParty(
        pb.UpdatePartyRequest(
            party=pb.Party(id=company.id), update_mask=mask("shared_with"), expected_version=shared.version
        )
    )
    await rejected(bob.GetParty(pb.GetPartyRequest(id=company.id)), NOT_FOUND)
    assert (await bob.CountParties(pb.CountPartiesRequest(filters=by_tag))).count == 0


async def test_admin_sees_every_team_s_parties(admin, alice, bob, parties, by_tag) -> None:
    north = await parties.new_company(alice)
    south = await parties.new_company(bob)
    listed = await admin.ListParties(pb.ListPartiesRequest(filters=by_tag))
    assert {p.id for p in listed.parties} == {north.id, south.id}
    assert (await admin.GetParty(pb.GetPartyRequest(id=south.id))).team_id == "team-south"
    report = await admin.GetKnowledgeReport(pb.GetKnowledgeReportRequest(filters=by_tag))
    assert report.parties == 2


async def test_non_admin_cannot_put_a_party_into_a_team_they_are_not_in(
    admin, alice, parties, rejected, row_counts
) -> None:
    before = await row_counts()
    detail = await rejected(
        alice.CreateParty(pb.CreatePartyRequest(party=parties.company(team_id="team-south"))),
        grpc.StatusCode.PERMISSION_DENIED,
    )
    assert detail.code == "team_not_allowed"
    assert await row_counts() == before

    company = await parties.new_company(alice)
    move = pb.UpdatePartyRequest(party=pb.Party(id=company.id, team_id="team-south"), update_mask=mask("team_id"))
    await rejected(alice.UpdateParty(move), grpc.StatusCode.PERMISSION_DENIED)
    assert (await alice.GetParty(pb.GetPartyRequest(id=company.id))).team_id == "team-north"

    moved = await admin.UpdateParty(move)
    assert moved.team_id == "team-south"


async def test_links_to_people_the_caller_cannot_see_are_not_shown(alice, bob, parties) -> None:
    company = await parties.new_company(alice, shared_with=["u-bob"])
    person = await parties.new_person(alice)
    await alice.LinkPerson(pb.LinkPersonRequest(company_id=company.id, person_id=person.id, role="Бухгалтер"))
    assert [link.person_id for link in (await alice.GetParty(pb.GetPartyRequest(id=company.id))).links] == [person.id]
    assert list((await bob.GetParty(pb.GetPartyRequest(id=company.id))).links) == []


async def test_saved_filter_results_are_limited_to_what_the_user_sees(alice, bob, parties, tag) -> None:
    mine = await parties.new_company(bob)
    await parties.new_company(alice)
    saved = await alice.CreateSavedFilter(
        pb.SavedFilter(name=f"Все {tag}", filters=[common_pb2.Filter(field="tags", op="eq", value=tag)], shared=True)
    )
    listed = await bob.ListParties(pb.ListPartiesRequest(saved_filter_id=saved.id))
    assert [p.id for p in listed.parties] == [mine.id]
