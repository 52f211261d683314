"""Signed link tokens: unsubscribe, open pixel and click."""

from __future__ import annotations

import pytest

from crm_core.links import CLICK, OPEN, UNSUBSCRIBE, InvalidLink, sign, sign_click, verify, verify_click

SECRET = "s" * 40
RECIPIENT = "7f1c9a52-3b4e-4d7a-9e1f-0c2b5a6d8e90"


def test_token_round_trips_its_value_and_is_url_safe() -> None:
    token = sign(UNSUBSCRIBE, RECIPIENT, SECRET)

    assert verify(UNSUBSCRIBE, token, SECRET) == RECIPIENT
    assert all(c.isalnum() or c in "-_." for c in token)


def test_non_ascii_values_round_trip() -> None:
    assert verify(OPEN, sign(OPEN, "получатель/1", SECRET), SECRET) == "получатель/1"


def test_an_open_token_is_not_an_unsubscribe_token() -> None:
    with pytest.raises(InvalidLink):
        verify(UNSUBSCRIBE, sign(OPEN, RECIPIENT, SECRET), SECRET)


def test_a_token_signed_with_another_secret_is_refused() -> None:
    with pytest.raises(InvalidLink):
        verify(UNSUBSCRIBE, sign(UNSUBSCRIBE, RECIPIENT, "o" * 40), SECRET)


def test_a_changed_value_is_refused() -> None:
    token = sign(UNSUBSCRIBE, RECIPIENT, SECRET)
    forged = sign(UNSUBSCRIBE, "someone-else", "o" * 40).split(".")[0] + "." + token.split(".")[1]

    with pytest.raises(InvalidLink):
        verify(UNSUBSCRIBE, forged, SECRET)


@pytest.mark.parametrize("token", ["", "abc", "abc.", ".abc", "a.b.c", "!!!.???", "YWJj.AAAA"])
def test_malformed_tokens_are_refused(token: str) -> None:
    with pytest.raises(InvalidLink):
        verify(UNSUBSCRIBE, token, SECRET)


def test_a_tampered_signature_is_refused() -> None:
    payload, signature = sign(UNSUBSCRIBE, RECIPIENT, SECRET).split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]

    with pytest.raises(InvalidLink):
        verify(UNSUBSCRIBE, f"{payload}.{flipped}", SECRET)


def test_click_token_carries_its_target_url() -> None:
    token = sign_click(RECIPIENT, "https://shop.example.ru/sale?utm=mail&id=5", SECRET)

    assert verify_click(token, SECRET) == (RECIPIENT, "https://shop.example.ru/sale?utm=mail&id=5")


def test_click_token_cannot_be_pointed_at_another_url() -> None:
    _, signature = sign_click(RECIPIENT, "https://shop.example.ru/", SECRET).split(".")
    elsewhere = sign_click(RECIPIENT, "https://evil.example.com/", "o" * 40).split(".")[0]

    with pytest.raises(InvalidLink):
        verify_click(f"{elsewhere}.{signature}", SECRET)


def test_an_unsubscribe_token_is_not_a_click_token() -> None:
    with pytest.raises(InvalidLink):
        verify_click(sign(UNSUBSCRIBE, RECIPIENT, SECRET), SECRET)


def test_a_click_token_is_signed_for_click_links_only() -> None:
    with pytest.raises(InvalidLink):
        verify(OPEN, sign_click(RECIPIENT, "https://shop.example.ru/", SECRET), SECRET)
    assert verify(CLICK, sign_click(RECIPIENT, "https://shop.example.ru/", SECRET), SECRET)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example.com", "data:text/html,x", "ftp://x"])
def test_click_links_lead_only_to_http_urls(url: str) -> None:
    with pytest.raises(ValueError, match="http"):
        sign_click(RECIPIENT, url, SECRET)


def test_signing_without_a_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="CRM_LINK_SECRET"):
        sign(UNSUBSCRIBE, RECIPIENT, "")
