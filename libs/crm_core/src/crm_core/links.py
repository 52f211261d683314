"""Signed values for the public links of e-mails: unsubscribe, open pixel, click.

A token is `<payload>.<signature>`, both URL-safe base64 without padding: the
payload is the value (a recipient id, or a recipient id and a target URL), the
signature HMAC-SHA256 over the kind and the payload with CRM_LINK_SECRET. The
kind is signed, not written: an open-pixel token presented to the unsubscribe
endpoint fails verification. Tokens do not expire, because an unsubscribe link
in a mail read years later must still work. A click token carries its target,
so the click endpoint redirects only where a signed mail pointed, never to a URL
a stranger puts in a query string (no open redirect).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json

UNSUBSCRIBE = "unsubscribe"
OPEN = "open"
CLICK = "click"


class InvalidLink(ValueError):
    """A token that was not signed with this secret for this kind (forged, altered, truncated, other kind)."""


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise InvalidLink("malformed link token") from exc


def _signature(kind: str, payload: bytes, secret: str) -> bytes:
    if not secret:
        raise ValueError("the link secret is not set (CRM_LINK_SECRET)")
    if not kind or "\0" in kind:
        raise ValueError(f"bad link kind: {kind!r}")
    # The kind and a separator come first, so no (kind, payload) pair signs like another one.
    return hmac.new(secret.encode(), kind.encode() + b"\0" + payload, hashlib.sha256).digest()


def sign(kind: str, value: str, secret: str) -> str:
    """A URL-safe token that carries `value` and proves it was issued for `kind` by the holder of `secret`."""
    payload = value.encode()
    return f"{_encode(payload)}.{_encode(_signature(kind, payload, secret))}"


def verify(kind: str, token: str, secret: str) -> str:
    """The value `token` carries; InvalidLink unless it was signed for `kind` with `secret`."""
    encoded, dot, signature = token.partition(".")
    if not dot or not encoded or not signature:
        raise InvalidLink("malformed link token")
    payload = _decode(encoded)
    if not hmac.compare_digest(_decode(signature), _signature(kind, payload, secret)):
        raise InvalidLink(f"not a valid {kind} link")
    try:
        return payload.decode()
    except UnicodeDecodeError as exc:  # unreachable with a good signature; kept so a bug never passes bytes on
        raise InvalidLink("malformed link token") from exc


def sign_click(value: str, url: str, secret: str) -> str:
    """A click token for `value` (the recipient) that carries the target `url` (http or https only)."""
    if not url.lower().startswith(("http://", "https://")):
        raise ValueError(f"a click link must lead to an http(s) URL, not {url!r}")
    return sign(CLICK, json.dumps([value, url], ensure_ascii=False, separators=(",", ":")), secret)


def verify_click(token: str, secret: str) -> tuple[str, str]:
    """(value, target URL) of a click token; InvalidLink unless it is a click token signed with `secret`."""
    try:
        value, url = json.loads(verify(CLICK, token, secret))
    except (ValueError, TypeError) as exc:
        if isinstance(exc, InvalidLink):
            raise
        raise InvalidLink("malformed click token") from exc
    return str(value), str(url)
