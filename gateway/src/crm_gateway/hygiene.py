"""Text and JSON no request carries past the edge (pure ASGI, before routing).

A NUL character or a lone surrogate in the path, the query string, a header
or a JSON body answers 422 invalid_text naming where: PostgreSQL stores
neither, and a 500 is the wrong answer to bad input. A JSON body that is not
UTF-8, holds NaN/Infinity, or nests deeper than 64 levels answers 400
malformed_json before anything parses it: Python's json recurses once per
level, and FastAPI turns the RecursionError into a 400 http_error.

Only bodies of JSON media types are read; the others (YAML process
definitions) pass untouched and their service checks what it parses. The
common case costs a few substring searches: a JSON body is parsed here only
when it holds an escape that may decode to bad text.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crm_core.untrusted import MAX_DEPTH, TEXT_MESSAGE, bad_text_paths, has_bad_text, printable, scan_json
from crm_gateway.problems import problem_response


class InputHygieneMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        places = _bad_text_outside_body(scope)
        if places:
            await invalid_text(places)(scope, receive, send)
            return
        if not is_json(Headers(scope=scope).get("content-type", "")):
            await self.app(scope, receive, send)
            return
        body, complete = await _read_body(receive)
        if not complete:  # the client went away while sending
            return
        refusal = json_body_problem(body)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


def is_json(content_type: str) -> bool:
    """application/json and application/*+json: the bodies FastAPI parses as JSON."""
    media = content_type.split(";", 1)[0].strip().lower()
    kind, _, subtype = media.partition("/")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


def _bad_text_outside_body(scope: Scope) -> list[str]:
    """path, query.<name> and header.<name> holding bad text (the query string only when it has a %00)."""
    places = ["path"] if has_bad_text(scope["path"]) else []
    query: bytes = scope.get("query_string", b"")
    if b"%00" in query or b"\x00" in query:
        # As Starlette decodes it: invalid UTF-8 becomes U+FFFD, so only NUL can be left.
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            place = f"query.{printable(name)}"
            if (has_bad_text(name) or has_bad_text(value)) and place not in places:
                places.append(place)
    places += [f"header.{name.decode('latin-1')}" for name, value in scope["headers"] if b"\x00" in value]
    return places


def json_body_problem(body: bytes) -> Response | None:
    """The problem response for a JSON body nothing should parse or store; None when it may go on."""
    if not body:
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return malformed_json("not_utf8", "The request body is not UTF-8 text.")
    scan = scan_json(text)
    if scan.too_deep:
        return malformed_json("too_deep", f"The request body nests deeper than {MAX_DEPTH} levels.")
    if scan.non_standard:
        return malformed_json("not_json", "NaN and Infinity are not JSON numbers.")
    if scan.bad_escapes:
        try:
            document = json.loads(text)  # at most MAX_DEPTH deep: the scan said so
        except ValueError:
            return None  # FastAPI answers malformed_json with the position
        paths = bad_text_paths(document, max_nodes=len(text) + 1)  # JSON has no aliases: nodes <= characters
        if paths:
            return invalid_text([path or "body" for path in paths])  # "": the body is a bare string
    return None


def invalid_text(places: list[str]) -> Response:
    errors = [{"field": place, "code": "invalid_text", "message": TEXT_MESSAGE} for place in places]
    return problem_response(422, "invalid_text", f"{places[0]}: {TEXT_MESSAGE}", errors)


def malformed_json(reason: str, detail: str) -> Response:
    return problem_response(400, "malformed_json", detail, [{"field": "body", "code": reason, "message": detail}])


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    """The whole request body, and False when the client disconnected first."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"", False
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), True


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the body read here once, then waits on the client as before (for disconnects)."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if delivered:
            return await receive()
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
