"""Site visits: anonymous page views, linked to the lead (and party) that identifies their visitor."""

from __future__ import annotations

import uuid
from datetime import timedelta

import grpc

from crm.contacts.v1 import contacts_pb2
from crm.marketing.v1 import marketing_pb2 as pb
from crm_core.testing import ALICE, BOB, eventually
from crm_marketing.visits import VisitLimits, Visits

FIELDS = [
    pb.FormField(name="person_name", type="text", required=True, label_ru="Имя", label_en="Name"),
    pb.FormField(name="email", type="email", required=True, label_ru="E-mail", label_en="E-mail"),
]


def _visitor() -> str:
    return str(uuid.uuid4())


def _ip() -> str:
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


def _view(visitor_id: str, path: str = "/", **fields: str) -> pb.RecordVisitRequest:
    values = {
        "visitor_id": visitor_id,
        "url": f"https://metall.ru{path}",
        "title": "Металлопрокат",
        "referrer": "https://yandex.ru/",
        "client_ip": _ip(),
    }
    values.update(fields)
    return pb.RecordVisitRequest(**values)


async def _form(stub) -> pb.Form:  # type: ignore[no-untyped-def]
    form = pb.Form(name="Заявка", fields=FIELDS, active=True, rate_limit_per_minute=100, owner_id="u-alice")
    return await stub.CreateForm(pb.CreateFormRequest(form=form))


async def _submit(admin, form: pb.Form, visitor_id: str, email: str) -> pb.SubmitFormResponse:  # type: ignore[no-untyped-def]
    return await admin.SubmitForm(
        pb.SubmitFormRequest(
            token=form.token,
            values={"person_name": "Ольга Кузнецова", "email": email},
            client_ip=_ip(),
            visitor_id=visitor_id,
        )
    )


async def _shared_party(peers, email: str) -> contacts_pb2.Party:  # type: ignore[no-untyped-def]
    """A person of Alice's whom Bob may see too (he may not see Alice's leads)."""
    party = contacts_pb2.Party(
        kind="person",
        display_name="Кузнецова Ольга",
        emails=[contacts_pb2.ContactPoint(kind="work", value=email)],
        shared_with=["u-bob"],
    )
    return (await peers.contacts(ALICE).CreateParty(contacts_pb2.CreatePartyRequest(party=party))).party


async def test_anonymous_visits_are_linked_to_the_lead_and_party_a_submission_names(alice, bob, admin, peers) -> None:
    visitor = _visitor()
    first = await admin.RecordVisit(_view(visitor, "/prices?utm_source=yandex&utm_medium=cpc&utm_campaign=armatura"))
    assert not first.identified
    await admin.RecordVisit(_view(visitor, "/contacts", title="Контакты"))
    email = f"{uuid.uuid4().hex[:8]}@zavod.ru"
    party = await _shared_party(peers, email)

    result = await _submit(admin, await _form(alice), visitor, email)
    assert (result.outcome, result.party_id) == ("attached", party.id)

    visits = (await alice.ListVisits(pb.ListVisitsRequest(lead_id=result.lead_id))).visits
    assert [v.url for v in visits] == [
        "https://metall.ru/contacts",
        "https://metall.ru/prices?utm_source=yandex&utm_medium=cpc&utm_campaign=armatura",
    ]
    assert (visits[1].utm.source, visits[1].utm.medium, visits[1].utm.campaign) == ("yandex", "cpc", "armatura")
    assert {(v.lead_id, v.party_id) for v in visits} == {(result.lead_id, party.id)}
    by_party = (await alice.ListVisits(pb.ListVisitsRequest(party_id=party.id))).visits
    assert [v.id for v in by_party] == [v.id for v in visits]

    later = await admin.RecordVisit(_view(visitor, "/catalog", title="Каталог"))
    assert later.identified

    async def visit_entries() -> list[contacts_pb2.TimelineEntry] | None:
        timeline = await peers.contacts(ALICE).ListTimeline(contacts_pb2.ListTimelineRequest(party_id=party.id))
        found = [e for e in timeline.entries if e.type == "visit.recorded"]
        return found if len(found) == 3 else None

    entries = await eventually(visit_entries)
    assert {e.subject_id for e in entries} == {*(v.id for v in visits), later.visit_id}
    # Earlier visits stand on the timeline at their own time, not at the identification's.
    at = {e.subject_id: e.occurred_at.ToDatetime() for e in entries}
    assert all(at[v.id] == v.visited_at.ToDatetime() for v in visits)
    assert any("Каталог" in e.summary for e in entries)


async def test_a_reader_who_may_not_see_the_lead_sees_none_of_its_visits(alice, bob, admin, peers, rejected) -> None:
    visitor = _visitor()
    await admin.RecordVisit(_view(visitor, "/?utm_source=google"))
    email = f"{uuid.uuid4().hex[:8]}@zavod.ru"
    party = await _shared_party(peers, email)
    result = await _submit(admin, await _form(alice), visitor, email)
    await admin.RecordVisit(_view(visitor, "/delivery"))

    await rejected(bob.ListVisits(pb.ListVisitsRequest(lead_id=result.lead_id)), grpc.StatusCode.NOT_FOUND)
    assert not (await bob.ListVisits(pb.ListVisitsRequest(party_id=party.id))).visits
    assert len((await admin.ListVisits(pb.ListVisitsRequest(party_id=party.id))).visits) == 2

    async def alice_sees_both() -> bool:
        timeline = await peers.contacts(ALICE).ListTimeline(contacts_pb2.ListTimelineRequest(party_id=party.id))
        return len([e for e in timeline.entries if e.type == "visit.recorded"]) == 2

    assert await eventually(alice_sees_both)
    bobs = await peers.contacts(BOB).ListTimeline(contacts_pb2.ListTimelineRequest(party_id=party.id))
    assert "party.created" in [e.type for e in bobs.entries]
    assert not [e for e in bobs.entries if e.type in ("visit.recorded", "lead.captured")]


async def test_bad_page_views_are_refused_and_nothing_is_stored(admin, rejected) -> None:
    visitor = _visitor()
    cases = {
        "visitor_id": _view(""),
        "url": _view(visitor, url=""),
    }
    for field, request in cases.items():
        detail = await rejected(admin.RecordVisit(request), grpc.StatusCode.INVALID_ARGUMENT)
        assert detail.field_violations[0].field == field
    too_long = await rejected(admin.RecordVisit(_view(visitor, "/" + "a" * 2000)), grpc.StatusCode.INVALID_ARGUMENT)
    assert {v.field: v.code for v in too_long.field_violations} == {"url": "too_long"}
    for request in (_view("x" * 101), _view("bad id"), _view(visitor, url="javascript:alert(1)")):
        await rejected(admin.RecordVisit(request), grpc.StatusCode.INVALID_ARGUMENT)
    await rejected(admin.RecordVisit(_view(visitor, title="a\x00b")), grpc.StatusCode.INVALID_ARGUMENT)


async def test_a_burst_from_one_visitor_is_limited(admin, rejected) -> None:
    visitor = _visitor()
    for i in range(30):
        await admin.RecordVisit(_view(visitor, f"/page/{i}"))
    detail = await rejected(admin.RecordVisit(_view(visitor, "/more")), grpc.StatusCode.RESOURCE_EXHAUSTED)
    assert detail.code == "rate_limited"
    await admin.RecordVisit(_view(_visitor()))  # another visitor is not held back


async def test_old_anonymous_visits_are_purged_and_linked_ones_kept(
    alice, admin, marketing_app, clock, time_travel
) -> None:
    anonymous, identified = _visitor(), _visitor()
    gone = await admin.RecordVisit(_view(anonymous))
    kept = await admin.RecordVisit(_view(identified))
    result = await _submit(admin, await _form(alice), identified, f"{uuid.uuid4().hex[:8]}@zavod.ru")
    visits = Visits(
        marketing_app.db, marketing_app.namespace, clock, VisitLimits(30, 300, timedelta(days=90)), secret=""
    )
    time_travel(timedelta(days=91))
    assert await visits.purge_all() >= 1
    async with marketing_app.db.readers() as session:
        from crm_marketing.models import Visit

        assert await session.get(Visit, gone.visit_id) is None
        assert await session.get(Visit, kept.visit_id) is not None
    assert [v.id for v in (await alice.ListVisits(pb.ListVisitsRequest(lead_id=result.lead_id))).visits] == [
        kept.visit_id
    ]
