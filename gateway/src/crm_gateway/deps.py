"""Request dependencies every router shares: the service call as the caller, filters, paging, If-Match."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query, Request

from crm_core.auth import Caller
from crm_gateway import rest
from crm_gateway.clients import ServiceCall, service_call
from crm_gateway.security import current_caller

Filters = Annotated[list[str], Query(alias="filter", description=rest.FILTER_HELP)]
Limit = Annotated[int, Query(ge=1, le=200)]
Cursor = Annotated[str, Query(max_length=2000)]
IfMatch = Annotated[str | None, Header(description='ETag of the version you edited, e.g. "3"; a stale one gives 412')]


async def calls(request: Request, caller: Caller = Depends(current_caller)) -> ServiceCall:
    return service_call(request, caller)


Call = Annotated[ServiceCall, Depends(calls)]
