"""Campaigns: created with their type from the code list, costs added and removed, hidden ones 404."""

from __future__ import annotations

import uuid

import grpc

from crm.common.v1 import common_pb2
from crm.marketing.v1 import marketing_pb2 as pb


def _campaign(**fields: object) -> pb.Campaign:
    values: dict[str, object] = {
        "name": f"Выставка «Металлообработка» {uuid.uuid4().hex[:6]}",
        "type": "exhibition",
        "status": "active",
        "starts_on": "2026-05-20",
        "ends_on": "2026-05-23",
        "budget": "450000.00",
    }
    values.update(fields)
    return pb.Campaign(**values)  # type: ignore[arg-type]


async def test_a_campaign_sums_its_cost_lines_and_keeps_its_budget(alice) -> None:
    campaign = await alice.CreateCampaign(pb.CreateCampaignRequest(campaign=_campaign()))
    assert (campaign.owner_id, campaign.team_id, campaign.currency) == ("u-alice", "team-north", "RUB")
    campaign = await alice.AddCampaignCost(
        pb.AddCampaignCostRequest(
            campaign_id=campaign.id,
            cost=pb.CampaignCost(date="2026-05-01", item="Стенд 12 м²", amount="180000"),
            expected_version=campaign.version,
        )
    )
    campaign = await alice.AddCampaignCost(
        pb.AddCampaignCostRequest(
            campaign_id=campaign.id,
            cost=pb.CampaignCost(date="2026-05-10", item="Печать буклетов", amount="24500.50"),
            expected_version=campaign.version,
        )
    )
    assert (campaign.cost, campaign.budget, len(campaign.costs)) == ("204500.50", "450000.00", 2)
    first = next(c for c in campaign.costs if c.item == "Стенд 12 м²")
    campaign = await alice.RemoveCampaignCost(
        pb.RemoveCampaignCostRequest(campaign_id=campaign.id, cost_id=first.id, expected_version=campaign.version)
    )
    assert (campaign.cost, [c.item for c in campaign.costs]) == ("24500.50", ["Печать буклетов"])


async def test_bad_campaign_input_names_every_field(alice, rejected) -> None:
    bad = _campaign(name="", type="not a code", status="soon", ends_on="2026-05-01", budget="-5", currency="rub")
    detail = await rejected(
        alice.CreateCampaign(pb.CreateCampaignRequest(campaign=bad)), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert {v.field for v in detail.field_violations} >= {"name", "type", "status", "ends_on", "budget", "currency"}


async def test_a_type_outside_the_code_list_is_refused(alice, rejected) -> None:
    detail = await rejected(
        alice.CreateCampaign(pb.CreateCampaignRequest(campaign=_campaign(type="telepathy"))),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert detail.field_violations[0].code == "unknown_code"


async def test_campaign_types_ship_in_russian_and_english(alice) -> None:
    codes = await alice.ListCodes(common_pb2.ListCodesRequest(list="campaign_types"))
    labels = {c.code: (c.label_ru, c.label_en) for c in codes.codes}
    assert labels["exhibition"] == ("Выставка", "Exhibition")
    assert labels["web_form"] == ("Форма на сайте", "Web form")


async def test_a_hidden_campaign_is_404_and_absent_from_lists(alice, bob, carol, rejected) -> None:
    name = f"Только север {uuid.uuid4().hex[:6]}"
    campaign = await alice.CreateCampaign(pb.CreateCampaignRequest(campaign=_campaign(name=name)))
    await rejected(bob.GetCampaign(pb.GetCampaignRequest(id=campaign.id)), grpc.StatusCode.NOT_FOUND)
    await rejected(
        bob.AddCampaignCost(
            pb.AddCampaignCostRequest(
                campaign_id=campaign.id,
                cost=pb.CampaignCost(date="2026-05-01", item="x", amount="1"),
                expected_version=1,
            )
        ),
        grpc.StatusCode.NOT_FOUND,
    )
    assert not (await bob.ListCampaigns(pb.ListCampaignsRequest(query=name))).campaigns
    assert [c.id for c in (await carol.ListCampaigns(pb.ListCampaignsRequest(query=name))).campaigns] == [campaign.id]


async def test_a_stale_version_is_a_conflict(alice, rejected) -> None:
    campaign = await alice.CreateCampaign(pb.CreateCampaignRequest(campaign=_campaign()))
    changed = pb.Campaign()
    changed.CopyFrom(campaign)
    changed.status = "completed"
    await alice.UpdateCampaign(pb.UpdateCampaignRequest(campaign=changed, expected_version=campaign.version))
    await rejected(
        alice.UpdateCampaign(pb.UpdateCampaignRequest(campaign=changed, expected_version=campaign.version)),
        grpc.StatusCode.ABORTED,
    )
