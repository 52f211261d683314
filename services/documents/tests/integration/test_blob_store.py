"""The blob store's contract, held by the local folder and by a real S3-compatible server (s3rver) alike."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import boto3
import pytest

from crm_documents.blobs import (
    BlobNotFound,
    BlobStore,
    BlobStoreUnavailable,
    BlobTooLarge,
    LocalBlobStore,
    S3BlobStore,
    S3Config,
)

# A small part size, so a few hundred kilobytes make a multipart upload of several parts.
S3_TEST_PART = 5 * 1024 * 1024


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    if request.param == "local":
        return LocalBlobStore(tmp_path / "blobs")
    config: S3Config = request.getfixturevalue("s3_server")
    return S3BlobStore(config, part_size=S3_TEST_PART)


async def chunks_of(data: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def read_all(store: BlobStore, key: str) -> bytes:
    return b"".join([chunk async for chunk in store.open(key)])


def leftovers(store: BlobStore) -> list[str]:
    """Everything the store holds: files of the folder (temporary ones too), or objects of the bucket.

    (s3rver implements neither ListMultipartUploads nor AbortMultipartUpload: a failed multipart upload's parts
    are not visible there, so the S3 side checks that no object appeared.)
    """
    if isinstance(store, LocalBlobStore):
        return [str(p) for p in store.root.rglob("*") if p.is_file()] if store.root.exists() else []
    assert isinstance(store, S3BlobStore)
    return [o["Key"] for o in store.client.list_objects_v2(Bucket=store.bucket).get("Contents", [])]


@pytest.fixture(autouse=True)
def empty_bucket(request: pytest.FixtureRequest) -> None:
    """Each S3 test starts on an empty bucket (the server lives for the session)."""
    if "s3" not in request.node.name:
        return
    config: S3Config = request.getfixturevalue("s3_server")
    client = boto3.client(
        "s3", endpoint_url=config.endpoint, aws_access_key_id=config.access_key,
        aws_secret_access_key=config.secret_key, region_name=config.region,
    )  # fmt: skip
    for item in client.list_objects_v2(Bucket=config.bucket).get("Contents", []):
        client.delete_object(Bucket=config.bucket, Key=item["Key"])


async def test_put_returns_key_size_and_sha256_and_open_gives_the_bytes_back(store: BlobStore) -> None:
    data = os.urandom(12 * 1024 * 1024 + 123)  # more than two S3 parts
    blob = await store.put(chunks_of(data, 1024 * 1024), max_bytes=20 * 1024 * 1024)
    assert blob.size == len(data)
    assert blob.sha256 == hashlib.sha256(data).hexdigest()
    assert await read_all(store, blob.key) == data


async def test_two_puts_of_the_same_bytes_are_two_blobs(store: BlobStore) -> None:
    first = await store.put(chunks_of(b"same"), max_bytes=100)
    second = await store.put(chunks_of(b"same"), max_bytes=100)
    assert first.key != second.key
    assert first.sha256 == second.sha256


async def test_passing_the_limit_raises_and_keeps_nothing(store: BlobStore) -> None:
    with pytest.raises(BlobTooLarge):
        await store.put(chunks_of(b"x" * (6 * 1024 * 1024)), max_bytes=5 * 1024 * 1024 + 10)
    assert leftovers(store) == []


async def test_a_source_that_fails_midway_keeps_nothing(store: BlobStore) -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield b"a" * (6 * 1024 * 1024)  # a whole part already sent to S3
        raise ConnectionResetError("the client went away")

    with pytest.raises(ConnectionResetError):
        await store.put(broken(), max_bytes=10**8)
    assert leftovers(store) == []


async def test_a_refusal_within_the_first_part_opens_no_upload(store: BlobStore) -> None:
    async def refused() -> AsyncIterator[bytes]:
        yield b"MZ"
        raise ValueError("refused by the sniffer")

    if isinstance(store, S3BlobStore):
        store.client.create_multipart_upload = None  # type: ignore[method-assign]  # would fail if it were called
    with pytest.raises(ValueError, match="sniffer"):
        await store.put(refused(), max_bytes=100)
    assert leftovers(store) == []


async def test_delete_removes_the_blob_and_a_second_delete_is_harmless(store: BlobStore) -> None:
    blob = await store.put(chunks_of(b"short lived"), max_bytes=100)
    await store.delete(blob.key)
    await store.delete(blob.key)
    with pytest.raises(BlobNotFound):
        await read_all(store, blob.key)
    assert leftovers(store) == []


async def test_an_unknown_key_is_not_found(store: BlobStore) -> None:
    with pytest.raises(BlobNotFound):
        await read_all(store, "ab/ab0000000000000000000000000000")


async def test_the_local_store_refuses_keys_outside_its_folder(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("no")
    store = LocalBlobStore(tmp_path / "blobs")
    with pytest.raises(BlobNotFound):
        await read_all(store, "../secret.txt")


@pytest.mark.parametrize("kind", ["local", "s3"])
async def test_a_store_that_fails_is_unavailable_not_a_crash(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A folder that cannot be written (here: its path is a file), a bucket that does not exist."""
    broken: BlobStore
    if kind == "local":
        (tmp_path / "not-a-folder").write_text("a file")
        broken = LocalBlobStore(tmp_path / "not-a-folder")
    else:
        config: S3Config = request.getfixturevalue("s3_server")
        broken = S3BlobStore(S3Config(config.endpoint, "no-such-bucket", config.access_key, config.secret_key))
    with pytest.raises(BlobStoreUnavailable):
        await broken.put(chunks_of(b"data"), max_bytes=100)
    with pytest.raises(BlobStoreUnavailable):
        await read_all(broken, "ab/ab0000000000000000000000000000")
