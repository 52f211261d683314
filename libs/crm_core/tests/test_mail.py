"""Sending mail through a real SMTP server (aiosmtpd, the `smtp_server` fixture)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from pydantic import ValidationError

from crm_core.launcher import free_port
from crm_core.mail import Mailer, MailSettings, PermanentMailError, TemporaryMailError, build_message
from crm_core.testing import SmtpServer

UNSUBSCRIBE = "https://crm.example.ru/u/abc.def"


def campaign_message(to: str = "Иван Петров <ivan@example.ru>") -> EmailMessage:
    return build_message(
        sender="Отдел продаж <sales@example.ru>",
        to=to,
        subject="Скидка 20% для «Ромашки»",
        text="Здравствуйте, Иван!\nСкидка действует до пятницы.",
        html="<p>Здравствуйте, <b>Иван</b>!</p>",
        unsubscribe_url=UNSUBSCRIBE,
        unsubscribe_mailto="unsubscribe@example.ru",
        headers={"X-CRM-Mailing": "m-1"},
    )


async def test_sent_message_arrives_with_decoded_cyrillic_headers_both_alternatives_and_unsubscribe_headers(
    smtp_server: SmtpServer,
) -> None:
    message = campaign_message()

    message_id = await Mailer(smtp_server.settings()).send(message)

    [received] = smtp_server.messages
    assert received["Subject"] == "Скидка 20% для «Ромашки»"
    assert received["From"] == "Отдел продаж <sales@example.ru>"
    assert received["To"].addresses[0].display_name == "Иван Петров"
    assert received["Message-ID"] == message_id and message_id.endswith("@example.ru>")
    # A long header may be folded before its first token; unfolded, its value is the same.
    assert received["List-Unsubscribe"].strip() == f"<{UNSUBSCRIBE}>, <mailto:unsubscribe@example.ru>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert received["X-CRM-Mailing"] == "m-1"
    assert received.get_content_type() == "multipart/alternative"
    text = received.get_body(("plain",))
    html = received.get_body(("html",))
    assert text is not None and html is not None
    assert "Скидка действует до пятницы." in text.get_content()
    assert "<b>Иван</b>" in html.get_content()
    assert smtp_server.envelopes == [("sales@example.ru", ["ivan@example.ru"])]


async def test_headers_travel_encoded_so_any_server_accepts_them(smtp_server: SmtpServer) -> None:
    message = campaign_message()
    raw = message.as_bytes()
    header_block = raw.split(b"\n\n", 1)[0]
    assert header_block.isascii()  # RFC 2047 encoded words, not raw UTF-8
    assert b"=?utf-8?" in header_block


def test_message_without_unsubscribe_has_no_list_headers_and_only_text() -> None:
    message = build_message(sender="crm@example.ru", to="anna@example.ru", subject="Счёт", text="Во вложении")
    assert "List-Unsubscribe" not in message and "List-Unsubscribe-Post" not in message
    assert message.get_content_type() == "text/plain"


def test_subject_with_newlines_becomes_one_line() -> None:
    message = build_message(
        sender="crm@example.ru", to="anna@example.ru", subject="Привет\r\nBcc: victim@example.ru", text="."
    )
    assert message["Subject"] == "Привет Bcc: victim@example.ru"
    assert "Bcc" not in message


async def test_mailer_fills_from_and_message_id_from_settings(smtp_server: SmtpServer) -> None:
    message = build_message(sender="crm@example.ru", to="anna@example.ru", subject="s", text="t")
    del message["From"], message["Message-ID"]

    message_id = await Mailer(smtp_server.settings(mail_from="ЦРМ <noreply@crm.example.ru>")).send(message)

    [received] = smtp_server.messages
    assert received["From"] == "ЦРМ <noreply@crm.example.ru>"
    assert message_id.endswith("@crm.example.ru>")


async def test_recipient_the_server_refuses_with_550_is_a_permanent_failure(smtp_server: SmtpServer) -> None:
    smtp_server.refuse("ghost@example.ru")

    with pytest.raises(PermanentMailError) as info:
        await Mailer(smtp_server.settings()).send(campaign_message("ghost@example.ru"))

    assert info.value.code == 550
    assert info.value.recipients == ("ghost@example.ru",)
    assert smtp_server.messages == []


async def test_recipient_refused_with_4xx_is_a_temporary_failure(smtp_server: SmtpServer) -> None:
    smtp_server.refuse("busy@example.ru", 451, "4.7.1 Greylisted, try again later")

    with pytest.raises(TemporaryMailError) as info:
        await Mailer(smtp_server.settings()).send(campaign_message("busy@example.ru"))

    assert info.value.code == 451


async def test_closed_port_is_a_temporary_failure() -> None:
    settings = MailSettings(smtp_host="127.0.0.1", smtp_port=free_port(), smtp_timeout=2)

    with pytest.raises(TemporaryMailError, match=r"cannot send through 127\.0\.0\.1"):
        await Mailer(settings).send(campaign_message())


async def test_starttls_required_by_settings_but_not_offered_is_a_temporary_failure(smtp_server: SmtpServer) -> None:
    with pytest.raises(TemporaryMailError):
        await Mailer(smtp_server.settings(smtp_starttls=True)).send(campaign_message())
    assert smtp_server.messages == []


def test_settings_read_the_environment_and_default_to_the_local_sink(monkeypatch: pytest.MonkeyPatch) -> None:
    assert MailSettings().smtp_port == 8025 and MailSettings().smtp_host == "127.0.0.1"
    monkeypatch.setenv("CRM_SMTP_HOST", "smtp.example.ru")
    monkeypatch.setenv("CRM_SMTP_PORT", "587")
    monkeypatch.setenv("CRM_SMTP_STARTTLS", "true")
    monkeypatch.setenv("CRM_SMTP_USERNAME", "crm")
    monkeypatch.setenv("CRM_SMTP_PASSWORD", "s3cret")
    monkeypatch.setenv("CRM_MAIL_FROM", "Компания <crm@example.ru>")
    settings = MailSettings()
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_starttls) == ("smtp.example.ru", 587, True)
    assert settings.mail_from == "Компания <crm@example.ru>" and not settings.is_local
    assert "s3cret" not in repr(settings)


@pytest.mark.parametrize(
    "overrides",
    [
        {"smtp_starttls": True, "smtp_tls": True},
        {"smtp_username": "crm"},
        {"mail_from": "not an address"},
    ],
)
def test_settings_refuse_contradictions_and_a_from_that_is_no_address(overrides: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        MailSettings(**overrides)


async def test_a_domain_in_cyrillic_travels_in_its_idna_form(smtp_server: SmtpServer) -> None:
    message = build_message(sender="crm@example.ru", to="Иван <ivan@пример.рф>", subject="Тест", text="Текст")

    await Mailer(smtp_server.settings()).send(message)

    assert smtp_server.envelopes == [("crm@example.ru", ["ivan@xn--e1afmkfd.xn--p1ai"])]


@pytest.mark.parametrize("address", ["иван@пример.рф", "two@example.ru, three@example.ru", "no-at-sign", ""])
def test_an_address_that_cannot_be_sent_to_is_refused_when_building(address: str) -> None:
    with pytest.raises(ValueError):
        build_message(sender="crm@example.ru", to=address, subject="s", text="t")


async def test_one_recipient_refused_among_accepted_ones_is_permanent_so_nobody_gets_it_twice(
    smtp_server: SmtpServer,
) -> None:
    smtp_server.refuse("busy@example.ru", 451, "4.7.1 Try later")
    message = build_message(sender="crm@example.ru", to="anna@example.ru", subject="s", text="t")
    message["Cc"] = "busy@example.ru"

    with pytest.raises(PermanentMailError) as info:
        await Mailer(smtp_server.settings()).send(message)

    assert info.value.recipients == ("busy@example.ru",)
    assert smtp_server.envelopes == [("crm@example.ru", ["anna@example.ru"])]


def test_the_smtp_password_may_come_from_a_secret_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "CRM_SMTP_USERNAME").write_text("crm")
    (tmp_path / "CRM_SMTP_PASSWORD").write_text("from-a-file")
    monkeypatch.setenv("CRM_SECRETS_DIR", str(tmp_path))

    assert MailSettings().smtp_password == "from-a-file"
