import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RecordType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RECORD_TYPE_UNSPECIFIED: _ClassVar[RecordType]
    RECORD_TYPE_PARTY: _ClassVar[RecordType]
    RECORD_TYPE_DEAL: _ClassVar[RecordType]
    RECORD_TYPE_TASK: _ClassVar[RecordType]
    RECORD_TYPE_TICKET: _ClassVar[RecordType]
RECORD_TYPE_UNSPECIFIED: RecordType
RECORD_TYPE_PARTY: RecordType
RECORD_TYPE_DEAL: RecordType
RECORD_TYPE_TASK: RecordType
RECORD_TYPE_TICKET: RecordType

class UploadAttachmentStart(_message.Message):
    __slots__ = ("record_type", "record_id", "filename", "declared_size", "attachment_id")
    RECORD_TYPE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    DECLARED_SIZE_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENT_ID_FIELD_NUMBER: _ClassVar[int]
    record_type: RecordType
    record_id: str
    filename: str
    declared_size: int
    attachment_id: str
    def __init__(self, record_type: _Optional[_Union[RecordType, str]] = ..., record_id: _Optional[str] = ..., filename: _Optional[str] = ..., declared_size: _Optional[int] = ..., attachment_id: _Optional[str] = ...) -> None: ...

class UploadAttachmentEnd(_message.Message):
    __slots__ = ("size", "sha256")
    SIZE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    size: int
    sha256: str
    def __init__(self, size: _Optional[int] = ..., sha256: _Optional[str] = ...) -> None: ...

class UploadAttachmentRequest(_message.Message):
    __slots__ = ("start", "chunk", "end")
    START_FIELD_NUMBER: _ClassVar[int]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    start: UploadAttachmentStart
    chunk: bytes
    end: UploadAttachmentEnd
    def __init__(self, start: _Optional[_Union[UploadAttachmentStart, _Mapping]] = ..., chunk: _Optional[bytes] = ..., end: _Optional[_Union[UploadAttachmentEnd, _Mapping]] = ...) -> None: ...

class AttachmentVersion(_message.Message):
    __slots__ = ("version", "filename", "content_type", "size_bytes", "sha256", "uploaded_by", "uploaded_at")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    UPLOADED_BY_FIELD_NUMBER: _ClassVar[int]
    UPLOADED_AT_FIELD_NUMBER: _ClassVar[int]
    version: int
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_by: str
    uploaded_at: _timestamp_pb2.Timestamp
    def __init__(self, version: _Optional[int] = ..., filename: _Optional[str] = ..., content_type: _Optional[str] = ..., size_bytes: _Optional[int] = ..., sha256: _Optional[str] = ..., uploaded_by: _Optional[str] = ..., uploaded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Attachment(_message.Message):
    __slots__ = ("id", "record_type", "record_id", "filename", "content_type", "size_bytes", "latest_version", "created_by", "created_at", "versions")
    ID_FIELD_NUMBER: _ClassVar[int]
    RECORD_TYPE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    LATEST_VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    id: str
    record_type: RecordType
    record_id: str
    filename: str
    content_type: str
    size_bytes: int
    latest_version: int
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    versions: _containers.RepeatedCompositeFieldContainer[AttachmentVersion]
    def __init__(self, id: _Optional[str] = ..., record_type: _Optional[_Union[RecordType, str]] = ..., record_id: _Optional[str] = ..., filename: _Optional[str] = ..., content_type: _Optional[str] = ..., size_bytes: _Optional[int] = ..., latest_version: _Optional[int] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., versions: _Optional[_Iterable[_Union[AttachmentVersion, _Mapping]]] = ...) -> None: ...

class ListAttachmentsRequest(_message.Message):
    __slots__ = ("record_type", "record_id")
    RECORD_TYPE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    record_type: RecordType
    record_id: str
    def __init__(self, record_type: _Optional[_Union[RecordType, str]] = ..., record_id: _Optional[str] = ...) -> None: ...

class ListAttachmentsResponse(_message.Message):
    __slots__ = ("attachments",)
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    attachments: _containers.RepeatedCompositeFieldContainer[Attachment]
    def __init__(self, attachments: _Optional[_Iterable[_Union[Attachment, _Mapping]]] = ...) -> None: ...

class GetAttachmentRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DownloadAttachmentRequest(_message.Message):
    __slots__ = ("id", "version")
    ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    version: int
    def __init__(self, id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class DownloadAttachmentResponse(_message.Message):
    __slots__ = ("attachment", "data", "version")
    ATTACHMENT_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    attachment: Attachment
    data: bytes
    version: AttachmentVersion
    def __init__(self, attachment: _Optional[_Union[Attachment, _Mapping]] = ..., data: _Optional[bytes] = ..., version: _Optional[_Union[AttachmentVersion, _Mapping]] = ...) -> None: ...

class DeleteAttachmentRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeleteAttachmentResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
