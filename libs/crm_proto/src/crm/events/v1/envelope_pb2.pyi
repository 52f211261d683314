import datetime

from google.protobuf import any_pb2 as _any_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Actor(_message.Message):
    __slots__ = ("user_id", "service")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    service: str
    def __init__(self, user_id: _Optional[str] = ..., service: _Optional[str] = ...) -> None: ...

class EventEnvelope(_message.Message):
    __slots__ = ("event_id", "type", "occurred_at", "actor", "subject_id", "version", "payload", "party_ids", "summary", "source", "scopes")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    PARTY_IDS_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    SCOPES_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    type: str
    occurred_at: _timestamp_pb2.Timestamp
    actor: Actor
    subject_id: str
    version: int
    payload: _any_pb2.Any
    party_ids: _containers.RepeatedScalarFieldContainer[str]
    summary: str
    source: str
    scopes: _containers.RepeatedCompositeFieldContainer[AccessScope]
    def __init__(self, event_id: _Optional[str] = ..., type: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ..., subject_id: _Optional[str] = ..., version: _Optional[int] = ..., payload: _Optional[_Union[_any_pb2.Any, _Mapping]] = ..., party_ids: _Optional[_Iterable[str]] = ..., summary: _Optional[str] = ..., source: _Optional[str] = ..., scopes: _Optional[_Iterable[_Union[AccessScope, _Mapping]]] = ...) -> None: ...

class AccessScope(_message.Message):
    __slots__ = ("record", "known", "owner_id", "team_id", "shared_with", "team_role", "version")
    RECORD_FIELD_NUMBER: _ClassVar[int]
    KNOWN_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    SHARED_WITH_FIELD_NUMBER: _ClassVar[int]
    TEAM_ROLE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    record: str
    known: bool
    owner_id: str
    team_id: str
    shared_with: _containers.RepeatedScalarFieldContainer[str]
    team_role: str
    version: int
    def __init__(self, record: _Optional[str] = ..., known: _Optional[bool] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., shared_with: _Optional[_Iterable[str]] = ..., team_role: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...
