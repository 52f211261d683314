"""/api/v1/kb: the helpdesk's knowledge base for staff (categories, articles, versions, votes, suggestions).

Everyone signed in reads published articles; admins and users with the role "support" write (others get
403 support_only); an article you may not see is 404 and absent from lists, counts and suggestions. The
portal's routes are the portal router's, over the same gRPC service. See docs/helpdesk.md.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from crm.helpdesk.v1 import knowledge_pb2 as pb
from crm_gateway import rest
from crm_gateway.deps import Call, Cursor, IfMatch, Limit
from crm_gateway.schemas.knowledge import (
    ArticleIn,
    ArticleOut,
    ArticlePatch,
    ArticlesPage,
    ArticleVersionOut,
    CategoryIn,
    CategoryOut,
    CategoryPatch,
    VoteIn,
)

router = APIRouter(prefix="/api/v1/kb", tags=["knowledge base"])

Filter = Annotated[str, Query(max_length=64)]


# --- categories ----------------------------------------------------------------------------------------


@router.get("/categories", response_model=list[CategoryOut], summary="Categories, with their article counts")
async def list_categories(call: Call) -> list[CategoryOut]:
    result = await call.knowledge.ListCategories(pb.ListCategoriesRequest())
    return [rest.out(c, CategoryOut) for c in result.categories]


@router.post("/categories", response_model=CategoryOut, status_code=201, summary="Add a category (support)")
async def create_category(body: CategoryIn, call: Call, response: Response) -> CategoryOut:
    message = await call.knowledge.CreateCategory(pb.CreateCategoryRequest(**body.model_dump()))
    return rest.versioned(message, CategoryOut, response)


@router.patch("/categories/{category_id}", response_model=CategoryOut, summary="Rename or move a category")
async def update_category(
    category_id: str, body: CategoryPatch, call: Call, response: Response, if_match: IfMatch = None
) -> CategoryOut:
    category, mask = rest.patch_message(body, pb.Category, category_id)
    request = pb.UpdateCategoryRequest(
        id=category_id,
        name_ru=category.name_ru,
        name_en=category.name_en,
        position=category.position,
        update_mask=mask,
        expected_version=rest.expected_version(if_match),
    )
    message = await call.knowledge.UpdateCategory(request)
    return rest.versioned(message, CategoryOut, response)


# --- articles (fixed paths before /{article_id}) -----------------------------------------------------------


@router.get("/articles", response_model=ArticlesPage, summary="Articles you may see; `query` searches them")
async def list_articles(
    call: Call,
    query: Annotated[
        str, Query(max_length=500, description='Words in any form, "a phrase", -excluded, or; ranked, with snippets')
    ] = "",
    category_id: Filter = "",
    status: Annotated[str, Query(max_length=20, description="draft, published, archived")] = "",
    visibility: Annotated[str, Query(max_length=20, description="internal, public")] = "",
    language: Annotated[str, Query(max_length=2, description="ru, en")] = "",
    tag: Filter = "",
    limit: Limit = 50,
    cursor: Cursor = "",
) -> ArticlesPage:
    request = pb.ListArticlesRequest(
        query=query,
        category_id=category_id,
        status=status,
        visibility=visibility,
        language=language,
        tag=tag,
        limit=limit,
        cursor=cursor,
    )
    result = await call.knowledge.ListArticles(request)
    return ArticlesPage(items=[rest.out(a, ArticleOut) for a in result.articles], next_cursor=result.next_cursor)


@router.post("/articles", response_model=ArticleOut, status_code=201, summary="Write a new draft (support)")
async def create_article(body: ArticleIn, call: Call, response: Response) -> ArticleOut:
    message = await call.knowledge.CreateArticle(pb.CreateArticleRequest(**body.model_dump()))
    response.headers["Location"] = f"/api/v1/kb/articles/{message.id}"
    return rest.versioned(message, ArticleOut, response)


@router.get("/articles/{article_id}", response_model=ArticleOut, summary="An article (ETag = version)")
async def get_article(
    article_id: str,
    call: Call,
    response: Response,
    view: Annotated[bool, Query(description="true: count this reading in the article's views")] = False,
) -> ArticleOut:
    message = await call.knowledge.GetArticle(pb.GetArticleRequest(id=article_id, count_view=view))
    return rest.versioned(message, ArticleOut, response)


@router.patch(
    "/articles/{article_id}",
    response_model=ArticleOut,
    summary="Change an article (support; If-Match); a new title or body is a new version",
)
async def update_article(
    article_id: str, body: ArticlePatch, call: Call, response: Response, if_match: IfMatch = None
) -> ArticleOut:
    article, mask = rest.patch_message(body, pb.Article, article_id)
    message = await call.knowledge.UpdateArticle(
        pb.UpdateArticleRequest(article=article, update_mask=mask, expected_version=rest.expected_version(if_match))
    )
    return rest.versioned(message, ArticleOut, response)


@router.post("/articles/{article_id}/publish", response_model=ArticleOut, summary="Publish (support; If-Match)")
async def publish_article(article_id: str, call: Call, response: Response, if_match: IfMatch = None) -> ArticleOut:
    request = pb.ChangeArticleStatusRequest(id=article_id, expected_version=rest.expected_version(if_match))
    return rest.versioned(await call.knowledge.PublishArticle(request), ArticleOut, response)


@router.post("/articles/{article_id}/archive", response_model=ArticleOut, summary="Archive (support; If-Match)")
async def archive_article(article_id: str, call: Call, response: Response, if_match: IfMatch = None) -> ArticleOut:
    request = pb.ChangeArticleStatusRequest(id=article_id, expected_version=rest.expected_version(if_match))
    return rest.versioned(await call.knowledge.ArchiveArticle(request), ArticleOut, response)


@router.get(
    "/articles/{article_id}/versions", response_model=list[ArticleVersionOut], summary="Its versions, newest first"
)
async def list_versions(article_id: str, call: Call) -> list[ArticleVersionOut]:
    result = await call.knowledge.ListArticleVersions(pb.ListArticleVersionsRequest(id=article_id))
    return [rest.out(v, ArticleVersionOut) for v in result.versions]


@router.post(
    "/articles/{article_id}/versions/{number}/restore",
    response_model=ArticleOut,
    summary="A new version with an older one's title and body (support; If-Match)",
)
async def restore_version(
    article_id: str,
    number: Annotated[int, Path(ge=1, le=1_000_000)],
    call: Call,
    response: Response,
    if_match: IfMatch = None,
) -> ArticleOut:
    request = pb.RestoreArticleVersionRequest(
        id=article_id, number=number, expected_version=rest.expected_version(if_match)
    )
    return rest.versioned(await call.knowledge.RestoreArticleVersion(request), ArticleOut, response)


@router.post(
    "/articles/{article_id}/vote",
    response_model=ArticleOut,
    summary="Was it helpful? One vote per user; voting again replaces your vote",
)
async def vote_article(article_id: str, body: VoteIn, call: Call, response: Response) -> ArticleOut:
    message = await call.knowledge.VoteArticle(pb.VoteArticleRequest(id=article_id, helpful=body.helpful))
    return rest.versioned(message, ArticleOut, response)


@router.get("/suggestions", response_model=list[ArticleOut], summary="Published articles for a ticket's text")
async def suggest_articles(
    call: Call,
    text: Annotated[
        str,
        Query(
            max_length=1000, description="The ticket's subject and description (a URL holds the first 1000 characters)"
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
    language: Annotated[str, Query(max_length=2, description="ru or en; both when empty")] = "",
) -> list[ArticleOut]:
    result = await call.knowledge.SuggestArticles(pb.SuggestArticlesRequest(text=text, limit=limit, language=language))
    return [rest.out(a, ArticleOut) for a in result.articles]
