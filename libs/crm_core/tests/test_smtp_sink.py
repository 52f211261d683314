"""The dev SMTP sink: what a mailing sends in `make dev` lands as readable files."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
from email import message_from_bytes, policy
from pathlib import Path

from crm_core.launcher import free_port
from crm_core.mail import Mailer, MailSettings, build_message
from crm_core.smtp_sink import INDEX, serve
from crm_core.testing import eventually


async def test_sink_stores_each_message_as_a_readable_eml_and_an_index_line(tmp_path: Path) -> None:
    port = free_port()
    server = asyncio.create_task(serve("127.0.0.1", port, tmp_path))
    try:
        mailer = Mailer(MailSettings(smtp_port=port, smtp_timeout=5))
        message = build_message(
            sender="CRM <crm@localhost>",
            to="Анна Смирнова <anna@example.ru>",
            subject="Приглашение на вебинар",
            text="Здравствуйте, Анна!",
            html="<p>Здравствуйте, Анна!</p>",
        )
        await eventually(lambda: _accepts(port), timeout=5)

        message_id = await mailer.send(message)
    finally:
        server.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await server

    [eml] = tmp_path.glob("*.eml")
    stored = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert stored["Subject"] == "Приглашение на вебинар"
    body = stored.get_body(("plain",))
    assert body is not None and body.get_content().strip() == "Здравствуйте, Анна!"
    [entry] = [json.loads(line) for line in (tmp_path / INDEX).read_text(encoding="utf-8").splitlines()]
    assert entry["file"] == eml.name
    assert entry["subject"] == "Приглашение на вебинар"
    assert entry["to"] == ["anna@example.ru"] and entry["message_id"] == message_id


async def _accepts(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    return True


async def test_sink_runs_as_a_module_with_port_and_folder(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "crm_core.smtp_sink", "--port", str(port), "--dir", str(tmp_path / "mail")],
        stdout=subprocess.PIPE,
    )
    try:
        await eventually(lambda: _accepts(port), timeout=10)
        message = build_message(sender="crm@localhost", to="ivan@example.ru", subject="Тест", text="Текст")
        await Mailer(MailSettings(smtp_port=port)).send(message)
    finally:
        process.terminate()
        process.wait(10)

    assert process.returncode == 0
    assert len(list((tmp_path / "mail").glob("*.eml"))) == 1
