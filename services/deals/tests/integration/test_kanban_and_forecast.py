"""The board of a pipeline and the forecast: counts and sums over every visible deal, cards by page."""

from __future__ import annotations

from datetime import timedelta

import grpc

from crm.deals.v1 import deals_pb2 as pb


async def test_kanban_counts_and_sums_every_deal_and_pages_cards_per_column(alice, board) -> None:
    for i in range(5):
        await board.open(alice, amount=f"{(i + 1) * 1000}.00")
    dollars = await board.open(alice, amount="500.00", currency="USD")
    await alice.MoveDealStage(pb.MoveDealStageRequest(deal_id=dollars.id, stage_id=board.stage("Proposal")))
    kanban = await alice.GetKanban(pb.GetKanbanRequest(pipeline_id=board.id, limit=2))
    assert [c.stage.name for c in kanban.columns] == ["Lead", "Qualified", "Proposal", "Negotiation"]
    lead, _, proposal, _ = kanban.columns
    assert lead.count == 5 and len(lead.cards) == 2 and lead.next_cursor
    assert [(s.currency, s.amount, s.weighted_amount) for s in lead.sums] == [("RUB", "15000.00", "1500.00")]
    assert [(s.currency, s.amount, s.weighted_amount) for s in proposal.sums] == [("USD", "500.00", "250.00")]
    assert kanban.count == 6
    assert {(s.currency, s.amount) for s in kanban.sums} == {("RUB", "15000.00"), ("USD", "500.00")}
    cards = [c.id for c in lead.cards]
    cursor = lead.next_cursor
    while cursor:
        more = await alice.GetKanban(
            pb.GetKanbanRequest(pipeline_id=board.id, limit=2, stage_id=board.stage("Lead"), cursor=cursor)
        )
        (column,) = more.columns
        cards += [c.id for c in column.cards]
        cursor = column.next_cursor
    assert len(cards) == len(set(cards)) == 5


async def test_kanban_cards_follow_the_sort_and_filters(alice, board) -> None:
    for amount in ("300.00", "100.00", "200.00"):
        await board.open(alice, amount=amount)
    await board.open(alice, amount="999.00", owner_id="u-carol")
    kanban = await alice.GetKanban(
        pb.GetKanbanRequest(
            pipeline_id=board.id, sort="-amount", filters=[{"field": "owner_id", "op": "eq", "value": "u-alice"}]
        )
    )
    lead = kanban.columns[0]
    assert [c.amount for c in lead.cards] == ["300.00", "200.00", "100.00"]
    assert lead.count == 3


async def test_kanban_shows_closed_columns_when_asked_and_archived_stages_while_they_hold_deals(
    admin, alice, board
) -> None:
    deal = await board.open(alice)
    await alice.MoveDealStage(pb.MoveDealStageRequest(deal_id=deal.id, stage_id=board.stage("Qualified")))
    await admin.UpdateStage(
        pb.UpdateStageRequest(
            pipeline_id=board.id,
            stage=pb.Stage(id=board.stage("Qualified"), archived=True),
            update_mask={"paths": ["archived"]},
        )
    )
    names = [c.stage.name for c in (await alice.GetKanban(pb.GetKanbanRequest(pipeline_id=board.id))).columns]
    assert names == ["Lead", "Proposal", "Negotiation", "Qualified"]  # archived last, still holding the deal
    closed = await alice.GetKanban(pb.GetKanbanRequest(pipeline_id=board.id, include_closed=True))
    assert [c.stage.name for c in closed.columns][-3:] == ["Won", "Lost", "Qualified"]


async def test_kanban_bad_input(alice, board, rejected) -> None:
    await rejected(alice.GetKanban(pb.GetKanbanRequest(pipeline_id="nope")), grpc.StatusCode.NOT_FOUND)
    detail = await rejected(
        alice.GetKanban(pb.GetKanbanRequest(pipeline_id=board.id, stage_id=board.stage("Lead"), cursor="garbage")),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert detail.field_violations[0].code == "invalid_cursor"
    detail = await rejected(
        alice.GetKanban(pb.GetKanbanRequest(pipeline_id=board.id, sort="colour")), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert detail.field_violations[0].code == "unknown_sort_key"


async def test_forecast_weights_open_deals_per_month_owner_and_team(alice, carol, board) -> None:
    await board.open(alice, amount="100000.00", expected_close_date="2027-03-10")  # Lead 10%
    proposal = await board.open(carol, amount="40000.00", expected_close_date="2027-03-25")
    await carol.MoveDealStage(pb.MoveDealStageRequest(deal_id=proposal.id, stage_id=board.stage("Proposal")))
    await board.open(alice, amount="7000.00", expected_close_date="2027-04-01")
    won = await board.open(alice, amount="5000.00", expected_close_date="2027-03-01")
    await alice.MoveDealStage(pb.MoveDealStageRequest(deal_id=won.id, stage_id=board.stage("Won")))
    by_month = await alice.GetForecast(pb.GetForecastRequest(pipeline_id=board.id))
    assert [(r.month, r.deals, r.amount, r.weighted_amount) for r in by_month.rows] == [
        ("2027-03", 2, "140000.00", "30000.00"),
        ("2027-04", 1, "7000.00", "700.00"),
    ]
    assert [(t.currency, t.deals, t.weighted_amount) for t in by_month.totals] == [("RUB", 3, "30700.00")]
    by_owner = await alice.GetForecast(
        pb.GetForecastRequest(
            pipeline_id=board.id, group_by=["month", "owner"], from_month="2027-03", to_month="2027-03"
        )
    )
    assert [(r.month, r.owner_id, r.weighted_amount) for r in by_owner.rows] == [
        ("2027-03", "u-alice", "10000.00"),
        ("2027-03", "u-carol", "20000.00"),
    ]
    by_team = await alice.GetForecast(pb.GetForecastRequest(pipeline_id=board.id, group_by=["team"]))
    assert [(r.team_id, r.month, r.deals) for r in by_team.rows] == [("team-north", "", 3)]


async def test_forecast_bad_input(alice, rejected) -> None:
    detail = await rejected(
        alice.GetForecast(pb.GetForecastRequest(group_by=["year"])), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert detail.field_violations[0].code == "not_allowed"
    detail = await rejected(
        alice.GetForecast(pb.GetForecastRequest(from_month="2027-13")), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert detail.field_violations[0].code == "invalid_month"


async def test_open_deals_past_their_close_date_are_a_row_of_their_own(alice, board, clock) -> None:
    today = clock.now().date()
    late = await board.open(alice, amount="10000.00", expected_close_date=(today - timedelta(days=3)).isoformat())
    await board.open(alice, amount="20000.00", expected_close_date=(today + timedelta(days=40)).isoformat())
    forecast = await alice.GetForecast(pb.GetForecastRequest(pipeline_id=board.id))
    first, *rest = forecast.rows
    assert (first.overdue, first.deals, first.amount, first.month) == (
        True,
        1,
        "10000.00",
        late.expected_close_date[:7],
    )
    assert [(r.overdue, r.amount) for r in rest] == [(False, "20000.00")]
    assert [(t.deals, t.amount) for t in forecast.totals] == [(2, "30000.00")]
