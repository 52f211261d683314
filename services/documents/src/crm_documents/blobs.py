"""The blob store: file contents (attachments, generated PDFs) kept outside PostgreSQL, by an opaque key.

Three calls, whatever keeps the bytes: `put` streams chunks in and answers the
key, size and SHA-256 once everything is stored, `open` streams them back,
`delete` removes them. A `put` that fails (the source raised, the limit was
passed, the store broke) leaves nothing behind, so a row that names a key is
written only after `put` returned, and a key never names half a file.

LocalBlobStore writes to a temporary file in the store's folder, fsyncs it and
renames it into place (a crash leaves at most a temporary file, never a short
blob); S3BlobStore sends a multipart upload part by part as the chunks come (the
file is never held whole) and aborts it on failure. boto3 is synchronous: its
calls run in a thread so the event loop keeps serving.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from crm_core.logging import get_logger

T = TypeVar("T")
log = get_logger("crm.documents.blobs")

# Bytes per chunk `open` yields.
READ_CHUNK = 256 * 1024
# Bytes per multipart part (S3 wants at least 5 MiB for every part but the last).
S3_PART = 8 * 1024 * 1024


@dataclass(frozen=True)
class StoredBlob:
    """What `put` stored: its key, its size in bytes and the hex SHA-256 of its content."""

    key: str
    size: int
    sha256: str


class BlobTooLarge(Exception):
    """The chunks passed `max_bytes`; nothing was kept."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"more than {max_bytes} bytes")
        self.max_bytes = max_bytes


class BlobNotFound(Exception):
    """No blob has this key (deleted, or never stored)."""


class BlobStoreUnavailable(Exception):
    """The store itself failed (a full or read-only disk, an S3 server that refuses or does not answer): the
    caller's request is not at fault and may be tried again."""


async def _io(function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """A blocking file operation in a thread; an OSError of the disk becomes BlobStoreUnavailable."""
    try:
        return await asyncio.to_thread(function, *args, **kwargs)
    except OSError as exc:
        raise BlobStoreUnavailable(f"{type(exc).__name__}: {exc}"[:300]) from exc


class BlobStore(Protocol):
    """Where file contents live. Keys are the store's own; callers keep them, never build them."""

    async def put(self, chunks: AsyncIterator[bytes], max_bytes: int) -> StoredBlob:
        """Store the chunks as one new blob; raises BlobTooLarge past `max_bytes`, or what `chunks` raised,
        after removing whatever was written."""
        ...

    def open(self, key: str) -> AsyncIterator[bytes]:
        """The blob's bytes in chunks; BlobNotFound (at the first read) when there is none."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the blob; a missing one is not an error."""
        ...


def new_key() -> str:
    """A fresh key, spread over 256 folders by its first two characters."""
    name = uuid.uuid4().hex
    return f"{name[:2]}/{name}"


class _Counter:
    """Size and SHA-256 of what passed, and the limit checked on every chunk."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.digest = hashlib.sha256()

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise BlobTooLarge(self.max_bytes)
        self.digest.update(chunk)


class LocalBlobStore:
    """Blobs as files under `root` (root/ab/abcdef...); temporary files in root/.tmp until complete."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        # Keys are made by new_key(); anything else (a path outside the folder) is refused.
        head, _, name = key.partition("/")
        if len(head) != 2 or not name.isalnum() or not name.startswith(head):
            raise BlobNotFound(key)
        return self.root / head / name

    async def put(self, chunks: AsyncIterator[bytes], max_bytes: int) -> StoredBlob:
        key = new_key()
        final = self.root / key
        temporary = self.root / ".tmp" / f"{uuid.uuid4().hex}.part"
        await _io(temporary.parent.mkdir, parents=True, exist_ok=True)
        counter = _Counter(max_bytes)
        file = await _io(open, temporary, "wb")
        try:
            try:
                async for chunk in chunks:
                    counter.add(chunk)
                    await _io(file.write, chunk)
                await _io(_flush_and_sync, file)
            finally:
                await _io(file.close)
            await _io(_move_into_place, temporary, final)
        except BaseException:
            await asyncio.shield(asyncio.to_thread(temporary.unlink, missing_ok=True))
            raise
        return StoredBlob(key, counter.size, counter.digest.hexdigest())

    async def open(self, key: str) -> AsyncIterator[bytes]:
        path = self._path(key)
        try:
            file = await asyncio.to_thread(open, path, "rb")
        except FileNotFoundError as exc:
            raise BlobNotFound(key) from exc
        except OSError as exc:
            raise BlobStoreUnavailable(f"{type(exc).__name__}: {exc}"[:300]) from exc
        try:
            while chunk := await _io(file.read, READ_CHUNK):
                yield chunk
        finally:
            file.close()

    async def delete(self, key: str) -> None:
        try:
            path = self._path(key)
        except BlobNotFound:
            return
        await _io(path.unlink, missing_ok=True)


def _flush_and_sync(file: Any) -> None:
    file.flush()
    os.fsync(file.fileno())


def _move_into_place(temporary: Path, final: Path) -> None:
    """Rename the complete file to its key and make the rename durable (fsync of the folder)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temporary, final)
    folder = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


@dataclass(frozen=True)
class S3Config:
    """Where an S3-compatible store answers (CRM_DOCUMENTS_S3_*)."""

    endpoint: str
    bucket: str
    access_key: str
    secret_key: str
    region: str = "us-east-1"


class S3BlobStore:
    """Blobs as objects of one bucket of an S3-compatible server (AWS, MinIO, Ceph, s3rver in the tests)."""

    def __init__(self, config: S3Config, part_size: int = S3_PART) -> None:
        import boto3  # only a deployment that uses S3 pays for importing it
        from botocore.config import Config

        self.bucket = config.bucket
        self.part_size = part_size
        self.client = boto3.client(
            "s3",
            endpoint_url=config.endpoint or None,
            aws_access_key_id=config.access_key or None,
            aws_secret_access_key=config.secret_key or None,
            region_name=config.region or None,
            config=Config(
                s3={"addressing_style": "path"},
                retries={"max_attempts": 3, "mode": "standard"},
                # Checksums only when the operation requires them: S3-compatible servers (and older AWS
                # regions' emulators) refuse the trailing CRC checksums newer botocore sends by default.
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        )

    async def _run(self, function: Callable[..., T], /, **kwargs: Any) -> T:
        """A boto3 call in a thread; the server's refusal or silence becomes BlobStoreUnavailable (a missing
        object is told apart by `open` itself)."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return await asyncio.to_thread(function, **kwargs)
        except (BotoCoreError, ClientError) as exc:
            raise BlobStoreUnavailable(f"{type(exc).__name__}: {exc}"[:300]) from exc

    async def put(self, chunks: AsyncIterator[bytes], max_bytes: int) -> StoredBlob:
        key = new_key()
        counter = _Counter(max_bytes)
        buffer = bytearray()
        source = aiter(chunks)
        # Up to one part is gathered first: a file smaller than that (most attachments) is one PUT, and a
        # refusal within its first bytes (sniffing, an empty file) never opens an upload on the server.
        async for chunk in source:
            counter.add(chunk)
            buffer += chunk
            if len(buffer) >= self.part_size:
                break
        else:
            await self._run(self.client.put_object, Bucket=self.bucket, Key=key, Body=bytes(buffer))
            return StoredBlob(key, counter.size, counter.digest.hexdigest())
        await self._put_in_parts(key, buffer, source, counter)
        return StoredBlob(key, counter.size, counter.digest.hexdigest())

    async def _put_in_parts(self, key: str, buffer: bytearray, source: AsyncIterator[bytes], counter: _Counter) -> None:
        """A multipart upload sent part by part as the chunks come; aborted when anything fails."""
        upload = await self._run(self.client.create_multipart_upload, Bucket=self.bucket, Key=key)
        upload_id = upload["UploadId"]
        parts: list[dict[str, Any]] = []

        async def send(data: bytes) -> None:
            number = len(parts) + 1
            answer = await self._run(
                self.client.upload_part, Bucket=self.bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=data
            )
            parts.append({"ETag": answer["ETag"], "PartNumber": number})

        try:
            while True:
                while len(buffer) >= self.part_size:
                    await send(bytes(buffer[: self.part_size]))
                    del buffer[: self.part_size]
                chunk = await anext(source, None)
                if chunk is None:
                    break
                counter.add(chunk)
                buffer += chunk
            if buffer:
                await send(bytes(buffer))
            await self._run(
                self.client.complete_multipart_upload,
                Bucket=self.bucket,
                Key=key,
                UploadId=upload_id,
                MultipartUpload={"Parts": parts},
            )
        except BaseException:
            await asyncio.shield(self._abort(key, upload_id))
            raise

    async def _abort(self, key: str, upload_id: str) -> None:
        try:
            await self._run(self.client.abort_multipart_upload, Bucket=self.bucket, Key=key, UploadId=upload_id)
        except BlobStoreUnavailable as exc:
            # The upload failed before it was complete, so no object exists; parts left behind are the
            # bucket's lifecycle rule's to expire (AbortIncompleteMultipartUpload).
            log.warning("blob_abort_failed", key=key, error=str(exc)[:300])

    async def open(self, key: str) -> AsyncIterator[bytes]:
        from botocore.exceptions import ClientError

        try:
            answer = await self._run(self.client.get_object, Bucket=self.bucket, Key=key)
        except BlobStoreUnavailable as exc:
            cause = exc.__cause__
            if isinstance(cause, ClientError) and cause.response.get("Error", {}).get("Code") in (
                "NoSuchKey",
                "404",
                "NotFound",
            ):
                raise BlobNotFound(key) from cause
            raise
        body = answer["Body"]
        try:
            while chunk := await self._read(body):
                yield chunk
        finally:
            body.close()

    async def _read(self, body: Any) -> bytes:
        from botocore.exceptions import BotoCoreError

        try:
            return bytes(await asyncio.to_thread(body.read, READ_CHUNK))
        except (BotoCoreError, OSError) as exc:
            raise BlobStoreUnavailable(f"{type(exc).__name__}: {exc}"[:300]) from exc

    async def delete(self, key: str) -> None:
        await self._run(self.client.delete_object, Bucket=self.bucket, Key=key)


def blob_store(
    *,
    blob_dir: str,
    s3_endpoint: str = "",
    s3_bucket: str = "",
    s3_access_key: str = "",
    s3_secret_key: str = "",
    s3_region: str = "",
) -> BlobStore:
    """The store the settings choose: S3 when a bucket is named, the local folder otherwise."""
    if s3_bucket:
        return S3BlobStore(S3Config(s3_endpoint, s3_bucket, s3_access_key, s3_secret_key, s3_region or "us-east-1"))
    return LocalBlobStore(blob_dir)
