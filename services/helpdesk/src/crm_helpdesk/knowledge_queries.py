"""Reads of the knowledge base as one caller, in a session: every one filters by knowledge_access in its SQL,
so an article the caller may not see is never returned, listed, counted or suggested."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.auth import Caller
from crm_core.db import is_uuid
from crm_core.errors import NotFound
from crm_core.pagination import Page
from crm_core.resources.paging import Order, keyset_page
from crm_helpdesk.knowledge_access import admit, is_portal, visible_articles
from crm_helpdesk.knowledge_inputs import ArticleQuery
from crm_helpdesk.knowledge_models import ArticleRow, ArticleVersionRow, ArticleVoteRow, CategoryRow
from crm_helpdesk.knowledge_search import TextQuery, any_word_query, search_query, snippet_texts

RECENT = Order("kb_articles:-updated_at", [(ArticleRow.updated_at, True), (ArticleRow.id, True)], ["datetime", "uuid"])
LANGUAGES = ("ru", "en")


@dataclass(frozen=True)
class ArticleView:
    """An article as the caller sees it: their own vote, and in a search its snippet and rank."""

    row: ArticleRow
    my_vote: str = ""
    snippet: str = ""
    snippet_html: str = ""
    rank: float = 0.0


@dataclass(frozen=True)
class CategoryView:
    row: CategoryRow
    article_count: int


def article_not_found(article_id: str) -> NotFound:
    return NotFound("kb_article_not_found", f"article {article_id[:64]} not found")


def category_not_found(category_id: str) -> NotFound:
    return NotFound("kb_category_not_found", f"category {category_id[:64]} not found")


def _vote_label(helpful: bool | None) -> str:
    return "" if helpful is None else "helpful" if helpful else "not_helpful"


class KnowledgeQueries:
    """Articles, their versions and categories as the caller sees them (made by `reads`)."""

    def __init__(self, session: AsyncSession, caller: Caller) -> None:
        self.session = session
        self.caller = caller

    def _my_vote(self) -> Any:
        return (
            select(ArticleVoteRow.helpful)
            .where(ArticleVoteRow.article_id == ArticleRow.id, ArticleVoteRow.voter_id == self.caller.user_id)
            .scalar_subquery()
        )

    async def article(self, article_id: str, lock: bool = False) -> ArticleRow:
        """The article if the caller sees it (locked for a change), else NotFound `kb_article_not_found`."""
        if not is_uuid(article_id):
            raise article_not_found(article_id)
        query = select(ArticleRow).where(ArticleRow.id == article_id, visible_articles(self.caller))
        if lock:
            query = query.with_for_update()
        row = await self.session.scalar(query.execution_options(populate_existing=True))
        if row is None:
            raise article_not_found(article_id)
        return row

    async def view(self, article_id: str) -> ArticleView:
        """The article with the caller's vote."""
        row = await self.article(article_id)
        vote = await self.session.scalar(
            select(ArticleVoteRow.helpful).where(
                ArticleVoteRow.article_id == row.id, ArticleVoteRow.voter_id == self.caller.user_id
            )
        )
        return ArticleView(row, _vote_label(vote))

    def _filtered(self, q: ArticleQuery) -> Select[Any]:
        conditions: list[ColumnElement[bool]] = [visible_articles(self.caller)]
        for column, value in (
            (ArticleRow.category_id, q.category_id),
            (ArticleRow.status, q.status),
            (ArticleRow.visibility, q.visibility),
            (ArticleRow.language, q.language),
        ):
            if value:
                conditions.append(column == value)
        if q.tag:
            conditions.append(ArticleRow.tags.contains([q.tag]))
        return select(ArticleRow, self._my_vote()).where(*conditions)

    async def list_articles(self, q: ArticleQuery, limit: int, cursor: str) -> Page[ArticleView]:
        """Newest change first; with a query, the most relevant first, each with its snippet."""
        query = self._filtered(q)
        if not q.query:
            page = await keyset_page(self.session, query, RECENT, limit, cursor)
            return Page([ArticleView(row, _vote_label(vote)) for row, vote in page.items], page.next_cursor)
        text = search_query(q.query, (q.language,) if q.language else LANGUAGES)
        return await self._ranked(query.where(text.matches()), text, "kb_articles:search", limit, cursor)

    async def _ranked(self, query: Select[Any], text: TextQuery, signature: str, limit: int, cursor: str) -> Any:
        rank = text.rank()
        order = Order(signature, [(rank, True), (ArticleRow.id, True)], ["decimal", "uuid"])
        page = await keyset_page(self.session, query.add_columns(text.headline(), rank), order, limit, cursor)
        views = []
        for row, vote, headline, score in page.items:
            snippet, snippet_html = snippet_texts(headline)
            views.append(ArticleView(row, _vote_label(vote), snippet, snippet_html, float(score)))
        return Page(views, page.next_cursor)

    async def suggest(self, text: str, limit: int, language: str) -> list[ArticleView]:
        """The published articles sharing most words with `text`, best first (any word counts)."""
        words = await any_word_query(self.session, text, (language,) if language else LANGUAGES)
        if words is None:
            return []
        query = self._filtered(ArticleQuery(status="published", language=language)).where(words.matches())
        page = await self._ranked(query, words, "kb_suggestions", limit, "")
        return list(page.items)

    async def versions(self, article_id: str) -> list[ArticleVersionRow]:
        """The article's content versions, newest first (portal users: none, they see only the current text)."""
        row = await self.article(article_id)
        if is_portal(self.caller):
            raise article_not_found(article_id)
        rows = await self.session.scalars(
            select(ArticleVersionRow)
            .where(ArticleVersionRow.article_id == row.id)
            .order_by(ArticleVersionRow.number.desc())
        )
        return list(rows)

    async def categories(self) -> list[CategoryView]:
        """Every category in order, with the number of published articles in it the caller sees."""
        counts = (
            select(ArticleRow.category_id, func.count().label("n"))
            .where(visible_articles(self.caller), ArticleRow.status == "published")
            .group_by(ArticleRow.category_id)
            .subquery()
        )
        rows = await self.session.execute(
            select(CategoryRow, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.category_id == CategoryRow.id)
            .order_by(CategoryRow.position, CategoryRow.name_ru, CategoryRow.id)
        )
        return [CategoryView(row, int(n)) for row, n in rows]

    async def category(self, category_id: str, lock: bool = False) -> CategoryRow:
        if not is_uuid(category_id):
            raise category_not_found(category_id)
        query = select(CategoryRow).where(CategoryRow.id == category_id)
        if lock:
            query = query.with_for_update()
        row = await self.session.scalar(query.execution_options(populate_existing=True))
        if row is None:
            raise category_not_found(category_id)
        return row


async def reads(session: AsyncSession, caller: Caller) -> KnowledgeQueries:
    """The caller's reads, once a portal caller is admitted (knowledge_access.admit)."""
    await admit(session, caller)
    return KnowledgeQueries(session, caller)


async def article_is_visible(session: AsyncSession, caller: Caller, article_id: str) -> bool:
    """The audit trail of an article is for staff who may see it (crm_core.common's AuditService)."""
    if is_portal(caller) or not is_uuid(article_id):
        return False
    found = await session.scalar(select(ArticleRow.id).where(ArticleRow.id == article_id, visible_articles(caller)))
    return found is not None
