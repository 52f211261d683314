"""The fault suite (make faults) as part of the whole test run: every scenario passes its checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


def test_no_fault_loses_duplicates_or_strands_a_write_and_every_projection_catches_up() -> None:
    # Shorter phases than `make faults` (each scenario still has load before, during and after its fault).
    run = subprocess.run(
        [sys.executable, "-m", "faults", "--before", "3", "--after", "4", "--pause", "6"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    summary = run.stdout[run.stdout.rfind("## Summary") :]
    assert run.returncode == 0, f"{summary or run.stdout[-5000:]}\n{run.stderr[-3000:]}"
