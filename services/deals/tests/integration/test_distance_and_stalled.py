"""Distance to money and stalled deals as time passes (the service's clock is shifted)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from crm.deals.v1 import deals_pb2 as pb


def flt(field: str, op: str, value: str) -> dict[str, str]:
    return {"field": field, "op": op, "value": value}


async def test_a_deal_over_its_stage_time_limit_is_stalled_and_loses_expected_amount(alice, board, time_travel) -> None:
    deal = await board.open(alice, amount="100000.00")
    deal = await alice.MoveDealStage(pb.MoveDealStageRequest(deal_id=deal.id, stage_id=board.stage("Proposal")))
    assert (deal.distance.expected_amount, deal.distance.stalled) == ("50000.00", False)
    time_travel(timedelta(days=20))  # Proposal allows 10 days
    deal = await alice.GetDeal(pb.GetDealRequest(id=deal.id))
    assert deal.distance.stalled
    assert list(deal.distance.stalled_reasons) == ["stage_time_limit", "no_activity"]
    assert 0.49 < deal.distance.time_factor < 0.51
    assert Decimal(deal.distance.expected_amount) < Decimal("25100")
    stalled = await alice.ListDeals(pb.ListDealsRequest(filters=[*board.by_pipeline(), flt("stalled", "eq", "true")]))
    assert [d.id for d in stalled.deals] == [deal.id]


async def test_no_activity_for_stale_days_stalls_a_deal_and_any_change_revives_it(alice, board, time_travel) -> None:
    quiet = await board.open(alice, title="Тихая сделка")
    busy = await board.open(alice, title="Активная сделка")
    time_travel(timedelta(days=15))  # the board's pipeline has stale_days = 14
    await alice.MoveDealStage(pb.MoveDealStageRequest(deal_id=busy.id, stage_id=board.stage("Qualified")))
    stalled = await alice.ListDeals(pb.ListDealsRequest(filters=[*board.by_pipeline(), flt("stalled", "eq", "true")]))
    assert [d.id for d in stalled.deals] == [quiet.id]
    assert list(stalled.deals[0].distance.stalled_reasons) == ["no_activity"]
    moving = await alice.ListDeals(pb.ListDealsRequest(filters=[*board.by_pipeline(), flt("stalled", "eq", "false")]))
    assert [d.id for d in moving.deals] == [busy.id]


async def test_sql_filters_and_sort_agree_with_the_domain_rule(alice, board, time_travel) -> None:
    amounts = ["100000.00", "33333.33", "250000.55", "999.99"]
    for i, amount in enumerate(amounts):
        deal = await board.open(alice, amount=amount)
        if i % 2:
            await alice.MoveDealStage(pb.MoveDealStageRequest(deal_id=deal.id, stage_id=board.stage("Proposal")))
    time_travel(timedelta(days=13, hours=7))
    listed = await alice.ListDeals(pb.ListDealsRequest(filters=board.by_pipeline(), sort="distance"))
    distances = [Decimal(d.distance.distance) for d in listed.deals]
    assert distances == sorted(distances) and len(distances) == 4
    for d in listed.deals:
        found = await alice.ListDeals(
            pb.ListDealsRequest(
                filters=[
                    *board.by_pipeline(),
                    flt("expected_amount", "eq", d.distance.expected_amount),
                    flt("distance", "eq", d.distance.distance),
                ]
            )
        )
        assert [x.id for x in found.deals] == [d.id], d.distance


async def test_sort_by_distance_pages_by_cursor(alice, board) -> None:
    for amount in ["10.00", "20.00", "30.00", "40.00", "50.00"]:
        await board.open(alice, amount=amount)
    seen, cursor = [], ""
    while True:
        page = await alice.ListDeals(
            pb.ListDealsRequest(filters=board.by_pipeline(), sort="-distance", limit=2, cursor=cursor)
        )
        seen += [d.amount for d in page.deals]
        cursor = page.next_cursor
        if not cursor:
            break
    assert seen == ["50.00", "40.00", "30.00", "20.00", "10.00"]
