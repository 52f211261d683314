"""Attachments over gRPC: upload, versions, download, refusals that store nothing, and the record's visibility
asked of contacts, deals and tasks as the caller (local folder and s3rver stores)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import grpc
import pytest
from sqlalchemy import func, select, text

from crm.contacts.v1 import contacts_pb2
from crm.deals.v1 import deals_pb2
from crm.documents.v1 import attachments_pb2 as pb
from crm.documents.v1 import attachments_pb2_grpc
from crm.events.v1 import documents_pb2 as events
from crm.events.v1 import envelope_pb2
from crm.tasks.v1 import tasks_pb2
from crm_core.auth import Caller
from crm_core.events.outbox import OutboxRow
from crm_core.service import ServiceApp
from crm_core.testing import ADMIN, ALICE, BOB, CAROL, eventually
from crm_documents.attachment_models import Attachment, AttachmentVersion

from ..conftest import TEST_MAX_BYTES

PDF = b"%PDF-1.4\n" + b"1 0 obj <<>> endobj\n" * 50 + b"%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + os.urandom(2048)
EXE = b"MZ\x90\x00" + os.urandom(4096)
CHUNK = 64 * 1024


def upload_messages(
    content: bytes,
    filename: str,
    record_type: int,
    record_id: str,
    attachment_id: str = "",
    declared: int = -1,
    end: pb.UploadAttachmentEnd | None = None,
) -> Iterator[pb.UploadAttachmentRequest]:
    start = pb.UploadAttachmentStart(
        record_type=record_type,  # type: ignore[arg-type]
        record_id=record_id,
        filename=filename,
        declared_size=len(content) if declared < 0 else declared,
        attachment_id=attachment_id,
    )
    yield pb.UploadAttachmentRequest(start=start)
    for offset in range(0, len(content), CHUNK):
        yield pb.UploadAttachmentRequest(chunk=content[offset : offset + CHUNK])
    yield pb.UploadAttachmentRequest(
        end=end or pb.UploadAttachmentEnd(size=len(content), sha256=hashlib.sha256(content).hexdigest())
    )


class Files:
    """AttachmentsService on one documents replica, as any caller."""

    def __init__(self, app: ServiceApp, channel: grpc.aio.Channel) -> None:
        self.app = app
        self.stub = attachments_pb2_grpc.AttachmentsServiceStub(channel)

    def _metadata(self, caller: Caller) -> list[tuple[str, str]]:
        return caller.metadata(self.app.settings.internal_secret)

    async def upload(
        self, caller: Caller, content: bytes, filename: str, record: tuple[int, str], **kw: object
    ) -> pb.Attachment:
        messages = upload_messages(content, filename, record[0], record[1], **kw)  # type: ignore[arg-type]
        return await self.stub.UploadAttachment(messages, metadata=self._metadata(caller), timeout=20)

    async def list(self, caller: Caller, record: tuple[int, str]) -> list[pb.Attachment]:
        request = pb.ListAttachmentsRequest(record_type=record[0], record_id=record[1])  # type: ignore[arg-type]
        return list((await self.stub.ListAttachments(request, metadata=self._metadata(caller), timeout=10)).attachments)

    async def get(self, caller: Caller, attachment_id: str) -> pb.Attachment:
        request = pb.GetAttachmentRequest(id=attachment_id)
        return await self.stub.GetAttachment(request, metadata=self._metadata(caller), timeout=10)

    async def download(
        self, caller: Caller, attachment_id: str, version: int = 0
    ) -> tuple[pb.AttachmentVersion, bytes]:
        request = pb.DownloadAttachmentRequest(id=attachment_id, version=version)
        call = self.stub.DownloadAttachment(request, metadata=self._metadata(caller), timeout=20)
        first, data = None, bytearray()
        async for message in call:
            if first is None:
                first = message
            else:
                data += message.data
        assert first is not None and first.HasField("attachment")
        return first.version, bytes(data)

    async def delete(self, caller: Caller, attachment_id: str) -> None:
        request = pb.DeleteAttachmentRequest(id=attachment_id)
        await self.stub.DeleteAttachment(request, metadata=self._metadata(caller), timeout=10)


@pytest.fixture(params=["local", "s3"])
async def files(
    request: pytest.FixtureRequest, documents_app: ServiceApp, s3_documents_app: ServiceApp
) -> AsyncIterator[Files]:
    """The service with its blobs in a local folder, or (a second replica on the same database) in s3rver."""
    app = documents_app if request.param == "local" else s3_documents_app
    async with grpc.aio.insecure_channel(f"127.0.0.1:{app.grpc.port}") as channel:
        yield Files(app, channel)


async def new_deal(
    peers, owner: Caller = ALICE, client_shared_with: tuple[str, ...] = (), **fields: object
) -> deals_pb2.Deal:  # type: ignore[no-untyped-def]
    """A deal of `owner` on a new client company (shared with `client_shared_with`)."""
    party = contacts_pb2.Party(
        kind="company", display_name=f"ООО Ромашка {uuid.uuid4().hex[:6]}", shared_with=list(client_shared_with)
    )
    client = await peers.contacts(owner).CreateParty(contacts_pb2.CreatePartyRequest(party=party))
    deal = deals_pb2.Deal(title="Поставка арматуры", client_id=client.party.id, **fields)
    return await peers.deals(owner).CreateDeal(deals_pb2.CreateDealRequest(deal=deal))


async def count_rows(app: ServiceApp) -> tuple[int, int]:
    async with app.db.readers() as session:
        attachments = await session.scalar(select(func.count()).select_from(Attachment))
        versions = await session.scalar(select(func.count()).select_from(AttachmentVersion))
    return int(attachments or 0), int(versions or 0)


def blob_count(app: ServiceApp) -> int:
    settings = app.settings
    if getattr(settings, "s3_bucket", ""):
        import boto3

        client = boto3.client(
            "s3", endpoint_url=settings.s3_endpoint, aws_access_key_id=settings.s3_access_key,
            aws_secret_access_key=settings.s3_secret_key, region_name="us-east-1",
        )  # fmt: skip
        return len(client.list_objects_v2(Bucket=settings.s3_bucket).get("Contents", []))
    root = Path(settings.blob_dir)
    return len([p for p in root.rglob("*") if p.is_file()]) if root.exists() else 0


DEAL = pb.RECORD_TYPE_DEAL


async def test_an_upload_is_listed_and_downloads_the_same_bytes(files: Files, peers) -> None:
    deal = await new_deal(peers)
    content = PDF + os.urandom(300_000)  # several chunks each way
    created = await files.upload(ALICE, content, "Договор №7.pdf", (DEAL, deal.id))
    assert (created.filename, created.content_type, created.size_bytes) == (
        "Договор №7.pdf",
        "application/pdf",
        len(content),
    )
    assert created.latest_version == 1 and created.created_by == ALICE.user_id
    assert created.versions[0].sha256 == hashlib.sha256(content).hexdigest()
    listed = await files.list(ALICE, (DEAL, deal.id))
    assert [a.id for a in listed] == [created.id]
    version, data = await files.download(ALICE, created.id)
    assert data == content and version.version == 1


async def test_the_stored_type_is_sniffed_not_declared(files: Files, peers) -> None:
    deal = await new_deal(peers)
    created = await files.upload(ALICE, "ИНН;Название\n1;2\n".encode(), "clients.csv", (DEAL, deal.id))
    assert created.content_type == "text/csv"


async def test_a_new_version_keeps_the_old_one_downloadable(files: Files, peers) -> None:
    deal = await new_deal(peers)
    first = await files.upload(ALICE, PDF, "offer.pdf", (DEAL, deal.id))
    second = await files.upload(CAROL, PNG, "offer.png", (DEAL, deal.id), attachment_id=first.id)
    assert second.id == first.id and second.latest_version == 2
    assert [v.version for v in second.versions] == [2, 1]
    assert second.filename == "offer.png" and second.content_type == "image/png"
    assert (await files.download(ALICE, first.id, 1))[1] == PDF
    assert (await files.download(ALICE, first.id))[1] == PNG
    assert len(await files.list(ALICE, (DEAL, deal.id))) == 1
    # Naming only the attachment: its own record is checked (and hidden from bob).
    third = await files.upload(ALICE, PDF, "offer-3.pdf", (pb.RECORD_TYPE_UNSPECIFIED, ""), attachment_id=first.id)
    assert third.latest_version == 3


async def test_refusals_store_neither_a_row_nor_a_blob(files: Files, peers, rejected) -> None:
    deal = await new_deal(peers)
    before_rows, before_blobs = await count_rows(files.app), blob_count(files.app)
    record = (DEAL, deal.id)
    detail = await rejected(files.upload(ALICE, EXE, "invoice.pdf", record), grpc.StatusCode.INVALID_ARGUMENT)
    assert detail.code == "attachment_type_refused"
    detail = await rejected(files.upload(ALICE, PDF, "photo.jpg", record), grpc.StatusCode.INVALID_ARGUMENT)
    assert detail.code == "attachment_type_mismatch"
    detail = await rejected(files.upload(ALICE, b"", "empty.txt", record), grpc.StatusCode.INVALID_ARGUMENT)
    assert detail.code == "attachment_empty"
    big = PDF + b"0" * TEST_MAX_BYTES
    detail = await rejected(files.upload(ALICE, big, "big.pdf", record), grpc.StatusCode.INVALID_ARGUMENT)
    assert detail.code == "attachment_too_large"  # found while streaming (the declared size was honest)
    detail = await rejected(files.upload(ALICE, big, "big.pdf", record, declared=10), grpc.StatusCode.INVALID_ARGUMENT)
    assert detail.code == "attachment_too_large"  # a client that lies about the size is stopped all the same
    detail = await rejected(
        files.upload(ALICE, PDF, "x.pdf", record, declared=TEST_MAX_BYTES + 1), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert detail.code == "attachment_too_large"  # refused by the declared size before any byte
    assert await count_rows(files.app) == before_rows
    assert blob_count(files.app) == before_blobs
    assert await files.list(ALICE, record) == []


async def test_a_hidden_or_missing_record_is_not_found_for_every_call(files: Files, peers, rejected) -> None:
    deal = await new_deal(peers)  # alice's, team north: bob (team south) does not see it
    attachment = await files.upload(ALICE, PDF, "secret.pdf", (DEAL, deal.id))
    for call in (
        files.list(BOB, (DEAL, deal.id)),
        files.upload(BOB, PDF, "mine.pdf", (DEAL, deal.id)),
        files.list(ALICE, (DEAL, str(uuid.uuid4()))),
        files.list(ALICE, (DEAL, "not-an-id")),
    ):
        assert (await rejected(call, grpc.StatusCode.NOT_FOUND)).code == "record_not_found"
    for call in (files.get(BOB, attachment.id), files.download(BOB, attachment.id), files.delete(BOB, attachment.id)):
        assert (await rejected(call, grpc.StatusCode.NOT_FOUND)).code == "attachment_not_found"
    # A new version cannot be slipped onto another record's attachment.
    other = await new_deal(peers)
    detail = await rejected(
        files.upload(ALICE, PDF, "v2.pdf", (DEAL, other.id), attachment_id=attachment.id), grpc.StatusCode.NOT_FOUND
    )
    assert detail.code == "attachment_not_found"
    detail = await rejected(
        files.upload(BOB, PDF, "v2.pdf", (pb.RECORD_TYPE_UNSPECIFIED, ""), attachment_id=attachment.id),
        grpc.StatusCode.NOT_FOUND,
    )
    assert detail.code == "attachment_not_found"
    assert (await files.get(ADMIN, attachment.id)).id == attachment.id


async def test_sharing_the_deal_shows_its_files(files: Files, peers) -> None:
    deal = await new_deal(peers, shared_with=[BOB.user_id])
    attachment = await files.upload(ALICE, PDF, "shared.pdf", (DEAL, deal.id))
    assert [a.id for a in await files.list(BOB, (DEAL, deal.id))] == [attachment.id]
    assert (await files.download(BOB, attachment.id))[1] == PDF


async def test_files_on_parties_and_tasks(files: Files, peers, rejected) -> None:
    party = await peers.contacts(ALICE).CreateParty(
        contacts_pb2.CreatePartyRequest(party=contacts_pb2.Party(kind="company", display_name="ООО Лютик"))
    )
    party_id = party.party.id
    on_party = await files.upload(ALICE, PNG, "logo.png", (pb.RECORD_TYPE_PARTY, party_id))
    assert [a.id for a in await files.list(CAROL, (pb.RECORD_TYPE_PARTY, party_id))] == [on_party.id]
    task = await peers.tasks(ALICE).CreateTask(
        tasks_pb2.CreateTaskRequest(
            task=tasks_pb2.Task(type="call", subject="Позвонить", links=[tasks_pb2.TaskLink(kind="party", id=party_id)])
        )
    )
    on_task = await files.upload(ALICE, PDF, "notes.pdf", (pb.RECORD_TYPE_TASK, task.id))
    assert [a.id for a in await files.list(ALICE, (pb.RECORD_TYPE_TASK, task.id))] == [on_task.id]
    detail = await rejected(files.list(BOB, (pb.RECORD_TYPE_TASK, task.id)), grpc.StatusCode.NOT_FOUND)
    assert detail.code == "record_not_found"


async def test_delete_by_the_uploader_owner_or_admin_only_and_kept_in_the_audit(files: Files, peers, rejected) -> None:
    deal = await new_deal(peers, shared_with=[BOB.user_id])
    by_alice = await files.upload(ALICE, PDF, "a.pdf", (DEAL, deal.id))
    by_bob = await files.upload(BOB, PDF, "b.pdf", (DEAL, deal.id))
    detail = await rejected(files.delete(BOB, by_alice.id), grpc.StatusCode.PERMISSION_DENIED)
    assert detail.code == "attachment_delete_forbidden"
    await files.delete(ALICE, by_bob.id)  # the deal's owner
    await files.delete(BOB, (await files.upload(BOB, PDF, "c.pdf", (DEAL, deal.id))).id)  # the uploader
    await files.delete(ADMIN, by_alice.id)
    assert await files.list(ALICE, (DEAL, deal.id)) == []
    assert (await rejected(files.get(ALICE, by_alice.id), grpc.StatusCode.NOT_FOUND)).code == "attachment_not_found"
    async with files.app.db.readers() as session:
        actions = (
            await session.execute(
                text("SELECT action, actor_id FROM audit_entry WHERE entity_id = :id ORDER BY id"), {"id": by_alice.id}
            )
        ).all()
    assert [tuple(r) for r in actions] == [("created", ALICE.user_id), ("deleted", ADMIN.user_id)]


async def test_an_upload_records_attachment_added_and_the_client_timeline_shows_it_within_access(
    files: Files, peers
) -> None:
    deal = await new_deal(peers, client_shared_with=(BOB.user_id,))  # bob sees the client, not the deal
    attachment = await files.upload(ALICE, PDF, "kp.pdf", (DEAL, deal.id))
    async with files.app.db.readers() as session:
        payloads = await session.scalars(select(OutboxRow.payload).where(OutboxRow.subject.like("%.attachment.added")))
        envelopes = [envelope_pb2.EventEnvelope.FromString(p) for p in payloads]
    envelope = next(e for e in envelopes if e.subject_id == attachment.id)
    added = events.AttachmentAdded()
    assert envelope.payload.Unpack(added)
    assert (added.record_type, added.record_id, added.filename, added.version) == ("deal", deal.id, "kp.pdf", 1)
    assert list(envelope.party_ids) == [deal.client_id]
    [scope] = envelope.scopes
    assert (scope.record, scope.known, scope.owner_id) == (f"deal:{deal.id}", True, ALICE.user_id)

    async def on_timeline(caller: Caller) -> list[str]:
        request = contacts_pb2.ListTimelineRequest(party_id=deal.client_id, sources=["documents"])
        entries = (await peers.contacts(caller).ListTimeline(request)).entries
        return [e.type for e in entries if e.subject_id == attachment.id]

    assert await eventually(lambda: on_timeline(ALICE)) == ["attachment.added"]
    # The entry carries the deal's scope: bob reads the client's timeline but not what reveals the deal.
    assert await on_timeline(BOB) == []


async def test_an_upload_without_credentials_is_refused_before_anything_is_read(files: Files) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await files.stub.UploadAttachment(upload_messages(PDF, "a.pdf", DEAL, str(uuid.uuid4())), timeout=10)
    assert info.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_an_upload_that_does_not_start_with_its_start_message_is_refused(files: Files, rejected) -> None:
    messages = iter([pb.UploadAttachmentRequest(chunk=PDF)])
    call = files.stub.UploadAttachment(messages, metadata=files._metadata(ALICE), timeout=10)
    assert (await rejected(call, grpc.StatusCode.INVALID_ARGUMENT)).code == "malformed_request"


async def test_a_bad_start_names_each_field(files: Files, rejected) -> None:
    start = pb.UploadAttachmentStart(record_type=pb.RECORD_TYPE_UNSPECIFIED, record_id="", filename=" ")
    call = files.stub.UploadAttachment(
        iter([pb.UploadAttachmentRequest(start=start)]), metadata=files._metadata(ALICE), timeout=10
    )
    detail = await rejected(call, grpc.StatusCode.INVALID_ARGUMENT)
    assert {v.field: v.code for v in detail.field_violations} == {
        "record_type": "unknown_record_type",
        "record_id": "required",
        "filename": "required",
    }


async def test_a_broken_store_answers_unavailable_and_writes_no_row(
    documents_db_url, event_namespace, clock, contacts_app, deals_app, tasks_app, tmp_path, peers, rejected
) -> None:  # type: ignore[no-untyped-def]
    from crm_documents.main import build

    from ..conftest import documents_settings

    (tmp_path / "blobs").write_text("a file where the folder should be")
    settings = documents_settings(
        documents_db_url, event_namespace, contacts_app, deals_app, tasks_app, blob_dir=str(tmp_path / "blobs")
    )
    app = build(settings, clock)
    await app.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{app.grpc.port}") as channel:
            files = Files(app, channel)
            deal = await new_deal(peers)
            before = await count_rows(app)
            detail = await rejected(files.upload(ALICE, PDF, "a.pdf", (DEAL, deal.id)), grpc.StatusCode.UNAVAILABLE)
            assert detail.code == "blob_store_unavailable"
            assert await count_rows(app) == before
    finally:
        await app.stop()


async def test_an_upload_without_its_end_or_with_a_wrong_one_keeps_nothing(files: Files, peers, rejected) -> None:
    deal = await new_deal(peers)
    record = (DEAL, deal.id)
    before_rows, before_blobs = await count_rows(files.app), blob_count(files.app)
    content = PDF + os.urandom(200_000)
    cut = list(upload_messages(content, "cut.pdf", DEAL, deal.id))[:-1]  # no end message
    call = files.stub.UploadAttachment(iter(cut), metadata=files._metadata(ALICE), timeout=10)
    assert (await rejected(call, grpc.StatusCode.INVALID_ARGUMENT)).code == "attachment_incomplete"
    for end in (
        pb.UploadAttachmentEnd(size=len(content) + 1),
        pb.UploadAttachmentEnd(size=len(content), sha256="0" * 64),
    ):
        detail = await rejected(
            files.upload(ALICE, content, "a.pdf", record, end=end), grpc.StatusCode.INVALID_ARGUMENT
        )
        assert detail.code == "attachment_incomplete"
    assert await count_rows(files.app) == before_rows
    assert blob_count(files.app) == before_blobs


async def test_a_client_that_goes_away_mid_upload_leaves_nothing(files: Files, peers) -> None:
    """gRPC ends the server's request stream normally when the client cancels: only the end message tells."""
    deal = await new_deal(peers)
    before_rows, before_blobs = await count_rows(files.app), blob_count(files.app)

    async def messages_then_gone() -> AsyncIterator[pb.UploadAttachmentRequest]:
        for message in list(upload_messages(PDF + os.urandom(300_000), "gone.pdf", DEAL, deal.id))[:-1]:
            yield message
        raise ConnectionResetError("the browser tab was closed")

    call = files.stub.UploadAttachment(messages_then_gone(), metadata=files._metadata(ALICE), timeout=10)
    with pytest.raises((grpc.aio.AioRpcError, asyncio.CancelledError)):
        await call
    await asyncio.sleep(0.5)  # the service notices the cancellation on its side
    assert await count_rows(files.app) == before_rows
    assert blob_count(files.app) == before_blobs


async def test_files_of_a_merged_party_move_to_the_survivor(files: Files, peers) -> None:
    contacts = peers.contacts(ALICE)
    survivor, merged = [
        (
            await contacts.CreateParty(
                contacts_pb2.CreatePartyRequest(party=contacts_pb2.Party(kind="company", display_name=name)),
            )
        ).party
        for name in (f"ООО Север {uuid.uuid4().hex[:4]}", f"ООО Север-дубль {uuid.uuid4().hex[:4]}")
    ]
    attachment = await files.upload(ALICE, PDF, "устав.pdf", (pb.RECORD_TYPE_PARTY, merged.id))
    await contacts.MergeParties(
        contacts_pb2.MergePartiesRequest(
            survivor_id=survivor.id, merged_id=merged.id, expected_survivor_version=survivor.version
        )
    )

    async def on_survivor() -> list[str]:
        return [a.id for a in await files.list(ALICE, (pb.RECORD_TYPE_PARTY, survivor.id))]

    assert await eventually(on_survivor) == [attachment.id]
    assert (await files.get(ALICE, attachment.id)).record_id == survivor.id


async def test_a_client_still_sending_past_the_limit_gets_the_refusal_not_a_broken_stream(
    files: Files, peers, rejected
) -> None:
    """The service reads (and drops) what the client still sends after refusing, so the client's status is the
    refusal's code, not the INTERNAL a stream cut while writing gives."""
    deal = await new_deal(peers)
    for _ in range(3):
        huge = PDF + b"0" * (4 * TEST_MAX_BYTES)
        detail = await rejected(
            files.upload(ALICE, huge, "huge.pdf", (DEAL, deal.id)), grpc.StatusCode.INVALID_ARGUMENT
        )
        assert detail.code == "attachment_too_large"
