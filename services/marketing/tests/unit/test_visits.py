"""Page views are checked before they cost anything; utm marks come from the url."""

from __future__ import annotations

import pytest

from crm_core.errors import InvalidArgument
from crm_marketing.visits import address_hash, page_view, utm_of


def test_utm_marks_are_read_from_the_url_query() -> None:
    url = "https://metall.ru/p?utm_source=yandex&utm_medium=cpc&utm_campaign=%D0%BA%D0%BC&utm_source=other&x=1"
    assert utm_of(url) == {"source": "yandex", "medium": "cpc", "campaign": "км"}
    assert utm_of("https://metall.ru/") == {}


def test_a_page_view_is_trimmed_and_keeps_its_marks() -> None:
    view = page_view(" v-1 ", "https://metall.ru/?utm_term=arm", "  Прайс \n лист ", "")
    assert (view.visitor_id, view.title, view.utm) == ("v-1", "Прайс лист", {"term": "arm"})


@pytest.mark.parametrize(
    ("visitor_id", "url", "title", "referrer", "field", "code"),
    [
        ("", "https://a.ru/", "", "", "visitor_id", "required"),
        ("x" * 101, "https://a.ru/", "", "", "visitor_id", "too_long"),
        ("v 1", "https://a.ru/", "", "", "visitor_id", "invalid_visitor_id"),
        ("v1", "", "", "", "url", "required"),
        ("v1", "https://a.ru/" + "a" * 2000, "", "", "url", "too_long"),
        ("v1", "javascript:alert(1)", "", "", "url", "invalid_url"),
        ("v1", "https://a.ru/", "t" * 501, "", "title", "too_long"),
        ("v1", "https://a.ru/", "", "ftp://a.ru/", "referrer", "invalid_url"),
    ],
)
def test_a_bad_page_view_is_refused(
    visitor_id: str, url: str, title: str, referrer: str, field: str, code: str
) -> None:
    with pytest.raises(InvalidArgument) as info:
        page_view(visitor_id, url, title, referrer)
    assert [(p.field, p.code) for p in info.value.fields] == [(field, code)]


def test_the_address_is_kept_as_a_keyed_hash() -> None:
    hashed = address_hash("secret", "203.0.113.7")
    assert hashed == address_hash("secret", "203.0.113.7") != address_hash("other", "203.0.113.7")
    assert "203.0.113.7" not in hashed and address_hash("secret", "") == ""
