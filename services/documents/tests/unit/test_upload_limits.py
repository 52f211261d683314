"""Limits while streaming: an empty, refused or oversized upload stores nothing (local store, no server)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from crm_core.errors import InvalidArgument
from crm_documents.attachments import _checked
from crm_documents.blobs import BlobTooLarge, LocalBlobStore
from crm_documents.sniffing import SNIFF_BYTES


async def chunks_of(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


async def test_a_file_over_the_limit_stops_while_streaming_and_leaves_nothing(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    sent: list[int] = []

    async def endless() -> AsyncIterator[bytes]:
        for index in range(1000):
            sent.append(index)
            yield b"a" * 65536

    found: list[str] = []
    with pytest.raises(BlobTooLarge):
        await store.put(_checked("big.txt", endless(), found), max_bytes=300_000)
    assert len(sent) < 10  # refused as the bytes passed the limit, not after reading everything
    assert stored_files(tmp_path) == []


async def test_an_empty_file_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    with pytest.raises(InvalidArgument) as refused:
        await store.put(_checked("empty.pdf", chunks_of(), []), max_bytes=1000)
    assert refused.value.code == "attachment_empty"
    assert stored_files(tmp_path) == []


async def test_a_disguised_program_is_refused_before_the_store_keeps_it(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    program = b"MZ" + b"\x00" * (SNIFF_BYTES * 2)
    with pytest.raises(InvalidArgument) as refused:
        await store.put(_checked("invoice.pdf", chunks_of(program[:1000], program[1000:]), []), max_bytes=10**7)
    assert refused.value.code == "attachment_type_refused"
    assert stored_files(tmp_path) == []


async def test_small_chunks_are_gathered_until_the_type_is_known(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    content = b"%PDF-1.4\n" + b"x" * (SNIFF_BYTES + 5000)
    found: list[str] = []
    parts = [content[i : i + 1000] for i in range(0, len(content), 1000)]
    blob = await store.put(_checked("a.pdf", chunks_of(*parts), found), max_bytes=10**7)
    assert found == ["application/pdf"]
    assert blob.size == len(content)
    assert b"".join([c async for c in store.open(blob.key)]) == content
