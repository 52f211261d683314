"""A deal's next step comes from the tasks service's events: the earliest open task about it the reader sees."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import grpc

from crm.common.v1 import common_pb2
from crm.deals.v1 import deals_pb2 as pb
from crm.events.v1 import tasks_pb2 as task_events
from crm_core.auth import SYSTEM
from crm_core.events.envelope import build_envelope
from crm_core.protojson import timestamp
from crm_core.scopes import scope_of
from crm_core.service import ServiceApp
from crm_core.testing import eventually


async def task_event(
    app: ServiceApp,
    kind: str,
    task_id: str,
    version: int,
    *,
    deal_ids: list[str],
    due_at: datetime | None,
    status: str = "open",
    assignee: str = "u-alice",
    team: str = "team-north",
) -> None:
    """A tasks service event about a task linked to deals, with the task's scope."""
    payload = task_events.TaskChanged(
        task_id=task_id,
        type="call",
        subject="Позвонить клиенту",
        status=status,
        assignee_id=assignee,
        team_id=team,
        links=[f"deal:{d}" for d in deal_ids],
    )
    if due_at is not None:
        payload.due_at.CopyFrom(timestamp(due_at))
    envelope = build_envelope(
        "tasks",
        kind,
        subject_id=task_id,
        payload=payload,
        actor=SYSTEM,
        version=version,
        scopes=[scope_of("task", task_id, owner_id=assignee, team_id=team, version=version, team_role="manager")],
    )
    await app.bus.ensure_stream("tasks")
    await app.bus.js.publish(
        app.namespace.subject("tasks", kind), envelope.SerializeToString(), headers={"Nats-Msg-Id": envelope.event_id}
    )


def _filters(board, has: str) -> list[common_pb2.Filter]:
    return [*board.by_pipeline(), common_pb2.Filter(field="has_next_step", op="eq", value=has)]


async def test_the_earliest_open_task_is_the_next_step_on_the_deal_the_list_and_the_card(
    deals_app, alice, board, clock
) -> None:
    deal = await board.open(alice)
    other = await board.open(alice)
    later, sooner = clock.now() + timedelta(days=5), clock.now() + timedelta(days=2)
    await task_event(deals_app, "task.created", str(uuid.uuid4()), 1, deal_ids=[deal.id], due_at=later)
    await task_event(deals_app, "task.created", str(uuid.uuid4()), 1, deal_ids=[deal.id, other.id], due_at=sooner)

    async def both_seen() -> bool:
        got = await alice.GetDeal(pb.GetDealRequest(id=deal.id))
        return got.next_step_at.ToSeconds() == int(sooner.timestamp())

    await eventually(both_seen)
    with_step = await alice.ListDeals(pb.ListDealsRequest(filters=_filters(board, "true")))
    assert {d.id for d in with_step.deals} == {deal.id, other.id}
    assert all(d.has_next_step for d in with_step.deals)
    assert list((await alice.ListDeals(pb.ListDealsRequest(filters=_filters(board, "false")))).deals) == []
    cards = [c for col in (await alice.GetKanban(pb.GetKanbanRequest(pipeline_id=board.id))).columns for c in col.cards]
    assert {c.id: c.next_step_at.ToSeconds() for c in cards} == {
        deal.id: int(sooner.timestamp()),
        other.id: int(sooner.timestamp()),
    }


async def test_a_done_task_stops_being_the_next_step_even_when_an_older_event_arrives_after(
    deals_app, alice, board, clock
) -> None:
    deal = await board.open(alice)
    task = str(uuid.uuid4())
    due = clock.now() + timedelta(days=1)
    await task_event(deals_app, "task.completed", task, 3, deal_ids=[deal.id], due_at=due, status="done")
    # The update the completion followed, redelivered late: it must not reopen the step.
    await task_event(deals_app, "task.updated", task, 2, deal_ids=[deal.id], due_at=due)
    marker = await board.open(alice)
    await task_event(deals_app, "task.created", str(uuid.uuid4()), 1, deal_ids=[marker.id], due_at=due)

    async def marker_seen() -> bool:
        return (await alice.GetDeal(pb.GetDealRequest(id=marker.id))).has_next_step

    await eventually(marker_seen)  # the consumer has read past both events of the first task
    got = await alice.GetDeal(pb.GetDealRequest(id=deal.id))
    assert (got.has_next_step, got.HasField("next_step_at")) == (False, False)
    without = await alice.ListDeals(pb.ListDealsRequest(filters=_filters(board, "false")))
    assert [d.id for d in without.deals] == [deal.id]


async def test_a_task_hidden_from_the_reader_is_no_next_step_to_them(deals_app, alice, bob, board, clock) -> None:
    deal = await board.open(alice, shared_with=["u-bob"])
    due = clock.now() + timedelta(days=3)
    await task_event(deals_app, "task.created", str(uuid.uuid4()), 1, deal_ids=[deal.id], due_at=due)

    async def alice_sees_it() -> bool:
        return (await alice.GetDeal(pb.GetDealRequest(id=deal.id))).has_next_step

    await eventually(alice_sees_it)
    seen_by_bob = await bob.GetDeal(pb.GetDealRequest(id=deal.id))
    assert (seen_by_bob.has_next_step, seen_by_bob.HasField("next_step_at")) == (False, False)


async def test_has_next_step_takes_true_or_false(alice, board, rejected) -> None:
    detail = await rejected(
        alice.ListDeals(pb.ListDealsRequest(filters=_filters(board, "maybe"))), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert (detail.field_violations[0].field, detail.field_violations[0].code) == (
        "filters[1]",
        "invalid_filter_value",
    )
