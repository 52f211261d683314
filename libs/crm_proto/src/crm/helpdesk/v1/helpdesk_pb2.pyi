import datetime

from google.protobuf import field_mask_pb2 as _field_mask_pb2
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

class SlaTarget(_message.Message):
    __slots__ = ("state", "due_at", "met_at", "target_minutes", "minutes_left")
    STATE_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    MET_AT_FIELD_NUMBER: _ClassVar[int]
    TARGET_MINUTES_FIELD_NUMBER: _ClassVar[int]
    MINUTES_LEFT_FIELD_NUMBER: _ClassVar[int]
    state: str
    due_at: _timestamp_pb2.Timestamp
    met_at: _timestamp_pb2.Timestamp
    target_minutes: int
    minutes_left: int
    def __init__(self, state: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., met_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., target_minutes: _Optional[int] = ..., minutes_left: _Optional[int] = ...) -> None: ...

class Ticket(_message.Message):
    __slots__ = ("id", "number", "subject", "description", "requester_party_id", "requester_name", "requester_email", "organisation_id", "channel", "priority", "category", "queue_id", "assignee_id", "status", "deal_id", "tier", "sla_policy_id", "first_response", "resolution", "sla_state", "csat_rating", "csat_comment", "team_id", "shared_with", "created_by", "created_at", "updated_at", "resolved_at", "closed_at", "version", "message_count", "last_message_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_NAME_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    QUEUE_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    SLA_POLICY_ID_FIELD_NUMBER: _ClassVar[int]
    FIRST_RESPONSE_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    SLA_STATE_FIELD_NUMBER: _ClassVar[int]
    CSAT_RATING_FIELD_NUMBER: _ClassVar[int]
    CSAT_COMMENT_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    SHARED_WITH_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_AT_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_COUNT_FIELD_NUMBER: _ClassVar[int]
    LAST_MESSAGE_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    number: int
    subject: str
    description: str
    requester_party_id: str
    requester_name: str
    requester_email: str
    organisation_id: str
    channel: str
    priority: str
    category: str
    queue_id: str
    assignee_id: str
    status: str
    deal_id: str
    tier: str
    sla_policy_id: str
    first_response: SlaTarget
    resolution: SlaTarget
    sla_state: str
    csat_rating: int
    csat_comment: str
    team_id: str
    shared_with: _containers.RepeatedScalarFieldContainer[str]
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    resolved_at: _timestamp_pb2.Timestamp
    closed_at: _timestamp_pb2.Timestamp
    version: int
    message_count: int
    last_message_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., number: _Optional[int] = ..., subject: _Optional[str] = ..., description: _Optional[str] = ..., requester_party_id: _Optional[str] = ..., requester_name: _Optional[str] = ..., requester_email: _Optional[str] = ..., organisation_id: _Optional[str] = ..., channel: _Optional[str] = ..., priority: _Optional[str] = ..., category: _Optional[str] = ..., queue_id: _Optional[str] = ..., assignee_id: _Optional[str] = ..., status: _Optional[str] = ..., deal_id: _Optional[str] = ..., tier: _Optional[str] = ..., sla_policy_id: _Optional[str] = ..., first_response: _Optional[_Union[SlaTarget, _Mapping]] = ..., resolution: _Optional[_Union[SlaTarget, _Mapping]] = ..., sla_state: _Optional[str] = ..., csat_rating: _Optional[int] = ..., csat_comment: _Optional[str] = ..., team_id: _Optional[str] = ..., shared_with: _Optional[_Iterable[str]] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., resolved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ..., message_count: _Optional[int] = ..., last_message_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class TicketMessage(_message.Message):
    __slots__ = ("id", "ticket_id", "kind", "author_type", "author_id", "author_name", "body", "channel", "email_message_id", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    TICKET_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_TYPE_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_NAME_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    EMAIL_MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    ticket_id: str
    kind: str
    author_type: str
    author_id: str
    author_name: str
    body: str
    channel: str
    email_message_id: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., ticket_id: _Optional[str] = ..., kind: _Optional[str] = ..., author_type: _Optional[str] = ..., author_id: _Optional[str] = ..., author_name: _Optional[str] = ..., body: _Optional[str] = ..., channel: _Optional[str] = ..., email_message_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateTicketRequest(_message.Message):
    __slots__ = ("subject", "description", "requester_party_id", "requester_email", "requester_name", "channel", "priority", "category", "queue_id", "deal_id", "assignee_id")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_NAME_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    QUEUE_ID_FIELD_NUMBER: _ClassVar[int]
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_ID_FIELD_NUMBER: _ClassVar[int]
    subject: str
    description: str
    requester_party_id: str
    requester_email: str
    requester_name: str
    channel: str
    priority: str
    category: str
    queue_id: str
    deal_id: str
    assignee_id: str
    def __init__(self, subject: _Optional[str] = ..., description: _Optional[str] = ..., requester_party_id: _Optional[str] = ..., requester_email: _Optional[str] = ..., requester_name: _Optional[str] = ..., channel: _Optional[str] = ..., priority: _Optional[str] = ..., category: _Optional[str] = ..., queue_id: _Optional[str] = ..., deal_id: _Optional[str] = ..., assignee_id: _Optional[str] = ...) -> None: ...

class GetTicketRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListTicketsRequest(_message.Message):
    __slots__ = ("queue_id", "status", "assignee_id", "priority", "category", "sla_state", "requester_party_id", "organisation_id", "deal_id", "query", "sort", "limit", "cursor")
    QUEUE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_ID_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    SLA_STATE_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    SORT_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    queue_id: str
    status: str
    assignee_id: str
    priority: str
    category: str
    sla_state: str
    requester_party_id: str
    organisation_id: str
    deal_id: str
    query: str
    sort: str
    limit: int
    cursor: str
    def __init__(self, queue_id: _Optional[str] = ..., status: _Optional[str] = ..., assignee_id: _Optional[str] = ..., priority: _Optional[str] = ..., category: _Optional[str] = ..., sla_state: _Optional[str] = ..., requester_party_id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., deal_id: _Optional[str] = ..., query: _Optional[str] = ..., sort: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListTicketsResponse(_message.Message):
    __slots__ = ("tickets", "next_cursor", "total")
    TICKETS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    tickets: _containers.RepeatedCompositeFieldContainer[Ticket]
    next_cursor: str
    total: int
    def __init__(self, tickets: _Optional[_Iterable[_Union[Ticket, _Mapping]]] = ..., next_cursor: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class UpdateTicketRequest(_message.Message):
    __slots__ = ("ticket", "update_mask", "expected_version")
    TICKET_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    update_mask: _field_mask_pb2.FieldMask
    expected_version: int
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class AssignTicketRequest(_message.Message):
    __slots__ = ("id", "assignee_id", "expected_version")
    ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    assignee_id: str
    expected_version: int
    def __init__(self, id: _Optional[str] = ..., assignee_id: _Optional[str] = ..., expected_version: _Optional[int] = ...) -> None: ...

class ChangeTicketStatusRequest(_message.Message):
    __slots__ = ("id", "status", "expected_version")
    ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    status: str
    expected_version: int
    def __init__(self, id: _Optional[str] = ..., status: _Optional[str] = ..., expected_version: _Optional[int] = ...) -> None: ...

class AddMessageRequest(_message.Message):
    __slots__ = ("ticket_id", "kind", "body", "status")
    TICKET_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ticket_id: str
    kind: str
    body: str
    status: str
    def __init__(self, ticket_id: _Optional[str] = ..., kind: _Optional[str] = ..., body: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class ListMessagesRequest(_message.Message):
    __slots__ = ("ticket_id", "limit", "cursor")
    TICKET_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    ticket_id: str
    limit: int
    cursor: str
    def __init__(self, ticket_id: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListMessagesResponse(_message.Message):
    __slots__ = ("messages", "next_cursor")
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    messages: _containers.RepeatedCompositeFieldContainer[TicketMessage]
    next_cursor: str
    def __init__(self, messages: _Optional[_Iterable[_Union[TicketMessage, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class RateTicketRequest(_message.Message):
    __slots__ = ("id", "rating", "comment")
    ID_FIELD_NUMBER: _ClassVar[int]
    RATING_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    id: str
    rating: int
    comment: str
    def __init__(self, id: _Optional[str] = ..., rating: _Optional[int] = ..., comment: _Optional[str] = ...) -> None: ...

class GetTicketStatsRequest(_message.Message):
    __slots__ = ("queue_id",)
    QUEUE_ID_FIELD_NUMBER: _ClassVar[int]
    queue_id: str
    def __init__(self, queue_id: _Optional[str] = ...) -> None: ...

class TicketStats(_message.Message):
    __slots__ = ("by_status", "by_sla_state", "unassigned", "csat_average", "csat_count")
    class ByStatusEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class BySlaStateEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    BY_STATUS_FIELD_NUMBER: _ClassVar[int]
    BY_SLA_STATE_FIELD_NUMBER: _ClassVar[int]
    UNASSIGNED_FIELD_NUMBER: _ClassVar[int]
    CSAT_AVERAGE_FIELD_NUMBER: _ClassVar[int]
    CSAT_COUNT_FIELD_NUMBER: _ClassVar[int]
    by_status: _containers.ScalarMap[str, int]
    by_sla_state: _containers.ScalarMap[str, int]
    unassigned: int
    csat_average: float
    csat_count: int
    def __init__(self, by_status: _Optional[_Mapping[str, int]] = ..., by_sla_state: _Optional[_Mapping[str, int]] = ..., unassigned: _Optional[int] = ..., csat_average: _Optional[float] = ..., csat_count: _Optional[int] = ...) -> None: ...

class IngestEmailRequest(_message.Message):
    __slots__ = ("raw", "mailbox")
    RAW_FIELD_NUMBER: _ClassVar[int]
    MAILBOX_FIELD_NUMBER: _ClassVar[int]
    raw: bytes
    mailbox: str
    def __init__(self, raw: _Optional[bytes] = ..., mailbox: _Optional[str] = ...) -> None: ...

class IngestEmailResponse(_message.Message):
    __slots__ = ("outcome", "reason", "ticket_id", "message_id", "attachments")
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    TICKET_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    outcome: str
    reason: str
    ticket_id: str
    message_id: str
    attachments: int
    def __init__(self, outcome: _Optional[str] = ..., reason: _Optional[str] = ..., ticket_id: _Optional[str] = ..., message_id: _Optional[str] = ..., attachments: _Optional[int] = ...) -> None: ...

class Queue(_message.Message):
    __slots__ = ("id", "name", "team_id", "lead_id", "agent_ids", "strategy", "categories", "email_address", "is_default", "archived", "version", "open_tickets", "shipped_key")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_IDS_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    EMAIL_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    IS_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    OPEN_TICKETS_FIELD_NUMBER: _ClassVar[int]
    SHIPPED_KEY_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    team_id: str
    lead_id: str
    agent_ids: _containers.RepeatedScalarFieldContainer[str]
    strategy: str
    categories: _containers.RepeatedScalarFieldContainer[str]
    email_address: str
    is_default: bool
    archived: bool
    version: int
    open_tickets: int
    shipped_key: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., team_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., agent_ids: _Optional[_Iterable[str]] = ..., strategy: _Optional[str] = ..., categories: _Optional[_Iterable[str]] = ..., email_address: _Optional[str] = ..., is_default: _Optional[bool] = ..., archived: _Optional[bool] = ..., version: _Optional[int] = ..., open_tickets: _Optional[int] = ..., shipped_key: _Optional[str] = ...) -> None: ...

class ListQueuesRequest(_message.Message):
    __slots__ = ("include_archived",)
    INCLUDE_ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    include_archived: bool
    def __init__(self, include_archived: _Optional[bool] = ...) -> None: ...

class ListQueuesResponse(_message.Message):
    __slots__ = ("queues",)
    QUEUES_FIELD_NUMBER: _ClassVar[int]
    queues: _containers.RepeatedCompositeFieldContainer[Queue]
    def __init__(self, queues: _Optional[_Iterable[_Union[Queue, _Mapping]]] = ...) -> None: ...

class GetQueueRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class CreateQueueRequest(_message.Message):
    __slots__ = ("queue",)
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    queue: Queue
    def __init__(self, queue: _Optional[_Union[Queue, _Mapping]] = ...) -> None: ...

class UpdateQueueRequest(_message.Message):
    __slots__ = ("queue", "update_mask", "expected_version")
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    queue: Queue
    update_mask: _field_mask_pb2.FieldMask
    expected_version: int
    def __init__(self, queue: _Optional[_Union[Queue, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class SlaPolicy(_message.Message):
    __slots__ = ("id", "name", "priority", "category", "tier", "first_response_minutes", "resolution_minutes", "warning_percent", "position", "archived", "version", "shipped_key")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    FIRST_RESPONSE_MINUTES_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_MINUTES_FIELD_NUMBER: _ClassVar[int]
    WARNING_PERCENT_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    SHIPPED_KEY_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    priority: str
    category: str
    tier: str
    first_response_minutes: int
    resolution_minutes: int
    warning_percent: int
    position: int
    archived: bool
    version: int
    shipped_key: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., priority: _Optional[str] = ..., category: _Optional[str] = ..., tier: _Optional[str] = ..., first_response_minutes: _Optional[int] = ..., resolution_minutes: _Optional[int] = ..., warning_percent: _Optional[int] = ..., position: _Optional[int] = ..., archived: _Optional[bool] = ..., version: _Optional[int] = ..., shipped_key: _Optional[str] = ...) -> None: ...

class ListSlaPoliciesRequest(_message.Message):
    __slots__ = ("include_archived",)
    INCLUDE_ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    include_archived: bool
    def __init__(self, include_archived: _Optional[bool] = ...) -> None: ...

class ListSlaPoliciesResponse(_message.Message):
    __slots__ = ("policies",)
    POLICIES_FIELD_NUMBER: _ClassVar[int]
    policies: _containers.RepeatedCompositeFieldContainer[SlaPolicy]
    def __init__(self, policies: _Optional[_Iterable[_Union[SlaPolicy, _Mapping]]] = ...) -> None: ...

class CreateSlaPolicyRequest(_message.Message):
    __slots__ = ("policy",)
    POLICY_FIELD_NUMBER: _ClassVar[int]
    policy: SlaPolicy
    def __init__(self, policy: _Optional[_Union[SlaPolicy, _Mapping]] = ...) -> None: ...

class UpdateSlaPolicyRequest(_message.Message):
    __slots__ = ("policy", "update_mask", "expected_version")
    POLICY_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    policy: SlaPolicy
    update_mask: _field_mask_pb2.FieldMask
    expected_version: int
    def __init__(self, policy: _Optional[_Union[SlaPolicy, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class ClientTier(_message.Message):
    __slots__ = ("party_id", "tier")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    tier: str
    def __init__(self, party_id: _Optional[str] = ..., tier: _Optional[str] = ...) -> None: ...

class SetClientTierRequest(_message.Message):
    __slots__ = ("party_id", "tier")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    tier: str
    def __init__(self, party_id: _Optional[str] = ..., tier: _Optional[str] = ...) -> None: ...

class ListClientTiersRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListClientTiersResponse(_message.Message):
    __slots__ = ("tiers",)
    TIERS_FIELD_NUMBER: _ClassVar[int]
    tiers: _containers.RepeatedCompositeFieldContainer[ClientTier]
    def __init__(self, tiers: _Optional[_Iterable[_Union[ClientTier, _Mapping]]] = ...) -> None: ...
