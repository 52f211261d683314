"""gRPC servicer of crm.helpdesk.v1.KnowledgeService: protobuf <-> knowledge inputs, commands and reads."""

from __future__ import annotations

from typing import TypeAlias

import grpc

from crm.helpdesk.v1 import knowledge_pb2 as pb
from crm.helpdesk.v1 import knowledge_pb2_grpc
from crm_core.auth import current_caller
from crm_core.db import Database
from crm_core.errors import invalid
from crm_core.pagination import clamp_limit
from crm_core.protojson import timestamp
from crm_core.service import ServiceApp
from crm_helpdesk.knowledge import Knowledge
from crm_helpdesk.knowledge_inputs import (
    parse_category,
    parse_create_article,
    parse_list_articles,
    parse_suggest,
    parse_update_article,
)
from crm_helpdesk.knowledge_models import ArticleVersionRow
from crm_helpdesk.knowledge_queries import ArticleView, CategoryView, reads

Context: TypeAlias = grpc.aio.ServicerContext


def article_message(view: ArticleView) -> pb.Article:
    row = view.row
    return pb.Article(
        id=row.id,
        title=row.title,
        body=row.body,
        category_id=row.category_id or "",
        language=row.language,
        tags=row.tags,
        status=row.status,
        visibility=row.visibility,
        author_id=row.author_id,
        content_version=row.content_version,
        view_count=row.view_count,
        helpful_count=row.helpful_count,
        not_helpful_count=row.not_helpful_count,
        my_vote=view.my_vote,
        published_at=timestamp(row.published_at),
        created_at=timestamp(row.created_at),
        updated_at=timestamp(row.updated_at),
        version=row.version,
        snippet=view.snippet,
        snippet_html=view.snippet_html,
        rank=view.rank,
    )


def category_message(view: CategoryView) -> pb.Category:
    row = view.row
    return pb.Category(
        id=row.id,
        name_ru=row.name_ru,
        name_en=row.name_en,
        position=row.position,
        shipped_key=row.shipped_key or "",
        article_count=view.article_count,
        version=row.version,
    )


def version_message(row: ArticleVersionRow) -> pb.ArticleVersion:
    return pb.ArticleVersion(
        number=row.number,
        title=row.title,
        body=row.body,
        created_by=row.created_by,
        created_at=timestamp(row.created_at),
        restored_from=row.restored_from,
    )


class KnowledgeServicer(knowledge_pb2_grpc.KnowledgeServiceServicer):
    """The knowledge base, every call as the caller (knowledge_access decides what they see and change)."""

    def __init__(self, db: Database, knowledge: Knowledge) -> None:
        self.db = db
        self.knowledge = knowledge

    async def ListCategories(self, request: pb.ListCategoriesRequest, context: Context) -> pb.ListCategoriesResponse:
        """Every category, in order, with the published articles the caller sees in it."""
        async with self.db.readers() as session:
            queries = await reads(session, current_caller())
            views = await queries.categories()
        return pb.ListCategoriesResponse(categories=[category_message(v) for v in views])

    async def CreateCategory(self, request: pb.CreateCategoryRequest, context: Context) -> pb.Category:
        """A new category (writers)."""
        row = await self.knowledge.create_category(current_caller(), parse_category(request))
        return category_message(CategoryView(row, 0))

    async def UpdateCategory(self, request: pb.UpdateCategoryRequest, context: Context) -> pb.Category:
        """Names and position (writers; If-Match)."""
        fields = parse_category(request, request.update_mask.paths)
        row = await self.knowledge.update_category(current_caller(), request.id, fields, request.expected_version)
        async with self.db.readers() as session:
            queries = await reads(session, current_caller())
            views = await queries.categories()
        return category_message(next(v for v in views if v.row.id == row.id))

    async def CreateArticle(self, request: pb.CreateArticleRequest, context: Context) -> pb.Article:
        """A new draft by the caller (writers)."""
        return article_message(await self.knowledge.create_article(current_caller(), parse_create_article(request)))

    async def GetArticle(self, request: pb.GetArticleRequest, context: Context) -> pb.Article:
        """One article the caller sees; count_view counts the reading of a published one."""
        caller = current_caller()
        if request.count_view:
            await self.knowledge.count_view(caller, request.id)
        async with self.db.readers() as session:
            queries = await reads(session, caller)
            return article_message(await queries.view(request.id))

    async def ListArticles(self, request: pb.ListArticlesRequest, context: Context) -> pb.ListArticlesResponse:
        """Articles the caller sees, filtered; a query searches them (ranked, with snippets)."""
        query = parse_list_articles(request)
        async with self.db.readers() as session:
            queries = await reads(session, current_caller())
            page = await queries.list_articles(query, clamp_limit(request.limit), request.cursor)
        return pb.ListArticlesResponse(articles=[article_message(v) for v in page.items], next_cursor=page.next_cursor)

    async def UpdateArticle(self, request: pb.UpdateArticleRequest, context: Context) -> pb.Article:
        """The masked fields (writers; If-Match); a new title or body is a new version."""
        article_id, fields = parse_update_article(request)
        view = await self.knowledge.update_article(current_caller(), article_id, fields, request.expected_version)
        return article_message(view)

    async def PublishArticle(self, request: pb.ChangeArticleStatusRequest, context: Context) -> pb.Article:
        """Draft or archived -> published (writers; If-Match)."""
        view = await self.knowledge.change_status(current_caller(), request.id, "published", request.expected_version)
        return article_message(view)

    async def ArchiveArticle(self, request: pb.ChangeArticleStatusRequest, context: Context) -> pb.Article:
        """Draft or published -> archived (writers; If-Match)."""
        view = await self.knowledge.change_status(current_caller(), request.id, "archived", request.expected_version)
        return article_message(view)

    async def ListArticleVersions(
        self, request: pb.ListArticleVersionsRequest, context: Context
    ) -> pb.ListArticleVersionsResponse:
        """The article's content versions, newest first."""
        async with self.db.readers() as session:
            queries = await reads(session, current_caller())
            rows = await queries.versions(request.id)
        return pb.ListArticleVersionsResponse(versions=[version_message(r) for r in rows])

    async def RestoreArticleVersion(self, request: pb.RestoreArticleVersionRequest, context: Context) -> pb.Article:
        """A new version with an older one's title and body (writers; If-Match)."""
        if request.number < 1:
            raise invalid("number", "out_of_range", "number must be a version number, from 1")
        view = await self.knowledge.restore_version(
            current_caller(), request.id, request.number, request.expected_version
        )
        return article_message(view)

    async def VoteArticle(self, request: pb.VoteArticleRequest, context: Context) -> pb.Article:
        """The caller's "was this helpful" on a published article (one per voter)."""
        return article_message(await self.knowledge.vote(current_caller(), request.id, request.helpful))

    async def SuggestArticles(self, request: pb.SuggestArticlesRequest, context: Context) -> pb.SuggestArticlesResponse:
        """The best published articles the caller sees for a ticket's text."""
        text, limit, language = parse_suggest(request)
        async with self.db.readers() as session:
            queries = await reads(session, current_caller())
            views = await queries.suggest(text, limit, language)
        return pb.SuggestArticlesResponse(articles=[article_message(v) for v in views])


def add_knowledge(app: ServiceApp) -> None:
    """Serve KnowledgeService on the helpdesk's port."""
    servicer = KnowledgeServicer(app.db, Knowledge(app.db, app.namespace, app.clock))
    service_name = pb.DESCRIPTOR.services_by_name["KnowledgeService"].full_name
    app.add_servicer(knowledge_pb2_grpc.add_KnowledgeServiceServicer_to_server, servicer, service_name)
