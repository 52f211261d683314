"""What the launcher does for mail: the dev SMTP sink next to the platform, and the link secret."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from crm_core.launcher import Platform, PlatformConfig, dev_secrets, free_port, mail_destination
from crm_core.mail import Mailer, MailSettings, build_message
from crm_core.testing import eventually


async def test_launcher_starts_the_sink_when_nothing_listens_and_mail_lands_in_its_folder(tmp_path: Path) -> None:
    platform = Platform(PlatformConfig())
    settings = MailSettings(smtp_port=free_port())
    try:
        assert platform.start_mail_sink(settings, tmp_path / "mail")
        message = build_message(sender="crm@localhost", to="anna@example.ru", subject="Проверка", text="Текст")
        await Mailer(settings).send(message)
        await eventually(lambda: list((tmp_path / "mail").glob("*.eml")))
    finally:
        codes = platform.stop()
    assert codes == {"mail": 0}
    assert (tmp_path / "mail" / "index.jsonl").exists()


def test_launcher_leaves_a_listening_smtp_port_and_a_remote_server_alone(tmp_path: Path) -> None:
    platform = Platform(PlatformConfig())
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = MailSettings(smtp_port=taken.getsockname()[1])
        assert not platform.start_mail_sink(busy, tmp_path)
    assert not platform.start_mail_sink(MailSettings(smtp_host="smtp.example.ru", smtp_port=free_port()), tmp_path)
    assert platform.processes == {}
    assert "real mail" in mail_destination(MailSettings(smtp_host="smtp.example.ru"), None)
    assert str(tmp_path) in mail_destination(MailSettings(), tmp_path)


def test_dev_secrets_add_the_link_secret_to_an_older_file_and_keep_the_others(tmp_path: Path) -> None:
    (tmp_path / "secrets.json").write_text(json.dumps({"CRM_JWT_SECRET": "j" * 43, "CRM_INTERNAL_SECRET": "i" * 43}))

    values = dev_secrets(tmp_path)

    assert values["CRM_JWT_SECRET"] == "j" * 43 and values["CRM_INTERNAL_SECRET"] == "i" * 43
    assert len(values["CRM_LINK_SECRET"]) >= 32
    assert dev_secrets(tmp_path) == values  # kept for the next run


def test_every_process_of_a_platform_gets_the_same_link_secret() -> None:
    config = PlatformConfig(link_secret="l" * 40)
    assert config.env()["CRM_LINK_SECRET"] == "l" * 40


async def test_launcher_starts_the_helpdesk_mail_poller_on_its_maildir(tmp_path: Path) -> None:
    """`make dev`'s mailbox folder: the poller makes new/, cur/, tmp/ and failed/ and stops cleanly."""
    platform = Platform(PlatformConfig())
    try:
        assert platform.start_mail_poller(tmp_path / "helpdesk")
        await eventually(lambda: (tmp_path / "helpdesk" / "failed").is_dir() or None, timeout=20)
        assert {p.name for p in (tmp_path / "helpdesk").iterdir()} == {"new", "cur", "tmp", "failed"}
    finally:
        codes = platform.stop()
    assert codes == {"mail-intake": 0}
