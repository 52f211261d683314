"""REST shapes of the knowledge base (mirror crm.helpdesk.v1.KnowledgeService).

Request shapes check shape only (types, lengths as sanity bounds); the helpdesk service judges values
(languages, visibilities, tags, the category) and answers with its codes. See docs/helpdesk.md.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from crm_gateway.schemas.common import Out, Strict


class CategoryIn(Strict):
    name_ru: str = Field("", max_length=100, description="Начало работы (one name serves both languages)")
    name_en: str = Field("", max_length=100, description="Getting started")
    position: int = Field(0, ge=0, le=1_000_000, description="Lower first")


class CategoryPatch(Strict):
    name_ru: str | None = Field(None, max_length=100)
    name_en: str | None = Field(None, max_length=100)
    position: int | None = Field(None, ge=0, le=1_000_000)


class CategoryOut(Out):
    id: str
    name_ru: str
    name_en: str
    position: int = 0
    shipped_key: str = Field("", description="getting_started, billing, faq for the shipped ones")
    article_count: int = Field(0, description="Published articles in it that you may see")
    version: int


class ArticleIn(Strict):
    title: str = Field(max_length=200)
    body: str = Field("", max_length=100_000, description="Plain text; paragraphs separated by blank lines")
    category_id: str = Field("", max_length=64)
    language: str = Field("ru", max_length=2, description="ru or en: the language its search uses")
    tags: list[str] = Field([], max_length=20)
    visibility: str = Field("internal", max_length=20, description="internal (staff) or public (portal users too)")


class ArticlePatch(Strict):
    title: str | None = Field(None, max_length=200)
    body: str | None = Field(None, max_length=100_000)
    category_id: str | None = Field(None, max_length=64, description="null: no category")
    language: str | None = Field(None, max_length=2)
    tags: list[str] | None = Field(None, max_length=20)
    visibility: str | None = Field(None, max_length=20)


class ArticleOut(Out):
    id: str
    title: str
    body: str = ""
    category_id: str = ""
    language: str
    tags: list[str] = []
    status: str = Field(description="draft, published or archived")
    visibility: str
    author_id: str
    content_version: int = Field(description="The number of the version shown")
    view_count: int = 0
    helpful_count: int = 0
    not_helpful_count: int = 0
    my_vote: str = Field("", description='Your vote: "helpful", "not_helpful" or ""')
    published_at: datetime | None = None
    created_at: datetime
    updated_at: datetime
    version: int
    snippet: str = Field("", description="A search's matching passage (plain text)")
    snippet_html: str = Field("", description="The same passage escaped as HTML, the matched words in <mark>")
    rank: float = 0.0


class ArticlesPage(Out):
    items: list[ArticleOut]
    next_cursor: str = ""


class ArticleVersionOut(Out):
    number: int
    title: str
    body: str = ""
    created_by: str
    created_at: datetime
    restored_from: int = Field(0, description="The version it restored (0: an edit)")


class VoteIn(Strict):
    helpful: bool
