import datetime

from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetServiceInfoRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ServiceInfo(_message.Message):
    __slots__ = ("name", "schema_revision", "stream", "pending_events")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_REVISION_FIELD_NUMBER: _ClassVar[int]
    STREAM_FIELD_NUMBER: _ClassVar[int]
    PENDING_EVENTS_FIELD_NUMBER: _ClassVar[int]
    name: str
    schema_revision: str
    stream: str
    pending_events: int
    def __init__(self, name: _Optional[str] = ..., schema_revision: _Optional[str] = ..., stream: _Optional[str] = ..., pending_events: _Optional[int] = ...) -> None: ...

class CampaignCost(_message.Message):
    __slots__ = ("id", "date", "item", "amount", "created_at", "created_by")
    ID_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    ITEM_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    id: str
    date: str
    item: str
    amount: str
    created_at: _timestamp_pb2.Timestamp
    created_by: str
    def __init__(self, id: _Optional[str] = ..., date: _Optional[str] = ..., item: _Optional[str] = ..., amount: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ...) -> None: ...

class Campaign(_message.Message):
    __slots__ = ("id", "name", "type", "status", "starts_on", "ends_on", "owner_id", "team_id", "shared_with", "budget", "currency", "costs", "cost", "description", "utm_campaign", "version", "created_at", "updated_at", "created_by")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STARTS_ON_FIELD_NUMBER: _ClassVar[int]
    ENDS_ON_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    SHARED_WITH_FIELD_NUMBER: _ClassVar[int]
    BUDGET_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    COSTS_FIELD_NUMBER: _ClassVar[int]
    COST_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    UTM_CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    type: str
    status: str
    starts_on: str
    ends_on: str
    owner_id: str
    team_id: str
    shared_with: _containers.RepeatedScalarFieldContainer[str]
    budget: str
    currency: str
    costs: _containers.RepeatedCompositeFieldContainer[CampaignCost]
    cost: str
    description: str
    utm_campaign: str
    version: int
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    created_by: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., type: _Optional[str] = ..., status: _Optional[str] = ..., starts_on: _Optional[str] = ..., ends_on: _Optional[str] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., shared_with: _Optional[_Iterable[str]] = ..., budget: _Optional[str] = ..., currency: _Optional[str] = ..., costs: _Optional[_Iterable[_Union[CampaignCost, _Mapping]]] = ..., cost: _Optional[str] = ..., description: _Optional[str] = ..., utm_campaign: _Optional[str] = ..., version: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ...) -> None: ...

class CreateCampaignRequest(_message.Message):
    __slots__ = ("campaign",)
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    campaign: Campaign
    def __init__(self, campaign: _Optional[_Union[Campaign, _Mapping]] = ...) -> None: ...

class GetCampaignRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class UpdateCampaignRequest(_message.Message):
    __slots__ = ("campaign", "expected_version")
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    campaign: Campaign
    expected_version: int
    def __init__(self, campaign: _Optional[_Union[Campaign, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class ListCampaignsRequest(_message.Message):
    __slots__ = ("query", "filters", "sort", "limit", "cursor")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    SORT_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    query: str
    filters: _containers.RepeatedCompositeFieldContainer[_common_pb2.Filter]
    sort: str
    limit: int
    cursor: str
    def __init__(self, query: _Optional[str] = ..., filters: _Optional[_Iterable[_Union[_common_pb2.Filter, _Mapping]]] = ..., sort: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListCampaignsResponse(_message.Message):
    __slots__ = ("campaigns", "next_cursor")
    CAMPAIGNS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    campaigns: _containers.RepeatedCompositeFieldContainer[Campaign]
    next_cursor: str
    def __init__(self, campaigns: _Optional[_Iterable[_Union[Campaign, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class AddCampaignCostRequest(_message.Message):
    __slots__ = ("campaign_id", "cost", "expected_version")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    COST_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    cost: CampaignCost
    expected_version: int
    def __init__(self, campaign_id: _Optional[str] = ..., cost: _Optional[_Union[CampaignCost, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class RemoveCampaignCostRequest(_message.Message):
    __slots__ = ("campaign_id", "cost_id", "expected_version")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    COST_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    cost_id: str
    expected_version: int
    def __init__(self, campaign_id: _Optional[str] = ..., cost_id: _Optional[str] = ..., expected_version: _Optional[int] = ...) -> None: ...

class GetCampaignReportRequest(_message.Message):
    __slots__ = ("from_date", "to_date", "campaign_ids")
    FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    TO_DATE_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_IDS_FIELD_NUMBER: _ClassVar[int]
    from_date: str
    to_date: str
    campaign_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, from_date: _Optional[str] = ..., to_date: _Optional[str] = ..., campaign_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class Funnel(_message.Message):
    __slots__ = ("currency", "cost", "leads", "qualified", "converted", "deals", "won", "revenue", "won_amount", "roi", "cost_per_lead", "cost_per_won")
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    COST_FIELD_NUMBER: _ClassVar[int]
    LEADS_FIELD_NUMBER: _ClassVar[int]
    QUALIFIED_FIELD_NUMBER: _ClassVar[int]
    CONVERTED_FIELD_NUMBER: _ClassVar[int]
    DEALS_FIELD_NUMBER: _ClassVar[int]
    WON_FIELD_NUMBER: _ClassVar[int]
    REVENUE_FIELD_NUMBER: _ClassVar[int]
    WON_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    ROI_FIELD_NUMBER: _ClassVar[int]
    COST_PER_LEAD_FIELD_NUMBER: _ClassVar[int]
    COST_PER_WON_FIELD_NUMBER: _ClassVar[int]
    currency: str
    cost: str
    leads: int
    qualified: int
    converted: int
    deals: int
    won: int
    revenue: str
    won_amount: str
    roi: str
    cost_per_lead: str
    cost_per_won: str
    def __init__(self, currency: _Optional[str] = ..., cost: _Optional[str] = ..., leads: _Optional[int] = ..., qualified: _Optional[int] = ..., converted: _Optional[int] = ..., deals: _Optional[int] = ..., won: _Optional[int] = ..., revenue: _Optional[str] = ..., won_amount: _Optional[str] = ..., roi: _Optional[str] = ..., cost_per_lead: _Optional[str] = ..., cost_per_won: _Optional[str] = ...) -> None: ...

class CampaignFunnel(_message.Message):
    __slots__ = ("campaign_id", "name", "type", "funnel")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    FUNNEL_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    name: str
    type: str
    funnel: Funnel
    def __init__(self, campaign_id: _Optional[str] = ..., name: _Optional[str] = ..., type: _Optional[str] = ..., funnel: _Optional[_Union[Funnel, _Mapping]] = ...) -> None: ...

class ChannelFunnel(_message.Message):
    __slots__ = ("channel", "funnel")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    FUNNEL_FIELD_NUMBER: _ClassVar[int]
    channel: str
    funnel: Funnel
    def __init__(self, channel: _Optional[str] = ..., funnel: _Optional[_Union[Funnel, _Mapping]] = ...) -> None: ...

class CampaignReport(_message.Message):
    __slots__ = ("campaigns", "channels", "model")
    CAMPAIGNS_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    campaigns: _containers.RepeatedCompositeFieldContainer[CampaignFunnel]
    channels: _containers.RepeatedCompositeFieldContainer[ChannelFunnel]
    model: str
    def __init__(self, campaigns: _Optional[_Iterable[_Union[CampaignFunnel, _Mapping]]] = ..., channels: _Optional[_Iterable[_Union[ChannelFunnel, _Mapping]]] = ..., model: _Optional[str] = ...) -> None: ...

class Utm(_message.Message):
    __slots__ = ("source", "medium", "campaign", "content", "term")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    MEDIUM_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    TERM_FIELD_NUMBER: _ClassVar[int]
    source: str
    medium: str
    campaign: str
    content: str
    term: str
    def __init__(self, source: _Optional[str] = ..., medium: _Optional[str] = ..., campaign: _Optional[str] = ..., content: _Optional[str] = ..., term: _Optional[str] = ...) -> None: ...

class DuplicateMatch(_message.Message):
    __slots__ = ("kind", "id", "name", "reasons")
    KIND_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    kind: str
    id: str
    name: str
    reasons: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, kind: _Optional[str] = ..., id: _Optional[str] = ..., name: _Optional[str] = ..., reasons: _Optional[_Iterable[str]] = ...) -> None: ...

class Lead(_message.Message):
    __slots__ = ("id", "status", "person_name", "company_name", "position", "email", "phone", "phone_e164", "inn", "comment", "campaign_id", "campaign_name", "channel", "utm", "raw", "owner_id", "team_id", "shared_with", "duplicates", "disqualification_reason", "disqualification_comment", "company_id", "person_id", "deal_id", "form_id", "visitor_id", "version", "created_at", "updated_at", "created_by", "converted_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PERSON_NAME_FIELD_NUMBER: _ClassVar[int]
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    PHONE_E164_FIELD_NUMBER: _ClassVar[int]
    INN_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_NAME_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    UTM_FIELD_NUMBER: _ClassVar[int]
    RAW_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    SHARED_WITH_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    DISQUALIFICATION_REASON_FIELD_NUMBER: _ClassVar[int]
    DISQUALIFICATION_COMMENT_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    FORM_ID_FIELD_NUMBER: _ClassVar[int]
    VISITOR_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CONVERTED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    status: str
    person_name: str
    company_name: str
    position: str
    email: str
    phone: str
    phone_e164: str
    inn: str
    comment: str
    campaign_id: str
    campaign_name: str
    channel: str
    utm: Utm
    raw: _struct_pb2.Struct
    owner_id: str
    team_id: str
    shared_with: _containers.RepeatedScalarFieldContainer[str]
    duplicates: _containers.RepeatedCompositeFieldContainer[DuplicateMatch]
    disqualification_reason: str
    disqualification_comment: str
    company_id: str
    person_id: str
    deal_id: str
    form_id: str
    visitor_id: str
    version: int
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    created_by: str
    converted_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., status: _Optional[str] = ..., person_name: _Optional[str] = ..., company_name: _Optional[str] = ..., position: _Optional[str] = ..., email: _Optional[str] = ..., phone: _Optional[str] = ..., phone_e164: _Optional[str] = ..., inn: _Optional[str] = ..., comment: _Optional[str] = ..., campaign_id: _Optional[str] = ..., campaign_name: _Optional[str] = ..., channel: _Optional[str] = ..., utm: _Optional[_Union[Utm, _Mapping]] = ..., raw: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., shared_with: _Optional[_Iterable[str]] = ..., duplicates: _Optional[_Iterable[_Union[DuplicateMatch, _Mapping]]] = ..., disqualification_reason: _Optional[str] = ..., disqualification_comment: _Optional[str] = ..., company_id: _Optional[str] = ..., person_id: _Optional[str] = ..., deal_id: _Optional[str] = ..., form_id: _Optional[str] = ..., visitor_id: _Optional[str] = ..., version: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ..., converted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateLeadRequest(_message.Message):
    __slots__ = ("lead", "channel")
    LEAD_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    lead: Lead
    channel: str
    def __init__(self, lead: _Optional[_Union[Lead, _Mapping]] = ..., channel: _Optional[str] = ...) -> None: ...

class GetLeadRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class UpdateLeadRequest(_message.Message):
    __slots__ = ("lead", "expected_version")
    LEAD_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    lead: Lead
    expected_version: int
    def __init__(self, lead: _Optional[_Union[Lead, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class ListLeadsRequest(_message.Message):
    __slots__ = ("query", "filters", "sort", "limit", "cursor")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    SORT_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    query: str
    filters: _containers.RepeatedCompositeFieldContainer[_common_pb2.Filter]
    sort: str
    limit: int
    cursor: str
    def __init__(self, query: _Optional[str] = ..., filters: _Optional[_Iterable[_Union[_common_pb2.Filter, _Mapping]]] = ..., sort: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListLeadsResponse(_message.Message):
    __slots__ = ("leads", "next_cursor")
    LEADS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    leads: _containers.RepeatedCompositeFieldContainer[Lead]
    next_cursor: str
    def __init__(self, leads: _Optional[_Iterable[_Union[Lead, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class CountLeadsRequest(_message.Message):
    __slots__ = ("query", "filters")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    query: str
    filters: _containers.RepeatedCompositeFieldContainer[_common_pb2.Filter]
    def __init__(self, query: _Optional[str] = ..., filters: _Optional[_Iterable[_Union[_common_pb2.Filter, _Mapping]]] = ...) -> None: ...

class CountLeadsResponse(_message.Message):
    __slots__ = ("count",)
    COUNT_FIELD_NUMBER: _ClassVar[int]
    count: int
    def __init__(self, count: _Optional[int] = ...) -> None: ...

class AssignLeadRequest(_message.Message):
    __slots__ = ("id", "owner_id", "team_id", "expected_version")
    ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    owner_id: str
    team_id: str
    expected_version: int
    def __init__(self, id: _Optional[str] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., expected_version: _Optional[int] = ...) -> None: ...

class QualifyLeadRequest(_message.Message):
    __slots__ = ("id", "expected_version")
    ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    expected_version: int
    def __init__(self, id: _Optional[str] = ..., expected_version: _Optional[int] = ...) -> None: ...

class DisqualifyLeadRequest(_message.Message):
    __slots__ = ("id", "reason", "comment", "expected_version")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    comment: str
    expected_version: int
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ..., comment: _Optional[str] = ..., expected_version: _Optional[int] = ...) -> None: ...

class ConvertLeadRequest(_message.Message):
    __slots__ = ("id", "create_company", "create_person", "company_id", "person_id", "create_deal", "deal_title", "deal_amount", "deal_currency", "pipeline_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_COMPANY_FIELD_NUMBER: _ClassVar[int]
    CREATE_PERSON_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_DEAL_FIELD_NUMBER: _ClassVar[int]
    DEAL_TITLE_FIELD_NUMBER: _ClassVar[int]
    DEAL_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    DEAL_CURRENCY_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    create_company: bool
    create_person: bool
    company_id: str
    person_id: str
    create_deal: bool
    deal_title: str
    deal_amount: str
    deal_currency: str
    pipeline_id: str
    def __init__(self, id: _Optional[str] = ..., create_company: _Optional[bool] = ..., create_person: _Optional[bool] = ..., company_id: _Optional[str] = ..., person_id: _Optional[str] = ..., create_deal: _Optional[bool] = ..., deal_title: _Optional[str] = ..., deal_amount: _Optional[str] = ..., deal_currency: _Optional[str] = ..., pipeline_id: _Optional[str] = ...) -> None: ...

class RuleCondition(_message.Message):
    __slots__ = ("field", "op", "value")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    OP_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    field: str
    op: str
    value: str
    def __init__(self, field: _Optional[str] = ..., op: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class AssignmentRule(_message.Message):
    __slots__ = ("id", "name", "conditions", "user_ids", "team_id", "active")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONDITIONS_FIELD_NUMBER: _ClassVar[int]
    USER_IDS_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    conditions: _containers.RepeatedCompositeFieldContainer[RuleCondition]
    user_ids: _containers.RepeatedScalarFieldContainer[str]
    team_id: str
    active: bool
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., conditions: _Optional[_Iterable[_Union[RuleCondition, _Mapping]]] = ..., user_ids: _Optional[_Iterable[str]] = ..., team_id: _Optional[str] = ..., active: _Optional[bool] = ...) -> None: ...

class ListAssignmentRulesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListAssignmentRulesResponse(_message.Message):
    __slots__ = ("rules",)
    RULES_FIELD_NUMBER: _ClassVar[int]
    rules: _containers.RepeatedCompositeFieldContainer[AssignmentRule]
    def __init__(self, rules: _Optional[_Iterable[_Union[AssignmentRule, _Mapping]]] = ...) -> None: ...

class ReplaceAssignmentRulesRequest(_message.Message):
    __slots__ = ("rules",)
    RULES_FIELD_NUMBER: _ClassVar[int]
    rules: _containers.RepeatedCompositeFieldContainer[AssignmentRule]
    def __init__(self, rules: _Optional[_Iterable[_Union[AssignmentRule, _Mapping]]] = ...) -> None: ...

class FormField(_message.Message):
    __slots__ = ("name", "type", "required", "label_ru", "label_en", "options")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    LABEL_RU_FIELD_NUMBER: _ClassVar[int]
    LABEL_EN_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    name: str
    type: str
    required: bool
    label_ru: str
    label_en: str
    options: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., type: _Optional[str] = ..., required: _Optional[bool] = ..., label_ru: _Optional[str] = ..., label_en: _Optional[str] = ..., options: _Optional[_Iterable[str]] = ...) -> None: ...

class Form(_message.Message):
    __slots__ = ("id", "name", "token", "campaign_id", "fields", "allowed_origins", "success_message_ru", "success_message_en", "owner_id", "team_id", "active", "version", "created_at", "created_by", "rate_limit_per_minute")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_ORIGINS_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_MESSAGE_RU_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_MESSAGE_EN_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    RATE_LIMIT_PER_MINUTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    token: str
    campaign_id: str
    fields: _containers.RepeatedCompositeFieldContainer[FormField]
    allowed_origins: _containers.RepeatedScalarFieldContainer[str]
    success_message_ru: str
    success_message_en: str
    owner_id: str
    team_id: str
    active: bool
    version: int
    created_at: _timestamp_pb2.Timestamp
    created_by: str
    rate_limit_per_minute: int
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., token: _Optional[str] = ..., campaign_id: _Optional[str] = ..., fields: _Optional[_Iterable[_Union[FormField, _Mapping]]] = ..., allowed_origins: _Optional[_Iterable[str]] = ..., success_message_ru: _Optional[str] = ..., success_message_en: _Optional[str] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., active: _Optional[bool] = ..., version: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ..., rate_limit_per_minute: _Optional[int] = ...) -> None: ...

class CreateFormRequest(_message.Message):
    __slots__ = ("form",)
    FORM_FIELD_NUMBER: _ClassVar[int]
    form: Form
    def __init__(self, form: _Optional[_Union[Form, _Mapping]] = ...) -> None: ...

class GetFormRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class UpdateFormRequest(_message.Message):
    __slots__ = ("form", "expected_version")
    FORM_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    form: Form
    expected_version: int
    def __init__(self, form: _Optional[_Union[Form, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class ListFormsRequest(_message.Message):
    __slots__ = ("limit", "cursor")
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    limit: int
    cursor: str
    def __init__(self, limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListFormsResponse(_message.Message):
    __slots__ = ("forms", "next_cursor")
    FORMS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    forms: _containers.RepeatedCompositeFieldContainer[Form]
    next_cursor: str
    def __init__(self, forms: _Optional[_Iterable[_Union[Form, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class GetPublicFormRequest(_message.Message):
    __slots__ = ("token",)
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    token: str
    def __init__(self, token: _Optional[str] = ...) -> None: ...

class PublicForm(_message.Message):
    __slots__ = ("token", "name", "fields", "allowed_origins", "success_message_ru", "success_message_en")
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_ORIGINS_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_MESSAGE_RU_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_MESSAGE_EN_FIELD_NUMBER: _ClassVar[int]
    token: str
    name: str
    fields: _containers.RepeatedCompositeFieldContainer[FormField]
    allowed_origins: _containers.RepeatedScalarFieldContainer[str]
    success_message_ru: str
    success_message_en: str
    def __init__(self, token: _Optional[str] = ..., name: _Optional[str] = ..., fields: _Optional[_Iterable[_Union[FormField, _Mapping]]] = ..., allowed_origins: _Optional[_Iterable[str]] = ..., success_message_ru: _Optional[str] = ..., success_message_en: _Optional[str] = ...) -> None: ...

class SubmitFormRequest(_message.Message):
    __slots__ = ("token", "values", "honeypot", "client_ip", "origin", "visitor_id", "utm", "page_url", "referrer")
    class ValuesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    HONEYPOT_FIELD_NUMBER: _ClassVar[int]
    CLIENT_IP_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    VISITOR_ID_FIELD_NUMBER: _ClassVar[int]
    UTM_FIELD_NUMBER: _ClassVar[int]
    PAGE_URL_FIELD_NUMBER: _ClassVar[int]
    REFERRER_FIELD_NUMBER: _ClassVar[int]
    token: str
    values: _containers.ScalarMap[str, str]
    honeypot: str
    client_ip: str
    origin: str
    visitor_id: str
    utm: Utm
    page_url: str
    referrer: str
    def __init__(self, token: _Optional[str] = ..., values: _Optional[_Mapping[str, str]] = ..., honeypot: _Optional[str] = ..., client_ip: _Optional[str] = ..., origin: _Optional[str] = ..., visitor_id: _Optional[str] = ..., utm: _Optional[_Union[Utm, _Mapping]] = ..., page_url: _Optional[str] = ..., referrer: _Optional[str] = ...) -> None: ...

class SubmitFormResponse(_message.Message):
    __slots__ = ("lead_id", "outcome", "party_id")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    outcome: str
    party_id: str
    def __init__(self, lead_id: _Optional[str] = ..., outcome: _Optional[str] = ..., party_id: _Optional[str] = ...) -> None: ...

class ImportColumn(_message.Message):
    __slots__ = ("header", "target", "samples")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    SAMPLES_FIELD_NUMBER: _ClassVar[int]
    header: str
    target: str
    samples: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, header: _Optional[str] = ..., target: _Optional[str] = ..., samples: _Optional[_Iterable[str]] = ...) -> None: ...

class Import(_message.Message):
    __slots__ = ("id", "target", "filename", "status", "size_bytes", "format", "encoding", "delimiter", "preset", "columns", "campaign_id", "on_duplicate", "rows_total", "rows_done", "created", "duplicates", "errors", "failure", "owner_id", "created_at", "started_at", "finished_at", "party_kind", "cancel_requested")
    ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    ENCODING_FIELD_NUMBER: _ClassVar[int]
    DELIMITER_FIELD_NUMBER: _ClassVar[int]
    PRESET_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    ON_DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    ROWS_TOTAL_FIELD_NUMBER: _ClassVar[int]
    ROWS_DONE_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    FAILURE_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    PARTY_KIND_FIELD_NUMBER: _ClassVar[int]
    CANCEL_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    id: str
    target: str
    filename: str
    status: str
    size_bytes: int
    format: str
    encoding: str
    delimiter: str
    preset: str
    columns: _containers.RepeatedCompositeFieldContainer[ImportColumn]
    campaign_id: str
    on_duplicate: str
    rows_total: int
    rows_done: int
    created: int
    duplicates: int
    errors: int
    failure: str
    owner_id: str
    created_at: _timestamp_pb2.Timestamp
    started_at: _timestamp_pb2.Timestamp
    finished_at: _timestamp_pb2.Timestamp
    party_kind: str
    cancel_requested: bool
    def __init__(self, id: _Optional[str] = ..., target: _Optional[str] = ..., filename: _Optional[str] = ..., status: _Optional[str] = ..., size_bytes: _Optional[int] = ..., format: _Optional[str] = ..., encoding: _Optional[str] = ..., delimiter: _Optional[str] = ..., preset: _Optional[str] = ..., columns: _Optional[_Iterable[_Union[ImportColumn, _Mapping]]] = ..., campaign_id: _Optional[str] = ..., on_duplicate: _Optional[str] = ..., rows_total: _Optional[int] = ..., rows_done: _Optional[int] = ..., created: _Optional[int] = ..., duplicates: _Optional[int] = ..., errors: _Optional[int] = ..., failure: _Optional[str] = ..., owner_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., party_kind: _Optional[str] = ..., cancel_requested: _Optional[bool] = ...) -> None: ...

class CreateImportRequest(_message.Message):
    __slots__ = ("target", "filename", "campaign_id", "size_bytes", "party_kind")
    TARGET_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    PARTY_KIND_FIELD_NUMBER: _ClassVar[int]
    target: str
    filename: str
    campaign_id: str
    size_bytes: int
    party_kind: str
    def __init__(self, target: _Optional[str] = ..., filename: _Optional[str] = ..., campaign_id: _Optional[str] = ..., size_bytes: _Optional[int] = ..., party_kind: _Optional[str] = ...) -> None: ...

class UploadImportChunkRequest(_message.Message):
    __slots__ = ("import_id", "seq", "data")
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    seq: int
    data: bytes
    def __init__(self, import_id: _Optional[str] = ..., seq: _Optional[int] = ..., data: _Optional[bytes] = ...) -> None: ...

class FinishImportUploadRequest(_message.Message):
    __slots__ = ("import_id",)
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    def __init__(self, import_id: _Optional[str] = ...) -> None: ...

class PreviewImportRequest(_message.Message):
    __slots__ = ("import_id", "mapping", "preset", "on_duplicate", "rows")
    class MappingEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    MAPPING_FIELD_NUMBER: _ClassVar[int]
    PRESET_FIELD_NUMBER: _ClassVar[int]
    ON_DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    mapping: _containers.ScalarMap[str, str]
    preset: str
    on_duplicate: str
    rows: int
    def __init__(self, import_id: _Optional[str] = ..., mapping: _Optional[_Mapping[str, str]] = ..., preset: _Optional[str] = ..., on_duplicate: _Optional[str] = ..., rows: _Optional[int] = ...) -> None: ...

class PreviewRow(_message.Message):
    __slots__ = ("row_number", "values", "errors")
    class ValuesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ROW_NUMBER_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    row_number: int
    values: _containers.ScalarMap[str, str]
    errors: _containers.RepeatedCompositeFieldContainer[_common_pb2.FieldViolation]
    def __init__(self, row_number: _Optional[int] = ..., values: _Optional[_Mapping[str, str]] = ..., errors: _Optional[_Iterable[_Union[_common_pb2.FieldViolation, _Mapping]]] = ...) -> None: ...

class ImportPreview(_message.Message):
    __slots__ = ("rows",)
    IMPORT_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    rows: _containers.RepeatedCompositeFieldContainer[PreviewRow]
    def __init__(self, rows: _Optional[_Iterable[_Union[PreviewRow, _Mapping]]] = ..., **kwargs) -> None: ...

class StartImportRequest(_message.Message):
    __slots__ = ("import_id",)
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    def __init__(self, import_id: _Optional[str] = ...) -> None: ...

class CancelImportRequest(_message.Message):
    __slots__ = ("import_id",)
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    def __init__(self, import_id: _Optional[str] = ...) -> None: ...

class GetImportRequest(_message.Message):
    __slots__ = ("import_id",)
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    def __init__(self, import_id: _Optional[str] = ...) -> None: ...

class ListImportsRequest(_message.Message):
    __slots__ = ("limit", "cursor")
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    limit: int
    cursor: str
    def __init__(self, limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListImportsResponse(_message.Message):
    __slots__ = ("imports", "next_cursor")
    IMPORTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    imports: _containers.RepeatedCompositeFieldContainer[Import]
    next_cursor: str
    def __init__(self, imports: _Optional[_Iterable[_Union[Import, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class ImportRow(_message.Message):
    __slots__ = ("row_number", "outcome", "record_id", "duplicate_kind", "duplicate_of_row", "errors")
    ROW_NUMBER_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_KIND_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_OF_ROW_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    row_number: int
    outcome: str
    record_id: str
    duplicate_kind: str
    duplicate_of_row: int
    errors: _containers.RepeatedCompositeFieldContainer[_common_pb2.FieldViolation]
    def __init__(self, row_number: _Optional[int] = ..., outcome: _Optional[str] = ..., record_id: _Optional[str] = ..., duplicate_kind: _Optional[str] = ..., duplicate_of_row: _Optional[int] = ..., errors: _Optional[_Iterable[_Union[_common_pb2.FieldViolation, _Mapping]]] = ...) -> None: ...

class ListImportRowsRequest(_message.Message):
    __slots__ = ("import_id", "outcome", "limit", "cursor")
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    outcome: str
    limit: int
    cursor: str
    def __init__(self, import_id: _Optional[str] = ..., outcome: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListImportRowsResponse(_message.Message):
    __slots__ = ("rows", "next_cursor")
    ROWS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    rows: _containers.RepeatedCompositeFieldContainer[ImportRow]
    next_cursor: str
    def __init__(self, rows: _Optional[_Iterable[_Union[ImportRow, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class DownloadImportErrorsRequest(_message.Message):
    __slots__ = ("import_id", "format")
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    format: str
    def __init__(self, import_id: _Optional[str] = ..., format: _Optional[str] = ...) -> None: ...

class ListImportPresetsRequest(_message.Message):
    __slots__ = ("target",)
    TARGET_FIELD_NUMBER: _ClassVar[int]
    target: str
    def __init__(self, target: _Optional[str] = ...) -> None: ...

class ImportPreset(_message.Message):
    __slots__ = ("name", "title", "columns")
    class ColumnsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    name: str
    title: str
    columns: _containers.ScalarMap[str, str]
    def __init__(self, name: _Optional[str] = ..., title: _Optional[str] = ..., columns: _Optional[_Mapping[str, str]] = ...) -> None: ...

class ListImportPresetsResponse(_message.Message):
    __slots__ = ("presets",)
    PRESETS_FIELD_NUMBER: _ClassVar[int]
    presets: _containers.RepeatedCompositeFieldContainer[ImportPreset]
    def __init__(self, presets: _Optional[_Iterable[_Union[ImportPreset, _Mapping]]] = ...) -> None: ...

class FileChunk(_message.Message):
    __slots__ = ("data", "filename", "content_type")
    DATA_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    filename: str
    content_type: str
    def __init__(self, data: _Optional[bytes] = ..., filename: _Optional[str] = ..., content_type: _Optional[str] = ...) -> None: ...

class Visit(_message.Message):
    __slots__ = ("id", "visitor_id", "url", "title", "referrer", "utm", "visited_at", "lead_id", "party_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    VISITOR_ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    REFERRER_FIELD_NUMBER: _ClassVar[int]
    UTM_FIELD_NUMBER: _ClassVar[int]
    VISITED_AT_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    visitor_id: str
    url: str
    title: str
    referrer: str
    utm: Utm
    visited_at: _timestamp_pb2.Timestamp
    lead_id: str
    party_id: str
    def __init__(self, id: _Optional[str] = ..., visitor_id: _Optional[str] = ..., url: _Optional[str] = ..., title: _Optional[str] = ..., referrer: _Optional[str] = ..., utm: _Optional[_Union[Utm, _Mapping]] = ..., visited_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., lead_id: _Optional[str] = ..., party_id: _Optional[str] = ...) -> None: ...

class RecordVisitRequest(_message.Message):
    __slots__ = ("visitor_id", "url", "title", "referrer", "client_ip")
    VISITOR_ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    REFERRER_FIELD_NUMBER: _ClassVar[int]
    CLIENT_IP_FIELD_NUMBER: _ClassVar[int]
    visitor_id: str
    url: str
    title: str
    referrer: str
    client_ip: str
    def __init__(self, visitor_id: _Optional[str] = ..., url: _Optional[str] = ..., title: _Optional[str] = ..., referrer: _Optional[str] = ..., client_ip: _Optional[str] = ...) -> None: ...

class RecordVisitResponse(_message.Message):
    __slots__ = ("visit_id", "identified")
    VISIT_ID_FIELD_NUMBER: _ClassVar[int]
    IDENTIFIED_FIELD_NUMBER: _ClassVar[int]
    visit_id: str
    identified: bool
    def __init__(self, visit_id: _Optional[str] = ..., identified: _Optional[bool] = ...) -> None: ...

class ListVisitsRequest(_message.Message):
    __slots__ = ("lead_id", "party_id", "limit", "cursor")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    party_id: str
    limit: int
    cursor: str
    def __init__(self, lead_id: _Optional[str] = ..., party_id: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListVisitsResponse(_message.Message):
    __slots__ = ("visits", "next_cursor")
    VISITS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    visits: _containers.RepeatedCompositeFieldContainer[Visit]
    next_cursor: str
    def __init__(self, visits: _Optional[_Iterable[_Union[Visit, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class Segment(_message.Message):
    __slots__ = ("id", "name", "kind", "source", "query", "filters", "owner_id", "team_id", "shared_with", "description", "version", "created_at", "updated_at", "created_by")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    SHARED_WITH_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    kind: str
    source: str
    query: str
    filters: _containers.RepeatedCompositeFieldContainer[_common_pb2.Filter]
    owner_id: str
    team_id: str
    shared_with: _containers.RepeatedScalarFieldContainer[str]
    description: str
    version: int
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    created_by: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[str] = ..., source: _Optional[str] = ..., query: _Optional[str] = ..., filters: _Optional[_Iterable[_Union[_common_pb2.Filter, _Mapping]]] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., shared_with: _Optional[_Iterable[str]] = ..., description: _Optional[str] = ..., version: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ...) -> None: ...

class CreateSegmentRequest(_message.Message):
    __slots__ = ("segment",)
    SEGMENT_FIELD_NUMBER: _ClassVar[int]
    segment: Segment
    def __init__(self, segment: _Optional[_Union[Segment, _Mapping]] = ...) -> None: ...

class GetSegmentRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListSegmentsRequest(_message.Message):
    __slots__ = ("query", "limit", "cursor")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    query: str
    limit: int
    cursor: str
    def __init__(self, query: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListSegmentsResponse(_message.Message):
    __slots__ = ("segments", "next_cursor")
    SEGMENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    segments: _containers.RepeatedCompositeFieldContainer[Segment]
    next_cursor: str
    def __init__(self, segments: _Optional[_Iterable[_Union[Segment, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class MemberRef(_message.Message):
    __slots__ = ("kind", "id")
    KIND_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    kind: str
    id: str
    def __init__(self, kind: _Optional[str] = ..., id: _Optional[str] = ...) -> None: ...

class SegmentMembersRequest(_message.Message):
    __slots__ = ("segment_id", "members", "expected_version")
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    segment_id: str
    members: _containers.RepeatedCompositeFieldContainer[MemberRef]
    expected_version: int
    def __init__(self, segment_id: _Optional[str] = ..., members: _Optional[_Iterable[_Union[MemberRef, _Mapping]]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class CountSegmentRequest(_message.Message):
    __slots__ = ("segment_id",)
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    segment_id: str
    def __init__(self, segment_id: _Optional[str] = ...) -> None: ...

class CountSegmentResponse(_message.Message):
    __slots__ = ("count", "capped")
    COUNT_FIELD_NUMBER: _ClassVar[int]
    CAPPED_FIELD_NUMBER: _ClassVar[int]
    count: int
    capped: bool
    def __init__(self, count: _Optional[int] = ..., capped: _Optional[bool] = ...) -> None: ...

class SegmentMember(_message.Message):
    __slots__ = ("kind", "id", "name", "first_name", "last_name", "company", "email", "phone", "position")
    KIND_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    kind: str
    id: str
    name: str
    first_name: str
    last_name: str
    company: str
    email: str
    phone: str
    position: str
    def __init__(self, kind: _Optional[str] = ..., id: _Optional[str] = ..., name: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., company: _Optional[str] = ..., email: _Optional[str] = ..., phone: _Optional[str] = ..., position: _Optional[str] = ...) -> None: ...

class ListSegmentMembersRequest(_message.Message):
    __slots__ = ("segment_id", "limit", "cursor")
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    segment_id: str
    limit: int
    cursor: str
    def __init__(self, segment_id: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListSegmentMembersResponse(_message.Message):
    __slots__ = ("members", "next_cursor")
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    members: _containers.RepeatedCompositeFieldContainer[SegmentMember]
    next_cursor: str
    def __init__(self, members: _Optional[_Iterable[_Union[SegmentMember, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class ExportSegmentRequest(_message.Message):
    __slots__ = ("segment_id", "format")
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    segment_id: str
    format: str
    def __init__(self, segment_id: _Optional[str] = ..., format: _Optional[str] = ...) -> None: ...

class MailTemplate(_message.Message):
    __slots__ = ("id", "name", "subject", "text", "html", "owner_id", "team_id", "shared_with", "version", "created_at", "created_by")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    HTML_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    SHARED_WITH_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    subject: str
    text: str
    html: str
    owner_id: str
    team_id: str
    shared_with: _containers.RepeatedScalarFieldContainer[str]
    version: int
    created_at: _timestamp_pb2.Timestamp
    created_by: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., subject: _Optional[str] = ..., text: _Optional[str] = ..., html: _Optional[str] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., shared_with: _Optional[_Iterable[str]] = ..., version: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ...) -> None: ...

class CreateMailTemplateRequest(_message.Message):
    __slots__ = ("template",)
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    template: MailTemplate
    def __init__(self, template: _Optional[_Union[MailTemplate, _Mapping]] = ...) -> None: ...

class GetMailTemplateRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListMailTemplatesRequest(_message.Message):
    __slots__ = ("limit", "cursor")
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    limit: int
    cursor: str
    def __init__(self, limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListMailTemplatesResponse(_message.Message):
    __slots__ = ("templates", "next_cursor")
    TEMPLATES_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    templates: _containers.RepeatedCompositeFieldContainer[MailTemplate]
    next_cursor: str
    def __init__(self, templates: _Optional[_Iterable[_Union[MailTemplate, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class Mailing(_message.Message):
    __slots__ = ("id", "name", "template_id", "segment_id", "campaign_id", "from_address", "status", "owner_id", "team_id", "shared_with", "version", "created_at", "created_by", "send_requested_at", "finished_at", "counts", "opened", "clicked")
    class CountsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    SHARED_WITH_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    SEND_REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    OPENED_FIELD_NUMBER: _ClassVar[int]
    CLICKED_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    template_id: str
    segment_id: str
    campaign_id: str
    from_address: str
    status: str
    owner_id: str
    team_id: str
    shared_with: _containers.RepeatedScalarFieldContainer[str]
    version: int
    created_at: _timestamp_pb2.Timestamp
    created_by: str
    send_requested_at: _timestamp_pb2.Timestamp
    finished_at: _timestamp_pb2.Timestamp
    counts: _containers.ScalarMap[str, int]
    opened: int
    clicked: int
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., template_id: _Optional[str] = ..., segment_id: _Optional[str] = ..., campaign_id: _Optional[str] = ..., from_address: _Optional[str] = ..., status: _Optional[str] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., shared_with: _Optional[_Iterable[str]] = ..., version: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ..., send_requested_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., counts: _Optional[_Mapping[str, int]] = ..., opened: _Optional[int] = ..., clicked: _Optional[int] = ...) -> None: ...

class CreateMailingRequest(_message.Message):
    __slots__ = ("mailing",)
    MAILING_FIELD_NUMBER: _ClassVar[int]
    mailing: Mailing
    def __init__(self, mailing: _Optional[_Union[Mailing, _Mapping]] = ...) -> None: ...

class GetMailingRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListMailingsRequest(_message.Message):
    __slots__ = ("campaign_id", "limit", "cursor")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    limit: int
    cursor: str
    def __init__(self, campaign_id: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListMailingsResponse(_message.Message):
    __slots__ = ("mailings", "next_cursor")
    MAILINGS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    mailings: _containers.RepeatedCompositeFieldContainer[Mailing]
    next_cursor: str
    def __init__(self, mailings: _Optional[_Iterable[_Union[Mailing, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class TestSendMailingRequest(_message.Message):
    __slots__ = ("id", "email")
    ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    id: str
    email: str
    def __init__(self, id: _Optional[str] = ..., email: _Optional[str] = ...) -> None: ...

class TestSendMailingResponse(_message.Message):
    __slots__ = ("message_id",)
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    def __init__(self, message_id: _Optional[str] = ...) -> None: ...

class SendMailingRequest(_message.Message):
    __slots__ = ("id", "expected_version")
    ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    expected_version: int
    def __init__(self, id: _Optional[str] = ..., expected_version: _Optional[int] = ...) -> None: ...

class MailRecipient(_message.Message):
    __slots__ = ("id", "mailing_id", "record_kind", "record_id", "email", "name", "status", "attempts", "error", "sent_at", "opened_at", "clicked_at", "clicks")
    ID_FIELD_NUMBER: _ClassVar[int]
    MAILING_ID_FIELD_NUMBER: _ClassVar[int]
    RECORD_KIND_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    SENT_AT_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    CLICKED_AT_FIELD_NUMBER: _ClassVar[int]
    CLICKS_FIELD_NUMBER: _ClassVar[int]
    id: str
    mailing_id: str
    record_kind: str
    record_id: str
    email: str
    name: str
    status: str
    attempts: int
    error: str
    sent_at: _timestamp_pb2.Timestamp
    opened_at: _timestamp_pb2.Timestamp
    clicked_at: _timestamp_pb2.Timestamp
    clicks: int
    def __init__(self, id: _Optional[str] = ..., mailing_id: _Optional[str] = ..., record_kind: _Optional[str] = ..., record_id: _Optional[str] = ..., email: _Optional[str] = ..., name: _Optional[str] = ..., status: _Optional[str] = ..., attempts: _Optional[int] = ..., error: _Optional[str] = ..., sent_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., clicked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., clicks: _Optional[int] = ...) -> None: ...

class ListMailingRecipientsRequest(_message.Message):
    __slots__ = ("mailing_id", "status", "limit", "cursor")
    MAILING_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    mailing_id: str
    status: str
    limit: int
    cursor: str
    def __init__(self, mailing_id: _Optional[str] = ..., status: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListMailingRecipientsResponse(_message.Message):
    __slots__ = ("recipients", "next_cursor")
    RECIPIENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    recipients: _containers.RepeatedCompositeFieldContainer[MailRecipient]
    next_cursor: str
    def __init__(self, recipients: _Optional[_Iterable[_Union[MailRecipient, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class SendTemplateRequest(_message.Message):
    __slots__ = ("template_id", "record_kind", "record_id", "key")
    TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    RECORD_KIND_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    template_id: str
    record_kind: str
    record_id: str
    key: str
    def __init__(self, template_id: _Optional[str] = ..., record_kind: _Optional[str] = ..., record_id: _Optional[str] = ..., key: _Optional[str] = ...) -> None: ...

class SendTemplateResponse(_message.Message):
    __slots__ = ("recipient_id", "status")
    RECIPIENT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    recipient_id: str
    status: str
    def __init__(self, recipient_id: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class TrackRequest(_message.Message):
    __slots__ = ("token",)
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    token: str
    def __init__(self, token: _Optional[str] = ...) -> None: ...

class TrackResponse(_message.Message):
    __slots__ = ("url", "email")
    URL_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    url: str
    email: str
    def __init__(self, url: _Optional[str] = ..., email: _Optional[str] = ...) -> None: ...

class Suppression(_message.Message):
    __slots__ = ("email", "reason", "created_at", "created_by")
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    email: str
    reason: str
    created_at: _timestamp_pb2.Timestamp
    created_by: str
    def __init__(self, email: _Optional[str] = ..., reason: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ...) -> None: ...

class ListSuppressionsRequest(_message.Message):
    __slots__ = ("limit", "cursor")
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    limit: int
    cursor: str
    def __init__(self, limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListSuppressionsResponse(_message.Message):
    __slots__ = ("suppressions", "next_cursor")
    SUPPRESSIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    suppressions: _containers.RepeatedCompositeFieldContainer[Suppression]
    next_cursor: str
    def __init__(self, suppressions: _Optional[_Iterable[_Union[Suppression, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class SuppressionRequest(_message.Message):
    __slots__ = ("email",)
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    email: str
    def __init__(self, email: _Optional[str] = ...) -> None: ...

class RemoveSuppressionResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
