"""Secrets mounted as files: the chart's Secret volume, read through CRM_SECRETS_DIR."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_core.settings import ServiceSettings


def test_secrets_are_read_from_files_named_like_their_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "CRM_CONTACTS_DATABASE_URL").write_text("postgresql+asyncpg://u:p@db:5432/crm_contacts")
    (tmp_path / "CRM_INTERNAL_SECRET").write_text("s" * 40)
    monkeypatch.delenv("CRM_CONTACTS_DATABASE_URL", raising=False)
    monkeypatch.delenv("CRM_INTERNAL_SECRET", raising=False)
    monkeypatch.setenv("CRM_SECRETS_DIR", str(tmp_path))
    settings = ServiceSettings.for_domain("contacts")
    assert settings.database_url == "postgresql+asyncpg://u:p@db:5432/crm_contacts"
    assert settings.internal_secret == "s" * 40


def test_the_environment_wins_over_a_file_and_no_folder_reads_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "CRM_INTERNAL_SECRET").write_text("f" * 40)
    monkeypatch.setenv("CRM_INTERNAL_SECRET", "e" * 40)
    monkeypatch.setenv("CRM_SECRETS_DIR", str(tmp_path))
    assert ServiceSettings.for_domain("contacts").internal_secret == "e" * 40
    monkeypatch.delenv("CRM_INTERNAL_SECRET")
    monkeypatch.delenv("CRM_SECRETS_DIR")
    assert ServiceSettings.for_domain("contacts").internal_secret == ""
