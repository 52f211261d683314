"""Site visits as the API answers them."""

from __future__ import annotations

from datetime import datetime

from crm_gateway.schemas.common import Out
from crm_gateway.schemas.marketing import UtmOut


class VisitOut(Out):
    id: str
    visitor_id: str
    url: str
    title: str = ""
    referrer: str = ""
    utm: UtmOut = UtmOut()
    visited_at: datetime
    lead_id: str = ""
    party_id: str = ""
