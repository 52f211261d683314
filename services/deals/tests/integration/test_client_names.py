"""A deal's client name is a copy of the client's data: it shows only to those who may see the client."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from crm.common.v1 import common_pb2
from crm.deals.v1 import deals_pb2 as pb
from crm.events.v1 import contacts_pb2 as contact_events
from crm_core.auth import SYSTEM
from crm_core.events.envelope import build_envelope
from crm_core.events.inbox import InboxRow
from crm_core.scopes import scope_of
from crm_core.service import ServiceApp
from crm_core.testing import eventually


async def party_updated(app: ServiceApp, party_id: str, name: str, version: int, shared_with: list[str]) -> str:
    """contacts' party.updated with the party's scope: owned by alice, shared as given; returns its event id."""
    envelope = build_envelope(
        "contacts",
        "party.updated",
        subject_id=party_id,
        payload=contact_events.PartyChanged(party_id=party_id, kind="company", display_name=name),
        actor=SYSTEM,
        version=version,
        party_ids=[party_id],
        scopes=[scope_of("party", party_id, owner_id="u-alice", shared_with=shared_with, version=version)],
    )
    await app.bus.ensure_stream("contacts")
    await app.bus.js.publish(
        app.namespace.subject("contacts", "party.updated"),
        envelope.SerializeToString(),
        headers={"Nats-Msg-Id": envelope.event_id},
    )
    return envelope.event_id


async def test_a_client_hidden_from_the_reader_of_a_shared_deal_has_no_name_anywhere_until_shared(
    deals_app, alice, bob, board
) -> None:
    client = str(uuid.uuid4())
    deal = await board.open(alice, client_id=client, client_name="ООО Тайный клиент", shared_with=["u-bob"])
    await party_updated(deals_app, client, "ООО Тайный клиент", 2, shared_with=[])

    async def hidden_from_bob() -> bool:
        return (await bob.GetDeal(pb.GetDealRequest(id=deal.id))).client_name == ""

    await eventually(hidden_from_bob)
    assert (await alice.GetDeal(pb.GetDealRequest(id=deal.id))).client_name == "ООО Тайный клиент"
    by_board = [common_pb2.Filter(field="pipeline_id", op="eq", value=board.id)]
    listed = await bob.ListDeals(pb.ListDealsRequest(filters=by_board))
    assert [(d.id, d.client_id, d.client_name) for d in listed.deals] == [(deal.id, client, "")]
    assert list((await bob.ListDeals(pb.ListDealsRequest(query="Тайный", filters=by_board))).deals) == []
    assert len((await alice.ListDeals(pb.ListDealsRequest(query="Тайный", filters=by_board))).deals) == 1
    cards = [c for col in (await bob.GetKanban(pb.GetKanbanRequest(pipeline_id=board.id))).columns for c in col.cards]
    assert [(c.id, c.client_name) for c in cards] == [(deal.id, "")]

    await party_updated(deals_app, client, "ООО Тайный клиент", 3, shared_with=["u-bob"])

    async def shown_to_bob() -> bool:
        return (await bob.GetDeal(pb.GetDealRequest(id=deal.id))).client_name == "ООО Тайный клиент"

    await eventually(shown_to_bob)


async def test_a_rename_arriving_after_a_newer_one_leaves_the_newer_name(deals_app, alice, board) -> None:
    # After a broker lost its store the relay publishes the retained outbox again, behind events written
    # since: an old rename can arrive after a newer one (the fault suite's nats-wipe scenario found this).
    client = str(uuid.uuid4())
    deal = await board.open(alice, client_id=client, client_name="ООО Первое имя")
    await party_updated(deals_app, client, "ООО Третье имя", 3, shared_with=[])

    async def renamed() -> bool:
        return (await alice.GetDeal(pb.GetDealRequest(id=deal.id))).client_name == "ООО Третье имя"

    await eventually(renamed)
    late = await party_updated(deals_app, client, "ООО Второе имя", 2, shared_with=[])

    async def handled() -> bool:
        async with deals_app.db.sessions() as session:
            return (await session.scalar(select(InboxRow.event_id).where(InboxRow.event_id == late))) is not None

    await eventually(handled)
    assert (await alice.GetDeal(pb.GetDealRequest(id=deal.id))).client_name == "ООО Третье имя"


async def test_a_deal_opened_with_a_name_read_before_a_rename_that_deals_already_heard_of_gets_the_new_name(
    deals_app, alice, board
) -> None:
    # The gateway read the client, the client was renamed, the rename's event reached deals, and only then
    # did the deal commit (the fault suite's gateway-kill scenario, under load, found such deals).
    client = str(uuid.uuid4())
    renamed = await party_updated(deals_app, client, "ООО Новое имя", 2, shared_with=[])

    async def handled() -> bool:
        async with deals_app.db.sessions() as session:
            return (await session.scalar(select(InboxRow.event_id).where(InboxRow.event_id == renamed))) is not None

    await eventually(handled)
    deal = await board.open(alice, client_id=client, client_name="ООО Старое имя")
    assert deal.client_name == "ООО Новое имя"
    assert (await alice.GetDeal(pb.GetDealRequest(id=deal.id))).client_name == "ООО Новое имя"
