from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

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
