import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TaskChanged(_message.Message):
    __slots__ = ("task_id", "type", "subject", "status", "priority", "due_at", "assignee_id", "team_id", "links", "result_code", "outcome", "follow_up_task_id", "changed_fields", "process_key", "process_name", "type_label_ru", "type_label_en", "result_label_ru", "result_label_en")
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
    PROCESS_KEY_FIELD_NUMBER: _ClassVar[int]
    PROCESS_NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_LABEL_RU_FIELD_NUMBER: _ClassVar[int]
    TYPE_LABEL_EN_FIELD_NUMBER: _ClassVar[int]
    RESULT_LABEL_RU_FIELD_NUMBER: _ClassVar[int]
    RESULT_LABEL_EN_FIELD_NUMBER: _ClassVar[int]
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
    process_key: str
    process_name: str
    type_label_ru: str
    type_label_en: str
    result_label_ru: str
    result_label_en: str
    def __init__(self, task_id: _Optional[str] = ..., type: _Optional[str] = ..., subject: _Optional[str] = ..., status: _Optional[str] = ..., priority: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., assignee_id: _Optional[str] = ..., team_id: _Optional[str] = ..., links: _Optional[_Iterable[str]] = ..., result_code: _Optional[str] = ..., outcome: _Optional[str] = ..., follow_up_task_id: _Optional[str] = ..., changed_fields: _Optional[_Iterable[str]] = ..., process_key: _Optional[str] = ..., process_name: _Optional[str] = ..., type_label_ru: _Optional[str] = ..., type_label_en: _Optional[str] = ..., result_label_ru: _Optional[str] = ..., result_label_en: _Optional[str] = ...) -> None: ...

class ProcessChanged(_message.Message):
    __slots__ = ("instance_id", "definition_key", "definition_version", "name", "status", "current_step", "record_kind", "record_id", "error")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_KEY_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_VERSION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CURRENT_STEP_FIELD_NUMBER: _ClassVar[int]
    RECORD_KIND_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    definition_key: str
    definition_version: int
    name: str
    status: str
    current_step: str
    record_kind: str
    record_id: str
    error: str
    def __init__(self, instance_id: _Optional[str] = ..., definition_key: _Optional[str] = ..., definition_version: _Optional[int] = ..., name: _Optional[str] = ..., status: _Optional[str] = ..., current_step: _Optional[str] = ..., record_kind: _Optional[str] = ..., record_id: _Optional[str] = ..., error: _Optional[str] = ...) -> None: ...

class ProcessSignal(_message.Message):
    __slots__ = ("instance_id", "definition_key", "name", "step_id", "record_kind", "record_id", "variables_json", "process_name")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_KEY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    RECORD_KIND_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    VARIABLES_JSON_FIELD_NUMBER: _ClassVar[int]
    PROCESS_NAME_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    definition_key: str
    name: str
    step_id: str
    record_kind: str
    record_id: str
    variables_json: str
    process_name: str
    def __init__(self, instance_id: _Optional[str] = ..., definition_key: _Optional[str] = ..., name: _Optional[str] = ..., step_id: _Optional[str] = ..., record_kind: _Optional[str] = ..., record_id: _Optional[str] = ..., variables_json: _Optional[str] = ..., process_name: _Optional[str] = ...) -> None: ...
