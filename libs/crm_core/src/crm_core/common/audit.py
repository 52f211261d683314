"""crm.common.v1.AuditService: a record's audit trail, only for callers who may see the record."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeAlias

from sqlalchemy.ext.asyncio import AsyncSession

from crm.common.v1 import common_pb2, common_pb2_grpc
from crm_core.audit import audit_page_message, list_audit
from crm_core.auth import Caller, current_caller
from crm_core.db import Database
from crm_core.errors import invalid, not_found
from crm_core.pagination import clamp_limit

# Whether the caller may see the record with this id (the service's own access rule, in its SQL).
Visibility: TypeAlias = Callable[[AsyncSession, Caller, str], Awaitable[bool]]


class AuditServicer(common_pb2_grpc.AuditServiceServicer):
    """The audit of the kinds of record a service exposes, each with its visibility check."""

    def __init__(self, db: Database, visible: Mapping[str, Visibility]) -> None:
        if not visible:
            raise ValueError("an audit service needs at least one kind of record")
        self.db = db
        self.visible = dict(visible)

    def _entity_type(self, requested: str) -> str:
        if not requested and len(self.visible) == 1:
            return next(iter(self.visible))
        if requested not in self.visible:
            raise invalid("entity_type", "not_allowed", f"entity_type must be one of {', '.join(sorted(self.visible))}")
        return requested

    async def ListAudit(self, request: common_pb2.ListAuditRequest, context: Any) -> common_pb2.ListAuditResponse:
        """Who changed what on a record the caller may see, newest first; NOT_FOUND for any other record."""
        entity_type = self._entity_type(request.entity_type)
        limit = clamp_limit(request.limit)
        async with self.db.readers() as session:
            # A hidden record and a missing one answer alike: the audit never tells that a record exists.
            if not await self.visible[entity_type](session, current_caller(), request.entity_id):
                raise not_found(entity_type, request.entity_id)
            page = await list_audit(session, request.entity_id, limit, request.cursor, entity_type=entity_type)
            return audit_page_message(page)
