"""The SLA pass: warnings, breaches and escalations published once, whichever replica gets there first.

Every replica runs it every few seconds (crm_core.service.run_passes). A pass takes the tickets whose next
SLA moment has come (`next_due_at`, kept by crm_helpdesk.sla_clock) with FOR UPDATE SKIP LOCKED, so two
replicas never take the same ticket, and marks what it publishes (`*_warned`, `*_breached`) in the same
transaction as the event: each warning and each breach is published once. Near a breach (the warning) the
ticket is escalated to its queue's lead: shared with them, and given to them when nobody has it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.audit import record_audit
from crm_core.auth import SYSTEM
from crm_core.clock import Clock
from crm_core.db import Database
from crm_core.events import Namespace
from crm_helpdesk import domain
from crm_helpdesk.models import QueueRow, TicketRow
from crm_helpdesk.sla_clock import SlaClock, target
from crm_helpdesk.tickets import publish, ticket_event


class SlaWatch:
    """One pass over the tickets whose SLA moment has come."""

    def __init__(self, db: Database, namespace: Namespace, clock: Clock, sla: SlaClock, batch: int = 200) -> None:
        self.db = db
        self.namespace = namespace
        self.clock = clock
        self.sla = sla
        self.batch = batch

    async def run_once(self) -> int:
        """Publish what has fallen due; the number of warnings, breaches and escalations published."""
        now = self.clock.now()
        published = 0
        async with self.db.transaction() as session:
            rows = (
                await session.scalars(
                    select(TicketRow)
                    .where(TicketRow.next_due_at <= now)
                    .order_by(TicketRow.next_due_at)
                    .limit(self.batch)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            for row in rows:
                for name in domain.TARGETS:
                    current = target(row, name)
                    if current.due_at is None or current.met_at is not None or current.breached:
                        continue
                    if now >= current.due_at:
                        setattr(row, f"{name}_breached", True)
                        setattr(row, f"{name}_warned", True)
                        event_type = "ticket.sla_breached"
                    elif not current.warned and current.warn_at is not None and now >= current.warn_at:
                        setattr(row, f"{name}_warned", True)
                        event_type = "ticket.sla_warning"
                    else:
                        continue
                    self.sla.refresh(row, now)
                    await publish(session, self.namespace, SYSTEM, event_type, row, ticket_event(row, sla_target=name))
                    published += 1
                    if row.escalated_at is None:
                        published += await self._escalate(session, row, now)
                self.sla.refresh(row, now)
        return published

    async def _escalate(self, session: AsyncSession, row: TicketRow, now: datetime) -> int:
        """Near a breach the queue's lead is told: the ticket is shared with them (theirs when unassigned)."""
        lead = await session.scalar(select(QueueRow.lead_id).where(QueueRow.id == row.queue_id))
        if not lead:
            return 0
        before = {"owner_id": row.owner_id, "shared_with": list(row.shared_with)}
        row.escalated_at = now
        if lead not in row.shared_with and lead != row.owner_id:
            row.shared_with = sorted({*row.shared_with, lead})
        if not row.owner_id:
            row.owner_id = lead
        row.version += 1
        row.updated_at = now
        record_audit(
            session, entity_type="ticket", entity_id=row.id, action="escalate", actor_id=SYSTEM.user_id,
            changes={"escalated_to": {"old": None, "new": lead}, **{
                k: {"old": v, "new": getattr(row, k)} for k, v in before.items() if v != getattr(row, k)
            }},
        )  # fmt: skip
        await publish(session, self.namespace, SYSTEM, "ticket.escalated", row, ticket_event(row, escalated_to=lead))
        return 1
