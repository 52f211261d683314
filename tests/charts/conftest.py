"""tests/charts: the rendering helpers are a plain module next to the tests (rendering.py)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from kubernetes_validate import utils as kv_utils

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session", autouse=True)
def _cached_kubernetes_schemas() -> Iterator[None]:
    """kubernetes-validate re-reads its (1-2 MB) schema files per object: read each once."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kv_utils, "schema_contents", functools.cache(kv_utils.schema_contents))
        yield
