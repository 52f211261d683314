import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TaskChanged(_message.Message):
    __slots__ = ("task_id", "type", "subject", "status", "priority", "due_at", "assignee_id", "team_id", "links", "result_code", "outcome", "follow_up_task_id", "changed_fields")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    LINKS_FIELD_NUMBER: _ClassVar[int]
    RESULT_CODE_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_TASK_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    type: str
    subject: str
    status: str
    priority: str
    due_at: _timestamp_pb2.Timestamp
    assignee_id: str
    team_id: str
    links: _containers.RepeatedScalarFieldContainer[str]
    result_code: str
    outcome: str
    follow_up_task_id: str
    changed_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, task_id: _Optional[str] = ..., type: _Optional[str] = ..., subject: _Optional[str] = ..., status: _Optional[str] = ..., priority: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., assignee_id: _Optional[str] = ..., team_id: _Optional[str] = ..., links: _Optional[_Iterable[str]] = ..., result_code: _Optional[str] = ..., outcome: _Optional[str] = ..., follow_up_task_id: _Optional[str] = ..., changed_fields: _Optional[_Iterable[str]] = ...) -> None: ...
