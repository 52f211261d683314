"""The services every domain service serves alike: audit, custom fields, code lists (crm.common.v1).

A service registers them in one line of its main.py, saying which kinds of
record have an audit trail (and who may see each record), where its custom
field definitions live, and which code lists it keeps:

    register_common(app, audit={"deal": deal_is_visible},
                    custom_fields=CustomFieldTable(DealCustomField, ("deal",)),
                    code_lists={"loss_reasons": LossReason})

They run on the service's own gRPC server next to its domain service, behind
the same interceptor (auth, partner-key scopes "<service>:read|write",
error mapping).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crm.common.v1 import common_pb2, common_pb2_grpc
from crm_core.common.audit import AuditServicer, Visibility
from crm_core.common.code_lists import CodeColumns, CodeListsServicer
from crm_core.common.custom_fields import CustomFieldsServicer, CustomFieldTable
from crm_core.service import ServiceApp

__all__ = ["CodeColumns", "CustomFieldTable", "Visibility", "register_common", "service_name"]


def service_name(name: str) -> str:
    """The full name of a crm.common.v1 service ("AuditService" -> "crm.common.v1.AuditService")."""
    return common_pb2.DESCRIPTOR.services_by_name[name].full_name


def register_common(
    app: ServiceApp,
    *,
    audit: Mapping[str, Visibility] | None = None,
    custom_fields: CustomFieldTable | None = None,
    code_lists: Mapping[str, Any] | None = None,
) -> None:
    """Serve crm.common.v1's AuditService, CustomFieldsService and CodeListsService on the app's server.

    `audit` maps each kind of record with an audit trail to its visibility
    check; `custom_fields` says where the definitions live; `code_lists` maps
    each list's name to its table (a model with CodeColumns). A service
    leaves out what it does not have.
    """
    if audit:
        app.add_servicer(
            common_pb2_grpc.add_AuditServiceServicer_to_server,
            AuditServicer(app.db, audit),
            service_name("AuditService"),
        )
    if custom_fields is not None:
        app.add_servicer(
            common_pb2_grpc.add_CustomFieldsServiceServicer_to_server,
            CustomFieldsServicer(app.db, custom_fields),
            service_name("CustomFieldsService"),
        )
    if code_lists:
        app.add_servicer(
            common_pb2_grpc.add_CodeListsServiceServicer_to_server,
            CodeListsServicer(app.db, code_lists),
            service_name("CodeListsService"),
        )
