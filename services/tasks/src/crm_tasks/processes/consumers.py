"""Events that start processes (deal, party and lead facts) and keep running instances' record owners current."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import literal, select, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import envelope_pb2
from crm_core.auth import SYSTEM_USER
from crm_core.scopes import AccessScopeRow, record_key, remember_scopes
from crm_tasks.models import ProcessInstance
from crm_tasks.processes.conditions import evaluate
from crm_tasks.processes.engine import ProcessEngine
from crm_tasks.processes.triggers import StartingEvent, read_event


class ProcessTriggers:
    """The consumer handler: one event may start an instance of every definition it triggers."""

    def __init__(self, engine: ProcessEngine) -> None:
        self.engine = engine

    async def __call__(self, session: AsyncSession, envelope: envelope_pb2.EventEnvelope) -> None:
        starting = read_event(envelope)
        if starting is None:
            return
        if starting.record_kind == "lead":
            await _newest_lead_owner(session, envelope, starting)
            await _follow_owner(session, starting)
        elif _owner_changed(envelope.type, starting):
            await _follow_owner(session, starting)
        occurred_at = envelope.occurred_at.ToDatetime(tzinfo=UTC)
        for row in await self.engine.triggers.triggered(session, envelope.type):
            if occurred_at < row.created_at:
                continue  # a definition applies to facts after its publication, not to a replayed past
            definition = await self.engine.definition(session, row.id)
            condition = definition.trigger.condition
            values = {**definition.variables, **starting.variables, "record_kind": starting.record_kind}
            if condition and not evaluate(condition, values, definition.known_variables):
                continue
            await self.engine.start(
                session,
                row,
                record_kind=starting.record_kind,
                record_id=starting.record_id,
                party_ids=starting.party_ids,
                variables=starting.variables,
                started_by=envelope.actor.user_id or SYSTEM_USER,
                trigger_event_id=envelope.event_id,
                triggered_at=occurred_at,
            )


def _owner_changed(event_type: str, starting: StartingEvent) -> bool:
    """A deal or party update that names the owner among its changes."""
    return event_type in ("deal.updated", "party.updated") and "owner_id" in starting.variables["changed_fields"]


async def _newest_lead_owner(
    session: AsyncSession, envelope: envelope_pb2.EventEnvelope, starting: StartingEvent
) -> None:
    """The lead's owner and team as of its newest event seen, whichever order its events are handled in.

    A web-form lead is often captured and assigned within a second; the two events may be handled in
    parallel groups, or the first retried after the second. The lead's scope is kept by version
    (crm_core.scopes), so a late lead.captured starts its process with the owner lead.assigned gave, and
    every lead event (not only lead.assigned) brings the lead's running processes to that owner.
    """
    await remember_scopes(session, envelope, add_new=True)
    newest = (
        await session.execute(
            select(AccessScopeRow.owner_id, AccessScopeRow.team_id).where(
                AccessScopeRow.record == record_key("lead", starting.record_id)
            )
        )
    ).first()
    if newest is not None:
        starting.variables["owner_id"], starting.variables["team_id"] = newest.owner_id, newest.team_id


async def _follow_owner(session: AsyncSession, starting: StartingEvent) -> None:
    """A record's new owner is the owner its unfinished processes assign "owner" tasks to from now on."""
    values = {
        "owner_id": starting.variables.get("owner_id") or None,
        "team_id": starting.variables.get("team_id") or None,
    }
    await session.execute(
        update(ProcessInstance)
        .where(
            ProcessInstance.record_kind == starting.record_kind,
            ProcessInstance.record_id == starting.record_id,
            ProcessInstance.status.in_(("running", "failed")),
        )
        .values(variables=ProcessInstance.variables.op("||")(literal(values, JSONB)))
    )
