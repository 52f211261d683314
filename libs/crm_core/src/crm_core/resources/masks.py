"""Update masks: an update names the fields it replaces; the others keep their values.

The paths are the request's update_mask ("title", "company.inn",
"custom_fields.budget"). A service checks them first (`FieldMask.check`),
parses only the fields they name (`is_named`) into its typed Changes input,
and applies those to the current record's typed fields (`with_fields`, or
its own `applied_to` where a path does more than replace one field).
"""

from __future__ import annotations

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
