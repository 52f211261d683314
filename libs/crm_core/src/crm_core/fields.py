"""Field checks shared by every service's domain rules; each reports problems to a Validator.

They take raw values from a request (as json_format gives them) and return
the clean value, or an empty one after recording why, so a request reports
every bad field at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from crm_core.db import is_uuid
from crm_core.errors import Validator

MAX_NAME = 300
MAX_ITEMS = 50


def text(v: Validator, value: Any, path: str, limit: int = MAX_NAME) -> str | None:
    """A trimmed string of at most `limit` characters, or None when empty."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        v.add(path, "wrong_type", f"{path} must be a string")
        return None
    value = value.strip()
    if len(value) > limit:
        v.add(path, "too_long", f"{path} must be at most {limit} characters")
        return None
    return value or None


def choice(v: Validator, value: Any, path: str, allowed: Iterable[str]) -> str | None:
    """One of `allowed`, or None when empty."""
    value = text(v, value, path)
    if value is not None and value not in allowed:
        v.add(path, "not_allowed", f"{path} must be one of: {', '.join(allowed)}")
        return None
    return value


def items(v: Validator, value: Any, path: str, limit: int = MAX_ITEMS) -> list[Any]:
    """A list of at most `limit` items ([] when absent)."""
    if value is None:
        return []
    if not isinstance(value, list):
        v.add(path, "wrong_type", f"{path} must be a list")
        return []
    if len(value) > limit:
        v.add(path, "too_many", f"{path} takes at most {limit} items")
        return []
    return value


def codes(v: Validator, value: Any, path: str) -> list[str]:
    """A list of short distinct strings (tags, ids, codes), in the given order."""
    result: list[str] = []
    for i, item in enumerate(items(v, value, path)):
        code = text(v, item, f"{path}[{i}]", 64)
        if code is not None and code not in result:
            result.append(code)
    return result


def record_id(v: Validator, value: str, path: str, required: bool = False) -> str:
    """A record's id (a UUID), "" when absent and not required; `invalid_id` for anything else."""
    if not value:
        if required:
            v.add(path, "required", f"{path} is required")
        return ""
    if not is_uuid(value):
        v.add(path, "invalid_id", f"{path} is not an id")
        return ""
    return value


def iso_date(v: Validator, value: str, path: str) -> date | None:
    """A date written YYYY-MM-DD, or None when empty."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        v.add(path, "invalid_date", f"{path} must be a date YYYY-MM-DD")
        return None
