import datetime

from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ErrorDetail(_message.Message):
    __slots__ = ("code", "message", "field_violations")
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    FIELD_VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    code: str
    message: str
    field_violations: _containers.RepeatedCompositeFieldContainer[FieldViolation]
    def __init__(self, code: _Optional[str] = ..., message: _Optional[str] = ..., field_violations: _Optional[_Iterable[_Union[FieldViolation, _Mapping]]] = ...) -> None: ...

class FieldViolation(_message.Message):
    __slots__ = ("field", "code", "message")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    field: str
    code: str
    message: str
    def __init__(self, field: _Optional[str] = ..., code: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class Filter(_message.Message):
    __slots__ = ("field", "op", "value")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    OP_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    field: str
    op: str
    value: str
    def __init__(self, field: _Optional[str] = ..., op: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class AuditEntry(_message.Message):
    __slots__ = ("id", "entity_type", "entity_id", "action", "actor_id", "at", "changes")
    ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    ENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    id: str
    entity_type: str
    entity_id: str
    action: str
    actor_id: str
    at: _timestamp_pb2.Timestamp
    changes: _struct_pb2.Struct
    def __init__(self, id: _Optional[str] = ..., entity_type: _Optional[str] = ..., entity_id: _Optional[str] = ..., action: _Optional[str] = ..., actor_id: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., changes: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class ListAuditRequest(_message.Message):
    __slots__ = ("entity_id", "limit", "cursor", "entity_type")
    ENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    ENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    entity_id: str
    limit: int
    cursor: str
    entity_type: str
    def __init__(self, entity_id: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ..., entity_type: _Optional[str] = ...) -> None: ...

class ListAuditResponse(_message.Message):
    __slots__ = ("entries", "next_cursor")
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[AuditEntry]
    next_cursor: str
    def __init__(self, entries: _Optional[_Iterable[_Union[AuditEntry, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class CustomFieldDefinition(_message.Message):
    __slots__ = ("id", "entity_type", "key", "label", "type", "options", "required", "archived")
    ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    id: str
    entity_type: str
    key: str
    label: str
    type: str
    options: _containers.RepeatedScalarFieldContainer[str]
    required: bool
    archived: bool
    def __init__(self, id: _Optional[str] = ..., entity_type: _Optional[str] = ..., key: _Optional[str] = ..., label: _Optional[str] = ..., type: _Optional[str] = ..., options: _Optional[_Iterable[str]] = ..., required: _Optional[bool] = ..., archived: _Optional[bool] = ...) -> None: ...

class ListCustomFieldsRequest(_message.Message):
    __slots__ = ("entity_type", "include_archived")
    ENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    entity_type: str
    include_archived: bool
    def __init__(self, entity_type: _Optional[str] = ..., include_archived: _Optional[bool] = ...) -> None: ...

class ListCustomFieldsResponse(_message.Message):
    __slots__ = ("fields",)
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    fields: _containers.RepeatedCompositeFieldContainer[CustomFieldDefinition]
    def __init__(self, fields: _Optional[_Iterable[_Union[CustomFieldDefinition, _Mapping]]] = ...) -> None: ...

class UpdateCustomFieldRequest(_message.Message):
    __slots__ = ("field", "update_mask")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    field: CustomFieldDefinition
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, field: _Optional[_Union[CustomFieldDefinition, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class Code(_message.Message):
    __slots__ = ("code", "label_ru", "label_en", "builtin", "archived", "order")
    CODE_FIELD_NUMBER: _ClassVar[int]
    LABEL_RU_FIELD_NUMBER: _ClassVar[int]
    LABEL_EN_FIELD_NUMBER: _ClassVar[int]
    BUILTIN_FIELD_NUMBER: _ClassVar[int]
    ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    code: str
    label_ru: str
    label_en: str
    builtin: bool
    archived: bool
    order: int
    def __init__(self, code: _Optional[str] = ..., label_ru: _Optional[str] = ..., label_en: _Optional[str] = ..., builtin: _Optional[bool] = ..., archived: _Optional[bool] = ..., order: _Optional[int] = ...) -> None: ...

class ListCodesRequest(_message.Message):
    __slots__ = ("list", "include_archived")
    LIST_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_ARCHIVED_FIELD_NUMBER: _ClassVar[int]
    list: str
    include_archived: bool
    def __init__(self, list: _Optional[str] = ..., include_archived: _Optional[bool] = ...) -> None: ...

class ListCodesResponse(_message.Message):
    __slots__ = ("codes",)
    CODES_FIELD_NUMBER: _ClassVar[int]
    codes: _containers.RepeatedCompositeFieldContainer[Code]
    def __init__(self, codes: _Optional[_Iterable[_Union[Code, _Mapping]]] = ...) -> None: ...

class CreateCodeRequest(_message.Message):
    __slots__ = ("list", "code")
    LIST_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    list: str
    code: Code
    def __init__(self, list: _Optional[str] = ..., code: _Optional[_Union[Code, _Mapping]] = ...) -> None: ...

class UpdateCodeRequest(_message.Message):
    __slots__ = ("list", "code", "update_mask")
    LIST_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    list: str
    code: Code
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, list: _Optional[str] = ..., code: _Optional[_Union[Code, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...
