import datetime

from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Category(_message.Message):
    __slots__ = ("id", "name_ru", "name_en", "position", "shipped_key", "article_count", "version")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_RU_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    SHIPPED_KEY_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    name_ru: str
    name_en: str
    position: int
    shipped_key: str
    article_count: int
    version: int
    def __init__(self, id: _Optional[str] = ..., name_ru: _Optional[str] = ..., name_en: _Optional[str] = ..., position: _Optional[int] = ..., shipped_key: _Optional[str] = ..., article_count: _Optional[int] = ..., version: _Optional[int] = ...) -> None: ...

class ListCategoriesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListCategoriesResponse(_message.Message):
    __slots__ = ("categories",)
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    categories: _containers.RepeatedCompositeFieldContainer[Category]
    def __init__(self, categories: _Optional[_Iterable[_Union[Category, _Mapping]]] = ...) -> None: ...

class CreateCategoryRequest(_message.Message):
    __slots__ = ("name_ru", "name_en", "position")
    NAME_RU_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    name_ru: str
    name_en: str
    position: int
    def __init__(self, name_ru: _Optional[str] = ..., name_en: _Optional[str] = ..., position: _Optional[int] = ...) -> None: ...

class UpdateCategoryRequest(_message.Message):
    __slots__ = ("id", "name_ru", "name_en", "position", "update_mask", "expected_version")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_RU_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    name_ru: str
    name_en: str
    position: int
    update_mask: _field_mask_pb2.FieldMask
    expected_version: int
    def __init__(self, id: _Optional[str] = ..., name_ru: _Optional[str] = ..., name_en: _Optional[str] = ..., position: _Optional[int] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class Article(_message.Message):
    __slots__ = ("id", "title", "body", "category_id", "language", "tags", "status", "visibility", "author_id", "content_version", "view_count", "helpful_count", "not_helpful_count", "my_vote", "published_at", "created_at", "updated_at", "version", "snippet", "snippet_html", "rank")
    ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ID_FIELD_NUMBER: _ClassVar[int]
    CONTENT_VERSION_FIELD_NUMBER: _ClassVar[int]
    VIEW_COUNT_FIELD_NUMBER: _ClassVar[int]
    HELPFUL_COUNT_FIELD_NUMBER: _ClassVar[int]
    NOT_HELPFUL_COUNT_FIELD_NUMBER: _ClassVar[int]
    MY_VOTE_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    SNIPPET_FIELD_NUMBER: _ClassVar[int]
    SNIPPET_HTML_FIELD_NUMBER: _ClassVar[int]
    RANK_FIELD_NUMBER: _ClassVar[int]
    id: str
    title: str
    body: str
    category_id: str
    language: str
    tags: _containers.RepeatedScalarFieldContainer[str]
    status: str
    visibility: str
    author_id: str
    content_version: int
    view_count: int
    helpful_count: int
    not_helpful_count: int
    my_vote: str
    published_at: _timestamp_pb2.Timestamp
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    version: int
    snippet: str
    snippet_html: str
    rank: float
    def __init__(self, id: _Optional[str] = ..., title: _Optional[str] = ..., body: _Optional[str] = ..., category_id: _Optional[str] = ..., language: _Optional[str] = ..., tags: _Optional[_Iterable[str]] = ..., status: _Optional[str] = ..., visibility: _Optional[str] = ..., author_id: _Optional[str] = ..., content_version: _Optional[int] = ..., view_count: _Optional[int] = ..., helpful_count: _Optional[int] = ..., not_helpful_count: _Optional[int] = ..., my_vote: _Optional[str] = ..., published_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ..., snippet: _Optional[str] = ..., snippet_html: _Optional[str] = ..., rank: _Optional[float] = ...) -> None: ...

class CreateArticleRequest(_message.Message):
    __slots__ = ("title", "body", "category_id", "language", "tags", "visibility")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    title: str
    body: str
    category_id: str
    language: str
    tags: _containers.RepeatedScalarFieldContainer[str]
    visibility: str
    def __init__(self, title: _Optional[str] = ..., body: _Optional[str] = ..., category_id: _Optional[str] = ..., language: _Optional[str] = ..., tags: _Optional[_Iterable[str]] = ..., visibility: _Optional[str] = ...) -> None: ...

class GetArticleRequest(_message.Message):
    __slots__ = ("id", "count_view")
    ID_FIELD_NUMBER: _ClassVar[int]
    COUNT_VIEW_FIELD_NUMBER: _ClassVar[int]
    id: str
    count_view: bool
    def __init__(self, id: _Optional[str] = ..., count_view: _Optional[bool] = ...) -> None: ...

class ListArticlesRequest(_message.Message):
    __slots__ = ("query", "category_id", "status", "visibility", "language", "tag", "limit", "cursor")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    TAG_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    query: str
    category_id: str
    status: str
    visibility: str
    language: str
    tag: str
    limit: int
    cursor: str
    def __init__(self, query: _Optional[str] = ..., category_id: _Optional[str] = ..., status: _Optional[str] = ..., visibility: _Optional[str] = ..., language: _Optional[str] = ..., tag: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListArticlesResponse(_message.Message):
    __slots__ = ("articles", "next_cursor")
    ARTICLES_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    articles: _containers.RepeatedCompositeFieldContainer[Article]
    next_cursor: str
    def __init__(self, articles: _Optional[_Iterable[_Union[Article, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class UpdateArticleRequest(_message.Message):
    __slots__ = ("article", "update_mask", "expected_version")
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    article: Article
    update_mask: _field_mask_pb2.FieldMask
    expected_version: int
    def __init__(self, article: _Optional[_Union[Article, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class ChangeArticleStatusRequest(_message.Message):
    __slots__ = ("id", "expected_version")
    ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    expected_version: int
    def __init__(self, id: _Optional[str] = ..., expected_version: _Optional[int] = ...) -> None: ...

class ArticleVersion(_message.Message):
    __slots__ = ("number", "title", "body", "created_by", "created_at", "restored_from")
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    RESTORED_FROM_FIELD_NUMBER: _ClassVar[int]
    number: int
    title: str
    body: str
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    restored_from: int
    def __init__(self, number: _Optional[int] = ..., title: _Optional[str] = ..., body: _Optional[str] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., restored_from: _Optional[int] = ...) -> None: ...

class ListArticleVersionsRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListArticleVersionsResponse(_message.Message):
    __slots__ = ("versions",)
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[ArticleVersion]
    def __init__(self, versions: _Optional[_Iterable[_Union[ArticleVersion, _Mapping]]] = ...) -> None: ...

class RestoreArticleVersionRequest(_message.Message):
    __slots__ = ("id", "number", "expected_version")
    ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    number: int
    expected_version: int
    def __init__(self, id: _Optional[str] = ..., number: _Optional[int] = ..., expected_version: _Optional[int] = ...) -> None: ...

class VoteArticleRequest(_message.Message):
    __slots__ = ("id", "helpful")
    ID_FIELD_NUMBER: _ClassVar[int]
    HELPFUL_FIELD_NUMBER: _ClassVar[int]
    id: str
    helpful: bool
    def __init__(self, id: _Optional[str] = ..., helpful: _Optional[bool] = ...) -> None: ...

class SuggestArticlesRequest(_message.Message):
    __slots__ = ("text", "limit", "language")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    text: str
    limit: int
    language: str
    def __init__(self, text: _Optional[str] = ..., limit: _Optional[int] = ..., language: _Optional[str] = ...) -> None: ...

class SuggestArticlesResponse(_message.Message):
    __slots__ = ("articles",)
    ARTICLES_FIELD_NUMBER: _ClassVar[int]
    articles: _containers.RepeatedCompositeFieldContainer[Article]
    def __init__(self, articles: _Optional[_Iterable[_Union[Article, _Mapping]]] = ...) -> None: ...
