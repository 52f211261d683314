import datetime

from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DefinitionSource(_message.Message):
    __slots__ = ("source", "format")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    source: str
    format: str
    def __init__(self, source: _Optional[str] = ..., format: _Optional[str] = ...) -> None: ...

class InstanceCounts(_message.Message):
    __slots__ = ("running", "late", "completed", "failed", "cancelled")
    RUNNING_FIELD_NUMBER: _ClassVar[int]
    LATE_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_FIELD_NUMBER: _ClassVar[int]
    running: int
    late: int
    completed: int
    failed: int
    cancelled: int
    def __init__(self, running: _Optional[int] = ..., late: _Optional[int] = ..., completed: _Optional[int] = ..., failed: _Optional[int] = ..., cancelled: _Optional[int] = ...) -> None: ...

class ProcessDefinition(_message.Message):
    __slots__ = ("id", "key", "version", "name", "description", "trigger_event", "trigger_condition", "active", "steps", "user_ids", "roles", "source", "format", "created_by", "created_at", "counts", "variables", "name_ru", "name_en", "description_ru", "description_en")
    ID_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_EVENT_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_CONDITION_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    USER_IDS_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    VARIABLES_FIELD_NUMBER: _ClassVar[int]
    NAME_RU_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_RU_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_EN_FIELD_NUMBER: _ClassVar[int]
    id: str
    key: str
    version: int
    name: str
    description: str
    trigger_event: str
    trigger_condition: str
    active: bool
    steps: _containers.RepeatedCompositeFieldContainer[DefinitionStep]
    user_ids: _containers.RepeatedScalarFieldContainer[str]
    roles: _containers.RepeatedScalarFieldContainer[str]
    source: str
    format: str
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    counts: InstanceCounts
    variables: _struct_pb2.Struct
    name_ru: str
    name_en: str
    description_ru: str
    description_en: str
    def __init__(self, id: _Optional[str] = ..., key: _Optional[str] = ..., version: _Optional[int] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., trigger_event: _Optional[str] = ..., trigger_condition: _Optional[str] = ..., active: _Optional[bool] = ..., steps: _Optional[_Iterable[_Union[DefinitionStep, _Mapping]]] = ..., user_ids: _Optional[_Iterable[str]] = ..., roles: _Optional[_Iterable[str]] = ..., source: _Optional[str] = ..., format: _Optional[str] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., counts: _Optional[_Union[InstanceCounts, _Mapping]] = ..., variables: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., name_ru: _Optional[str] = ..., name_en: _Optional[str] = ..., description_ru: _Optional[str] = ..., description_en: _Optional[str] = ...) -> None: ...

class DefinitionStep(_message.Message):
    __slots__ = ("id", "type", "name", "name_ru", "name_en")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    NAME_RU_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: str
    name: str
    name_ru: str
    name_en: str
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., name: _Optional[str] = ..., name_ru: _Optional[str] = ..., name_en: _Optional[str] = ...) -> None: ...

class ListDefinitionsRequest(_message.Message):
    __slots__ = ("include_inactive",)
    INCLUDE_INACTIVE_FIELD_NUMBER: _ClassVar[int]
    include_inactive: bool
    def __init__(self, include_inactive: _Optional[bool] = ...) -> None: ...

class ListDefinitionsResponse(_message.Message):
    __slots__ = ("definitions",)
    DEFINITIONS_FIELD_NUMBER: _ClassVar[int]
    definitions: _containers.RepeatedCompositeFieldContainer[ProcessDefinition]
    def __init__(self, definitions: _Optional[_Iterable[_Union[ProcessDefinition, _Mapping]]] = ...) -> None: ...

class GetDefinitionRequest(_message.Message):
    __slots__ = ("key", "version")
    KEY_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    key: str
    version: int
    def __init__(self, key: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class SetDefinitionActiveRequest(_message.Message):
    __slots__ = ("key", "active")
    KEY_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    key: str
    active: bool
    def __init__(self, key: _Optional[str] = ..., active: _Optional[bool] = ...) -> None: ...

class StartProcessRequest(_message.Message):
    __slots__ = ("key", "record_kind", "record_id", "variables", "owner_id", "team_id", "client_id")
    KEY_FIELD_NUMBER: _ClassVar[int]
    RECORD_KIND_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    VARIABLES_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    key: str
    record_kind: str
    record_id: str
    variables: _struct_pb2.Struct
    owner_id: str
    team_id: str
    client_id: str
    def __init__(self, key: _Optional[str] = ..., record_kind: _Optional[str] = ..., record_id: _Optional[str] = ..., variables: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., client_id: _Optional[str] = ...) -> None: ...

class StepRun(_message.Message):
    __slots__ = ("step_id", "step_type", "step_name", "entered_at", "left_at", "due_at", "task_id", "result", "seconds", "late", "step_name_ru", "step_name_en")
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_TYPE_FIELD_NUMBER: _ClassVar[int]
    STEP_NAME_FIELD_NUMBER: _ClassVar[int]
    ENTERED_AT_FIELD_NUMBER: _ClassVar[int]
    LEFT_AT_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    LATE_FIELD_NUMBER: _ClassVar[int]
    STEP_NAME_RU_FIELD_NUMBER: _ClassVar[int]
    STEP_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    step_id: str
    step_type: str
    step_name: str
    entered_at: _timestamp_pb2.Timestamp
    left_at: _timestamp_pb2.Timestamp
    due_at: _timestamp_pb2.Timestamp
    task_id: str
    result: str
    seconds: float
    late: bool
    step_name_ru: str
    step_name_en: str
    def __init__(self, step_id: _Optional[str] = ..., step_type: _Optional[str] = ..., step_name: _Optional[str] = ..., entered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., left_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., task_id: _Optional[str] = ..., result: _Optional[str] = ..., seconds: _Optional[float] = ..., late: _Optional[bool] = ..., step_name_ru: _Optional[str] = ..., step_name_en: _Optional[str] = ...) -> None: ...

class ProcessInstance(_message.Message):
    __slots__ = ("id", "definition_key", "definition_version", "definition_name", "status", "current_step", "variables", "record_kind", "record_id", "started_by", "started_at", "finished_at", "error", "late", "steps", "version", "definition_name_ru", "definition_name_en")
    ID_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_KEY_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_VERSION_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CURRENT_STEP_FIELD_NUMBER: _ClassVar[int]
    VARIABLES_FIELD_NUMBER: _ClassVar[int]
    RECORD_KIND_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    STARTED_BY_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    LATE_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_NAME_RU_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    id: str
    definition_key: str
    definition_version: int
    definition_name: str
    status: str
    current_step: str
    variables: _struct_pb2.Struct
    record_kind: str
    record_id: str
    started_by: str
    started_at: _timestamp_pb2.Timestamp
    finished_at: _timestamp_pb2.Timestamp
    error: str
    late: bool
    steps: _containers.RepeatedCompositeFieldContainer[StepRun]
    version: int
    definition_name_ru: str
    definition_name_en: str
    def __init__(self, id: _Optional[str] = ..., definition_key: _Optional[str] = ..., definition_version: _Optional[int] = ..., definition_name: _Optional[str] = ..., status: _Optional[str] = ..., current_step: _Optional[str] = ..., variables: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., record_kind: _Optional[str] = ..., record_id: _Optional[str] = ..., started_by: _Optional[str] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., error: _Optional[str] = ..., late: _Optional[bool] = ..., steps: _Optional[_Iterable[_Union[StepRun, _Mapping]]] = ..., version: _Optional[int] = ..., definition_name_ru: _Optional[str] = ..., definition_name_en: _Optional[str] = ...) -> None: ...

class ListInstancesRequest(_message.Message):
    __slots__ = ("key", "status", "late_only", "record_id", "limit", "cursor")
    KEY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LATE_ONLY_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    key: str
    status: str
    late_only: bool
    record_id: str
    limit: int
    cursor: str
    def __init__(self, key: _Optional[str] = ..., status: _Optional[str] = ..., late_only: _Optional[bool] = ..., record_id: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListInstancesResponse(_message.Message):
    __slots__ = ("instances", "next_cursor")
    INSTANCES_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    instances: _containers.RepeatedCompositeFieldContainer[ProcessInstance]
    next_cursor: str
    def __init__(self, instances: _Optional[_Iterable[_Union[ProcessInstance, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class GetInstanceRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class CancelInstanceRequest(_message.Message):
    __slots__ = ("id", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ProcessRole(_message.Message):
    __slots__ = ("code", "label", "member_ids")
    CODE_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    MEMBER_IDS_FIELD_NUMBER: _ClassVar[int]
    code: str
    label: str
    member_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, code: _Optional[str] = ..., label: _Optional[str] = ..., member_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ListRolesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListRolesResponse(_message.Message):
    __slots__ = ("roles",)
    ROLES_FIELD_NUMBER: _ClassVar[int]
    roles: _containers.RepeatedCompositeFieldContainer[ProcessRole]
    def __init__(self, roles: _Optional[_Iterable[_Union[ProcessRole, _Mapping]]] = ...) -> None: ...
