"""The knowledge base through the gateway: a support user writes and publishes, anyone signed in finds it by
another word form, reads and votes; users without the role cannot write; hidden articles are 404."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.e2e


def marker() -> str:
    return "zq" + uuid.uuid4().hex[:10]


async def test_a_support_user_writes_and_publishes_and_staff_find_it_by_another_word_form(users) -> None:
    support = await users.user([], roles=["support"])
    reader = await users.user([])
    word = marker()
    categories = (await reader.client.get("/api/v1/kb/categories")).json()
    billing = next(c for c in categories if c["shipped_key"] == "billing")
    assert (billing["name_ru"], billing["name_en"]) == ("Оплата и документы", "Billing and documents")

    created = await support.client.post(
        "/api/v1/kb/articles",
        json={
            "title": f"Как оплатить счёт {word}",
            "body": f"Оплатить счёт {word} можно картой.\n\nСчёт приходит на почту.",
            "category_id": billing["id"],
            "tags": ["оплата"],
        },
    )
    assert created.status_code == 201, created.text
    article = created.json()
    assert (created.headers["etag"], article["status"], article["content_version"]) == ('"1"', "draft", 1)
    # A draft is the writers' own: a reader gets 404 and finds nothing.
    assert (await reader.client.get(f"/api/v1/kb/articles/{article['id']}")).status_code == 404
    assert (await reader.client.get("/api/v1/kb/articles", params={"query": word})).json()["items"] == []

    published = await support.client.post(
        f"/api/v1/kb/articles/{article['id']}/publish", headers={"If-Match": created.headers["etag"]}
    )
    assert published.status_code == 200, published.text

    found = await reader.client.get("/api/v1/kb/articles", params={"query": f"оплата счетов {word}"})
    assert found.status_code == 200, found.text
    (item,) = found.json()["items"]
    assert item["id"] == article["id"] and f"<mark>{word}</mark>" in item["snippet_html"]
    suggested = await reader.client.get(
        "/api/v1/kb/suggestions", params={"text": f"Не можем оплатить счета {word}, где реквизиты?"}
    )
    assert article["id"] in [a["id"] for a in suggested.json()]

    read = await reader.client.get(f"/api/v1/kb/articles/{article['id']}", params={"view": "true"})
    assert read.json()["view_count"] == 1
    voted = await reader.client.post(f"/api/v1/kb/articles/{article['id']}/vote", json={"helpful": True})
    again = await reader.client.post(f"/api/v1/kb/articles/{article['id']}/vote", json={"helpful": True})
    assert (voted.json()["helpful_count"], again.json()["helpful_count"], again.json()["my_vote"]) == (1, 1, "helpful")


async def test_edits_are_versions_a_stale_if_match_is_412_and_a_restore_brings_text_back(users) -> None:
    support = await users.user([], roles=["support"])
    created = await support.client.post("/api/v1/kb/articles", json={"title": "Первая", "body": "Текст один"})
    path = f"/api/v1/kb/articles/{created.json()['id']}"
    changed = await support.client.patch(path, json={"body": "Текст два"}, headers={"If-Match": '"1"'})
    assert (changed.status_code, changed.headers["etag"], changed.json()["content_version"]) == (200, '"2"', 2)
    stale = await support.client.patch(path, json={"title": "Вторая"}, headers={"If-Match": '"1"'})
    assert (stale.status_code, stale.json()["code"]) == (412, "version_conflict")
    versions = (await support.client.get(f"{path}/versions")).json()
    assert [v["body"] for v in versions] == ["Текст два", "Текст один"]
    restored = await support.client.post(f"{path}/versions/1/restore", headers={"If-Match": '"2"'})
    assert (restored.json()["body"], restored.json()["content_version"]) == ("Текст один", 3)
    missing = await support.client.post(f"{path}/versions/7/restore")
    assert (missing.status_code, missing.json()["code"]) == (404, "kb_article_version_not_found")
    audit = await support.client.get(f"{path}/audit")
    assert [e["action"] for e in audit.json()["items"]] == ["version_restored", "updated", "created"]
    outsider = await users.user([])
    assert (await outsider.client.get(f"{path}/audit")).status_code == 404  # a draft of someone else's


async def test_a_support_user_adds_and_renames_a_category(users) -> None:
    support = await users.user([], roles=["support"])
    created = await support.client.post("/api/v1/kb/categories", json={"name_ru": f"Раздел {marker()}"})
    assert created.status_code == 201, created.text
    assert created.json()["name_en"] == created.json()["name_ru"]
    path = f"/api/v1/kb/categories/{created.json()['id']}"
    patched = await support.client.patch(
        path, json={"name_en": "Returns", "position": 3}, headers={"If-Match": created.headers["etag"]}
    )
    assert patched.status_code == 200, patched.text
    assert (patched.json()["name_en"], patched.json()["position"], patched.headers["etag"]) == ("Returns", 3, '"2"')
    stale = await support.client.patch(path, json={"position": 4}, headers={"If-Match": created.headers["etag"]})
    assert (stale.status_code, stale.json()["code"]) == (412, "version_conflict")


async def test_a_user_without_the_support_role_cannot_write(users) -> None:
    support = await users.user([], roles=["support"])
    sales = await users.user([])
    created = (await support.client.post("/api/v1/kb/articles", json={"title": f"Статья {marker()}"})).json()
    await support.client.post(f"/api/v1/kb/articles/{created['id']}/publish")
    path = f"/api/v1/kb/articles/{created['id']}"
    for response in (
        await sales.client.post("/api/v1/kb/articles", json={"title": "Моя"}),
        await sales.client.patch(path, json={"title": "Чужая"}),
        await sales.client.post(f"{path}/archive"),
        await sales.client.post("/api/v1/kb/categories", json={"name_ru": "Раздел"}),
    ):
        assert (response.status_code, response.json()["code"]) == (403, "support_only")
    assert (await sales.client.get(path)).status_code == 200


async def test_bad_input_is_422_and_unknown_articles_404(users) -> None:
    support = await users.user([], roles=["support"])
    bad = await support.client.post(
        "/api/v1/kb/articles", json={"title": "Т", "language": "de", "visibility": "secret", "category_id": "x"}
    )
    assert bad.status_code == 422
    assert {e["field"]: e["code"] for e in bad.json()["errors"]} == {
        "language": "not_allowed",
        "visibility": "not_allowed",
        "category_id": "invalid_id",
    }
    for path in (f"/api/v1/kb/articles/{uuid.uuid4()}", "/api/v1/kb/articles/nope"):
        response = await support.client.get(path)
        assert (response.status_code, response.json()["code"]) == (404, "kb_article_not_found")
    assert (await support.client.get("/api/v1/kb/articles", params={"cursor": "bad"})).status_code == 422
