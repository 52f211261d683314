"""One recipient's message: merge fields, tracked links that carry their signed target, the open pixel, the
unsubscribe link in the text and the headers; addresses shown partly hidden."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from crm_core import links
from crm_core.errors import FailedPrecondition
from crm_core.mail import Mailer
from crm_core.templates import MailTemplate
from crm_core.testing import ALICE
from crm_marketing.mail_content import Links, compose, masked, track_links
from crm_marketing.mailings import Mailings
from crm_marketing.sender import MailSender

SECRET = "s" * 40
URLS = Links("https://crm.example.ru/", SECRET)


def test_every_http_link_goes_through_the_click_endpoint_with_its_target_signed() -> None:
    body = '<a href="https://shop.example.ru/a?x=1&amp;y=2">A</a> <a href=\'http://b.example.ru\'>B</a> <a href="mailto:x@y.ru">M</a>'
    tracked = track_links(body, "r-1", URLS, keep="")
    targets = [
        links.verify_click(html.unescape(m).rsplit("/", 1)[1], SECRET)
        for m in re.findall(r"href=[\"']([^\"']+)[\"']", tracked)
        if "/click/" in m
    ]
    assert targets == [("r-1", "https://shop.example.ru/a?x=1&y=2"), ("r-1", "http://b.example.ru")]
    assert 'href="mailto:x@y.ru"' in tracked


def test_a_message_has_merge_fields_a_pixel_and_the_unsubscribe_link_everywhere() -> None:
    template = MailTemplate(
        subject="Предложение для {{ company }}",
        text="Здравствуйте, {{ first_name }}!",
        html='<html><body><p>{{ first_name }}</p><a href="{{ unsubscribe_url }}">x</a></body></html>',
    )
    message = compose(
        template=template,
        recipient_id="r-2",
        email="ivan@пример.рф",
        merge={"first_name": "Иван", "company": "ООО <Ромашка>", "name": "Иван Петров"},
        sender="Отдел продаж <sales@zavod.ru>",
        urls=URLS,
    )
    unsubscribe = URLS.unsubscribe("r-2")
    assert message["Subject"] == "Предложение для ООО <Ромашка>"
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert "xn--e1afmkfd.xn--p1ai" in str(message["To"])
    text_part = message.get_body(("plain",))
    html_part = message.get_body(("html",))
    assert text_part is not None and html_part is not None
    text = text_part.get_content()  # type: ignore[attr-defined]
    body = html_part.get_content()  # type: ignore[attr-defined]
    assert "Здравствуйте, Иван!" in text and unsubscribe in text
    assert f'href="{unsubscribe}"' in body  # the unsubscribe link is not click-tracked
    assert URLS.open_pixel("r-2") in body and body.index("<img") < body.index("</body>")


def test_an_address_is_shown_partly_hidden() -> None:
    assert masked("ivan.petrov@example.ru") == "i***@example.ru"
    assert masked("") == "***"


async def test_nothing_is_sent_without_the_link_secret() -> None:
    """Every message carries signed links: without CRM_LINK_SECRET a send is refused and the sender idles."""
    unconfigured = Links("https://crm.example.ru", "")
    nothing: Any = None
    mailings = Mailings(nothing, nothing, nothing, nothing, Mailer(), unconfigured)
    with pytest.raises(FailedPrecondition) as refused:
        await mailings.send(ALICE, "any", 0)
    assert refused.value.code == "mail_links_unconfigured"
    sender = MailSender(
        nothing,
        nothing,
        nothing,
        Mailer(),
        unconfigured,
        messages_per_second=1,
        batch=1,
        interval=1,
        max_attempts=1,
        retry_seconds=1,
    )
    assert await sender.send_due() == 0
