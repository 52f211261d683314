"""Update masks: an update names the fields it replaces; the others keep their values.

The current record is a dict shaped like its message (as json_format gives
it, snake_case), the patch is the request's, and the paths are the request's
update_mask ("title", "company.inn", "custom_fields.budget").
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from crm_core.errors import Validator, invalid

T = TypeVar("T")


def drop_empty(value: Any) -> Any:
    """`value` without empty fields: None, "", [] and {} are left out of every dict, at every depth.

    An empty value and an absent one are the same thing in a message (proto3 has
    no presence for repeated and map fields, nor for scalars): the dict a record
    is read into holds only what is set, so a field cleared by a mask and a field
    set to empty read the same. List items are kept (cleaned), never dropped.
    """
    if isinstance(value, dict):
        cleaned = {k: drop_empty(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [drop_empty(v) for v in value]
    return value


@dataclass(frozen=True)
class FieldMask:
    """The paths an update of one kind of record may name.

    `paths`: fields and nested fields ("company", "company.inn"). `maps`: map
    fields whose entries may be named one by one, with the pattern of their keys
    ("custom_fields" -> "custom_fields.<key>"). `elsewhere`: fields another
    method changes, with the problem code that says so ("stage_id" ->
    "use_move_stage"), so the caller learns where to go instead of "unknown".
    """

    paths: Collection[str]
    maps: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    elsewhere: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def problem(self, path: str) -> tuple[str, str] | None:
        """(code, message) when an update may not name `path`; None when it may."""
        if path in self.elsewhere:
            return self.elsewhere[path]
        if path in self.paths:
            return None
        prefix, _, key = path.partition(".")
        if prefix in self.maps and self.maps[prefix].match(key):
            return None
        return "unknown_field", f"'{path}' cannot be updated"

    def check(self, paths: Iterable[str]) -> list[str]:
        """The paths when an update may name every one of them, checked before any work is done.

        INVALID_ARGUMENT on `update_mask`: `required` for no path at all (an update
        that names nothing is a mistake, not a no-op), else each path it may not name.
        """
        paths = list(paths)
        if not paths:
            raise invalid("update_mask", "required", "update_mask names no field")
        v = Validator()
        for path in paths:
            problem = self.problem(path)
            if problem is not None:
                v.add("update_mask", *problem)
        v.raise_if_any()
        return paths

    def apply(self, current: Mapping[str, Any], patch: Mapping[str, Any], paths: Iterable[str]) -> dict[str, Any]:
        """A copy of `current` with each masked path replaced by its value in `patch` (absent -> cleared).

        The paths are checked first (`check`); `current` itself is never changed, however deep the path.
        """
        result = copy.deepcopy(dict(current))
        for path in self.check(paths):
            _replace(result, path.split("."), patch)
        return result


def _replace(result: dict[str, Any], keys: list[str], patch: Mapping[str, Any]) -> None:
    source: Any = patch
    for key in keys:
        source = source.get(key) if isinstance(source, dict) else None
    target = result
    for key in keys[:-1]:
        nested = target.setdefault(key, {})
        if not isinstance(nested, dict):  # a scalar where the path goes deeper: replace it
            nested = target[key] = {}
        target = nested
    if source is None:
        target.pop(keys[-1], None)
    else:
        target[keys[-1]] = source


def is_named(paths: Collection[str], name: str) -> bool:
    """Whether an update mask of `paths` names `name`: itself, an object it is in, or a field inside it.

    "company" names "company.inn" (the whole object is replaced) and "company.inn"
    names "company" (part of it is), so a typed input parses exactly the fields an
    update replaces and reports problems only for those.
    """
    parts = name.split(".")
    if any(".".join(parts[:i]) in paths for i in range(1, len(parts) + 1)):
        return True
    return any(path.startswith(f"{name}.") for path in paths)


def with_fields(current: T, source: T, names: Iterable[str]) -> T:
    """`current` (a dataclass) with the fields `names` taken from `source`: a flat update mask applied."""
    return dataclasses.replace(current, **{name: getattr(source, name) for name in names})  # type: ignore[type-var]
