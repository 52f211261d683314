"""The knowledge base against the real database: search by word forms in Russian and English, suggestions,
who sees what, votes, versions, optimistic concurrency and bad input."""

from __future__ import annotations

import uuid

import grpc
import pytest
from google.protobuf import field_mask_pb2
from sqlalchemy import select, text

from crm.common.v1 import common_pb2
from crm.events.v1 import envelope_pb2
from crm.events.v1 import knowledge_pb2 as events_pb2
from crm.helpdesk.v1 import knowledge_pb2 as pb
from crm.helpdesk.v1 import knowledge_pb2_grpc
from crm_core.auth import Caller
from crm_core.events.outbox import OutboxRow
from crm_core.service import ServiceApp
from crm_core.testing import CallerStub, Rejected
from crm_helpdesk.portal_models import PortalUserRow

SUPPORT = Caller("kb-support", frozenset({"support"}))
AGENT = Caller("kb-agent", frozenset({"sales"}))
# A portal caller of no portal user: refused anyway, before anything is read.
UNKNOWN_PORTAL = Caller(f"portal:{uuid.uuid4()}", frozenset({"portal"}))


def fields(error: common_pb2.ErrorDetail) -> dict[str, str]:
    return {v.field: v.code for v in error.field_violations}


def stub(channel: grpc.aio.Channel, caller: Caller) -> CallerStub:
    return CallerStub(knowledge_pb2_grpc.KnowledgeServiceStub(channel), caller)


@pytest.fixture
def support(channel: grpc.aio.Channel) -> CallerStub:
    return stub(channel, SUPPORT)


@pytest.fixture
def agent(channel: grpc.aio.Channel) -> CallerStub:
    return stub(channel, AGENT)


async def portal_user(app: ServiceApp, active: bool = True) -> tuple[Caller, str]:
    """A client's portal user (active unless told), as a caller, and its id."""
    async with app.db.transaction() as session:
        user = PortalUserRow(
            email=f"{uuid.uuid4().hex}@example.ru",
            name="Клиент",
            party_id=str(uuid.uuid4()),
            password_hash="x",
            active=active,
        )
        session.add(user)
        await session.flush()
        user_id = user.id
    return Caller(f"portal:{user_id}", frozenset({"portal"})), user_id


@pytest.fixture
async def portal(channel: grpc.aio.Channel, helpdesk_app: ServiceApp) -> CallerStub:
    caller, _ = await portal_user(helpdesk_app)
    return stub(channel, caller)


def unique() -> str:
    """A word no other test's article has (a made-up one, so stemming leaves it whole)."""
    return "zq" + uuid.uuid4().hex[:10]


async def article(support: CallerStub, publish: bool = True, **fields: object) -> pb.Article:
    fields.setdefault("title", f"Статья {unique()}")
    created = await support.CreateArticle(pb.CreateArticleRequest(**fields))
    if publish:
        created = await support.PublishArticle(pb.ChangeArticleStatusRequest(id=created.id))
    return created


async def search(caller: CallerStub, query: str, **filters: object) -> list[pb.Article]:
    return list((await caller.ListArticles(pb.ListArticlesRequest(query=query, **filters))).articles)


# --- search ---------------------------------------------------------------------------------------


async def test_russian_search_finds_another_word_form_with_a_highlighted_snippet(support, agent) -> None:
    marker = unique()
    found = await article(
        support,
        title=f"Как оплатить счёт {marker}",
        body=f"Оплатить счёт можно картой или переводом. Код {marker}.\n\nСчёт приходит на почту.",
    )
    for query in (f"оплата счетов {marker}", f"счета {marker}"):
        results = await search(agent, query)
        assert [a.id for a in results] == [found.id], query
        assert "<mark>" in results[0].snippet_html and "<mark>" not in results[0].snippet
        assert results[0].rank > 0


async def test_english_search_finds_invoice_by_invoices(support, agent) -> None:
    marker = unique()
    found = await article(support, language="en", title=f"Paying an invoice {marker}", body="Pay the invoice by card.")
    assert [a.id for a in await search(agent, f"invoices {marker}")] == [found.id]
    # The Russian configuration does not stem this article: its language is English.
    assert [a.id for a in await search(agent, f"paying {marker}", language="en")] == [found.id]


async def test_a_title_match_ranks_above_a_body_match(support, agent) -> None:
    marker = unique()
    in_body = await article(support, title=f"Другое {unique()}", body=f"Где-то в тексте {marker} доставка")
    in_title = await article(support, title=f"Доставка {marker}", body="Сроки и условия")
    assert [a.id for a in await search(agent, f"доставки {marker}")] == [in_title.id, in_body.id]


async def test_a_tag_is_searched_in_its_word_forms_and_weighs_as_the_title(support, agent) -> None:
    marker = unique()
    tagged = await article(support, title=f"Настройка {marker}", body="Откройте настройки.", tags=["возвраты"])
    in_body = await article(support, title=f"Другое {unique()}", body=f"Про возврат {marker} здесь тоже")
    assert [a.id for a in await search(agent, f"возврат {marker}")] == [tagged.id, in_body.id]
    # A tag changed is searched at once (the vector is a generated column).
    await support.UpdateArticle(
        pb.UpdateArticleRequest(
            article=pb.Article(id=tagged.id, tags=["доставка"]),
            update_mask=field_mask_pb2.FieldMask(paths=["tags"]),
            expected_version=tagged.version,
        )
    )
    assert [a.id for a in await search(agent, f"доставки {marker}")] == [tagged.id]
    assert [a.id for a in await search(agent, f"возврат {marker}")] == [in_body.id]


async def test_search_pages_by_cursor_without_repeats(support, agent) -> None:
    marker = unique()
    made = {(await article(support, title=f"Возврат {marker} {i}", body="возврат " * i)).id for i in range(1, 5)}
    seen: list[str] = []
    cursor = ""
    while True:
        page = await agent.ListArticles(pb.ListArticlesRequest(query=f"возвраты {marker}", limit=3, cursor=cursor))
        seen += [a.id for a in page.articles]
        if not (cursor := page.next_cursor):
            break
    assert sorted(seen) == sorted(made) and len(seen) == len(made)


async def test_snippets_escape_the_article_s_html(support, agent) -> None:
    marker = unique()
    body = f"Если 2 < 3 & 5 > 4, то {marker} <img src=x onerror=alert(1)>"
    await article(support, title=f"Вставка {marker}", body=body)
    (found,) = await search(agent, marker)
    assert "<img" not in found.snippet_html and "&lt;img src=x" in found.snippet_html
    assert f"2 &lt; 3 &amp; 5 &gt; 4, то <mark>{marker}</mark>" in found.snippet_html
    assert found.body == body


# --- suggestions ----------------------------------------------------------------------------------


async def test_suggestions_match_any_word_of_a_long_ticket_and_rank_the_closest_first(support, agent) -> None:
    bill, mail = unique(), unique()
    closest = await article(
        support, title=f"Не приходит счёт {bill}", body=f"Если счёт {bill} не пришёл на почту {mail}"
    )
    partial = await article(support, title=f"Почта {mail}", body="Настройка почты")
    draft = await article(support, publish=False, title=f"Черновик про счёт {bill} {mail}")
    ticket = (
        f"Здравствуйте! Уже неделю не приходят счета {bill} на почту {mail}, хотя мы оплатили всё вовремя, "
        "менеджер не отвечает, подскажите, что делать и куда писать?"
    )
    suggested = (await agent.SuggestArticles(pb.SuggestArticlesRequest(text=ticket, limit=20))).articles
    ids = [a.id for a in suggested]
    # No article has every word of the ticket: any shared word counts, the most shared first.
    assert closest.id in ids and partial.id in ids and ids.index(closest.id) < ids.index(partial.id)
    assert draft.id not in ids and all(a.status == "published" for a in suggested)
    assert [a.id for a in await search(agent, ticket)] == []


async def test_a_very_long_ticket_is_read_by_its_most_frequent_words(support, agent) -> None:
    word = unique()
    found = await article(support, title=f"Ошибка {word}")
    noise = " ".join(unique() for _ in range(400))  # more distinct words than a suggestion takes
    ticket = f"{noise} {word} {word} {word}"
    suggested = await agent.SuggestArticles(pb.SuggestArticlesRequest(text=ticket))
    assert [a.id for a in suggested.articles] == [found.id]


async def test_a_text_of_stop_words_suggests_nothing(agent) -> None:
    assert not (await agent.SuggestArticles(pb.SuggestArticlesRequest(text="и в на the of"))).articles


# --- access ---------------------------------------------------------------------------------------


async def test_portal_users_see_only_published_public_articles(support, agent, portal, rejected: Rejected) -> None:
    marker = unique()
    public = await article(support, title=f"Публичная {marker}", visibility="public")
    internal = await article(support, title=f"Внутренняя {marker}")
    draft = await article(support, publish=False, title=f"Черновик {marker}", visibility="public")
    archived = await article(support, title=f"Архив {marker}", visibility="public")
    await support.ArchiveArticle(pb.ChangeArticleStatusRequest(id=archived.id))

    assert [a.id for a in await search(portal, marker)] == [public.id]
    suggested = await portal.SuggestArticles(pb.SuggestArticlesRequest(text=f"{marker} публичная внутренняя"))
    assert [a.id for a in suggested.articles] == [public.id]
    for hidden in (internal, draft, archived):
        error = await rejected(portal.GetArticle(pb.GetArticleRequest(id=hidden.id)), grpc.StatusCode.NOT_FOUND)
        assert error.code == "kb_article_not_found"
    # Staff without the role see both published ones, not the draft or the archived one.
    assert {a.id for a in await search(agent, marker)} == {public.id, internal.id}
    assert {a.id for a in await search(support, marker)} == {public.id, internal.id, draft.id, archived.id}


async def test_category_counts_leave_out_what_the_caller_cannot_see(support, portal, agent) -> None:
    category = await support.CreateCategory(pb.CreateCategoryRequest(name_ru=f"Раздел {unique()}"))
    await article(support, category_id=category.id, visibility="public")
    await article(support, category_id=category.id)
    await article(support, publish=False, category_id=category.id)

    async def count(caller: CallerStub) -> int:
        listed = (await caller.ListCategories(pb.ListCategoriesRequest())).categories
        return next(c.article_count for c in listed if c.id == category.id)

    assert (await count(support), await count(agent), await count(portal)) == (2, 2, 1)
    assert category.name_en == category.name_ru  # one name serves both languages


async def test_a_portal_user_whose_access_ended_reads_nothing(
    channel, helpdesk_app, support, rejected: Rejected
) -> None:
    public = await article(support, visibility="public")
    for caller in (UNKNOWN_PORTAL, (await portal_user(helpdesk_app, active=False))[0]):
        client = stub(channel, caller)
        for call in (
            client.GetArticle(pb.GetArticleRequest(id=public.id)),
            client.ListArticles(pb.ListArticlesRequest(query="статья")),
            client.SuggestArticles(pb.SuggestArticlesRequest(text="статья")),
            client.VoteArticle(pb.VoteArticleRequest(id=public.id, helpful=True)),
        ):
            error = await rejected(call, grpc.StatusCode.UNAUTHENTICATED)
            assert error.code == "portal_session_ended"


async def test_a_category_is_renamed_and_moved_with_if_match(support, rejected: Rejected) -> None:
    created = await support.CreateCategory(pb.CreateCategoryRequest(name_ru="Доставка", name_en="Delivery", position=5))
    mask = field_mask_pb2.FieldMask(paths=["name_en", "position"])
    changed = await support.UpdateCategory(
        pb.UpdateCategoryRequest(
            id=created.id, name_en="Shipping", position=7, update_mask=mask, expected_version=created.version
        )
    )
    assert (changed.name_ru, changed.name_en, changed.position, changed.version) == ("Доставка", "Shipping", 7, 2)
    stale = pb.UpdateCategoryRequest(id=created.id, position=1, update_mask=mask, expected_version=created.version)
    error = await rejected(support.UpdateCategory(stale), grpc.StatusCode.ABORTED)
    assert error.code == "version_conflict"
    # A name cleared falls back to the other one; both cleared is refused.
    names = field_mask_pb2.FieldMask(paths=["name_en"])
    cleared = await support.UpdateCategory(pb.UpdateCategoryRequest(id=created.id, update_mask=names))
    assert (cleared.name_ru, cleared.name_en) == ("Доставка", "Доставка")
    both = field_mask_pb2.FieldMask(paths=["name_ru", "name_en"])
    error = await rejected(
        support.UpdateCategory(pb.UpdateCategoryRequest(id=created.id, update_mask=both)),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert fields(error) == {"name_ru": "required"}
    gone = pb.UpdateCategoryRequest(id=str(uuid.uuid4()), position=1, update_mask=mask)
    error = await rejected(support.UpdateCategory(gone), grpc.StatusCode.NOT_FOUND)
    assert error.code == "kb_category_not_found"


async def test_the_shipped_categories_are_named_in_both_languages(agent) -> None:
    listed = {c.shipped_key: c for c in (await agent.ListCategories(pb.ListCategoriesRequest())).categories}
    assert (listed["getting_started"].name_ru, listed["getting_started"].name_en) == (
        "Начало работы",
        "Getting started",
    )
    assert listed["billing"].name_en == "Billing and documents" and listed["faq"].name_ru == "Частые вопросы"


@pytest.mark.parametrize(
    "caller", [AGENT, UNKNOWN_PORTAL, Caller(f"portal:{uuid.uuid4()}", frozenset({"portal", "support", "admin"}))]
)
async def test_only_admins_and_support_write(channel, support, caller: Caller, rejected: Rejected) -> None:
    existing = await article(support)
    writer = stub(channel, caller)
    calls = [
        writer.CreateArticle(pb.CreateArticleRequest(title="Нельзя")),
        writer.UpdateArticle(
            pb.UpdateArticleRequest(
                article=pb.Article(id=existing.id, title="Нельзя"),
                update_mask=field_mask_pb2.FieldMask(paths=["title"]),
            )
        ),
        writer.ArchiveArticle(pb.ChangeArticleStatusRequest(id=existing.id)),
        writer.CreateCategory(pb.CreateCategoryRequest(name_ru="Нельзя")),
    ]
    for call in calls:
        error = await rejected(call, grpc.StatusCode.PERMISSION_DENIED)
        assert error.code == "support_only"


# --- versions, concurrency, votes, views ------------------------------------------------------------


async def test_every_text_change_is_a_version_and_a_restore_is_a_new_one(
    support, helpdesk_app: ServiceApp, rejected: Rejected
) -> None:
    first = await article(support, publish=False, title="Первый заголовок", body="Первый текст")
    mask = field_mask_pb2.FieldMask(paths=["body"])
    second = await support.UpdateArticle(
        pb.UpdateArticleRequest(article=pb.Article(id=first.id, body="Второй текст"), update_mask=mask)
    )
    tagged = await support.UpdateArticle(
        pb.UpdateArticleRequest(
            article=pb.Article(id=first.id, tags=["Оплата", "оплата"]),
            update_mask=field_mask_pb2.FieldMask(paths=["tags"]),
        )
    )
    assert (second.content_version, tagged.content_version, list(tagged.tags)) == (2, 2, ["оплата"])
    restored = await support.RestoreArticleVersion(
        pb.RestoreArticleVersionRequest(id=first.id, number=1, expected_version=tagged.version)
    )
    assert (restored.content_version, restored.body, restored.title) == (3, "Первый текст", "Первый заголовок")
    versions = (await support.ListArticleVersions(pb.ListArticleVersionsRequest(id=first.id))).versions
    assert [(v.number, v.body, v.restored_from) for v in versions] == [
        (3, "Первый текст", 1),
        (2, "Второй текст", 0),
        (1, "Первый текст", 0),
    ]
    async with helpdesk_app.db.readers() as session:
        actions = (
            await session.scalars(
                text("SELECT action FROM audit_entry WHERE entity_id = :id ORDER BY id"), {"id": first.id}
            )
        ).all()
    assert actions == ["created", "updated", "updated", "version_restored"]
    error = await rejected(
        support.RestoreArticleVersion(pb.RestoreArticleVersionRequest(id=first.id, number=9)), grpc.StatusCode.NOT_FOUND
    )
    assert error.code == "kb_article_version_not_found"


async def test_a_stale_version_is_refused(support, rejected: Rejected) -> None:
    created = await article(support, publish=False)
    mask = field_mask_pb2.FieldMask(paths=["title"])
    await support.UpdateArticle(
        pb.UpdateArticleRequest(
            article=pb.Article(id=created.id, title="Новое"), update_mask=mask, expected_version=created.version
        )
    )
    error = await rejected(
        support.UpdateArticle(
            pb.UpdateArticleRequest(
                article=pb.Article(id=created.id, title="Старое"), update_mask=mask, expected_version=created.version
            )
        ),
        grpc.StatusCode.ABORTED,
    )
    assert error.code == "version_conflict"
    error = await rejected(
        support.PublishArticle(pb.ChangeArticleStatusRequest(id=created.id, expected_version=created.version)),
        grpc.StatusCode.ABORTED,
    )
    assert error.code == "version_conflict"


async def test_publishing_and_archiving_are_events_in_the_outbox(support, helpdesk_app: ServiceApp) -> None:
    published = await article(support, title="Событие", category_id="")
    await support.ArchiveArticle(pb.ChangeArticleStatusRequest(id=published.id))
    async with helpdesk_app.db.readers() as session:
        payloads = (
            await session.scalars(
                select(OutboxRow.payload).where(OutboxRow.subject.like("%.helpdesk.article.%")).order_by(OutboxRow.id)
            )
        ).all()
    changes = []
    for raw in payloads:
        envelope = envelope_pb2.EventEnvelope.FromString(raw)
        change = events_pb2.ArticleChanged()
        assert envelope.payload.Unpack(change)
        if envelope.subject_id == published.id:
            changes.append((envelope.type, change.from_status, change.status, change.title))
    assert changes == [
        ("article.published", "draft", "published", "Событие"),
        ("article.archived", "published", "archived", "Событие"),
    ]


async def test_publishing_twice_is_a_rule_violation(support, rejected: Rejected) -> None:
    published = await article(support)
    error = await rejected(
        support.PublishArticle(pb.ChangeArticleStatusRequest(id=published.id)), grpc.StatusCode.FAILED_PRECONDITION
    )
    assert error.code == "kb_status_transition"


async def test_one_vote_per_voter_and_a_new_vote_replaces_the_old(
    channel, helpdesk_app, support, agent, portal, rejected: Rejected
) -> None:
    voted = await article(support, visibility="public")
    await agent.VoteArticle(pb.VoteArticleRequest(id=voted.id, helpful=True))
    again = await agent.VoteArticle(pb.VoteArticleRequest(id=voted.id, helpful=True))
    assert (again.helpful_count, again.not_helpful_count, again.my_vote) == (1, 0, "helpful")
    await portal.VoteArticle(pb.VoteArticleRequest(id=voted.id, helpful=True))
    changed = await agent.VoteArticle(pb.VoteArticleRequest(id=voted.id, helpful=False))
    assert (changed.helpful_count, changed.not_helpful_count, changed.my_vote) == (1, 1, "not_helpful")
    # Votes are no edit: the version an editor read is still current.
    assert changed.version == voted.version
    other_client, _ = await portal_user(helpdesk_app)
    other = await stub(channel, other_client).GetArticle(pb.GetArticleRequest(id=voted.id))
    assert (other.helpful_count, other.my_vote) == (1, "")

    draft = await article(support, publish=False)
    error = await rejected(
        support.VoteArticle(pb.VoteArticleRequest(id=draft.id, helpful=True)), grpc.StatusCode.FAILED_PRECONDITION
    )
    assert error.code == "kb_article_not_published"


async def test_views_are_counted_when_asked(support, agent) -> None:
    read = await article(support)
    await agent.GetArticle(pb.GetArticleRequest(id=read.id, count_view=True))
    await agent.GetArticle(pb.GetArticleRequest(id=read.id, count_view=True))
    assert (await agent.GetArticle(pb.GetArticleRequest(id=read.id))).view_count == 2


# --- bad input ------------------------------------------------------------------------------------


async def test_bad_input_names_every_field(support, rejected: Rejected) -> None:
    error = await rejected(
        support.CreateArticle(
            pb.CreateArticleRequest(
                title="", body="x" * 100_001, language="de", visibility="secret", category_id="nope", tags=["a" * 51]
            )
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert fields(error) == {
        "title": "required",
        "body": "too_long",
        "language": "not_allowed",
        "visibility": "not_allowed",
        "category_id": "invalid_id",
        "tags[0]": "too_long",
    }


async def test_an_unknown_category_or_mask_field_is_invalid(support, rejected: Rejected) -> None:
    error = await rejected(
        support.CreateArticle(pb.CreateArticleRequest(title="Т", category_id=str(uuid.uuid4()))),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert fields(error) == {"category_id": "kb_category_not_found"}
    created = await article(support, publish=False)
    error = await rejected(
        support.UpdateArticle(
            pb.UpdateArticleRequest(
                article=pb.Article(id=created.id), update_mask=field_mask_pb2.FieldMask(paths=["status"])
            )
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert fields(error) == {"update_mask": "unknown_field"}


async def test_a_malformed_id_or_cursor_is_not_a_crash(agent, rejected: Rejected) -> None:
    error = await rejected(agent.GetArticle(pb.GetArticleRequest(id="not-an-id")), grpc.StatusCode.NOT_FOUND)
    assert error.code == "kb_article_not_found"
    error = await rejected(
        agent.ListArticles(pb.ListArticlesRequest(query="счёт", cursor="garbage")), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert fields(error) == {"cursor": "invalid_cursor"}
    # Search syntax is never an error: websearch_to_tsquery reads anything.
    await agent.ListArticles(pb.ListArticlesRequest(query="\"( ) & | ! :* '\\"))
