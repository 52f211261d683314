"""A deal's money goes to the campaign it came from (first touch); ROI counts only what the reader may see."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select

from crm.deals.v1 import deals_pb2
from crm.events.v1 import deals_pb2 as deal_events
from crm.events.v1 import envelope_pb2
from crm.marketing.v1 import marketing_pb2 as pb
from crm_core.testing import ALICE, eventually
from crm_marketing.consumers import attribute_deals
from crm_marketing.models import DealSource


async def _won_and_paid(peers, campaign_id: str, amount: str, paid: str) -> deals_pb2.Deal:  # type: ignore[no-untyped-def]
    deals = peers.deals(ALICE)
    deal = deals_pb2.Deal(
        title="Поставка швеллера", client_id=str(uuid.uuid4()), client_name="ООО Сталь", amount=amount
    )
    deal.source.campaign_id = campaign_id
    deal = await deals.CreateDeal(deals_pb2.CreateDealRequest(deal=deal))
    pipeline = (await deals.ListPipelines(deals_pb2.ListPipelinesRequest())).pipelines[0]
    won = next(s for s in pipeline.stages if s.category == "won")
    deal = await deals.MoveDealStage(
        deals_pb2.MoveDealStageRequest(deal_id=deal.id, stage_id=won.id, expected_version=deal.version)
    )
    await deals.AddPayment(
        deals_pb2.AddPaymentRequest(deal_id=deal.id, status="received", amount=paid, received_on="2026-06-10")
    )
    return deal


async def test_a_won_and_paid_deal_shows_as_revenue_and_roi_of_its_campaign(alice, bob, peers) -> None:
    campaign = await alice.CreateCampaign(
        pb.CreateCampaignRequest(campaign=pb.Campaign(name=f"Выставка {uuid.uuid4().hex[:6]}", type="exhibition"))
    )
    campaign = await alice.AddCampaignCost(
        pb.AddCampaignCostRequest(
            campaign_id=campaign.id,
            cost=pb.CampaignCost(date="2026-05-01", item="Стенд", amount="100000"),
            expected_version=campaign.version,
        )
    )
    for _ in range(2):
        await alice.CreateLead(
            pb.CreateLeadRequest(lead=pb.Lead(company_name="ООО Сталь", campaign_id=campaign.id, phone="+79001112233"))
        )
    await _won_and_paid(peers, campaign.id, "300000.00", "250000.00")

    async def funnel() -> pb.Funnel | None:
        report = await alice.GetCampaignReport(pb.GetCampaignReportRequest(campaign_ids=[campaign.id]))
        found = report.campaigns[0].funnel if report.campaigns else None
        return found if found and found.revenue == "250000.00" else None

    found = await eventually(funnel)
    assert (found.cost, found.leads, found.deals, found.won, found.won_amount) == ("100000.00", 2, 1, 1, "300000.00")
    assert Decimal(found.roi) == Decimal("1.5000")  # (250 000 - 100 000) / 100 000
    assert found.cost_per_lead == "50000.00"
    assert found.cost_per_won == "100000.00"
    report = await alice.GetCampaignReport(pb.GetCampaignReportRequest(campaign_ids=[campaign.id]))
    assert [c.channel for c in report.channels] == ["exhibition"]
    # Bob sees neither the campaign nor its deals.
    assert not (await bob.GetCampaignReport(pb.GetCampaignReportRequest(campaign_ids=[campaign.id]))).campaigns


async def test_a_payment_told_twice_counts_once(alice, peers, marketing_app) -> None:
    """A stream refilled after a broker loss repeats facts under new event ids: a payment adds once."""
    campaign = await alice.CreateCampaign(
        pb.CreateCampaignRequest(campaign=pb.Campaign(name=f"Реклама {uuid.uuid4().hex[:6]}", type="advertising"))
    )
    deal = await _won_and_paid(peers, campaign.id, "1000.00", "1000.00")

    async def revenue() -> Decimal | None:
        async with marketing_app.db.readers() as session:
            row = await session.scalar(select(DealSource).where(DealSource.deal_id == deal.id))
        return row.revenue if row is not None and row.revenue else None

    assert await eventually(revenue) == Decimal("1000.00")
    async with marketing_app.db.readers() as session:
        payment_id = (await session.scalar(select(DealSource).where(DealSource.deal_id == deal.id))).payment_ids[0]
    again = envelope_pb2.EventEnvelope(event_id=str(uuid.uuid4()), type="payment.received", version=1)
    again.payload.Pack(deal_events.PaymentReceived(payment_id=payment_id, deal_id=deal.id, amount="1000.00"))
    async with marketing_app.db.transaction() as session:
        await attribute_deals(session, again)
    assert await revenue() == Decimal("1000.00")
