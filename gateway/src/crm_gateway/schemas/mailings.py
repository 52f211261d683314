"""REST shapes of segments, mail templates, mailings and the suppression list (mirror crm.marketing.v1).

Shape only: merge fields, kinds, filters, addresses and access are the marketing service's to judge.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from crm_gateway.schemas.common import FilterSpec, Out, Strict

NAME = 300
Id = Field(None, max_length=64)


class SegmentCreate(Strict):
    name: str = Field(max_length=NAME)
    kind: str = Field("dynamic", max_length=20, description="dynamic (a saved filter) or static (explicit members)")
    source: str = Field(
        "parties", max_length=20, description="dynamic: parties (contacts' filters) or leads (the lead filters)"
    )
    query: str | None = Field(None, max_length=200, description="Words, as the parties or leads search takes them")
    filters: list[FilterSpec] = Field(
        default_factory=list, max_length=20, description="As /parties or /leads take them: tags in vip, status eq new"
    )
    description: str | None = Field(None, max_length=2000)
    team_id: str | None = Id
    shared_with: list[str] = Field(default_factory=list, max_length=50)


class FilterOut(Out):
    field: str
    op: str
    value: str = ""


class SegmentOut(Out):
    id: str
    name: str
    kind: str
    source: str = ""
    query: str = ""
    filters: list[FilterOut] = []
    description: str = ""
    owner_id: str
    team_id: str = ""
    shared_with: list[str] = []
    version: int
    created_at: datetime
    updated_at: datetime
    created_by: str = ""


class MemberRef(Strict):
    kind: str = Field(max_length=10, description="party or lead")
    id: str = Field(max_length=64)


class SegmentMembers(Strict):
    members: list[MemberRef] = Field(max_length=500)


class MemberOut(Out):
    kind: str
    id: str
    name: str = ""
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    position: str = ""
    email: str = ""
    phone: str = ""


class MailTemplateCreate(Strict):
    name: str = Field(max_length=NAME)
    subject: str = Field(max_length=998, description="Merge fields: {{ first_name }}, {{ company }}, ...")
    text: str = Field(max_length=200_000, description="The plain-text part")
    html: str | None = Field(None, max_length=500_000, description="An HTML alternative; its links are click-tracked")
    team_id: str | None = Id
    shared_with: list[str] = Field(default_factory=list, max_length=50)


class MailTemplateOut(Out):
    id: str
    name: str
    subject: str
    text: str
    html: str = ""
    owner_id: str
    team_id: str = ""
    shared_with: list[str] = []
    version: int
    created_at: datetime
    created_by: str = ""


class MailingCreate(Strict):
    name: str = Field(max_length=NAME)
    template_id: str = Field(max_length=64)
    segment_id: str = Field(max_length=64)
    campaign_id: str = Field(max_length=64, description="A campaign of type mailing")
    from_address: str | None = Field(None, max_length=NAME, description='"Name <address>"; default CRM_MAIL_FROM')
    team_id: str | None = Id
    shared_with: list[str] = Field(default_factory=list, max_length=50)


class MailingOut(Out):
    id: str
    name: str
    template_id: str
    segment_id: str
    campaign_id: str
    from_address: str = ""
    status: str
    owner_id: str
    team_id: str = ""
    shared_with: list[str] = []
    version: int
    created_at: datetime
    created_by: str = ""
    send_requested_at: datetime | None = None
    finished_at: datetime | None = None
    counts: dict[str, int] = Field(
        default_factory=dict, description="Recipients by status: queued, sent, failed, suppressed, skipped_no_email"
    )
    opened: int = 0
    clicked: int = 0


class TestSend(Strict):
    email: str = Field(max_length=320)


class TestSendOut(Out):
    message_id: str


class RecipientOut(Out):
    id: str
    mailing_id: str = ""
    record_kind: str
    record_id: str
    email: str = ""
    name: str = ""
    status: str
    attempts: int = 0
    error: str = ""
    sent_at: datetime | None = None
    opened_at: datetime | None = None
    clicked_at: datetime | None = None
    clicks: int = 0


class SuppressionCreate(Strict):
    email: str = Field(max_length=320)


class SuppressionOut(Out):
    email: str
    reason: str
    created_at: datetime
    created_by: str = ""
