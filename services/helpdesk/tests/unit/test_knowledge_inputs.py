"""The knowledge base's input rules and its snippet HTML, without a server."""

from __future__ import annotations

import pytest
from google.protobuf import field_mask_pb2

from crm.helpdesk.v1 import knowledge_pb2 as pb
from crm_core.auth import Caller
from crm_core.errors import InvalidArgument
from crm_helpdesk.knowledge_access import can_write, is_portal
from crm_helpdesk.knowledge_inputs import (
    parse_category,
    parse_create_article,
    parse_list_articles,
    parse_suggest,
    parse_update_article,
)
from crm_helpdesk.knowledge_search import START, STOP, snippet_texts


def problems(error: pytest.ExceptionInfo[InvalidArgument]) -> dict[str, str]:
    return {p.field: p.code for p in error.value.fields}


def test_a_new_article_defaults_to_russian_internal_and_cleans_its_tags() -> None:
    article = parse_create_article(pb.CreateArticleRequest(title="  Счёт  ", tags=[" Оплата", "оплата", "VIP"]))
    assert (article.title, article.language, article.visibility, article.tags) == (
        "Счёт",
        "ru",
        "internal",
        ("оплата", "vip"),
    )


def test_highlight_marks_cannot_be_smuggled_into_an_article() -> None:
    article = parse_create_article(pb.CreateArticleRequest(title=f"a{START}b{STOP}c", body=f"{START}x"))
    assert (article.title, article.body) == ("abc", "x")


def test_every_bad_field_is_named() -> None:
    with pytest.raises(InvalidArgument) as error:
        parse_create_article(
            pb.CreateArticleRequest(title="t" * 201, language="de", visibility="all", tags=[""] + ["x"] * 0)
        )
    assert problems(error) == {
        "title": "too_long",
        "language": "not_allowed",
        "visibility": "not_allowed",
        "tags[0]": "required",
    }
    with pytest.raises(InvalidArgument) as error:
        parse_create_article(pb.CreateArticleRequest(title="t", tags=[f"t{i}" for i in range(21)]))
    assert problems(error) == {"tags": "too_many"}


def test_an_update_changes_only_the_masked_fields_and_needs_one() -> None:
    request = pb.UpdateArticleRequest(
        article=pb.Article(id="a", body="Новый текст", title=""), update_mask=field_mask_pb2.FieldMask(paths=["body"])
    )
    article_id, fields = parse_update_article(request)
    assert (article_id, fields.values()) == ("a", {"body": "Новый текст"})
    with pytest.raises(InvalidArgument) as error:
        parse_update_article(pb.UpdateArticleRequest(article=pb.Article(id="a")))
    assert problems(error) == {"update_mask": "required"}
    with pytest.raises(InvalidArgument) as error:
        parse_update_article(
            pb.UpdateArticleRequest(article=pb.Article(id="a"), update_mask=field_mask_pb2.FieldMask(paths=["title"]))
        )
    assert problems(error) == {"title": "required"}


def test_list_filters_are_checked() -> None:
    with pytest.raises(InvalidArgument) as error:
        parse_list_articles(pb.ListArticlesRequest(status="deleted", category_id="x", query="q" * 501))
    assert problems(error) == {"status": "not_allowed", "category_id": "invalid_id", "query": "too_long"}


def test_suggestions_take_five_by_default_and_at_most_twenty() -> None:
    assert parse_suggest(pb.SuggestArticlesRequest(text="счёт")) == ("счёт", 5, "")
    with pytest.raises(InvalidArgument) as error:
        parse_suggest(pb.SuggestArticlesRequest(text="счёт", limit=21))
    assert problems(error) == {"limit": "out_of_range"}


def test_a_category_needs_a_name_and_one_serves_both_languages() -> None:
    assert (parse_category(pb.CreateCategoryRequest(name_en="FAQ")).name_ru) == "FAQ"
    with pytest.raises(InvalidArgument) as error:
        parse_category(pb.CreateCategoryRequest(position=-1))
    assert problems(error) == {"name_ru": "required", "position": "out_of_range"}


def test_snippets_are_escaped_and_marked() -> None:
    assert snippet_texts(f"a < b {START}счёт{STOP}") == ("a < b счёт", "a &lt; b <mark>счёт</mark>")
    assert snippet_texts(None) == ("", "")


def test_a_portal_user_never_writes_whatever_roles_it_carries() -> None:
    assert is_portal(Caller("portal:1", frozenset({"portal"})))
    assert not is_portal(Caller("u1", frozenset({"portal"})))
    assert not can_write(Caller("portal:1", frozenset({"portal", "admin", "support"})))
    assert can_write(Caller("u1", frozenset({"support"}))) and can_write(Caller("u2", frozenset({"admin"})))
    assert not can_write(Caller("u3", frozenset({"sales"})))
