"""Partner keys reach the crm.common.v1 services on a service's port with that service's scopes."""

from __future__ import annotations

import pytest

from crm.common.v1 import common_pb2  # noqa: F401 - registers the crm.common.v1 descriptors
from crm_core.partner_keys import required_scope


@pytest.mark.parametrize(
    ("method", "scope"),
    [
        ("/crm.common.v1.AuditService/ListAudit", "deals:read"),
        ("/crm.common.v1.CustomFieldsService/ListCustomFields", "deals:read"),
        ("/crm.common.v1.CodeListsService/ListCodes", "deals:read"),
        ("/crm.common.v1.CustomFieldsService/CreateCustomField", "deals:write"),
        ("/crm.common.v1.CustomFieldsService/UpdateCustomField", "deals:write"),
        ("/crm.common.v1.CodeListsService/CreateCode", "deals:write"),
        ("/crm.common.v1.CodeListsService/UpdateCode", "deals:write"),
    ],
)
def test_lists_need_the_read_scope_and_changes_the_write_scope_of_the_port_s_service(method: str, scope: str) -> None:
    assert required_scope("deals", method) == scope
