"""crm_gateway.multipart: a body read as it arrives, fields and the file's bytes as events, refusals by code."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from fastapi import Request

from crm_gateway.multipart import (
    FileData,
    FileEnded,
    FileStarted,
    FormField,
    MalformedMultipart,
    multipart_boundary,
    multipart_events,
)
from crm_gateway.problems import Problem

BOUNDARY = "b0undary"


def request_of(pieces: Iterable[bytes], content_type: str = f"multipart/form-data; boundary={BOUNDARY}") -> Request:
    chunks = list(pieces)

    async def receive() -> dict[str, object]:
        body = chunks.pop(0) if chunks else b""
        return {"type": "http.request", "body": body, "more_body": bool(chunks)}

    scope = {"type": "http", "method": "POST", "path": "/", "headers": [(b"content-type", content_type.encode())]}
    return Request(scope, receive)


def form(*parts: tuple[str, bytes, str | None]) -> bytes:
    body = b""
    for name, value, filename in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + value + b"\r\n"
    return body + f"--{BOUNDARY}--\r\n".encode()


async def events_of(request: Request, fields: Iterable[str] = ("record_type", "record_id")) -> list[object]:
    return [event async for event in multipart_events(request, fields)]


async def test_fields_then_the_file_in_pieces_as_they_arrive() -> None:
    body = form(("record_type", b"deal", None), ("ignored", b"x", None), ("file", b"0123456789" * 100, "Счёт.pdf"))
    pieces = [body[i : i + 64] for i in range(0, len(body), 64)]
    events = await events_of(request_of(pieces))
    assert events[0] == FormField("record_type", "deal")
    assert events[1] == FileStarted("Счёт.pdf")
    data = [e for e in events if isinstance(e, FileData)]
    assert len(data) > 1 and b"".join(e.data for e in data) == b"0123456789" * 100
    assert events[-1] == FileEnded()


async def test_a_long_field_is_cut_short() -> None:
    events = await events_of(request_of([form(("record_id", b"x" * 10_000, None))]))
    assert events == [FormField("record_id", "x" * 300)]


async def test_a_body_that_is_not_multipart_is_415() -> None:
    with pytest.raises(Problem) as refused:
        multipart_boundary(request_of([b"{}"], "application/json"))
    assert (refused.value.status, refused.value.code) == (415, "multipart_required")


async def test_a_broken_body_is_400_where_it_breaks() -> None:
    with pytest.raises(MalformedMultipart) as refused:
        await events_of(request_of([b"this is no multipart body at all"]))
    assert (refused.value.status, refused.value.code) == (400, "malformed_multipart")
