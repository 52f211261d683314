"""The mailbox poller against the running service: .eml files dropped into new/ become tickets and move to cur/,
refused ones move to failed/ with the reason, and nothing moves while the service cannot answer."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import grpc

from crm.helpdesk.v1 import helpdesk_pb2 as pb
from crm.helpdesk.v1 import helpdesk_pb2_grpc
from crm_core.service import ServiceApp
from crm_helpdesk.mail_poller import Maildir, grpc_ingest


def drop(folder: Path, name: str, content: bytes, age: float = 5.0) -> Path:
    path = folder / "new" / name
    path.write_bytes(content)
    past = time.time() - age
    os.utime(path, (past, past))
    return path


async def test_dropped_files_become_tickets_and_refused_ones_go_to_failed_with_the_reason(
    helpdesk_app: ServiceApp, admin, tmp_path: Path
) -> None:
    maildir = Maildir(tmp_path / "helpdesk")
    word = uuid.uuid4().hex[:10]
    good = f"From: Клиент <client@client.example>\r\nSubject: Из папки {word}\r\n\r\nТекст".encode()
    drop(maildir.root, "1.eml", good)
    drop(maildir.root, "2.eml", b"garbage without headers")
    drop(maildir.root, "3.eml", good.replace(b"\xd0\x98", b"X"), age=0)  # still being copied: waits a pass
    async with grpc.aio.insecure_channel(f"127.0.0.1:{helpdesk_app.grpc.port}") as channel:
        ingest = grpc_ingest(helpdesk_pb2_grpc.HelpdeskServiceStub(channel), helpdesk_app.settings.internal_secret, "")
        counts = await maildir.deliver(ingest)
    assert counts == {"taken": 1, "refused": 1, "later": 0}
    assert [p.name for p in (maildir.root / "cur").iterdir()] == ["1.eml:2,S"]
    assert sorted(p.name for p in (maildir.root / "failed").iterdir()) == ["2.eml", "2.eml.reason.txt"]
    assert (maildir.root / "failed" / "2.eml.reason.txt").read_text().startswith("email_malformed:")
    assert [p.name for p in (maildir.root / "new").iterdir()] == ["3.eml"]
    assert (await admin.ListTickets(pb.ListTicketsRequest(query=word))).total == 1


async def test_files_wait_in_new_while_the_service_does_not_answer(tmp_path: Path) -> None:
    maildir = Maildir(tmp_path / "helpdesk")
    drop(maildir.root, "1.eml", b"From: a@client.example\r\nSubject: x\r\n\r\ny")
    async with grpc.aio.insecure_channel("127.0.0.1:9") as channel:
        ingest = grpc_ingest(helpdesk_pb2_grpc.HelpdeskServiceStub(channel), "secret", "")
        assert await maildir.deliver(ingest) == {"taken": 0, "refused": 0, "later": 1}
    assert [p.name for p in (maildir.root / "new").iterdir()] == ["1.eml"]
    assert not list((maildir.root / "failed").iterdir())
