"""Deal events go through the outbox to JetStream naming the client and contacts; party changes come back."""

from __future__ import annotations

import uuid

from crm.deals.v1 import deals_pb2 as pb
from crm.events.v1 import contacts_pb2 as contact_events
from crm.events.v1 import deals_pb2 as deal_events
from crm.events.v1 import envelope_pb2
from crm_core.auth import SYSTEM
from crm_core.events.envelope import build_envelope
from crm_core.service import ServiceApp
from crm_core.testing import eventually, stream_messages


async def deal_envelopes(app: ServiceApp, deal_id: str, count: int) -> list[envelope_pb2.EventEnvelope]:
    """The deal's events on the CRM_DEALS stream once there are `count` of them, in order."""

    async def check() -> list[envelope_pb2.EventEnvelope] | None:
        messages = await stream_messages(app.bus.js, app.namespace.stream("deals"))
        envelopes = [envelope_pb2.EventEnvelope.FromString(m.data) for m in messages]
        mine = [e for e in envelopes if e.subject_id == deal_id]
        return mine if len(mine) >= count else None

    return await eventually(check)


async def test_every_change_publishes_one_event_naming_client_and_contacts(deals_app, alice, board) -> None:
    contact = str(uuid.uuid4())
    deal = await board.open(alice, contact_ids=[contact], amount="80000")
    deal = await alice.MoveDealStage(pb.MoveDealStageRequest(deal_id=deal.id, stage_id=board.stage("Proposal")))
    deal = await alice.MoveDealStage(pb.MoveDealStageRequest(deal_id=deal.id, stage_id=board.stage("Qualified")))
    deal = await alice.MoveDealStage(pb.MoveDealStageRequest(deal_id=deal.id, stage_id=board.stage("Won")))
    deal = await alice.MoveDealStage(pb.MoveDealStageRequest(deal_id=deal.id, stage_id=board.stage("Negotiation")))
    deal = await alice.MoveDealStage(
        pb.MoveDealStageRequest(deal_id=deal.id, stage_id=board.stage("Lost"), loss_reason="price", comment="Дорого")
    )
    envelopes = await deal_envelopes(deals_app, deal.id, 6)
    assert [e.type for e in envelopes] == [
        "deal.created",
        "deal.stage_changed",
        "deal.stage_changed",
        "deal.won",
        "deal.reopened",
        "deal.lost",
    ]
    assert all(list(e.party_ids) == [deal.client_id, contact] for e in envelopes)
    assert all(e.source == "deals" and e.actor.user_id == "u-alice" for e in envelopes)
    assert [e.version for e in envelopes] == [1, 2, 3, 4, 5, 6]
    lost = deal_events.DealStageChanged()
    assert envelopes[-1].payload.Unpack(lost)
    assert (lost.to_stage_name, lost.loss_reason, lost.loss_comment, lost.category) == (
        "Lost",
        "price",
        "Дорого",
        "lost",
    )
    # The reason's labels travel with it: a timeline writes an installation's own codes in its reader's language.
    assert (lost.loss_reason_label_ru, lost.loss_reason_label_en) == ("Дорого", "Price too high")
    back = deal_events.DealStageChanged()
    envelopes[2].payload.Unpack(back)
    assert back.regression and (back.from_stage_name, back.to_stage_name) == ("Proposal", "Qualified")
    assert "won" in envelopes[3].summary and "80000.00 RUB" in envelopes[3].summary
    messages = await stream_messages(deals_app.bus.js, deals_app.namespace.stream("deals"))
    subjects = {m.subject for m in messages}
    assert f"{deals_app.namespace.root}.deals.deal.lost" in subjects


async def test_a_received_payment_is_published_with_its_late_days(deals_app, alice, board) -> None:
    deal = await board.open(alice)
    payment = await alice.AddPayment(
        pb.AddPaymentRequest(deal_id=deal.id, status="expected", amount="1200.50", due_date="2026-01-10")
    )
    await alice.ReceivePayment(
        pb.ReceivePaymentRequest(deal_id=deal.id, payment_id=payment.id, received_on="2026-01-15")
    )

    async def published() -> envelope_pb2.EventEnvelope | None:
        messages = await stream_messages(deals_app.bus.js, deals_app.namespace.stream("deals"))
        found = [envelope_pb2.EventEnvelope.FromString(m.data) for m in messages]
        return next((e for e in found if e.type == "payment.received" and e.subject_id == payment.id), None)

    envelope = await eventually(published)
    received = deal_events.PaymentReceived()
    assert envelope.payload.Unpack(received)
    assert (received.deal_id, received.amount, received.late_days) == (deal.id, "1200.50", 5)
    assert list(envelope.party_ids) == [deal.client_id]
    assert "5 days late" in envelope.summary


async def publish_party_event(app: ServiceApp, event_type: str, payload, version: int = 2) -> None:  # type: ignore[no-untyped-def]
    """contacts' event; like every party event it carries the party's version after the change (1 and up)."""
    envelope = build_envelope(
        "contacts", event_type, subject_id=str(uuid.uuid4()), payload=payload, actor=SYSTEM, version=version
    )
    await app.bus.ensure_stream("contacts")
    await app.bus.js.publish(
        app.namespace.subject("contacts", event_type),
        envelope.SerializeToString(),
        headers={"Nats-Msg-Id": envelope.event_id},
    )


async def test_renamed_and_merged_parties_follow_into_deals(deals_app, alice, board) -> None:
    survivor, merged, contact = (str(uuid.uuid4()) for _ in range(3))
    kept = await board.open(alice, client_id=survivor, client_name="ООО Старое имя")
    moved = await board.open(alice, client_id=merged, client_name="ИП Дубль", contact_ids=[merged, contact])
    await publish_party_event(
        deals_app,
        "party.updated",
        contact_events.PartyChanged(party_id=survivor, kind="company", display_name="ООО Новое имя"),
    )
    await publish_party_event(
        deals_app, "party.merged", contact_events.PartyMerged(survivor_id=survivor, merged_id=merged)
    )

    async def followed() -> list[pb.Deal] | None:
        deals = [await alice.GetDeal(pb.GetDealRequest(id=d.id)) for d in (kept, moved)]
        return deals if deals[1].client_id == survivor and deals[0].client_name == "ООО Новое имя" else None

    kept, moved = await eventually(followed)
    assert moved.client_name == "ООО Новое имя"
    assert list(moved.contact_ids) == [survivor, contact]


async def test_a_new_client_and_the_former_one_both_see_the_change(deals_app, alice, board) -> None:
    deal = await board.open(alice)
    new_client = str(uuid.uuid4())
    await alice.UpdateDeal(
        pb.UpdateDealRequest(
            deal=pb.Deal(id=deal.id, client_id=new_client, client_name="ООО Новый"),
            update_mask={"paths": ["client_id", "client_name"]},
        )
    )
    created, updated = await deal_envelopes(deals_app, deal.id, 2)
    assert list(created.party_ids) == [deal.client_id]
    assert list(updated.party_ids) == [new_client, deal.client_id]
