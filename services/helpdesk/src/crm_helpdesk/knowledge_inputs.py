"""Typed inputs of the knowledge base's RPCs: each request's own values checked once (INVALID_ARGUMENT naming
every bad field); what needs stored data (the category exists, the version is current) the commands check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crm.helpdesk.v1 import knowledge_pb2 as pb
from crm_core.errors import Validator
from crm_core.fields import record_id
from crm_core.languages import LANGUAGES

STATUSES = ("draft", "published", "archived")
VISIBILITIES = ("internal", "public")
MAX_TITLE = 200
MAX_BODY = 100_000
MAX_CATEGORY_NAME = 100
MAX_TAGS = 20
MAX_TAG = 50
MAX_QUERY = 500
# A suggestion reads the start of a ticket's text: enough for its subject and description.
MAX_SUGGEST_TEXT = 10_000
MAX_SUGGESTIONS = 20
ARTICLE_FIELDS = ("title", "body", "category_id", "language", "tags", "visibility")
CATEGORY_FIELDS = ("name_ru", "name_en", "position")
# The snippets' highlight marks (knowledge_search.py): kept out of stored text so they only mark matches.
MARKS = str.maketrans("", "", "\ue000\ue001")


def clean(value: str) -> str:
    """The text trimmed, without the highlight marks."""
    return value.translate(MARKS).strip()


@dataclass(frozen=True)
class ArticleFields:
    """An article's editable fields; on an update only those named in `fields` are set."""

    title: str = ""
    body: str = ""
    category_id: str = ""
    language: str = "ru"
    tags: tuple[str, ...] = ()
    visibility: str = "internal"
    fields: tuple[str, ...] = ARTICLE_FIELDS

    def values(self) -> dict[str, Any]:
        """The named fields as column values."""
        return {name: _column(name, getattr(self, name)) for name in self.fields}


def _column(name: str, value: Any) -> Any:
    if name == "tags":
        return list(value)
    if name == "category_id":
        return value or None
    return value


@dataclass(frozen=True)
class ArticleQuery:
    query: str = ""
    category_id: str = ""
    status: str = ""
    visibility: str = ""
    language: str = ""
    tag: str = ""


@dataclass(frozen=True)
class CategoryFields:
    name_ru: str = ""
    name_en: str = ""
    position: int = 0
    fields: tuple[str, ...] = CATEGORY_FIELDS


def _text(v: Validator, value: str, path: str, limit: int, required: bool = False) -> str:
    value = clean(value)
    if required and not value:
        v.add(path, "required", f"{path} is required")
    elif len(value) > limit:
        v.add(path, "too_long", f"{path} must be at most {limit} characters")
    return value


def _choice(v: Validator, value: str, path: str, allowed: tuple[str, ...], default: str = "") -> str:
    if not value:
        return default
    if value not in allowed:
        v.add(path, "not_allowed", f"{path} must be one of: {', '.join(allowed)}")
    return value


def _tags(v: Validator, values: Any) -> tuple[str, ...]:
    tags: list[str] = []
    for i, raw in enumerate(values):
        tag = clean(raw).lower()
        if not tag:
            v.add(f"tags[{i}]", "required", "a tag cannot be empty")
        elif len(tag) > MAX_TAG:
            v.add(f"tags[{i}]", "too_long", f"a tag must be at most {MAX_TAG} characters")
        elif tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        v.add("tags", "too_many", f"an article takes at most {MAX_TAGS} tags")
    return tuple(tags)


def _mask(v: Validator, paths: Any, allowed: tuple[str, ...]) -> tuple[str, ...]:
    fields = tuple(dict.fromkeys(paths))
    if not fields:
        v.add("update_mask", "required", "update_mask names no field to change")
    for name in fields:
        if name not in allowed:
            v.add("update_mask", "unknown_field", f"{name} cannot be changed; use {', '.join(allowed)}")
    return fields


def _article(v: Validator, message: Any, fields: tuple[str, ...]) -> ArticleFields:
    return ArticleFields(
        title=_text(v, message.title, "title", MAX_TITLE, required="title" in fields),
        body=_text(v, message.body, "body", MAX_BODY),
        category_id=record_id(v, message.category_id, "category_id"),
        language=_choice(v, message.language, "language", LANGUAGES, "ru"),
        tags=_tags(v, message.tags),
        visibility=_choice(v, message.visibility, "visibility", VISIBILITIES, "internal"),
        fields=fields,
    )


def parse_create_article(request: pb.CreateArticleRequest) -> ArticleFields:
    """A new article's fields (title required; language ru, visibility internal by default)."""
    v = Validator()
    article = _article(v, request, ARTICLE_FIELDS)
    v.raise_if_any()
    return article


def parse_update_article(request: pb.UpdateArticleRequest) -> tuple[str, ArticleFields]:
    """The article's id and the fields its update_mask names, with their new values."""
    v = Validator()
    article_id = request.article.id
    fields = _mask(v, request.update_mask.paths, ARTICLE_FIELDS)
    article = _article(v, request.article, fields)
    v.raise_if_any()
    return article_id, article


def parse_list_articles(request: pb.ListArticlesRequest) -> ArticleQuery:
    """Filters and search text of a listing."""
    v = Validator()
    query = ArticleQuery(
        query=_text(v, request.query, "query", MAX_QUERY),
        category_id=record_id(v, request.category_id, "category_id"),
        status=_choice(v, request.status, "status", STATUSES),
        visibility=_choice(v, request.visibility, "visibility", VISIBILITIES),
        language=_choice(v, request.language, "language", LANGUAGES),
        tag=_text(v, request.tag, "tag", MAX_TAG).lower(),
    )
    v.raise_if_any()
    return query


def parse_suggest(request: pb.SuggestArticlesRequest) -> tuple[str, int, str]:
    """The text (its first MAX_SUGGEST_TEXT characters), how many articles (default 5) and the language."""
    v = Validator()
    text = clean(request.text)[:MAX_SUGGEST_TEXT]
    if not 0 <= request.limit <= MAX_SUGGESTIONS:
        v.add("limit", "out_of_range", f"limit must be between 1 and {MAX_SUGGESTIONS}")
    language = _choice(v, request.language, "language", LANGUAGES)
    v.raise_if_any()
    return text, request.limit or 5, language


def parse_category(request: pb.CreateCategoryRequest | pb.UpdateCategoryRequest, fields: Any = None) -> CategoryFields:
    """A category's names (one serves both languages) and position; on an update only the masked fields (a name
    cleared there falls back to the other one, knowledge.Knowledge.update_category)."""
    v = Validator()
    names = CATEGORY_FIELDS if fields is None else _mask(v, fields, CATEGORY_FIELDS)
    name_ru = _text(v, request.name_ru, "name_ru", MAX_CATEGORY_NAME)
    name_en = _text(v, request.name_en, "name_en", MAX_CATEGORY_NAME)
    if fields is None and not (name_ru or name_en):
        v.add("name_ru", "required", "a category needs a name")
    if not 0 <= request.position <= 1_000_000:
        v.add("position", "out_of_range", "position must be between 0 and 1000000")
    v.raise_if_any()
    if fields is None:
        name_ru, name_en = name_ru or name_en, name_en or name_ru
    return CategoryFields(name_ru, name_en, request.position, names)
