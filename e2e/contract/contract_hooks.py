"""Schemathesis hooks of the contract test: path parameters sometimes name records that exist.

Generated ids almost never exist, so without this most operations would only
ever answer 404. `CRM_CONTRACT_IDS` (JSON: path parameter name -> ids, set by
the test) lists records it created; about half of the generated cases use one
(every case, for users: the admin the test acts as must stay as it is).
"""

from __future__ import annotations

import json
import os
import zlib
from typing import Any

import schemathesis

IDS: dict[str, list[str]] = json.loads(os.environ.get("CRM_CONTRACT_IDS", "{}"))
# Changed on every case: never the admin the test runs as (it may learn that id from answers).
ALWAYS = {"user_id"}


@schemathesis.hook
def map_path_parameters(ctx: Any, path_parameters: dict[str, Any] | None) -> dict[str, Any] | None:
    if not path_parameters:
        return path_parameters
    for name, value in path_parameters.items():
        known = IDS.get(name)
        # Decided by the generated value itself, so a case is the same on every replay.
        pick = zlib.crc32(repr(value).encode())
        if known and (name in ALWAYS or pick % 2 == 0):
            path_parameters[name] = known[(pick // 2) % len(known)]
    return path_parameters
