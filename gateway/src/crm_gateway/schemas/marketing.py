"""REST shapes of campaigns, leads, assignment rules and web forms (mirror crm.marketing.v1).

Request shapes check shape only (types, required fields, lengths as a sanity
bound no lower than the service's own limit); every value rule (statuses,
dates, money, e-mail, phone, INN, codes) is the marketing service's, answered
with its code, so a value is judged the same through REST and through gRPC.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from crm_gateway.schemas.common import Out, Strict

NAME = 300
TEXT = 5000
DECIMAL = 40
DATE = 30
CODE = 64
Id = Field(None, max_length=64)


# --- campaigns ----------------------------------------------------------------------


class CampaignCreate(Strict):
    name: str = Field(max_length=NAME)
    type: str = Field("other", max_length=CODE, description="A code of /campaigns/types (web_form, exhibition, ...)")
    status: str = Field("planned", max_length=CODE, description="planned, active, completed or cancelled")
    starts_on: str | None = Field(None, max_length=DATE, description="YYYY-MM-DD")
    ends_on: str | None = Field(None, max_length=DATE, description="YYYY-MM-DD, not before starts_on")
    owner_id: str | None = Id
    team_id: str | None = Id
    shared_with: list[str] = Field(default_factory=list, max_length=50)
    budget: str | None = Field(None, max_length=DECIMAL, description='Planned budget, decimal text ("450000.00")')
    currency: str | None = Field(None, max_length=3, description="ISO 4217; RUB by default")
    description: str | None = Field(None, max_length=TEXT)
    utm_campaign: str | None = Field(None, max_length=NAME, description="The utm_campaign value of its links")


class CampaignPatch(Strict):
    name: str | None = Field(None, max_length=NAME)
    type: str | None = Field(None, max_length=CODE)
    status: str | None = Field(None, max_length=CODE)
    starts_on: str | None = Field(None, max_length=DATE)
    ends_on: str | None = Field(None, max_length=DATE)
    owner_id: str | None = Id
    team_id: str | None = Id
    shared_with: list[str] | None = Field(None, max_length=50)
    budget: str | None = Field(None, max_length=DECIMAL)
    currency: str | None = Field(None, max_length=3)
    description: str | None = Field(None, max_length=TEXT)
    utm_campaign: str | None = Field(None, max_length=NAME)


class CostCreate(Strict):
    date: str = Field(max_length=DATE, description="YYYY-MM-DD")
    item: str = Field(max_length=NAME)
    amount: str = Field(max_length=DECIMAL, description="Decimal text in the campaign's currency")


class CostOut(Out):
    id: str
    date: str
    item: str
    amount: str
    created_at: datetime
    created_by: str = ""


class CampaignOut(Out):
    id: str
    name: str
    type: str
    status: str
    starts_on: str = ""
    ends_on: str = ""
    owner_id: str
    team_id: str = ""
    shared_with: list[str] = []
    budget: str = ""
    currency: str
    costs: list[CostOut] = []
    cost: str = ""
    description: str = ""
    utm_campaign: str = ""
    version: int
    created_at: datetime
    updated_at: datetime
    created_by: str = ""


class FunnelOut(Out):
    currency: str
    cost: str = ""
    leads: int = 0
    qualified: int = 0
    converted: int = 0
    deals: int = 0
    won: int = 0
    revenue: str = ""
    won_amount: str = ""
    roi: str = Field("", description='(revenue - cost) / cost, 4 places ("1.2500" = 125%); empty without a cost')
    cost_per_lead: str = ""
    cost_per_won: str = ""


class CampaignFunnelOut(Out):
    campaign_id: str
    name: str
    type: str
    funnel: FunnelOut


class ChannelFunnelOut(Out):
    channel: str
    funnel: FunnelOut


class CampaignReportOut(Out):
    campaigns: list[CampaignFunnelOut] = []
    channels: list[ChannelFunnelOut] = []
    model: str = "first_touch"


# --- leads ------------------------------------------------------------------------------


class Utm(Strict):
    source: str | None = Field(None, max_length=NAME)
    medium: str | None = Field(None, max_length=NAME)
    campaign: str | None = Field(None, max_length=NAME)
    content: str | None = Field(None, max_length=NAME)
    term: str | None = Field(None, max_length=NAME)


class LeadCreate(Strict):
    person_name: str | None = Field(None, max_length=NAME)
    company_name: str | None = Field(None, max_length=NAME)
    position: str | None = Field(None, max_length=NAME)
    email: str | None = Field(None, max_length=320)
    phone: str | None = Field(None, max_length=64, description="As typed; Russian unless it starts with +")
    inn: str | None = Field(None, max_length=32)
    comment: str | None = Field(None, max_length=TEXT)
    campaign_id: str | None = Id
    utm: Utm | None = None
    raw: dict[str, str] | None = Field(None, description="What the source carried besides the lead's fields")
    owner_id: str | None = Id
    team_id: str | None = Id
    shared_with: list[str] = Field(default_factory=list, max_length=50)


class LeadPatch(Strict):
    person_name: str | None = Field(None, max_length=NAME)
    company_name: str | None = Field(None, max_length=NAME)
    position: str | None = Field(None, max_length=NAME)
    email: str | None = Field(None, max_length=320)
    phone: str | None = Field(None, max_length=64)
    inn: str | None = Field(None, max_length=32)
    comment: str | None = Field(None, max_length=TEXT)
    campaign_id: str | None = Id
    shared_with: list[str] | None = Field(None, max_length=50)


class DuplicateOut(Out):
    kind: str
    id: str
    name: str = ""
    reasons: list[str] = []


class UtmOut(Out):
    source: str = ""
    medium: str = ""
    campaign: str = ""
    content: str = ""
    term: str = ""


class LeadOut(Out):
    id: str
    status: str
    person_name: str = ""
    company_name: str = ""
    position: str = ""
    email: str = ""
    phone: str = ""
    phone_e164: str = ""
    inn: str = ""
    comment: str = ""
    campaign_id: str = ""
    campaign_name: str = ""
    channel: str
    utm: UtmOut = UtmOut()
    raw: dict[str, Any] = {}
    owner_id: str
    team_id: str = ""
    shared_with: list[str] = []
    duplicates: list[DuplicateOut] = []
    disqualification_reason: str = ""
    disqualification_comment: str = ""
    company_id: str = ""
    person_id: str = ""
    deal_id: str = ""
    form_id: str = ""
    visitor_id: str = ""
    version: int
    created_at: datetime
    updated_at: datetime
    created_by: str = ""
    converted_at: datetime | None = None


class AssignRequest(Strict):
    owner_id: str = Field(max_length=64)
    team_id: str | None = Id


class DisqualifyRequest(Strict):
    reason: str = Field(max_length=CODE, description="A code of /leads/disqualification-reasons")
    comment: str | None = Field(None, max_length=TEXT)


class ConvertRequest(Strict):
    create_company: bool = False
    create_person: bool = False
    company_id: str | None = Field(None, max_length=64, description="An existing company instead of a new one")
    person_id: str | None = Field(None, max_length=64, description="An existing person instead of a new one")
    create_deal: bool = False
    deal_title: str | None = Field(None, max_length=NAME)
    deal_amount: str | None = Field(None, max_length=DECIMAL)
    deal_currency: str | None = Field(None, max_length=3)
    pipeline_id: str | None = Id


# --- assignment rules ----------------------------------------------------------------------


class RuleCondition(Strict):
    field: str = Field(max_length=40)
    op: str = Field(max_length=10)
    value: str = Field(max_length=NAME)


class AssignmentRule(Strict):
    name: str = Field(max_length=NAME)
    conditions: list[RuleCondition] = Field(default_factory=list, max_length=20)
    user_ids: list[str] = Field(max_length=100)
    team_id: str | None = Id
    active: bool = True


class AssignmentRules(Strict):
    rules: list[AssignmentRule] = Field(max_length=100)


class RuleOut(Out):
    id: str
    name: str
    conditions: list[dict[str, str]] = []
    user_ids: list[str] = []
    team_id: str = ""
    active: bool = False


# --- web forms ------------------------------------------------------------------------------


class FormField(Strict):
    name: str = Field(max_length=63, description="A lead field (person_name, email, phone, ...) or your own key")
    type: str = Field("text", max_length=20, description="text, email, phone, textarea, checkbox, select")
    required: bool = False
    label_ru: str | None = Field(None, max_length=NAME)
    label_en: str | None = Field(None, max_length=NAME)
    options: list[str] = Field(default_factory=list, max_length=100)


class FormCreate(Strict):
    name: str = Field(max_length=NAME)
    campaign_id: str | None = Id
    fields: list[FormField] = Field(max_length=50)
    allowed_origins: list[str] = Field(default_factory=list, max_length=20, description="e.g. https://example.ru")
    success_message_ru: str | None = Field(None, max_length=1000)
    success_message_en: str | None = Field(None, max_length=1000)
    owner_id: str | None = Id
    team_id: str | None = Id
    active: bool = True
    rate_limit_per_minute: int = Field(5, description="Submissions per address per minute: 1-1000")


class FormFieldOut(Out):
    name: str
    type: str
    required: bool = False
    label_ru: str = ""
    label_en: str = ""
    options: list[str] = []


class FormOut(Out):
    id: str
    name: str
    token: str
    campaign_id: str = ""
    fields: list[FormFieldOut] = []
    allowed_origins: list[str] = []
    success_message_ru: str = ""
    success_message_en: str = ""
    owner_id: str = ""
    team_id: str = ""
    active: bool = False
    version: int
    created_at: datetime
    created_by: str = ""
    rate_limit_per_minute: int = 5
    submit_url: str = ""
    snippet: str = Field("", description="HTML to paste into the site's page")


class PublicFormOut(Out):
    token: str
    name: str
    fields: list[FormFieldOut] = []
    success_message_ru: str = ""
    success_message_en: str = ""


class SubmissionOut(Out):
    outcome: str = Field(description="created (a new lead) or attached (to a known client by e-mail or phone)")
    message: str = Field("", description="The form's thank-you text in the Accept-Language")
