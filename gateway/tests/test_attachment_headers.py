"""A downloaded attachment's Content-Disposition: an ASCII fallback and the real name per RFC 5987."""

from __future__ import annotations

from crm_gateway.downloads import content_disposition


def test_a_russian_name_travels_in_filename_star_with_an_ascii_fallback() -> None:
    value = content_disposition('Счёт №15 "срочно".pdf', inline=False)
    assert value.startswith('attachment; filename="')
    fallback = value.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.isascii() and fallback.endswith(".pdf")
    assert value.endswith(
        "filename*=UTF-8''%D0%A1%D1%87%D1%91%D1%82%20%E2%84%9615%20%22%D1%81%D1%80%D0%BE%D1%87%D0%BD%D0%BE%22.pdf"
    )


def test_inline_is_said_only_when_asked() -> None:
    assert content_disposition("scan.png", inline=True).startswith('inline; filename="scan.png"')


def test_header_breaking_characters_never_reach_the_fallback() -> None:
    value = content_disposition('a";\r\nb.txt', inline=False)
    assert "\r" not in value and "\n" not in value
    assert value.split('filename="', 1)[1].split('"', 1)[0] == "a____b.txt"
