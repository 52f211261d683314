"""Duplicates (same registration id, phone, e-mail, similar name) and merging one party into another."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Iterator
from typing import Any

import grpc
from google.protobuf import field_mask_pb2
from sqlalchemy import event, text

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2 as pb
from crm_contacts.repository import NAME_CANDIDATES
from crm_core.testing import eventually


async def test_same_inn_as_a_visible_party_already_exists_unless_allowed(
    alice, carol, parties, by_tag, rejected, row_counts
) -> None:
    first = await parties.new_company(alice)
    twin = parties.company(company={"inn": first.company.inn})
    before = await row_counts()
    detail = await rejected(carol.CreateParty(pb.CreatePartyRequest(party=twin)), grpc.StatusCode.ALREADY_EXISTS)
    assert detail.code == "duplicate_party"
    assert first.id in detail.message
    assert await row_counts() == before

    allowed = await carol.CreateParty(pb.CreatePartyRequest(party=twin, allow_duplicate=True))
    assert allowed.party.id != first.id
    (candidate,) = [c for c in allowed.possible_duplicates if c.party.id == first.id]
    assert "inn" in candidate.reasons and candidate.score == 1.0
    assert (await alice.CountParties(pb.CountPartiesRequest(filters=by_tag))).count == 2


async def test_same_ogrn_blocks_too(alice, parties, rejected) -> None:
    first = await parties.new_company(alice)
    twin = parties.company(company={"ogrn": first.company.ogrn})
    await rejected(alice.CreateParty(pb.CreatePartyRequest(party=twin)), grpc.StatusCode.ALREADY_EXISTS)


async def test_deleted_party_does_not_block_its_inn(alice, parties) -> None:
    first = await parties.new_company(alice)
    await alice.DeleteParty(pb.DeletePartyRequest(id=first.id))
    again = await alice.CreateParty(pb.CreatePartyRequest(party=parties.company(company={"inn": first.company.inn})))
    assert first.id not in {c.party.id for c in again.possible_duplicates}


async def test_same_phone_or_email_is_offered_as_a_possible_duplicate(alice, parties) -> None:
    d = "4" + "".join(random.choices("0123456789", k=9))  # a landline: area code 4xx
    first = await parties.new_person(alice, phones=[{"value": f"+7 ({d[:3]}) {d[3:6]}-{d[6:8]}-{d[8:]}"}])
    phone_first = await alice.CreateParty(
        pb.CreatePartyRequest(party=parties.person(phones=[{"value": f"({d[:3]}) {d[3:6]}-{d[6:]}"}], emails=[]))
    )
    (by_phone,) = [c for c in phone_first.possible_duplicates if c.party.id == first.id]
    assert list(by_phone.reasons) == ["phone"]

    email = first.emails[0].value
    email_first = await alice.CreateParty(
        pb.CreatePartyRequest(party=parties.person(emails=[{"value": email.upper()}], phones=[]))
    )
    (by_email,) = [c for c in email_first.possible_duplicates if c.party.id == first.id]
    assert list(by_email.reasons) == ["email"]

    unrelated = await alice.CreateParty(pb.CreatePartyRequest(party=parties.person(phones=[], emails=[])))
    assert first.id not in {c.party.id for c in unrelated.possible_duplicates}


async def test_a_foreign_number_typed_two_ways_is_a_duplicate_and_stays_foreign(alice, parties) -> None:
    d = "".join(random.choices("0123456789", k=5))  # Berlin: +49 30, ten E.164 digits like a Russian number
    first = await parties.new_person(alice, phones=[{"value": f"+49 30 9{d}"}], emails=[])
    assert [(p.value, p.display) for p in first.phones] == [(f"+49309{d}", f"+49 30 9{d}")]
    again = await alice.CreateParty(
        pb.CreatePartyRequest(party=parties.person(phones=[{"value": f"810 49 (30) 9{d[:2]}-{d[2:]}"}], emails=[]))
    )
    (by_phone,) = [c for c in again.possible_duplicates if c.party.id == first.id]
    assert list(by_phone.reasons) == ["phone"]
    found = await alice.FindDuplicates(pb.FindDuplicatesRequest(party_id=again.party.id))
    assert first.id in {c.party.id for c in found.candidates}


async def test_find_duplicates_of_a_party_and_of_a_candidate_with_reasons(alice, parties) -> None:
    original = await parties.new_company(alice, display_name="Ромашка Трейд", phones=[{"value": "+7 495 700 11 22"}])
    same_name = await parties.new_company(alice, display_name="Ромашка-Трейд")
    same_phone = await parties.new_company(alice, phones=[{"value": "8 (495) 700-11-22"}])
    other = await parties.new_company(alice, display_name="Гранит Строй")

    found = await alice.FindDuplicates(pb.FindDuplicatesRequest(party_id=original.id))
    reasons = {c.party.id: list(c.reasons) for c in found.candidates}
    assert reasons[same_name.id] == ["name"]
    assert reasons[same_phone.id] == ["phone"]
    assert original.id not in reasons and other.id not in reasons

    candidate = pb.Party(
        kind="company",
        company=pb.CompanyDetails(legal_name="ООО Новая", inn=original.company.inn),
        emails=[pb.ContactPoint(value=other.emails[0].value)],
    )
    found = await alice.FindDuplicates(pb.FindDuplicatesRequest(candidate=candidate))
    reasons = {c.party.id: list(c.reasons) for c in found.candidates}
    assert reasons[original.id] == ["inn"]
    assert reasons[other.id] == ["email"]
    scores = [c.score for c in found.candidates]
    assert scores == sorted(scores, reverse=True)

    person = pb.Party(kind="person", person=pb.PersonDetails(last_name="Ромашка Трейд"))
    found = await alice.FindDuplicates(pb.FindDuplicatesRequest(candidate=person))
    assert original.id not in {c.party.id for c in found.candidates}  # people are not companies


async def test_merge_moves_notes_links_and_timeline_and_fills_empty_fields(alice, parties, by_tag, rejected) -> None:
    survivor = await parties.new_company(alice, company={"website": ""}, tags=[parties.tag, "vip"])
    merged = await parties.new_company(
        alice,
        company={"website": "https://romashka.example"},
        tags=[parties.tag, "moscow"],
        phones=[{"value": "+7 495 111 22 33"}],
    )
    person = await parties.new_person(alice)
    await alice.LinkPerson(pb.LinkPersonRequest(company_id=merged.id, person_id=person.id, role="Закупщик"))
    note = await alice.AddNote(pb.AddNoteRequest(party_id=merged.id, text="Просили счёт до пятницы"))

    async def merged_timeline_ready() -> bool:
        page = await alice.ListTimeline(pb.ListTimelineRequest(party_id=merged.id))
        return {"party.created", "note.added", "party.person_linked"} <= {e.type for e in page.entries}

    await eventually(merged_timeline_ready)

    result = await alice.MergeParties(
        pb.MergePartiesRequest(survivor_id=survivor.id, merged_id=merged.id, expected_survivor_version=1)
    )
    assert result.version == 2
    assert result.company.website == "https://romashka.example"
    assert result.company.inn == survivor.company.inn  # the survivor wins on conflicts
    assert result.display_name == survivor.display_name
    assert list(result.tags) == [parties.tag, "vip", "moscow"]
    assert [p.value for p in result.phones] == [survivor.phones[0].value, "+74951112233"]  # stored in E.164
    assert result.phones[1].display == "+7 495 111-22-33"
    assert [(link.person_id, link.role) for link in result.links] == [(person.id, "Закупщик")]

    person_now = await alice.GetParty(pb.GetPartyRequest(id=person.id))
    assert [link.company_id for link in person_now.links] == [survivor.id]
    notes = await alice.ListNotes(pb.ListNotesRequest(party_id=survivor.id))
    assert [n.id for n in notes.notes] == [note.id]

    async def survivor_timeline() -> list[pb.TimelineEntry] | None:
        page = await alice.ListTimeline(pb.ListTimelineRequest(party_id=survivor.id))
        return list(page.entries) if "party.merged" in {e.type for e in page.entries} else None

    entries = await eventually(survivor_timeline)
    assert entries[0].type == "party.merged"
    moved = {(e.type, e.subject_id) for e in entries}
    assert {("party.created", merged.id), ("note.added", note.id), ("party.created", survivor.id)} <= moved

    await rejected(alice.GetParty(pb.GetPartyRequest(id=merged.id)), grpc.StatusCode.NOT_FOUND)
    gone = await alice.GetParty(pb.GetPartyRequest(id=merged.id, include_deleted=True))
    assert gone.merged_into_id == survivor.id and gone.HasField("deleted_at")
    detail = await rejected(
        alice.RestoreParty(pb.RestorePartyRequest(id=merged.id)), grpc.StatusCode.FAILED_PRECONDITION
    )
    assert detail.code == "party_merged"
    companies = [*by_tag, common_pb2.Filter(field="kind", op="eq", value="company")]
    assert [p.id for p in (await alice.ListParties(pb.ListPartiesRequest(filters=companies))).parties] == [survivor.id]

    audit = await alice.ListAudit(common_pb2.ListAuditRequest(entity_id=survivor.id))
    assert audit.entries[0].action == "merged"
    assert audit.entries[0].changes["merged_from"]["new"] == merged.id
    assert audit.entries[0].changes["website"]["new"] == "https://romashka.example"


async def test_merge_keeps_one_link_when_both_parties_had_the_same_person(alice, parties) -> None:
    survivor = await parties.new_company(alice)
    merged = await parties.new_company(alice)
    person = await parties.new_person(alice)
    await alice.LinkPerson(pb.LinkPersonRequest(company_id=survivor.id, person_id=person.id, role="Директор"))
    await alice.LinkPerson(pb.LinkPersonRequest(company_id=merged.id, person_id=person.id, role="Учредитель"))
    result = await alice.MergeParties(pb.MergePartiesRequest(survivor_id=survivor.id, merged_id=merged.id))
    assert [(link.person_id, link.role) for link in result.links] == [(person.id, "Директор")]


async def test_company_and_person_cannot_be_merged(alice, parties, rejected) -> None:
    company = await parties.new_company(alice)
    person = await parties.new_person(alice)
    detail = await rejected(
        alice.MergeParties(pb.MergePartiesRequest(survivor_id=company.id, merged_id=person.id)),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    assert detail.code == "kind_mismatch"
    assert (await alice.GetParty(pb.GetPartyRequest(id=person.id))).version == 1


async def test_merge_with_itself_or_a_stale_version_is_refused(alice, parties, rejected) -> None:
    first = await parties.new_company(alice)
    second = await parties.new_company(alice)
    detail = await rejected(
        alice.MergeParties(pb.MergePartiesRequest(survivor_id=first.id, merged_id=first.id)),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert [(v.field, v.code) for v in detail.field_violations] == [("merged_id", "same_party")]
    await alice.AddNote(pb.AddNoteRequest(party_id=first.id, text="x"))  # notes do not bump the version
    await alice.DeleteParty(pb.DeletePartyRequest(id=second.id))
    await alice.RestoreParty(pb.RestorePartyRequest(id=second.id))
    await rejected(
        alice.MergeParties(
            pb.MergePartiesRequest(survivor_id=second.id, merged_id=first.id, expected_survivor_version=1)
        ),
        grpc.StatusCode.ABORTED,
    )
    assert (await alice.GetParty(pb.GetPartyRequest(id=first.id))).merged_into_id == ""


async def test_concurrent_creates_with_the_same_inn_let_exactly_one_through(alice, carol, parties, by_tag) -> None:
    inn = parties.fake.businesses_inn()
    twins = [parties.company(company={"inn": inn}) for _ in range(6)]
    results = await asyncio.gather(
        *((alice if i % 2 else carol).CreateParty(pb.CreatePartyRequest(party=p)) for i, p in enumerate(twins)),
        return_exceptions=True,
    )
    created = [r for r in results if isinstance(r, pb.CreatePartyResponse)]
    refused = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(created) == 1, results
    assert [r.code() for r in refused] == [grpc.StatusCode.ALREADY_EXISTS] * 5
    assert (await alice.CountParties(pb.CountPartiesRequest(filters=by_tag))).count == 1


async def test_merging_people_moves_their_company_links(alice, parties) -> None:
    company, other_company = await parties.new_company(alice), await parties.new_company(alice)
    survivor = await parties.new_person(alice, person={"middle_name": ""})
    merged = await parties.new_person(alice, person={"middle_name": "Игоревич"})
    await alice.LinkPerson(pb.LinkPersonRequest(company_id=company.id, person_id=survivor.id, role="Директор"))
    await alice.LinkPerson(pb.LinkPersonRequest(company_id=company.id, person_id=merged.id, role="Менеджер"))
    await alice.LinkPerson(pb.LinkPersonRequest(company_id=other_company.id, person_id=merged.id, role="Консультант"))
    result = await alice.MergeParties(pb.MergePartiesRequest(survivor_id=survivor.id, merged_id=merged.id))
    assert result.person.middle_name == "Игоревич"
    assert sorted((link.company_id, link.role) for link in result.links) == sorted(
        [(company.id, "Директор"), (other_company.id, "Консультант")]
    )
    people = (await alice.GetParty(pb.GetPartyRequest(id=company.id))).links
    assert [(link.person_id, link.role) for link in people] == [(survivor.id, "Директор")]


async def test_changing_inn_to_a_visible_partys_inn_already_exists(alice, parties, rejected) -> None:
    first = await parties.new_company(alice)
    second = await parties.new_company(alice)
    change = pb.UpdatePartyRequest(
        party=pb.Party(id=second.id, company=pb.CompanyDetails(inn=first.company.inn)),
        update_mask={"paths": ["company.inn"]},
    )
    detail = await rejected(alice.UpdateParty(change), grpc.StatusCode.ALREADY_EXISTS)
    assert detail.code == "duplicate_party" and first.id in detail.message
    unchanged = await alice.GetParty(pb.GetPartyRequest(id=second.id))
    assert unchanged.company.inn == second.company.inn and unchanged.version == second.version


async def test_similar_name_check_reads_a_bounded_number_of_rows_and_finds_the_twin(
    alice, parties, contacts_app
) -> None:
    """5,000 visible companies sharing most of their name: the name lookup still reads ~NAME_CANDIDATES rows."""
    seed = await parties.new_company(alice, display_name="ООО «Торговый дом Ромашка-Сервис»")
    original = await parties.new_company(alice, display_name="ООО «Ромашка»")
    async with contacts_app.db.transaction() as session:
        columns = [
            c
            for c in await session.scalars(
                text(
                    "SELECT column_name FROM information_schema.columns"
                    " WHERE table_name = 'party' AND is_generated = 'NEVER' ORDER BY ordinal_position"
                )
            )
        ]
        overrides = {
            "id": "gen_random_uuid()",
            "display_name": "display_name || ' ' || g",
            "name_key": "name_key || ' ' || g",
            "inn": "NULL",
            "ogrn": "NULL",
            "phones": "'[]'::jsonb",
            "emails": "'[]'::jsonb",
            "phones_norm": "'{}'",
            "emails_norm": "'{}'",
        }
        values = ", ".join(overrides.get(c, c) for c in columns)
        await session.execute(
            text(
                f"INSERT INTO party ({', '.join(columns)})"
                f" SELECT {values} FROM party, generate_series(1, 5000) g WHERE id = CAST(:seed AS uuid)"
            ),
            {"seed": seed.id},
        )
        await session.execute(text("ANALYZE party"))

    statements: list[tuple[str, Any]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if "<->" in statement:
            statements.append((statement, parameters))

    engine = contacts_app.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        twin = pb.Party(kind="company", display_name="Ромашка ООО", company=pb.CompanyDetails(legal_name="Ромашка ООО"))
        found = await alice.FindDuplicates(pb.FindDuplicatesRequest(candidate=twin))
    finally:
        event.remove(engine, "before_cursor_execute", capture)

    (candidate,) = [c for c in found.candidates if c.party.id == original.id]
    assert list(candidate.reasons) == ["name"] and candidate.score == 1.0
    (statement, parameters) = statements[-1]
    async with contacts_app.db.sessions() as session:
        conn = await session.connection()
        plan = (await conn.exec_driver_sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", parameters)).scalar()
    nodes = list(_plan_nodes((plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"]))
    (nearest,) = [n for n in nodes if n.get("Index Name") == "ix_party_name_key_trgm"]
    # Nearest first, or the rows past the `%` floor as a bitmap: either way the index bounds the read.
    assert (nearest["Node Type"], "Order By" in nearest) in (("Index Scan", True), ("Bitmap Index Scan", False))
    # EXPLAIN gives rows per loop: a row read is one returned or one a filter or recheck removed, on every loop.
    read = sum(
        (n["Actual Rows"] + n.get("Rows Removed by Filter", 0) + n.get("Rows Removed by Index Recheck", 0))
        * n["Actual Loops"]
        for n in nodes
        if n.get("Relation Name") == "party"
    )
    assert read <= 3 * NAME_CANDIDATES, (read, nodes)
    assert not [n for n in nodes if n["Node Type"] == "Seq Scan" and n.get("Relation Name") == "party"]


def _plan_nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)


async def test_a_renamed_company_is_found_by_its_new_name_key(alice, parties) -> None:
    renamed = await parties.new_company(alice, display_name="Гранит-Сервис Плюс")
    patch = pb.Party(id=renamed.id, display_name="ЗАО «Полёт Навигатор»")
    await alice.UpdateParty(
        pb.UpdatePartyRequest(party=patch, update_mask=field_mask_pb2.FieldMask(paths=["display_name"]))
    )

    twin = pb.Party(kind="company", display_name="Полет-Навигатор, ООО", company=pb.CompanyDetails(legal_name="x"))
    found = await alice.FindDuplicates(pb.FindDuplicatesRequest(candidate=twin))
    (candidate,) = [c for c in found.candidates if c.party.id == renamed.id]
    assert list(candidate.reasons) == ["name"] and candidate.score == 1.0


async def test_parties_are_found_by_keys_in_one_call_only_where_the_caller_sees_them(
    alice, bob, parties, rejected
) -> None:
    company = await parties.new_company(alice)
    person = await alice.CreateParty(
        pb.CreatePartyRequest(
            party=pb.Party(
                kind="person",
                display_name="Иванов Иван",
                emails=[pb.ContactPoint(kind="work", value=f"{company.id[:8]}@Zavod.ru")],
                phones=[pb.ContactPoint(kind="mobile", value="+7 916 555-12-34")],
            ),
            allow_duplicate=True,
        )
    )
    request = pb.FindPartiesByKeysRequest(
        inns=[company.company.inn, "7707083893"],
        emails=[f"{company.id[:8]}@zavod.ru"],
        phones=["+79165551234", "8 999 000-00-00"],
    )
    found = {m.party.id: sorted(m.keys) for m in (await alice.FindPartiesByKeys(request)).matches}
    assert found[company.id] == [f"inn:{company.company.inn}"]
    assert found[person.party.id] == [f"email:{company.id[:8]}@zavod.ru", "phone:79165551234"]
    assert not {company.id, person.party.id} & {m.party.id for m in (await bob.FindPartiesByKeys(request)).matches}
    too_many = pb.FindPartiesByKeysRequest(emails=[f"{i}@x.ru" for i in range(1001)])
    detail = await rejected(alice.FindPartiesByKeys(too_many), grpc.StatusCode.INVALID_ARGUMENT)
    assert detail.field_violations[0].code == "too_many"
