from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class TicketChanged(_message.Message):
    __slots__ = ("ticket_id", "number", "subject", "status", "priority", "category", "channel", "queue_id", "assignee_id", "requester_party_id", "organisation_id", "deal_id", "sla_state", "sla_target", "message_kind", "author_type", "from_status", "escalated_to", "message_id")
    TICKET_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    QUEUE_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_ID_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    SLA_STATE_FIELD_NUMBER: _ClassVar[int]
    SLA_TARGET_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_KIND_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_TYPE_FIELD_NUMBER: _ClassVar[int]
    FROM_STATUS_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_TO_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    ticket_id: str
    number: int
    subject: str
    status: str
    priority: str
    category: str
    channel: str
    queue_id: str
    assignee_id: str
    requester_party_id: str
    organisation_id: str
    deal_id: str
    sla_state: str
    sla_target: str
    message_kind: str
    author_type: str
    from_status: str
    escalated_to: str
    message_id: str
    def __init__(self, ticket_id: _Optional[str] = ..., number: _Optional[int] = ..., subject: _Optional[str] = ..., status: _Optional[str] = ..., priority: _Optional[str] = ..., category: _Optional[str] = ..., channel: _Optional[str] = ..., queue_id: _Optional[str] = ..., assignee_id: _Optional[str] = ..., requester_party_id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., deal_id: _Optional[str] = ..., sla_state: _Optional[str] = ..., sla_target: _Optional[str] = ..., message_kind: _Optional[str] = ..., author_type: _Optional[str] = ..., from_status: _Optional[str] = ..., escalated_to: _Optional[str] = ..., message_id: _Optional[str] = ...) -> None: ...

class CsatRated(_message.Message):
    __slots__ = ("ticket_id", "number", "subject", "rating", "comment", "requester_party_id", "organisation_id", "assignee_id", "queue_id")
    TICKET_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    RATING_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_ID_FIELD_NUMBER: _ClassVar[int]
    QUEUE_ID_FIELD_NUMBER: _ClassVar[int]
    ticket_id: str
    number: int
    subject: str
    rating: int
    comment: str
    requester_party_id: str
    organisation_id: str
    assignee_id: str
    queue_id: str
    def __init__(self, ticket_id: _Optional[str] = ..., number: _Optional[int] = ..., subject: _Optional[str] = ..., rating: _Optional[int] = ..., comment: _Optional[str] = ..., requester_party_id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., assignee_id: _Optional[str] = ..., queue_id: _Optional[str] = ...) -> None: ...

class NpsAnswered(_message.Message):
    __slots__ = ("survey_id", "survey_name", "answer_id", "score", "group", "comment", "party_id", "organisation_id")
    SURVEY_ID_FIELD_NUMBER: _ClassVar[int]
    SURVEY_NAME_FIELD_NUMBER: _ClassVar[int]
    ANSWER_ID_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    survey_id: str
    survey_name: str
    answer_id: str
    score: int
    group: str
    comment: str
    party_id: str
    organisation_id: str
    def __init__(self, survey_id: _Optional[str] = ..., survey_name: _Optional[str] = ..., answer_id: _Optional[str] = ..., score: _Optional[int] = ..., group: _Optional[str] = ..., comment: _Optional[str] = ..., party_id: _Optional[str] = ..., organisation_id: _Optional[str] = ...) -> None: ...
