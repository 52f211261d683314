"""Reading incoming e-mail: Russian encodings, HTML-only bodies, quotes, files, and what is not a person's mail."""

from __future__ import annotations

import base64
import random
from email.message import EmailMessage

import pytest

from crm_core.errors import InvalidArgument
from crm_helpdesk.mail_intake import MAX_EMAIL_BYTES, classify, clean_subject, parse_email
from crm_helpdesk.mail_text import cut_quoted, html_to_text


def raw(headers: str, body: bytes = b"Hello", *, charset: str = "") -> bytes:
    head = headers.strip().replace("\n", "\r\n")
    if charset:
        head += f"\r\nContent-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: 8bit"
    return head.encode() + b"\r\n\r\n" + body


PLAIN = "From: =?utf-8?B?0JjQstCw0L0g0J/QtdGC0YDQvtCy?= <Ivan@Example.RU>\nTo: support@crm.example\n"


def test_sender_subject_and_ids_are_read_and_an_encoded_russian_subject_decoded() -> None:
    subject = "=?utf-8?B?" + base64.b64encode("Не работает вход".encode()).decode() + "?="
    email = parse_email(
        raw(
            PLAIN + f"Cc: Anna <anna@example.ru>, bad address\nSubject: {subject}\nMessage-ID: <m1@example.ru>\n"
            "In-Reply-To: <ticket-msg-1@crm.example>\nReferences: <a@x> <ticket-msg-1@crm.example>"
        )
    )
    assert (email.sender, email.sender_name) == ("ivan@example.ru", "Иван Петров")
    assert email.to == ("support@crm.example",)
    assert email.cc == ("anna@example.ru",)
    assert email.subject == "Не работает вход"
    assert email.message_id == "<m1@example.ru>"
    assert email.in_reply_to == ("<ticket-msg-1@crm.example>",)
    assert email.thread_ids == ("<ticket-msg-1@crm.example>", "<a@x>")
    assert email.message_key == "<m1@example.ru>"


@pytest.mark.parametrize("charset", ["koi8-r", "cp1251", "windows-1251"])
def test_a_cyrillic_body_in_its_declared_code_page_is_read(charset: str) -> None:
    text = "Здравствуйте, у нас не печатается счёт."
    email = parse_email(raw(PLAIN + "Subject: x", text.encode(charset), charset=charset))
    assert email.body == text


@pytest.mark.parametrize("encoding", ["koi8-r", "cp1251"])
def test_a_cyrillic_body_with_a_wrong_or_unknown_charset_is_still_read(encoding: str) -> None:
    text = "Добрый день, заявка не создаётся"
    for declared in ("utf-8", "x-unknown-charset"):
        email = parse_email(raw(PLAIN + "Subject: x", text.encode(encoding), charset=declared))
        assert email.body == text


def test_an_unencoded_8bit_russian_subject_is_read() -> None:
    message = PLAIN.encode() + "Subject: Счёт не пришёл\r\n\r\nтекст".encode("cp1251")
    assert parse_email(message).subject == "Счёт не пришёл"


def test_an_html_only_message_becomes_text_with_paragraphs_and_no_markup() -> None:
    message = EmailMessage()
    message["From"] = "ivan@example.ru"
    message["Subject"] = "html"
    message.set_content(
        "<html><head><style>p{color:red}</style><title>t</title></head><body>"
        "<p>Первый абзац &amp; <b>жирный</b></p><script>alert(1)</script><p>Второй<br>строка</p></body></html>",
        subtype="html",
    )
    assert parse_email(message.as_bytes()).body == "Первый абзац & жирный\n\nВторой\nстрока"


def test_multipart_alternative_prefers_the_plain_text_and_the_html_is_not_a_file() -> None:
    message = EmailMessage()
    message["From"] = "ivan@example.ru"
    message.set_content("plain text")
    message.add_alternative("<p>html text</p>", subtype="html")
    email = parse_email(message.as_bytes())
    assert (email.body, email.attachments) == ("plain text", ())


def test_files_in_nested_multiparts_are_found_with_their_decoded_names() -> None:
    message = EmailMessage()
    message["From"] = "ivan@example.ru"
    message.set_content("see the files")
    message.add_alternative("<p>see the files <img src='cid:logo'></p>", subtype="html")
    html = message.get_payload()[1]  # type: ignore[index]
    html.add_related(b"\x89PNG\r\n\x1a\nlogo", maintype="image", subtype="png", cid="<logo>")
    message.add_attachment(b"%PDF-1.4 data", maintype="application", subtype="pdf", filename="Счёт №5.pdf")
    email = parse_email(message.as_bytes())
    assert email.body == "see the files"
    files = {a.filename: (a.content_type, a.data) for a in email.attachments}
    assert files["Счёт №5.pdf"] == ("application/pdf", b"%PDF-1.4 data")
    assert ("image/png", b"\x89PNG\r\n\x1a\nlogo") in files.values()


def test_an_rfc2047_encoded_filename_in_quotes_is_decoded_and_folders_are_dropped() -> None:
    name = "=?utf-8?B?" + base64.b64encode("Акт сверки.xlsx".encode()).decode() + "?="
    message = raw(
        PLAIN + 'Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"',
        (
            "--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n"
            f'--b\r\nContent-Type: application/octet-stream; name="{name}"\r\n'
            f'Content-Disposition: attachment; filename="../../{name}"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--b--\r\n"
        ).encode(),
    )
    (attachment,) = parse_email(message).attachments
    assert (attachment.filename, attachment.data) == ("Акт сверки.xlsx", b"\x00\x01\x02")


def test_a_forwarded_message_is_kept_as_an_eml_file_and_read_when_there_is_no_other_text() -> None:
    forwarded = EmailMessage()
    forwarded["From"] = "client@example.ru"
    forwarded["Subject"] = "Оригинал"
    forwarded.set_content("Текст исходного письма")
    message = EmailMessage()
    message["From"] = "ivan@example.ru"
    message["Subject"] = "Fwd: Оригинал"
    message.make_mixed()
    message.attach(_rfc822(forwarded))
    email = parse_email(message.as_bytes())
    (attachment,) = email.attachments
    assert attachment.filename == "Оригинал.eml"
    assert b"client@example.ru" in attachment.data
    assert "Текст исходного письма" in email.body


def _rfc822(inner: EmailMessage) -> EmailMessage:
    part = EmailMessage()
    part.set_content(inner)
    return part


def test_the_quoted_previous_message_is_cut_after_an_english_or_russian_attribution() -> None:
    english = (
        "Thanks, it works now.\n\nOn Mon, 7 Dec 2026 at 10:00, Support <s@crm.example> wrote:\n> Try again\n> please"
    )
    russian = "Спасибо!\n\n7 дек. 2026 г., в 10:00, Поддержка написал(а):\n\n> Попробуйте ещё раз"
    wrapped = "Ok\nOn Mon, 7 Dec 2026 at 10:00, Support Team\n<s@crm.example> wrote:\n> quoted"
    assert cut_quoted(english) == "Thanks, it works now."
    assert cut_quoted(russian) == "Спасибо!"
    assert cut_quoted(wrapped) == "Ok"
    assert cut_quoted("I wrote: this is not a quote\nand goes on") == "I wrote: this is not a quote\nand goes on"


def test_a_quote_in_html_blockquote_is_cut_too() -> None:
    html = (
        "<div>Ответ клиента</div><div class='gmail_quote'><div>пн, 7 дек. 2026 г. в 10:00, Поддержка"
        " &lt;s@crm.example&gt;:</div><blockquote><p>Старый текст</p></blockquote></div>"
    )
    assert html_to_text(html).splitlines()[-1] == "> Старый текст"
    assert cut_quoted(html_to_text(html)).startswith("Ответ клиента")
    assert "Старый текст" not in cut_quoted(html_to_text(html))


@pytest.mark.parametrize(
    ("subject", "topic"),
    [
        ("Re: RE: Fwd: Счёт", "Счёт"),
        ("Ответ: На: Заявка", "Заявка"),
        ("RE[2]: AW: [#1024-k3j9xq] Вход", "Вход"),
        ("Regarding the contract", "Regarding the contract"),
    ],
)
def test_reply_prefixes_and_the_token_are_stripped_for_a_new_ticket(subject: str, topic: str) -> None:
    assert clean_subject(subject) == topic


def test_the_ticket_token_is_found_in_the_subject() -> None:
    email = parse_email(raw(PLAIN + "Subject: Re: [#1024-K3J9XQ] Вход"))
    assert email.token == (1024, "k3j9xq")
    assert parse_email(raw(PLAIN + "Subject: [#12] no token")).token is None


@pytest.mark.parametrize(
    "headers",
    [
        "Auto-Submitted: auto-replied",
        "Auto-Submitted: auto-generated",
        "X-Autoreply: yes",
        "X-Autorespond: Out of office",
        "Precedence: bulk",
        "Precedence: auto_reply",
        "Precedence: list",
        "Precedence: junk",
        "Subject: Автоответ: Не работает вход",
        "Subject: Out of Office: back on Monday",
    ],
)
def test_auto_replies_are_recognised(headers: str) -> None:
    assert classify(parse_email(raw(PLAIN + headers))) == "auto_reply"


@pytest.mark.parametrize(
    "headers",
    ["Auto-Submitted: no", "X-Auto-Response-Suppress: All", "Precedence: first-class", "Subject: Автомобиль"],
)
def test_a_person_s_message_is_not_an_auto_reply(headers: str) -> None:
    assert classify(parse_email(raw(PLAIN + headers))) == ""


def test_bounces_are_recognised_by_report_sender_or_empty_return_path() -> None:
    report = raw(
        "From: Mail System <MAILER-DAEMON@mx.example>\nSubject: Undelivered\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
        b"--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--b--\r\n",
    )
    assert classify(parse_email(report)) == "bounce"
    report_from_person = raw(
        PLAIN + 'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
        b"--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--b--\r\n",
    )
    assert classify(parse_email(report_from_person)) == "bounce"
    assert classify(parse_email(raw("From: postmaster@mx.example\nSubject: x"))) == "bounce"
    assert classify(parse_email(raw("Return-Path: <>\n" + PLAIN))) == "bounce"


def test_our_own_notification_coming_back_is_a_loop() -> None:
    assert classify(parse_email(raw(PLAIN + "X-CRM-Helpdesk: 1024"))) == "loop"
    ours = raw(PLAIN + "Message-ID: <ticket-msg-5@crm.example>")
    assert classify(parse_email(ours), "crm.example") == "loop"
    assert classify(parse_email(ours), "other.example") == ""
    assert classify(parse_email(raw(PLAIN + "In-Reply-To: <ticket-msg-5@crm.example>")), "crm.example") == ""


def test_a_message_without_message_id_is_keyed_by_its_hash() -> None:
    first = parse_email(raw(PLAIN + "Subject: a"))
    assert first.message_id == ""
    assert first.message_key.startswith("sha256:")
    assert first.message_key == parse_email(raw(PLAIN + "Subject: a")).message_key
    assert first.message_key != parse_email(raw(PLAIN + "Subject: b")).message_key


@pytest.mark.parametrize(
    "message",
    [b"", b"   \r\n", b"just some text without headers", b"Subject: no sender\r\n\r\nbody", b"From: nobody\r\n\r\nx"],
)
def test_a_message_without_headers_or_sender_is_malformed(message: bytes) -> None:
    with pytest.raises(InvalidArgument) as info:
        parse_email(message)
    assert info.value.code == "email_malformed"


def test_a_message_over_25_mb_is_refused_before_it_is_parsed() -> None:
    with pytest.raises(InvalidArgument) as info:
        parse_email(raw(PLAIN, b"x" * (MAX_EMAIL_BYTES + 1)))
    assert info.value.code == "email_too_large"


def test_garbage_headers_and_a_broken_mime_structure_still_give_the_text() -> None:
    message = (
        b"From: \xff\xfe Broken <ivan@example.ru>\r\nSubject: =?bogus?Q?x?=\r\nMessage-ID: not-an-id\r\n"
        b'Content-Type: multipart/mixed; boundary="never"\r\nDate: yesterday\r\n\r\nplain words, no parts'
    )
    email = parse_email(message)
    assert email.sender == "ivan@example.ru"
    assert "plain words" in email.body
    assert email.message_id == ""


def test_mangled_messages_are_read_or_refused_as_malformed_never_an_error() -> None:
    """Random damage to a real multipart message (with an encoded name, HTML, a file and a forward): every
    result is a message or `email_malformed`, with no NUL in any text."""

    forwarded = EmailMessage()
    forwarded["From"] = "client@example.ru"
    forwarded["Subject"] = "Оригинал"
    forwarded.set_content("Текст")
    message = EmailMessage()
    message["From"] = "Иван <ivan@example.ru>"
    message["Subject"] = "Тема"
    message.set_content("Текст\n> цитата")
    message.add_alternative("<p>x</p><blockquote>y</blockquote>", subtype="html")
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="ф.pdf")
    message.attach(_rfc822(forwarded))
    original = message.as_bytes()
    chance = random.Random(7)
    for _ in range(500):
        data = bytearray(original)
        for _ in range(chance.randint(1, 25)):
            data[chance.randrange(len(data))] = chance.randrange(256)
        try:
            email = parse_email(bytes(data))
        except InvalidArgument as exc:
            assert exc.code == "email_malformed"
            continue
        classify(email, "crm.example")
        texts = [email.subject, email.sender, email.sender_name, email.body, *(a.filename for a in email.attachments)]
        assert not any("\x00" in text for text in texts)
