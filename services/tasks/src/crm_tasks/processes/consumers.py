"""Events that start processes (deal, party and lead facts) and keep running instances' record owners current."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import literal, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import envelope_pb2
from crm_core.auth import SYSTEM_USER
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
        if _owner_changed(envelope.type, starting):
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
    """A deal or party update that names the owner among its changes; a lead handed to someone (lead.assigned)."""
    if event_type in ("deal.updated", "party.updated"):
        return "owner_id" in starting.variables["changed_fields"]
    return event_type == "lead.assigned"


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
