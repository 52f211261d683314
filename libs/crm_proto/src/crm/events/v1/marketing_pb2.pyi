import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LeadChanged(_message.Message):
    __slots__ = ("lead_id", "status", "person_name", "company_name", "email", "phone", "inn", "campaign_id", "channel", "owner_id", "team_id", "disqualification_reason", "disqualification_comment", "company_id", "person_id", "deal_id", "form_id", "visitor_id", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "disqualification_reason_label_ru", "disqualification_reason_label_en")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PERSON_NAME_FIELD_NUMBER: _ClassVar[int]
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    INN_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    DISQUALIFICATION_REASON_FIELD_NUMBER: _ClassVar[int]
    DISQUALIFICATION_COMMENT_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    FORM_ID_FIELD_NUMBER: _ClassVar[int]
    VISITOR_ID_FIELD_NUMBER: _ClassVar[int]
    UTM_SOURCE_FIELD_NUMBER: _ClassVar[int]
    UTM_MEDIUM_FIELD_NUMBER: _ClassVar[int]
    UTM_CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    UTM_CONTENT_FIELD_NUMBER: _ClassVar[int]
    UTM_TERM_FIELD_NUMBER: _ClassVar[int]
    DISQUALIFICATION_REASON_LABEL_RU_FIELD_NUMBER: _ClassVar[int]
    DISQUALIFICATION_REASON_LABEL_EN_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    status: str
    person_name: str
    company_name: str
    email: str
    phone: str
    inn: str
    campaign_id: str
    channel: str
    owner_id: str
    team_id: str
    disqualification_reason: str
    disqualification_comment: str
    company_id: str
    person_id: str
    deal_id: str
    form_id: str
    visitor_id: str
    utm_source: str
    utm_medium: str
    utm_campaign: str
    utm_content: str
    utm_term: str
    disqualification_reason_label_ru: str
    disqualification_reason_label_en: str
    def __init__(self, lead_id: _Optional[str] = ..., status: _Optional[str] = ..., person_name: _Optional[str] = ..., company_name: _Optional[str] = ..., email: _Optional[str] = ..., phone: _Optional[str] = ..., inn: _Optional[str] = ..., campaign_id: _Optional[str] = ..., channel: _Optional[str] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., disqualification_reason: _Optional[str] = ..., disqualification_comment: _Optional[str] = ..., company_id: _Optional[str] = ..., person_id: _Optional[str] = ..., deal_id: _Optional[str] = ..., form_id: _Optional[str] = ..., visitor_id: _Optional[str] = ..., utm_source: _Optional[str] = ..., utm_medium: _Optional[str] = ..., utm_campaign: _Optional[str] = ..., utm_content: _Optional[str] = ..., utm_term: _Optional[str] = ..., disqualification_reason_label_ru: _Optional[str] = ..., disqualification_reason_label_en: _Optional[str] = ...) -> None: ...

class CampaignChanged(_message.Message):
    __slots__ = ("campaign_id", "name", "type", "status", "owner_id", "team_id", "budget", "cost", "currency", "changed_fields")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    BUDGET_FIELD_NUMBER: _ClassVar[int]
    COST_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    name: str
    type: str
    status: str
    owner_id: str
    team_id: str
    budget: str
    cost: str
    currency: str
    changed_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, campaign_id: _Optional[str] = ..., name: _Optional[str] = ..., type: _Optional[str] = ..., status: _Optional[str] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., budget: _Optional[str] = ..., cost: _Optional[str] = ..., currency: _Optional[str] = ..., changed_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class MailingSent(_message.Message):
    __slots__ = ("mailing_id", "recipient_id", "email", "campaign_id", "record_kind", "record_id", "subject")
    MAILING_ID_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    RECORD_KIND_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    mailing_id: str
    recipient_id: str
    email: str
    campaign_id: str
    record_kind: str
    record_id: str
    subject: str
    def __init__(self, mailing_id: _Optional[str] = ..., recipient_id: _Optional[str] = ..., email: _Optional[str] = ..., campaign_id: _Optional[str] = ..., record_kind: _Optional[str] = ..., record_id: _Optional[str] = ..., subject: _Optional[str] = ...) -> None: ...

class MessageTracked(_message.Message):
    __slots__ = ("mailing_id", "recipient_id", "record_kind", "record_id", "url", "subject")
    MAILING_ID_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_ID_FIELD_NUMBER: _ClassVar[int]
    RECORD_KIND_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    mailing_id: str
    recipient_id: str
    record_kind: str
    record_id: str
    url: str
    subject: str
    def __init__(self, mailing_id: _Optional[str] = ..., recipient_id: _Optional[str] = ..., record_kind: _Optional[str] = ..., record_id: _Optional[str] = ..., url: _Optional[str] = ..., subject: _Optional[str] = ...) -> None: ...

class VisitRecorded(_message.Message):
    __slots__ = ("visit_id", "visitor_id", "url", "title", "referrer", "utm_source", "utm_medium", "utm_campaign", "lead_id", "party_id", "utm_content", "utm_term", "visited_at")
    VISIT_ID_FIELD_NUMBER: _ClassVar[int]
    VISITOR_ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    REFERRER_FIELD_NUMBER: _ClassVar[int]
    UTM_SOURCE_FIELD_NUMBER: _ClassVar[int]
    UTM_MEDIUM_FIELD_NUMBER: _ClassVar[int]
    UTM_CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    UTM_CONTENT_FIELD_NUMBER: _ClassVar[int]
    UTM_TERM_FIELD_NUMBER: _ClassVar[int]
    VISITED_AT_FIELD_NUMBER: _ClassVar[int]
    visit_id: str
    visitor_id: str
    url: str
    title: str
    referrer: str
    utm_source: str
    utm_medium: str
    utm_campaign: str
    lead_id: str
    party_id: str
    utm_content: str
    utm_term: str
    visited_at: _timestamp_pb2.Timestamp
    def __init__(self, visit_id: _Optional[str] = ..., visitor_id: _Optional[str] = ..., url: _Optional[str] = ..., title: _Optional[str] = ..., referrer: _Optional[str] = ..., utm_source: _Optional[str] = ..., utm_medium: _Optional[str] = ..., utm_campaign: _Optional[str] = ..., lead_id: _Optional[str] = ..., party_id: _Optional[str] = ..., utm_content: _Optional[str] = ..., utm_term: _Optional[str] = ..., visited_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
