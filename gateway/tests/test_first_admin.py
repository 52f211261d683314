"""The first admin's password: given, or generated into a private file, or the gateway refuses to start."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from crm_gateway.first_admin import first_admin_password
from crm_gateway.settings import GatewaySettings


def test_the_given_password_is_used() -> None:
    assert first_admin_password(GatewaySettings(admin_password="given-password")) == "given-password"


def test_without_a_password_or_a_file_the_gateway_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRM_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("CRM_ADMIN_PASSWORD_FILE", raising=False)
    with pytest.raises(SystemExit, match="CRM_ADMIN_PASSWORD"):
        first_admin_password(GatewaySettings(admin_password=""))


def test_a_generated_password_is_written_to_a_file_only_its_owner_reads(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "admin-password"
    path.parent.mkdir()
    path.write_text("old")
    path.chmod(0o644)  # a file that was there keeps no looser mode
    settings = GatewaySettings(admin_password="", admin_password_file=path)
    password = first_admin_password(settings)
    assert len(password) >= 16
    assert path.read_text() == password + "\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert password not in repr(settings)
