from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class DocumentChanged(_message.Message):
    __slots__ = ("document_id", "doc_type", "number", "doc_date", "status", "deal_id", "deal_title", "party_id", "total", "currency", "language", "file_version", "sent_to", "paid_amount", "cancel_reason")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    DOC_DATE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    DEAL_TITLE_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    FILE_VERSION_FIELD_NUMBER: _ClassVar[int]
    SENT_TO_FIELD_NUMBER: _ClassVar[int]
    PAID_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CANCEL_REASON_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    doc_type: str
    number: str
    doc_date: str
    status: str
    deal_id: str
    deal_title: str
    party_id: str
    total: str
    currency: str
    language: str
    file_version: int
    sent_to: str
    paid_amount: str
    cancel_reason: str
    def __init__(self, document_id: _Optional[str] = ..., doc_type: _Optional[str] = ..., number: _Optional[str] = ..., doc_date: _Optional[str] = ..., status: _Optional[str] = ..., deal_id: _Optional[str] = ..., deal_title: _Optional[str] = ..., party_id: _Optional[str] = ..., total: _Optional[str] = ..., currency: _Optional[str] = ..., language: _Optional[str] = ..., file_version: _Optional[int] = ..., sent_to: _Optional[str] = ..., paid_amount: _Optional[str] = ..., cancel_reason: _Optional[str] = ...) -> None: ...

class AttachmentAdded(_message.Message):
    __slots__ = ("attachment_id", "record_type", "record_id", "filename", "content_type", "size_bytes", "version", "sha256")
    ATTACHMENT_ID_FIELD_NUMBER: _ClassVar[int]
    RECORD_TYPE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    attachment_id: str
    record_type: str
    record_id: str
    filename: str
    content_type: str
    size_bytes: int
    version: int
    sha256: str
    def __init__(self, attachment_id: _Optional[str] = ..., record_type: _Optional[str] = ..., record_id: _Optional[str] = ..., filename: _Optional[str] = ..., content_type: _Optional[str] = ..., size_bytes: _Optional[int] = ..., version: _Optional[int] = ..., sha256: _Optional[str] = ...) -> None: ...
