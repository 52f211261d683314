"""Custom fields: admin-defined typed fields on a service's records, stored in a JSONB column.

Each service keeps its own definition table (entity_type, key, label, type,
options, required, archived) and a `custom_fields` JSONB column on the
records; the rules are here, once: what a definition may be, whether values
fit their definitions, and how `cf.<key>` filters become SQL.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Date, Numeric, cast, literal, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from crm.common.v1 import common_pb2
from crm_core.audit import diff, record_audit
from crm_core.db import is_uuid, new_id
from crm_core.errors import AlreadyExists, Validator, invalid, not_found
from crm_core.filtering import FieldSpec, condition
from crm_core.untrusted import fits_double

TYPES = ("string", "number", "date", "enum", "bool")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
MAX_TEXT = 2000
MAX_LABEL = 300
# Definition fields an update may change (key and type are fixed: stored values depend on them).
UPDATABLE = frozenset({"label", "options", "required", "archived"})

_CASTS = {"number": Numeric, "date": Date, "bool": Boolean}
_FILTER_TYPES = {"number": "number", "date": "date", "bool": "bool"}


def definition_fields(data: Mapping[str, Any], entity_types: Collection[str]) -> dict[str, Any]:
    """Validate a definition (as a dict) and return its columns; InvalidArgument lists every problem."""
    v = Validator()
    entity_type = data.get("entity_type") or ""
    key = data.get("key") or ""
    kind = data.get("type") or ""
    options = [o for o in (data.get("options") or []) if isinstance(o, str) and o.strip()]
    label = (data.get("label") or "").strip()
    if entity_type not in entity_types:
        v.add("entity_type", "not_allowed", f"entity_type must be one of {', '.join(entity_types)}")
    if not KEY_PATTERN.match(key):
        v.add("key", "invalid_key", "key must be snake_case, starting with a letter, at most 63 characters")
    if kind not in TYPES:
        v.add("type", "not_allowed", f"type must be one of {', '.join(TYPES)}")
    if kind == "enum" and not options:
        v.add("options", "required", "an enum field needs options")
    if not label or len(label) > MAX_LABEL:
        v.add("label", "required", f"label is required (at most {MAX_LABEL} characters)")
    v.raise_if_any()
    return {
        "entity_type": entity_type,
        "key": key,
        "label": label,
        "type": kind,
        "options": options,
        "required": bool(data.get("required")),
        "archived": bool(data.get("archived")),
    }


def check_update_paths(paths: Iterable[str]) -> list[str]:
    """The update mask of a definition change; anything but UPDATABLE fields is INVALID_ARGUMENT."""
    paths = list(paths)
    if not paths or set(paths) - UPDATABLE:
        raise invalid("update_mask", "unknown_field", f"update_mask may name only: {', '.join(sorted(UPDATABLE))}")
    return paths


def validate_values(
    v: Validator,
    values: Any,
    defs: Mapping[str, Mapping[str, Any]],
    changed_keys: Iterable[str] | None = None,
    entity: str = "this kind",
) -> dict[str, Any]:
    """Check values against their definitions (type, options, required); problems go to `v`.

    `defs` are the entity's definitions by key, each with type, options,
    required and archived. Only keys in `changed_keys` (all keys when None)
    face the archived check, so a stored value of an archived field survives
    being sent back unchanged. Numbers are finite doubles (jsonb refuses NaN);
    whole ones are stored as ints.
    """
    if not isinstance(values, dict):
        v.add("custom_fields", "wrong_type", "custom_fields must be an object")
        return {}
    changed = set(values) if changed_keys is None else set(changed_keys)
    result: dict[str, Any] = {}
    for key, value in values.items():
        path = f"custom_fields.{key}"
        definition = defs.get(key)
        if definition is None:
            v.add(path, "unknown_custom_field", f"no custom field '{key}' is defined for {entity}")
            continue
        if definition["archived"] and key in changed:
            v.add(path, "archived_custom_field", f"custom field '{key}' is archived")
            continue
        if value is None:
            continue
        kind = definition["type"]
        ok = (
            (kind == "string" and isinstance(value, str) and len(value) <= MAX_TEXT)
            or (
                kind == "number"
                and isinstance(value, int | float)
                and not isinstance(value, bool)
                and fits_double(value)
            )
            or (kind == "bool" and isinstance(value, bool))
            or (kind == "enum" and value in definition["options"])
            or (kind == "date" and isinstance(value, str) and _is_date(value))
        )
        if not ok:
            expected = f"one of {', '.join(definition['options'])}" if kind == "enum" else f"a {kind}"
            v.add(path, "invalid_custom_field", f"custom field '{key}' must be {expected}")
            continue
        result[key] = int(value) if kind == "number" and float(value).is_integer() else value
    for key, definition in defs.items():
        if definition["required"] and not definition["archived"] and result.get(key) in (None, ""):
            v.add(f"custom_fields.{key}", "required", f"custom field '{key}' is required")
    return result


def filter_condition(
    column: Any, key: str, op: str, value: str, where: str, types: Mapping[str, str]
) -> ColumnElement[bool]:
    """SQL for a `cf.<key>` filter on the JSONB `column`, typed by the field's definition."""
    kind = types.get(key)
    if kind is None:
        raise invalid(where, "unknown_filter_field", f"{where}: no custom field '{key}'")
    if op == "eq" and kind in ("string", "enum"):
        return column.op("@>")(literal({key: value}, JSONB))  # containment uses a GIN index
    text = column[key].astext
    typed = cast(text, _CASTS[kind]) if kind in _CASTS else text
    return condition(FieldSpec(typed, _FILTER_TYPES.get(kind, "text")), op, value, where)


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def definition_message(definition: Any) -> common_pb2.CustomFieldDefinition:
    """A definition row (any service's custom-field table) as crm.common.v1.CustomFieldDefinition."""
    return common_pb2.CustomFieldDefinition(
        id=definition.id,
        entity_type=definition.entity_type,
        key=definition.key,
        label=definition.label,
        type=definition.type,
        options=definition.options,
        required=definition.required,
        archived=definition.archived,
    )


_DEFINITION_COLUMNS = ("entity_type", "key", "label", "type", "options", "required", "archived")


async def create_definition(
    session: AsyncSession, model: Any, data: Mapping[str, Any], entity_types: Collection[str], actor_id: str
) -> Any:
    """Validate and add a definition row of `model` (a service's custom-field table), audited.

    ALREADY_EXISTS when the entity type already has a field with that key.
    """
    fields = definition_fields(data, entity_types)
    exists = await session.scalar(
        select(model.id).where(model.entity_type == fields["entity_type"], model.key == fields["key"])
    )
    if exists is not None:
        raise AlreadyExists(
            "custom_field_exists", f"custom field '{fields['key']}' already exists for {fields['entity_type']}"
        )
    definition = model(id=new_id(), **fields)
    session.add(definition)
    record_audit(
        session,
        entity_type="custom_field",
        entity_id=definition.id,
        action="created",
        actor_id=actor_id,
        changes={"key": {"old": None, "new": definition.key}},
    )
    return definition


async def update_definition(
    session: AsyncSession,
    model: Any,
    field_id: str,
    data: Mapping[str, Any],
    paths: Iterable[str],
    entity_types: Collection[str],
    actor_id: str,
) -> Any:
    """Change the label, options, required flag or archived flag of a definition, audited."""
    paths = check_update_paths(paths)
    definition = await session.get(model, field_id) if is_uuid(field_id) else None
    if definition is None:
        raise not_found("custom_field", field_id)
    current = {column: getattr(definition, column) for column in _DEFINITION_COLUMNS}
    current["options"] = list(current["options"])
    updated = definition_fields({**current, **{p: data.get(p) for p in paths}}, entity_types)
    changes = diff(current, updated)
    for key, value in updated.items():
        setattr(definition, key, value)
    record_audit(
        session,
        entity_type="custom_field",
        entity_id=definition.id,
        action="updated",
        actor_id=actor_id,
        changes=changes,
    )
    return definition
