"""Records of other services that a request names (a client, a deal), read as the caller.

A request may only name a record its caller can see: one they cannot is
422 on the field that named it, never a hint that it exists.
"""

from __future__ import annotations

from typing import Any

from crm.contacts.v1 import contacts_pb2
from crm.deals.v1 import deals_pb2
from crm.marketing.v1 import marketing_pb2
from crm_gateway.clients import ServiceCall
from crm_gateway.problems import Problem


async def visible_record(call: ServiceCall, kind: str, record_id: str, field: str) -> Any:
    """The party, deal or lead (kind "party" / "deal" / "lead") as the caller sees it; 422 `<kind>_not_found` on
    `field` otherwise."""
    try:
        if kind == "party":
            return await call.contacts.GetParty(contacts_pb2.GetPartyRequest(id=record_id))
        if kind == "lead":
            return await call.marketing.GetLead(marketing_pb2.GetLeadRequest(id=record_id))
        return await call.deals.GetDeal(deals_pb2.GetDealRequest(id=record_id))
    except Problem as problem:
        if problem.status != 404:
            raise
        message = f"no {kind} {record_id} (or you may not see it)"
        raise Problem(
            422, "validation_failed", message, [{"field": field, "code": f"{kind}_not_found", "message": message}]
        ) from problem
