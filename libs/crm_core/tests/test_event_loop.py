"""The loop a service process runs on."""

import asyncio

import pytest

from crm_core import event_loop


async def _loop_module() -> str:
    return type(asyncio.get_running_loop()).__module__


def test_services_run_on_uvloop_when_it_is_installed() -> None:
    pytest.importorskip("uvloop")
    assert event_loop.run_event_loop(_loop_module()).startswith("uvloop")


def test_services_fall_back_to_asyncio_without_uvloop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(event_loop, "uvloop_installed", lambda: False)
    assert event_loop.run_event_loop(_loop_module()).startswith("asyncio")
