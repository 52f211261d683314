"""Timeline entries show only to readers who may see the records they reveal, as those records change hands.

Other domains' events are published straight onto their streams here (as the
deals and tasks services would), with the access scopes in their envelopes.
"""

from __future__ import annotations

import uuid

from google.protobuf import wrappers_pb2

from crm.contacts.v1 import contacts_pb2 as pb
from crm.events.v1 import envelope_pb2
from crm_core.events.envelope import build_envelope
from crm_core.scopes import scope_of, scope_reference
from crm_core.service import ServiceApp
from crm_core.testing import ALICE, CallerStub, eventually


class Foreign:
    """Publishes events of another domain about a party, as that domain's service would."""

    def __init__(self, app: ServiceApp, admin: CallerStub) -> None:
        self.bus = app.bus
        self.admin = admin

    async def publish(
        self, source: str, event_type: str, party_id: str, scopes: list[envelope_pb2.AccessScope], summary: str
    ) -> str:
        envelope = build_envelope(
            source,
            event_type,
            subject_id=str(uuid.uuid4()),
            payload=wrappers_pb2.StringValue(value=summary),
            actor=ALICE,
            party_ids=[party_id],
            summary=summary,
            scopes=scopes,
        )
        await self.bus.ensure_stream(source)
        await self.bus.js.publish(
            self.bus.namespace.subject(source, event_type),
            envelope.SerializeToString(),
            headers={"Nats-Msg-Id": envelope.event_id},
        )

        async def projected() -> bool:  # the admin sees every entry: once there, it is projected
            page = await self.admin.ListTimeline(pb.ListTimelineRequest(party_id=party_id, limit=200))
            return any(e.event_id == envelope.event_id for e in page.entries)

        await eventually(projected)
        return envelope.event_id


async def summaries(stub: CallerStub, party_id: str) -> set[str]:
    page = await stub.ListTimeline(pb.ListTimelineRequest(party_id=party_id, limit=200))
    return {e.summary for e in page.entries}


async def test_a_deal_the_reader_may_not_see_is_absent_from_a_shared_companys_timeline_until_handed_over(
    contacts_app: ServiceApp, admin: CallerStub, alice: CallerStub, bob: CallerStub, parties
) -> None:
    company = await parties.new_company(alice, shared_with=["u-bob"])
    deals = Foreign(contacts_app, admin)
    deal_id = str(uuid.uuid4())

    def deal_scope(owner: str, version: int) -> envelope_pb2.AccessScope:
        return scope_of("deal", deal_id, owner_id=owner, team_id="team-north", version=version)

    await deals.publish("deals", "deal.created", company.id, [deal_scope("u-alice", 1)], "Deal 'Secret' opened")
    await deals.publish("deals", "payment.received", company.id, [deal_scope("u-alice", 1)], "Payment 9999999.00")
    seen_by_bob = await summaries(bob, company.id)
    assert "Deal 'Secret' opened" not in seen_by_bob and "Payment 9999999.00" not in seen_by_bob
    assert any(company.display_name in s for s in seen_by_bob)  # bob sees the company's own entries
    assert {"Deal 'Secret' opened", "Payment 9999999.00"} <= await summaries(alice, company.id)

    # Handed to bob: the deal's earlier entries show to him at once, and no longer to a team outsider.
    await deals.publish("deals", "deal.updated", company.id, [deal_scope("u-bob", 2)], "Deal 'Secret' reassigned")
    assert {"Deal 'Secret' opened", "Payment 9999999.00", "Deal 'Secret' reassigned"} <= await summaries(
        bob, company.id
    )
    # A late copy of an older version changes nothing.
    await deals.publish("deals", "deal.updated", company.id, [deal_scope("u-alice", 1)], "Deal 'Secret' replayed")
    assert "Deal 'Secret' opened" in await summaries(bob, company.id)
    # alice is in the deal's team: she still sees it.
    assert "Deal 'Secret' replayed" in await summaries(alice, company.id)


async def test_a_task_shows_to_its_people_and_to_managers_of_its_team_only(
    contacts_app: ServiceApp, admin: CallerStub, alice: CallerStub, bob: CallerStub, carol: CallerStub, parties
) -> None:
    company = await parties.new_company(admin, shared_with=["u-alice", "u-bob", "u-carol"])
    scope = scope_of(
        "task", str(uuid.uuid4()), owner_id="u-dave", team_id="team-north", team_role="director", version=1
    )
    await Foreign(contacts_app, admin).publish("tasks", "task.created", company.id, [scope], "Call: budget")
    # alice and carol are in team-north but not directors; bob is in another team.
    for reader in (alice, bob, carol):
        assert "Call: budget" not in await summaries(reader, company.id)
    watched = scope_of("task", scope.record.split(":")[1], owner_id="u-dave", shared_with=["u-carol"], version=2)
    await Foreign(contacts_app, admin).publish("tasks", "task.updated", company.id, [watched], "Call: watched")
    assert {"Call: budget", "Call: watched"} <= await summaries(carol, company.id)
    assert "Call: budget" not in await summaries(alice, company.id)


async def test_entries_without_a_known_scope_show_to_admins_only(
    contacts_app: ServiceApp, admin: CallerStub, alice: CallerStub, parties
) -> None:
    company = await parties.new_company(alice)
    foreign = Foreign(contacts_app, admin)
    await foreign.publish("deals", "deal.won", company.id, [], "Deal without a scope")
    # A process names its deal by reference; that deal's own events never reached contacts.
    unseen_deal = scope_reference("deal", str(uuid.uuid4()))
    await foreign.publish("tasks", "process.started", company.id, [unseen_deal], "Process started")
    assert not {"Deal without a scope", "Process started"} & await summaries(alice, company.id)
    assert {"Deal without a scope", "Process started"} <= await summaries(admin, company.id)


async def test_a_link_to_a_person_the_reader_may_not_see_is_absent_from_the_companys_timeline(
    admin: CallerStub, alice: CallerStub, bob: CallerStub, parties
) -> None:
    company = await parties.new_company(alice, shared_with=["u-bob"])
    person = await parties.new_person(alice)
    await alice.LinkPerson(pb.LinkPersonRequest(company_id=company.id, person_id=person.id, role="Директор"))

    async def linked() -> bool:
        page = await alice.ListTimeline(pb.ListTimelineRequest(party_id=company.id))
        return any(e.type == "party.person_linked" for e in page.entries)

    await eventually(linked)
    page = await bob.ListTimeline(pb.ListTimelineRequest(party_id=company.id))
    assert "party.created" in {e.type for e in page.entries}
    assert "party.person_linked" not in {e.type for e in page.entries}
