"""BulkCreateParties: the rows, audit entries and events of CreateParty, one result per party, all or nothing."""

from __future__ import annotations

import json
from typing import Any

import grpc
import pytest
from google.protobuf import json_format
from sqlalchemy import text

from crm.contacts.v1 import contacts_pb2 as pb
from crm.events.v1 import contacts_pb2 as events
from crm.events.v1.envelope_pb2 import EventEnvelope
from crm_contacts import commands
from crm_core.datagen import PartyGenerator
from crm_core.service import ServiceApp

CREATED, DUPLICATE, REJECTED = pb.BulkCreateResult.CREATED, pb.BulkCreateResult.DUPLICATE, pb.BulkCreateResult.REJECTED
# Differ between any two parties by construction.
OWN_COLUMNS = ("id", "created_at", "updated_at", "search_tsv")


def generated(tag: str, seed: int, count: int, companies: float = 0.6) -> list[pb.Party]:
    """`count` realistic parties (crm_core.datagen) marked with the test's tag."""
    bodies = PartyGenerator(seed).parties(count, companies)
    return [json_format.ParseDict({**body, "tags": [tag, *body["tags"]]}, pb.Party()) for body in bodies]


async def bulk(stub: Any, parties: list[pb.Party], on_duplicate: int = 0) -> list[pb.BulkCreateResult]:
    response = await stub.BulkCreateParties(pb.BulkCreatePartiesRequest(parties=parties, on_duplicate=on_duplicate))
    return list(response.results)


async def stored(app: ServiceApp, party_id: str) -> dict[str, Any]:
    """The party's row, its audit entries and its outbox events, with its own id, times and event ids left out."""
    async with app.db.sessions() as session:
        row = dict(
            (await session.execute(text("SELECT * FROM party WHERE id = :id"), {"id": party_id})).mappings().one()
        )
        audit = (
            await session.execute(
                text("SELECT action, actor_id, changes FROM audit_entry WHERE entity_id = :id ORDER BY id"),
                {"id": party_id},
            )
        ).all()
        payloads = (await session.execute(text("SELECT subject, payload FROM outbox ORDER BY id"))).all()
    found = []
    for subject, payload in payloads:
        envelope = EventEnvelope.FromString(payload)
        if envelope.subject_id != party_id:
            continue
        changed = events.PartyChanged()
        envelope.payload.Unpack(changed)
        body = json_format.MessageToDict(envelope)
        for volatile in ("eventId", "occurredAt", "payload"):
            body.pop(volatile)
        found.append({"subject": subject, "envelope": body, "payload": json_format.MessageToDict(changed)})
    same = json.dumps(
        {
            "row": {k: v for k, v in row.items() if k not in OWN_COLUMNS},
            "audit": [tuple(a) for a in audit],
            "events": found,
        },
        default=str,
        ensure_ascii=False,
        sort_keys=True,
    )
    return json.loads(same.replace(party_id, "<id>"))


async def test_a_bulk_created_party_is_the_row_audit_and_event_of_a_single_create(
    alice, contacts_app, tag, rejected
) -> None:
    draft = generated(tag, 1, 1)[0]
    single = (await alice.CreateParty(pb.CreatePartyRequest(party=draft))).party
    single_stored = await stored(contacts_app, single.id)
    # The same draft again: its INN blocks it, as it blocks a second CreateParty.
    (blocked,) = await bulk(alice, [draft])
    assert blocked.outcome == DUPLICATE and blocked.error.code == "duplicate_party"
    assert [(d.party_id, d.in_request) for d in blocked.duplicates] == [(single.id, False)]
    assert {"inn", "ogrn"} <= set(blocked.duplicates[0].reasons)
    await alice.DeleteParty(pb.DeletePartyRequest(id=single.id, expected_version=1))

    (result,) = await bulk(alice, [draft])

    assert result.outcome == CREATED, result
    assert await stored(contacts_app, result.party_id) == single_stored
    assert single_stored["events"][0]["envelope"]["type"] == "party.created"
    assert single_stored["events"][0]["envelope"]["scopes"]  # the party's access scope travels with it
    assert single_stored["audit"][0][:2] == ["created", "u-alice"]


async def test_each_row_is_answered_in_order_created_duplicate_or_rejected(alice, admin, parties, tag) -> None:
    base = await parties.new_company(alice)
    good, bad_inn, same_as_base, second, same_as_first, foreign_team = generated(tag, 2, 6, companies=1)
    bad_inn.company.inn = "7707083894"  # wrong check digit
    same_as_base.company.inn = base.company.inn
    same_as_first.CopyFrom(good)
    same_as_first.emails[0].value = f"other.{tag}@example.ru"
    second.emails.add(value=base.emails[0].value)  # an e-mail of a stored party: created, and listed
    foreign_team.team_id = "team-south"

    results = await bulk(alice, [good, bad_inn, same_as_base, second, same_as_first, foreign_team])

    assert [r.outcome for r in results] == [CREATED, REJECTED, DUPLICATE, CREATED, DUPLICATE, REJECTED]
    assert [(v.field, v.code) for v in results[1].error.field_violations] == [("company.inn", "invalid_inn")]
    assert results[2].duplicates[0].party_id == base.id and "inn" in results[2].duplicates[0].reasons
    first = results[4].duplicates[0]
    assert (first.party_id, first.in_request, first.row) == (results[0].party_id, True, 0)
    assert [(d.party_id, list(d.reasons)) for d in results[3].duplicates] == [(base.id, ["email"])]
    assert results[5].error.code == "team_not_allowed"
    listed = await admin.ListParties(pb.ListPartiesRequest(filters=[{"field": "tags", "op": "eq", "value": tag}]))
    assert sorted(p.id for p in listed.parties) == sorted([base.id, results[0].party_id, results[3].party_id])


async def test_skip_leaves_out_a_same_email_or_phone_and_only_lists_a_same_name(alice, parties, tag) -> None:
    base = await parties.new_person(alice)
    by_email, by_phone, by_name = generated(tag, 3, 3, companies=0)
    by_email.emails[0].value = base.emails[0].value.upper()
    by_phone.phones[0].value = base.phones[0].value
    by_name.person.CopyFrom(base.person)
    by_name.person.last_name = base.person.last_name.upper()  # the same normalized name key

    results = await bulk(alice, [by_email, by_phone, by_name], on_duplicate=pb.ON_DUPLICATE_SKIP)

    assert [r.outcome for r in results] == [DUPLICATE, DUPLICATE, CREATED]
    assert [(d.party_id, list(d.reasons)) for d in results[0].duplicates] == [(base.id, ["email"])]
    assert [(d.party_id, list(d.reasons)) for d in results[1].duplicates] == [(base.id, ["phone"])]
    assert [(d.party_id, list(d.reasons)) for d in results[2].duplicates] == [(base.id, ["name"])]


async def test_a_database_failure_leaves_nothing_of_the_batch(
    alice, tag, row_counts, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two parties given one id: PostgreSQL refuses the second in the middle of the batch's INSERT.
    monkeypatch.setattr(commands, "new_id", lambda: "00000000-0000-4000-8000-0000000000b1")
    before = await row_counts()
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await bulk(alice, generated(tag, 4, 5))
    assert info.value.code() == grpc.StatusCode.INTERNAL
    assert await row_counts() == before


async def test_more_than_a_thousand_parties_is_invalid(alice, tag, rejected) -> None:
    parties = generated(tag, 5, 1) * 1001
    detail = await rejected(
        alice.BulkCreateParties(pb.BulkCreatePartiesRequest(parties=parties)), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert detail.field_violations[0].code == "too_many"
