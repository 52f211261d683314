"""Segments: dynamic ones evaluated as their reader (parties through contacts, leads in SQL), static ones of
visible members only, counted and exported as CSV and XLSX; a hidden segment is 404 and never listed."""

from __future__ import annotations

import codecs
import csv
import io
import uuid
from typing import Any

import grpc
from openpyxl import load_workbook

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2
from crm.marketing.v1 import marketing_pb2 as pb
from crm_core.testing import ALICE, BOB


async def _person(peers: Any, caller: Any, first: str, last: str, tag: str, email: str = "") -> str:
    party = contacts_pb2.Party(
        kind="person",
        person=contacts_pb2.PersonDetails(first_name=first, last_name=last),
        emails=[contacts_pb2.ContactPoint(kind="work", value=email)] if email else [],
        tags=[tag],
    )
    return str((await peers.contacts(caller).CreateParty(contacts_pb2.CreatePartyRequest(party=party))).party.id)


def _by_tag(tag: str, *, shared_with: list[str] | None = None) -> pb.Segment:
    return pb.Segment(
        name=f"Сегмент {tag}",
        kind="dynamic",
        source="parties",
        filters=[common_pb2.Filter(field="tags", op="in", value=tag)],
        shared_with=shared_with or [],
    )


async def _export(stub: Any, segment_id: str, file_format: str) -> tuple[bytes, str]:
    chunks = [
        c
        async for c in stub._stub.ExportSegment(
            pb.ExportSegmentRequest(segment_id=segment_id, format=file_format), metadata=stub._metadata, timeout=10
        )
    ]
    return b"".join(c.data for c in chunks), chunks[0].filename


async def test_a_dynamic_segment_shows_each_reader_the_parties_they_may_see(alice, bob, peers) -> None:
    tag = f"seg-{uuid.uuid4().hex[:8]}"
    mine = await _person(peers, ALICE, "Алла", "Северная", tag, "alla@example.ru")
    theirs = await _person(peers, BOB, "Борис", "Южный", tag, "boris@example.ru")
    segment = await alice.CreateSegment(pb.CreateSegmentRequest(segment=_by_tag(tag, shared_with=["u-bob"])))

    as_alice = await alice.ListSegmentMembers(pb.ListSegmentMembersRequest(segment_id=segment.id))
    as_bob = await bob.ListSegmentMembers(pb.ListSegmentMembersRequest(segment_id=segment.id))

    assert [m.id for m in as_alice.members] == [mine]
    assert [m.id for m in as_bob.members] == [theirs]
    assert (as_alice.members[0].first_name, as_alice.members[0].email) == ("Алла", "alla@example.ru")
    assert (await bob.CountSegment(pb.CountSegmentRequest(segment_id=segment.id))).count == 1


async def test_a_dynamic_segment_over_leads_counts_only_visible_leads(alice, bob) -> None:
    word = f"лидсег{uuid.uuid4().hex[:6]}"
    await alice.CreateLead(pb.CreateLeadRequest(lead=pb.Lead(person_name=f"Иван {word}", email=f"{word}@a.ru")))
    await bob.CreateLead(pb.CreateLeadRequest(lead=pb.Lead(person_name=f"Пётр {word}", email=f"{word}@b.ru")))
    segment = pb.Segment(
        name="Новые лиды",
        kind="dynamic",
        source="leads",
        query=word,
        filters=[common_pb2.Filter(field="status", op="eq", value="new")],
    )
    created = await alice.CreateSegment(pb.CreateSegmentRequest(segment=segment))
    assert (await alice.CountSegment(pb.CountSegmentRequest(segment_id=created.id))).count == 1


async def test_bad_segment_input_names_every_field(alice, rejected) -> None:
    bad = pb.Segment(
        kind="sometimes",
        source="leads",
        filters=[common_pb2.Filter(field="salary", op="eq", value="1")],
    )
    detail = await rejected(alice.CreateSegment(pb.CreateSegmentRequest(segment=bad)), grpc.StatusCode.INVALID_ARGUMENT)
    assert {(v.field, v.code) for v in detail.field_violations} == {
        ("name", "required"),
        ("kind", "invalid_choice"),
        ("filters[0]", "unknown_filter_field"),
    }
    unknown = _by_tag("x")
    unknown.filters[0].field = "no_such_field"
    await rejected(alice.CreateSegment(pb.CreateSegmentRequest(segment=unknown)), grpc.StatusCode.INVALID_ARGUMENT)


async def test_a_static_segment_takes_only_visible_members_and_shows_each_reader_theirs(
    alice, bob, carol, peers, rejected
) -> None:
    tag = f"static-{uuid.uuid4().hex[:8]}"
    visible = await _person(peers, ALICE, "Вера", "Видимая", tag, "vera@example.ru")
    hidden = await _person(peers, BOB, "Глеб", "Скрытый", tag)
    lead = await alice.CreateLead(pb.CreateLeadRequest(lead=pb.Lead(person_name="Лев Лидов", email="lev@example.ru")))
    segment = await alice.CreateSegment(pb.CreateSegmentRequest(segment=pb.Segment(name="Ручной", kind="static")))

    refused = await rejected(
        alice.AddSegmentMembers(
            pb.SegmentMembersRequest(
                segment_id=segment.id,
                members=[pb.MemberRef(kind="party", id=visible), pb.MemberRef(kind="party", id=hidden)],
                expected_version=segment.version,
            )
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert [(v.field, v.code) for v in refused.field_violations] == [("members[1].id", "member_not_found")]
    segment = await alice.AddSegmentMembers(
        pb.SegmentMembersRequest(
            segment_id=segment.id,
            members=[pb.MemberRef(kind="party", id=visible), pb.MemberRef(kind="lead", id=lead.id)],
            expected_version=segment.version,
        )
    )
    listed = await alice.ListSegmentMembers(pb.ListSegmentMembersRequest(segment_id=segment.id))
    assert {(m.kind, m.id) for m in listed.members} == {("party", visible), ("lead", lead.id)}
    # Carol (Alice's team) sees the segment and its members; Bob does not see the segment at all.
    assert (await carol.CountSegment(pb.CountSegmentRequest(segment_id=segment.id))).count == 2
    await rejected(bob.GetSegment(pb.GetSegmentRequest(id=segment.id)), grpc.StatusCode.NOT_FOUND)
    await rejected(bob.CountSegment(pb.CountSegmentRequest(segment_id=segment.id)), grpc.StatusCode.NOT_FOUND)
    assert segment.id not in [s.id for s in (await bob.ListSegments(pb.ListSegmentsRequest(limit=200))).segments]

    segment = await alice.RemoveSegmentMembers(
        pb.SegmentMembersRequest(
            segment_id=segment.id, members=[pb.MemberRef(kind="lead", id=lead.id)], expected_version=segment.version
        )
    )
    assert (await alice.CountSegment(pb.CountSegmentRequest(segment_id=segment.id))).count == 1


async def test_a_segment_exports_as_csv_with_bom_and_semicolons_and_as_xlsx(alice, peers) -> None:
    tag = f"exp-{uuid.uuid4().hex[:8]}"
    await _person(peers, ALICE, "Ёлкина", '=HYPERLINK("x")', tag, "yolka@example.ru")
    await _person(peers, ALICE, "Дмитрий", "Экспортов", tag, "dima@example.ru")
    segment = await alice.CreateSegment(pb.CreateSegmentRequest(segment=_by_tag(tag)))

    data, filename = await _export(alice, segment.id, "csv")
    assert filename.endswith(".csv") and data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Тип", "ID", "Имя", "Фамилия"]
    assert {r[2] for r in rows[1:]} == {"Дмитрий", "Ёлкина"}
    assert '\'=HYPERLINK("x")' in [r[3] for r in rows[1:]]  # no formula in a spreadsheet

    data, filename = await _export(alice, segment.id, "xlsx")
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert filename.endswith(".xlsx") and len(values) == 3
    assert sorted(v[7] for v in values[1:]) == ["dima@example.ru", "yolka@example.ru"]
