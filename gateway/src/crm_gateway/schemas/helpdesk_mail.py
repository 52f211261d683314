"""REST shape of an e-mail taken by the helpdesk's intake (mirrors crm.helpdesk.v1.IngestEmailResponse)."""

from __future__ import annotations

from pydantic import Field

from crm_gateway.schemas.common import Out


class InboundEmailOut(Out):
    outcome: str = Field(description="opened (a new ticket), appended (a reply to one) or ignored")
    reason: str = Field("", description="Why it was ignored: auto_reply, bounce, duplicate or loop")
    ticket_id: str = ""
    message_id: str = Field("", description="The ticket message the e-mail became")
    attachments: int = Field(0, description="Files of the e-mail kept with the ticket")
