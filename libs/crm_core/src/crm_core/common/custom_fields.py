"""crm.common.v1.CustomFieldsService over a service's custom-field table (rules in crm_core.custom_fields)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm.common.v1 import common_pb2, common_pb2_grpc
from crm_core import custom_fields
from crm_core.acl import require_admin
from crm_core.auth import current_caller
from crm_core.db import Database
from crm_core.protojson import to_dict


@dataclass(frozen=True)
class CustomFieldTable:
    """Where a service keeps its definitions (a model with crm_core.custom_fields' columns) and for which kinds."""

    model: Any
    entity_types: Sequence[str]


async def list_definitions(
    session: AsyncSession, model: Any, entity_type: str = "", include_archived: bool = True
) -> list[Any]:
    """Definitions by kind and key, of one kind when `entity_type` is given."""
    query = select(model).order_by(model.entity_type, model.key)
    if entity_type:
        query = query.where(model.entity_type == entity_type)
    if not include_archived:
        query = query.where(model.archived.is_(False))
    return list((await session.scalars(query)).all())


class CustomFieldsServicer(common_pb2_grpc.CustomFieldsServiceServicer):
    """Definitions of a service's custom fields: everyone reads them, admins change them."""

    def __init__(self, db: Database, table: CustomFieldTable) -> None:
        self.db = db
        self.table = table

    def _with_kind(self, data: dict[str, Any]) -> dict[str, Any]:
        # A service with one kind of record (deals) does not make callers name it.
        if not data.get("entity_type") and len(self.table.entity_types) == 1:
            return {**data, "entity_type": self.table.entity_types[0]}
        return data

    async def ListCustomFields(
        self, request: common_pb2.ListCustomFieldsRequest, context: Any
    ) -> common_pb2.ListCustomFieldsResponse:
        """Definitions, of one kind when asked; archived ones only when asked."""
        async with self.db.readers() as session:
            rows = await list_definitions(session, self.table.model, request.entity_type, request.include_archived)
            return common_pb2.ListCustomFieldsResponse(fields=[custom_fields.definition_message(d) for d in rows])

    async def CreateCustomField(
        self, request: common_pb2.CustomFieldDefinition, context: Any
    ) -> common_pb2.CustomFieldDefinition:
        """Define a custom field (admin)."""
        caller = current_caller()
        require_admin(caller, "change custom fields")
        async with self.db.transaction() as session:
            definition = await custom_fields.create_definition(
                session, self.table.model, self._with_kind(to_dict(request)), self.table.entity_types, caller.user_id
            )
            return custom_fields.definition_message(definition)

    async def UpdateCustomField(
        self, request: common_pb2.UpdateCustomFieldRequest, context: Any
    ) -> common_pb2.CustomFieldDefinition:
        """Relabel, change options, require or archive a custom field (admin)."""
        caller = current_caller()
        require_admin(caller, "change custom fields")
        async with self.db.transaction() as session:
            definition = await custom_fields.update_definition(
                session,
                self.table.model,
                request.field.id,
                to_dict(request.field),
                request.update_mask.paths,
                self.table.entity_types,
                caller.user_id,
            )
            return custom_fields.definition_message(definition)
