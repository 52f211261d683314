from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class ArticleChanged(_message.Message):
    __slots__ = ("article_id", "title", "category_id", "language", "visibility", "status", "from_status", "content_version")
    ARTICLE_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FROM_STATUS_FIELD_NUMBER: _ClassVar[int]
    CONTENT_VERSION_FIELD_NUMBER: _ClassVar[int]
    article_id: str
    title: str
    category_id: str
    language: str
    visibility: str
    status: str
    from_status: str
    content_version: int
    def __init__(self, article_id: _Optional[str] = ..., title: _Optional[str] = ..., category_id: _Optional[str] = ..., language: _Optional[str] = ..., visibility: _Optional[str] = ..., status: _Optional[str] = ..., from_status: _Optional[str] = ..., content_version: _Optional[int] = ...) -> None: ...
