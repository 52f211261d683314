"""Admins' changes to how the helpdesk works: queues, SLA policies, client tiers (audited, versioned)."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.acl import require_admin
from crm_core.audit import diff, record_audit
from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.db import Database
from crm_core.errors import FailedPrecondition
from crm_core.resources import get_visible
from crm_core.resources.versioning import check_version
from crm_helpdesk.models import ClientTierRow, QueueRow, SlaPolicyRow, audited

R = TypeVar("R", QueueRow, SlaPolicyRow)


class HelpdeskSetup:
    """Queues, SLA policies and client tiers, changed by admins."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def _default_queue(self, session: AsyncSession, row: QueueRow) -> None:
        """One default queue: making this one default makes the others not; the default stays live."""
        if row.is_default and row.archived:
            raise FailedPrecondition("default_queue_archived", "the default queue cannot be archived")
        if row.is_default:
            await session.execute(
                update(QueueRow).where(QueueRow.id != row.id, QueueRow.is_default.is_(True)).values(is_default=False)
            )

    async def get_queue(self, queue_id: str) -> QueueRow:
        async with self.db.readers() as session:
            return await get_visible(session, QueueRow, "queue", queue_id)

    async def create_queue(self, caller: Caller, values: dict[str, Any]) -> QueueRow:
        require_admin(caller, "add queues")
        async with self.db.transaction() as session:
            now = self.clock.now()
            row = QueueRow(**values, created_at=now, updated_at=now)
            session.add(row)
            await session.flush()
            await self._default_queue(session, row)
            record_audit(
                session, entity_type="queue", entity_id=row.id, action="create", actor_id=caller.user_id,
                changes=diff({}, audited(row)),
            )  # fmt: skip
        return row

    async def update_queue(self, caller: Caller, queue_id: str, values: dict[str, Any], expected: int) -> QueueRow:
        require_admin(caller, "change queues")
        async with self.db.transaction() as session:
            row = await get_visible(session, QueueRow, "queue", queue_id, lock=True)
            if row.is_default and values.get("is_default") is False:
                raise FailedPrecondition("default_queue_required", "make another queue the default instead")
            return await self._change(session, caller, "queue", row, values, expected, self._default_queue)

    async def create_policy(self, caller: Caller, values: dict[str, Any]) -> SlaPolicyRow:
        require_admin(caller, "add SLA policies")
        async with self.db.transaction() as session:
            now = self.clock.now()
            row = SlaPolicyRow(**values, created_at=now, updated_at=now)
            session.add(row)
            await session.flush()
            record_audit(
                session, entity_type="sla_policy", entity_id=row.id, action="create", actor_id=caller.user_id,
                changes=diff({}, audited(row)),
            )  # fmt: skip
        return row

    async def update_policy(
        self, caller: Caller, policy_id: str, values: dict[str, Any], expected: int
    ) -> SlaPolicyRow:
        """A policy's change applies to tickets opened after it (open tickets keep their targets)."""
        require_admin(caller, "change SLA policies")
        async with self.db.transaction() as session:
            row = await get_visible(session, SlaPolicyRow, "sla_policy", policy_id, lock=True)
            first = values.get("first_response_minutes", row.first_response_minutes)
            if first > values.get("resolution_minutes", row.resolution_minutes):
                raise FailedPrecondition(
                    "first_response_after_resolution", "the first response cannot be due after the resolution"
                )
            return await self._change(session, caller, "sla_policy", row, values, expected)

    async def _change(self, session, caller, entity, row: R, values, expected, check=None) -> R:  # type: ignore[no-untyped-def]
        check_version(entity, row, expected)
        before = audited(row)
        for name, value in values.items():
            setattr(row, name, value)
        if check is not None:
            await check(session, row)
        changed = diff(before, audited(row))
        if changed:
            row.version += 1
            row.updated_at = self.clock.now()
            record_audit(
                session, entity_type=entity, entity_id=row.id, action="update", actor_id=caller.user_id,
                changes=changed,
            )  # fmt: skip
        return row

    async def set_tier(self, caller: Caller, party_id: str, tier: str) -> ClientTierRow:
        """The client's tier ("standard" removes a special one): tickets opened after it get its SLA."""
        require_admin(caller, "set client tiers")
        async with self.db.transaction() as session:
            before = await session.scalar(select(ClientTierRow.tier).where(ClientTierRow.party_id == party_id))
            now = self.clock.now()
            await session.execute(
                insert(ClientTierRow)
                .values(party_id=party_id, tier=tier, updated_at=now)
                .on_conflict_do_update(index_elements=["party_id"], set_={"tier": tier, "updated_at": now})
            )
            record_audit(
                session, entity_type="client_tier", entity_id=party_id, action="set", actor_id=caller.user_id,
                changes={"tier": {"old": before, "new": tier}},
            )  # fmt: skip
        return ClientTierRow(party_id=party_id, tier=tier, updated_at=now)
