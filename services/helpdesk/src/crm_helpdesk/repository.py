"""Queries on the helpdesk database.

Reads of records the caller may or may not see filter with crm_core.acl.visible_to in their SQL, so a
hidden record is never returned or counted.
"""

from __future__ import annotations

from sqlalchemy import func, select, text

from crm_core.db import Database
from crm_core.events.outbox import OutboxRow
from crm_helpdesk.domain import ServiceState


class HelpdeskRepository:
    """Reads of the helpdesk database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def service_state(self) -> ServiceState:
        """The migration revision and the number of events not yet published."""
        async with self.db.readers() as session:
            revision = await session.scalar(text("SELECT version_num FROM alembic_version"))
            pending = await session.scalar(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.sent_at.is_(None))
            )
        return ServiceState(schema_revision=revision or "", pending_events=int(pending or 0))
