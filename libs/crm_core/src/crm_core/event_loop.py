"""The event loop every process runs on: uvloop when it is installed, asyncio's own otherwise.

uvloop (libuv) schedules callbacks and moves socket bytes with less Python per step than
asyncio's selector loop; the gateway already gets it from uvicorn (`loop="auto"`), and the
services get it here, so one request crosses the same kind of loop at every hop. It is a
dependency of crm-core; the fallback keeps a process running where no wheel exists.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def uvloop_installed() -> bool:
    """Whether uvloop can be imported in this interpreter."""
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return False
    return True


def run_event_loop(main: Coroutine[Any, Any, T]) -> T:
    """Run `main` to completion on a new event loop (uvloop when installed), like `asyncio.run`."""
    if uvloop_installed():
        import uvloop

        return uvloop.run(main)
    return asyncio.run(main)
