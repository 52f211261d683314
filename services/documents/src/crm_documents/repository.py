"""Queries on the documents database.

A document shows only to whoever may see its deal: every read filters with
crm_core.scopes.copies_visible_to on its scope keys in SQL, so a hidden document
is never returned, listed or counted (a get answers NOT_FOUND).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.auth import Caller
from crm_core.db import Database
from crm_core.errors import not_found
from crm_core.events.outbox import OutboxRow
from crm_core.pagination import Page
from crm_core.resources.paging import Order, keyset_page
from crm_core.scopes import copies_visible_to
from crm_documents.domain import ServiceState
from crm_documents.models import DocumentFileRow, DocumentRow

ORDER = Order("documents:-created_at", [(DocumentRow.created_at, True), (DocumentRow.id, True)], ["datetime", "uuid"])


@dataclass(frozen=True)
class DocumentQuery:
    deal_id: str = ""
    party_id: str = ""
    doc_type: str = ""
    status: str = ""


class ServiceRepository:
    """What the instance reports about itself."""

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


class DocumentsRepository:
    """Reads of documents as one caller, in a session."""

    def __init__(self, session: AsyncSession, caller: Caller) -> None:
        self.session = session
        self.caller = caller

    def _visible(self):  # type: ignore[no-untyped-def]
        """Documents of deals the caller sees, once their PDF exists (or they were cancelled without one)."""
        made = or_(DocumentRow.current_version > 0, DocumentRow.status == "cancelled")
        return and_(made, copies_visible_to(self.caller, DocumentRow.scope_keys))

    async def get(self, document_id: str, lock: bool = False) -> DocumentRow:
        query = select(DocumentRow).where(DocumentRow.id == document_id, self._visible())
        if lock:
            query = query.with_for_update(of=DocumentRow)
        row = await self.session.scalar(query)
        if row is None:
            raise not_found("document", document_id)
        return row

    def _conditions(self, q: DocumentQuery) -> list:  # type: ignore[type-arg]
        conditions = [self._visible()]
        for column, value in (
            (DocumentRow.deal_id, q.deal_id),
            (DocumentRow.party_id, q.party_id),
            (DocumentRow.doc_type, q.doc_type),
            (DocumentRow.status, q.status),
        ):
            if value:
                conditions.append(column == value)
        return conditions

    async def list_documents(self, q: DocumentQuery, limit: int, cursor: str) -> tuple[Page[DocumentRow], int]:
        conditions = self._conditions(q)
        page = await keyset_page(self.session, select(DocumentRow).where(*conditions), ORDER, limit, cursor)
        total = await self.session.scalar(select(func.count()).select_from(DocumentRow).where(*conditions))
        return page, int(total or 0)

    async def files(self, document_id: str) -> list[DocumentFileRow]:
        rows = await self.session.scalars(
            select(DocumentFileRow).where(DocumentFileRow.document_id == document_id).order_by(DocumentFileRow.version)
        )
        return list(rows.all())

    async def file(self, document_id: str, version: int) -> DocumentFileRow:
        row = await self.session.get(DocumentFileRow, (document_id, version))
        if row is None:
            raise not_found("document_version", f"{document_id} v{version}")
        return row
