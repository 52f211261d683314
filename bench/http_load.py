"""A load client light enough not to be the bottleneck: HTTP/1.1 keep-alive over asyncio streams.

httpx spends about 5 ms of CPU per request on this machine, so at a few hundred requests a
second the client, not the platform, fills the two cores. This client writes the request
bytes itself and reads the status line, the headers and a Content-Length body (what the
gateway answers): tens of microseconds per request. One connection per worker.

    async with Connections(url, 16, {"Authorization": "Bearer ..."}) as pool:
        seconds, latencies = await pool.run(2000, lambda i: ("GET", f"/api/v1/parties/{ids[i]}", None))
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

Request = tuple[str, str, Any]  # method, path with query, JSON body or None


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, head: bytes) -> None:
        self.reader, self.writer, self.head = reader, writer, head

    async def request(self, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        payload = b"" if body is None else json.dumps(body).encode()
        lines = f"{method} {path} HTTP/1.1\r\n".encode() + self.head
        if body is not None:
            lines += b"Content-Type: application/json\r\n"
        self.writer.write(lines + f"Content-Length: {len(payload)}\r\n\r\n".encode() + payload)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("connection closed")
        status = int(status_line.split(b" ", 2)[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        return status, await self.reader.readexactly(length) if length else b""


class Connections:
    """`size` keep-alive connections to the gateway at `url`, each sending `headers` on every request."""

    def __init__(self, url: str, size: int, headers: dict[str, str]) -> None:
        parts = urlsplit(url)
        self.host, self.port, self.size = parts.hostname or "127.0.0.1", parts.port or 80, size
        head = {"Host": f"{self.host}:{self.port}", "Accept": "application/json", **headers}
        self.head = "".join(f"{k}: {v}\r\n" for k, v in head.items()).encode()
        self.connections: list[Connection] = []

    async def __aenter__(self) -> Connections:
        for _ in range(self.size):
            reader, writer = await asyncio.open_connection(self.host, self.port)
            self.connections.append(Connection(reader, writer, self.head))
        return self

    async def __aexit__(self, *exc: object) -> None:
        for connection in self.connections:
            connection.writer.close()

    async def run(
        self,
        count: int,
        request: Callable[[int], Request],
        expect: int = 200,
        answers: list[Any] | None = None,
        rate: float = 0.0,
    ) -> tuple[float, list[float], list[str]]:
        """Send `request(i)` for i in range(count), one worker per connection; (seconds, latencies, failures).

        A status other than `expect` is a failure (the request and the answer's start, to print);
        `answers` collects the bodies of the others.
        With a `rate`, request i is sent no earlier than i / rate seconds after the start (a steady load).
        """
        latencies: list[float] = []
        failures: list[str] = []
        queue = iter(range(count))
        began = time.perf_counter()

        async def worker(connection: Connection) -> None:
            for i in queue:
                if rate:
                    await asyncio.sleep(max(0.0, began + i / rate - time.perf_counter()))
                method, path, body = request(i)
                started = time.perf_counter()
                status, raw = await connection.request(method, path, body)
                latencies.append(time.perf_counter() - started)
                if status != expect:
                    failures.append(f"{method} {path}: {status} {raw[:200]!r}")
                elif answers is not None:
                    answers.append(json.loads(raw))

        await asyncio.gather(*(worker(c) for c in self.connections))
        return time.perf_counter() - began, latencies, failures


def summary(name: str, seconds: float, latencies: list[float], failures: Sequence[str] = ()) -> dict[str, Any]:
    """Requests/s and p50/p95/p99 in ms (and failures, the first named), printed as one row."""
    q = statistics.quantiles(latencies, n=100)
    row: dict[str, Any] = {
        "rps": len(latencies) / seconds,
        "p50": q[49] * 1000,
        "p95": q[94] * 1000,
        "p99": q[98] * 1000,
    }
    print(
        f"  {name:<34} {row['rps']:>8.0f} req/s   p50 {row['p50']:7.2f} ms   p95 {row['p95']:7.2f} ms"
        f"   p99 {row['p99']:7.2f} ms"
    )
    if failures:
        row["failures"] = len(failures)
        print(f"  {'':<34} {len(failures)} failed, e.g. {failures[0]}")
    return row
