"""multipart/form-data bodies read as they arrive: form fields and one file's bytes, never the whole body.

An upload route (imports, attachments) iterates `multipart_events(request, fields)`:
a `FormField` when a named text field ends (text fields are capped, and only the
named ones are kept), `FileStarted` when the `file` part begins, `FileData` with
the file's bytes as they come, `FileEnded` after it. The route sends the bytes
on to its service in chunks, so the gateway holds at most one chunk. A body that
is not multipart is 415 `multipart_required`; one that cannot be parsed is
MalformedMultipart (400 `malformed_multipart`), raised where the damage is found,
so a route can drop what it started before answering.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

from fastapi import Request
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from crm_gateway.problems import Problem

# Characters of a form field kept (the fields of an upload are ids and names).
MAX_FIELD = 300
# What a multipart body adds around its file, at most: for refusing by Content-Length before reading.
ENVELOPE = 16 * 1024


@dataclass(frozen=True)
class FormField:
    name: str
    value: str


@dataclass(frozen=True)
class FileStarted:
    filename: str


@dataclass(frozen=True)
class FileData:
    data: bytes


@dataclass(frozen=True)
class FileEnded:
    pass


Event = FormField | FileStarted | FileData | FileEnded


class MalformedMultipart(Problem):
    """The body is not well-formed multipart (400 `malformed_multipart`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(400, "malformed_multipart", f"the multipart body cannot be read: {reason}"[:300])


def multipart_boundary(request: Request, what: str = "the file") -> bytes:
    """The body's boundary; 415 `multipart_required` for anything but multipart/form-data."""
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise Problem(415, "multipart_required", f"send {what} as multipart/form-data (field `file`)")
    return boundary


def content_length(request: Request) -> int:
    """The declared body length (0 when absent or unreadable)."""
    try:
        return max(0, int(request.headers.get("content-length") or 0))
    except ValueError:
        return 0


class _Collector:
    """python-multipart's callbacks turned into events, gathered per piece of body and handed out after it."""

    def __init__(self, fields: frozenset[str], file_field: str) -> None:
        self.fields = fields
        self.file_field = file_field
        self.events: list[Event] = []
        self.headers: dict[str, str] = {}
        self.header_name = b""
        self.part = ""
        self.is_file = False
        self.value = bytearray()

    def callbacks(self) -> dict[str, object]:
        def on_part_begin() -> None:
            self.headers, self.part, self.is_file, self.value = {}, "", False, bytearray()

        def on_header_field(data: bytes, start: int, end: int) -> None:
            self.header_name += data[start:end]

        def on_header_value(data: bytes, start: int, end: int) -> None:
            name = self.header_name.decode("latin-1").lower()
            self.headers[name] = self.headers.get(name, "") + data[start:end].decode("utf-8", "replace")

        def on_header_end() -> None:
            self.header_name = b""

        def on_headers_finished() -> None:
            _, options = parse_options_header(self.headers.get("content-disposition", "").encode())
            self.part = options.get(b"name", b"").decode("utf-8", "replace")
            if self.part == self.file_field:
                self.is_file = True
                self.events.append(FileStarted(options.get(b"filename", b"").decode("utf-8", "replace")))

        def on_part_data(data: bytes, start: int, end: int) -> None:
            if self.is_file:
                self.events.append(FileData(bytes(data[start:end])))
            elif self.part in self.fields and len(self.value) < MAX_FIELD * 4:
                self.value += data[start:end]

        def on_part_end() -> None:
            if self.is_file:
                self.events.append(FileEnded())
            elif self.part in self.fields:
                value = self.value.decode("utf-8", "replace").strip()[:MAX_FIELD]
                self.events.append(FormField(self.part, value))

        return {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        }

    def take(self) -> list[Event]:
        events, self.events = self.events, []
        return events


async def multipart_events(request: Request, fields: Iterable[str], file_field: str = "file") -> AsyncIterator[Event]:
    """The body's events in order (see the module's docstring); MalformedMultipart where it breaks."""
    collector = _Collector(frozenset(fields), file_field)
    parser = MultipartParser(multipart_boundary(request), collector.callbacks())  # type: ignore[arg-type]
    try:
        async for data in request.stream():
            parser.write(data)
            for event in collector.take():
                yield event
        parser.finalize()
    except MultipartParseError as exc:
        raise MalformedMultipart(str(exc)) from exc
    for event in collector.take():
        yield event


async def rechunked(data: AsyncIterator[bytes], size: int) -> AsyncIterator[bytes]:
    """The bytes in chunks of `size` (the last one shorter)."""
    buffer = bytearray()
    async for piece in data:
        buffer += piece
        while len(buffer) >= size:
            yield bytes(buffer[:size])
            del buffer[:size]
    if buffer:
        yield bytes(buffer)
