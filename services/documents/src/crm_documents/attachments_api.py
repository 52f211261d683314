"""The gRPC servicer of crm.documents.v1.AttachmentsService: messages <-> attachments.Attachments, nothing more."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncIterator
from typing import TypeAlias

import grpc

from crm.documents.v1 import attachments_pb2 as pb
from crm.documents.v1 import attachments_pb2_grpc
from crm_core.auth import current_caller
from crm_core.errors import CrmError, FieldProblem, InvalidArgument
from crm_core.protojson import timestamp
from crm_core.service import ServiceApp
from crm_documents.attachment_inputs import RECORD_TYPE_VALUES, parse_record, parse_upload_start
from crm_documents.attachment_models import AttachmentVersion
from crm_documents.attachments import Attachments, AttachmentView, follow_party_merges
from crm_documents.blobs import BlobStore
from crm_documents.peers import Peers
from crm_documents.settings import DocumentsSettings

Context: TypeAlias = grpc.aio.ServicerContext
# Bytes per DownloadAttachmentResponse.data.
CHUNK = 256 * 1024


def version_message(version: AttachmentVersion) -> pb.AttachmentVersion:
    return pb.AttachmentVersion(
        version=version.version,
        filename=version.filename,
        content_type=version.content_type,
        size_bytes=version.size_bytes,
        sha256=version.sha256,
        uploaded_by=version.uploaded_by,
        uploaded_at=timestamp(version.uploaded_at),
    )


def attachment_message(view: AttachmentView) -> pb.Attachment:
    attachment, latest = view.attachment, view.versions[0]
    return pb.Attachment(
        id=attachment.id,
        record_type=RECORD_TYPE_VALUES[attachment.record_type],  # type: ignore[arg-type]
        record_id=attachment.record_id,
        filename=latest.filename,
        content_type=latest.content_type,
        size_bytes=latest.size_bytes,
        latest_version=attachment.latest_version,
        created_by=attachment.created_by,
        created_at=timestamp(attachment.created_at),
        versions=[version_message(v) for v in view.versions],
    )


def incomplete(message: str) -> InvalidArgument:
    return InvalidArgument("attachment_incomplete", message, [FieldProblem("file", "attachment_incomplete", message)])


async def _chunks(requests: AsyncIterator[pb.UploadAttachmentRequest]) -> AsyncIterator[bytes]:
    """The chunks up to the end message, which must come and agree with them: gRPC ends a server's request
    stream normally when the client cancels, so only the end message tells a complete upload from a cut one.
    Raising here (before the stream is exhausted) makes the blob store drop what it wrote."""
    size = 0
    digest = hashlib.sha256()
    async for request in requests:
        part = request.WhichOneof("part")
        if part == "chunk":
            size += len(request.chunk)
            digest.update(request.chunk)
            if request.chunk:
                yield request.chunk
        elif part == "end":
            if request.end.size != size:
                raise incomplete(f"the upload announced {request.end.size} bytes, {size} arrived")
            if request.end.sha256 and request.end.sha256.lower() != digest.hexdigest():
                raise incomplete("the content's SHA-256 differs from the one the upload announced")
            async for _ in requests:
                raise InvalidArgument("malformed_request", "nothing may follow UploadAttachmentEnd")
            return
        else:
            raise InvalidArgument("malformed_request", "after the first message, send chunks, then the end")
    raise incomplete("the upload stopped before its end message")


class AttachmentsServicer(attachments_pb2_grpc.AttachmentsServiceServicer):
    """Files on parties, deals, tasks and tickets; every call as the caller, who must see the record."""

    def __init__(self, attachments: Attachments) -> None:
        self.attachments = attachments

    async def UploadAttachment(  # type: ignore[override]
        self, request_iterator: AsyncIterator[pb.UploadAttachmentRequest], context: Context
    ) -> pb.Attachment:
        """A new attachment or version: the first message says where, the rest carry the bytes."""
        try:
            first = await anext(aiter(request_iterator), None)
            if first is None or first.WhichOneof("part") != "start":
                raise InvalidArgument("malformed_request", "send UploadAttachmentStart first, then the chunks")
            start = parse_upload_start(first.start)
            view = await self.attachments.upload(current_caller(), start, _chunks(request_iterator))
        except CrmError:
            await _drain(request_iterator)
            raise
        return attachment_message(view)

    async def ListAttachments(self, request: pb.ListAttachmentsRequest, context: Context) -> pb.ListAttachmentsResponse:
        """The record's attachments, newest first, each with its latest version."""
        views = await self.attachments.list_for_record(current_caller(), parse_record(request))
        return pb.ListAttachmentsResponse(attachments=[attachment_message(v) for v in views])

    async def GetAttachment(self, request: pb.GetAttachmentRequest, context: Context) -> pb.Attachment:
        """One attachment with every version."""
        return attachment_message(await self.attachments.get(current_caller(), request.id))

    async def DownloadAttachment(  # type: ignore[override]
        self, request: pb.DownloadAttachmentRequest, context: Context
    ) -> AsyncIterator[pb.DownloadAttachmentResponse]:
        """The attachment and the version sent, then the bytes in chunks."""
        download = await self.attachments.download(current_caller(), request.id, request.version)
        yield pb.DownloadAttachmentResponse(
            attachment=attachment_message(download.view), version=version_message(download.version)
        )
        buffer = bytearray()
        async for chunk in download.chunks:
            buffer += chunk
            while len(buffer) >= CHUNK:
                yield pb.DownloadAttachmentResponse(data=bytes(buffer[:CHUNK]))
                del buffer[:CHUNK]
        if buffer:
            yield pb.DownloadAttachmentResponse(data=bytes(buffer))

    async def DeleteAttachment(
        self, request: pb.DeleteAttachmentRequest, context: Context
    ) -> pb.DeleteAttachmentResponse:
        """Soft delete by the uploader, the record's owner or an admin."""
        await self.attachments.delete(current_caller(), request.id)
        return pb.DeleteAttachmentResponse()


def add_attachments(app: ServiceApp, settings: DocumentsSettings, store: BlobStore, peers: Peers) -> Attachments:
    """Serve AttachmentsService on the app's port (with the service's blob store and peers), and follow party
    merges."""
    attachments = Attachments(app.db, app.namespace, app.clock, store, peers, settings.max_attachment_bytes)
    service_name = pb.DESCRIPTOR.services_by_name["AttachmentsService"].full_name
    app.add_servicer(
        attachments_pb2_grpc.add_AttachmentsServiceServicer_to_server, AttachmentsServicer(attachments), service_name
    )
    # Files on a party merged into another move to the survivor.
    app.add_consumer("attachment-parties", ["contacts"], follow_party_merges)
    return attachments


# What a refused upload's client may still send before its refusal is answered (see _drain).
DRAIN_BYTES = 64 * 1024 * 1024
DRAIN_SECONDS = 10.0


async def _drain(requests: AsyncIterator[pb.UploadAttachmentRequest]) -> None:
    """Read, and drop, what the client still sends after a refusal, so it gets the refusal's status: answering
    while it is still writing ends its stream and gRPC's aio client then reports INTERNAL ("Failed
    execute_batch") instead of the code. Bounded, so a client streaming without end is cut off anyway."""
    seen = 0
    with contextlib.suppress(Exception, TimeoutError):
        async with asyncio.timeout(DRAIN_SECONDS):
            async for message in requests:
                seen += len(message.chunk)
                if seen > DRAIN_BYTES:
                    return
