"""A file a service streams (a server-streaming RPC of chunks), passed on to the client as it comes.

The service's first message names the file (filename, content type) and carries the first bytes; a refusal
(not found, no access) arrives before any byte, so it is still answered as a problem. The gateway never
holds the whole file. Files are sent as attachments with `X-Content-Type-Options: nosniff`; `inline` shows
a PDF or an image in the browser, under a sandboxing Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import grpc
from fastapi.responses import StreamingResponse

from crm_gateway.clients import ServiceCall
from crm_gateway.problems import Problem, problem_from_grpc

# What may be shown inline: the browser renders these itself, no script runs.
INLINE_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp")


def content_disposition(filename: str, inline: bool = False) -> str:
    """`attachment` (or `inline`) with an ASCII fallback name and the real one in RFC 5987's filename*
    (UTF-8, percent-encoded: any script, and no header injection)."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\;' else "_" for c in filename) or "file"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


async def stream_file(
    call: ServiceCall, service: str, method: str, request: Any, *, inline: bool = False, timeout: float = 60
) -> StreamingResponse:
    """The file `service`.`method`(request) streams, as an HTTP response (problems for a refusal)."""
    stub = call.clients.stubs[service]
    stream = getattr(stub, method)(request, metadata=call.metadata, timeout=max(call.deadline, timeout))
    try:
        first = await stream.read()
    except grpc.aio.AioRpcError as error:
        raise problem_from_grpc(error, service) from error
    if first is grpc.aio.EOF:
        raise Problem(500, "internal_error", "The request failed; it has been logged.")

    async def body() -> AsyncIterator[bytes]:
        yield first.data
        while (chunk := await stream.read()) is not grpc.aio.EOF:
            yield chunk.data

    shown = inline and first.content_type in INLINE_TYPES
    headers = {
        "Content-Disposition": content_disposition(first.filename, shown),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    }
    if shown:
        headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    return StreamingResponse(body(), media_type=first.content_type or "application/octet-stream", headers=headers)
