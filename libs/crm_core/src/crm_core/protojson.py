"""Protobuf <-> plain dict conversion used at the edges (servicers, gateway)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypeVar

from google.protobuf import json_format, struct_pb2, timestamp_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from crm_core.clock import as_utc
from crm_core.errors import FieldProblem, InvalidArgument
from crm_core.numbers import INT32, INT64, UINT32, UINT64
from crm_core.untrusted import TooDeep, TooLarge, document_problems

M = TypeVar("M", bound=Message)


def to_dict(message: Message) -> dict[str, Any]:
    """Fields set on the message, with proto field names (snake_case)."""
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


def to_dict_full(message: Message) -> dict[str, Any]:
    """Every field, defaults included (for API responses with a stable shape)."""
    return json_format.MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )


def from_dict(data: dict[str, Any], message_type: type[M]) -> M:
    """Parse a dict into a message; unknown fields are an error."""
    return json_format.ParseDict(data, message_type())


def from_request(data: Mapping[str, Any], message_type: type[M]) -> M:
    """Parse a request's JSON-like data (a REST body) into a message, refusing what protobuf would raise on.

    An integer outside its field's type (int32 ... uint64, nested and
    repeated fields and map values too) or a time outside a Timestamp's
    years is out_of_range, a time without an offset invalid_datetime, and a
    number a double cannot hold in a Struct invalid_number, each naming its
    field; any other mismatch is INVALID_ARGUMENT as well, never an exception.
    """
    try:
        problems = range_problems(data, message_type.DESCRIPTOR)
    except (TooDeep, TooLarge) as exc:
        raise InvalidArgument("validation_failed", f"{exc} nests too deep or holds too much") from exc
    if problems:
        message = problems[0].message if len(problems) == 1 else f"{len(problems)} fields are invalid"
        raise InvalidArgument("validation_failed", message, problems)
    try:
        return json_format.ParseDict(data, message_type())
    except json_format.ParseError as exc:
        raise InvalidArgument("validation_failed", str(exc)) from exc


_INT_BOUNDS = {
    FieldDescriptor.TYPE_INT32: INT32,
    FieldDescriptor.TYPE_SINT32: INT32,
    FieldDescriptor.TYPE_SFIXED32: INT32,
    FieldDescriptor.TYPE_INT64: INT64,
    FieldDescriptor.TYPE_SINT64: INT64,
    FieldDescriptor.TYPE_SFIXED64: INT64,
    FieldDescriptor.TYPE_UINT32: UINT32,
    FieldDescriptor.TYPE_FIXED32: UINT32,
    FieldDescriptor.TYPE_UINT64: UINT64,
    FieldDescriptor.TYPE_FIXED64: UINT64,
}
_JSON_TYPES = ("google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue")
_TIMESTAMP = "google.protobuf.Timestamp"


def range_problems(data: Any, descriptor: Descriptor) -> list[FieldProblem]:
    """Numbers of `data` that do not fit the fields of `descriptor` they are for, by path (see from_request)."""
    problems: list[FieldProblem] = []
    stack: list[tuple[str, Any, Descriptor]] = [("", data, descriptor)]
    while stack:
        path, value, message = stack.pop()
        if message.full_name in _JSON_TYPES:
            problems += [FieldProblem(_join(path, p.field), p.code, p.message) for p in document_problems(value)]
            continue
        if not isinstance(value, Mapping):
            continue  # ParseDict reports the wrong type
        for key, item in value.items():
            field = message.fields_by_name.get(key) or _by_json_name(message, key)
            if field is None:
                continue
            field_path = _join(path, key)
            if field.message_type is not None and field.message_type.GetOptions().map_entry:
                field = field.message_type.fields_by_name["value"]
                items = [(f"{field_path}.{k}", v) for k, v in item.items()] if isinstance(item, Mapping) else []
            elif field.is_repeated:
                items = [(f"{field_path}[{i}]", v) for i, v in enumerate(item)] if isinstance(item, list) else []
            else:
                items = [(field_path, item)]
            for item_path, element in items:
                bounds = _INT_BOUNDS.get(field.type)
                if bounds is not None and isinstance(element, int) and not bounds[0] <= element <= bounds[1]:
                    message_text = f"{item_path} must be between {bounds[0]} and {bounds[1]}"
                    problems.append(FieldProblem(item_path, "out_of_range", message_text))
                elif field.message_type is not None and field.message_type.full_name == _TIMESTAMP:
                    problems += _timestamp_problems(item_path, element)
                elif field.message_type is not None:
                    stack.append((item_path, element, field.message_type))
    return problems


def _timestamp_problems(path: str, value: Any) -> list[FieldProblem]:
    """A Timestamp is RFC 3339 with an offset, in years 1-9999 once in UTC (ParseDict's own errors name no field)."""
    if not isinstance(value, str):
        return []
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return [FieldProblem(path, "invalid_datetime", f"{path} must be an ISO 8601 date and time with an offset")]
    if parsed.tzinfo is None:
        return [FieldProblem(path, "invalid_datetime", f"{path} needs an offset, e.g. 2026-12-01T10:00:00+03:00")]
    try:
        as_utc(parsed)
    except ValueError:
        return [FieldProblem(path, "out_of_range", f"{path} is out of range (years 1 to 9999 in UTC)")]
    return []


def _by_json_name(message: Descriptor, key: str) -> FieldDescriptor | None:
    return next((f for f in message.fields if f.json_name == key), None)


def _join(path: str, name: str) -> str:
    if not name:
        return path
    if not path or name.startswith("["):
        return f"{path}{name}"
    return f"{path}.{name}"


def struct(values: Mapping[str, Any] | None) -> struct_pb2.Struct:
    """A JSON object (custom fields, audit changes, process variables) as google.protobuf.Struct."""
    message = struct_pb2.Struct()
    message.update(values or {})
    return message


def timestamp(value: datetime | None) -> timestamp_pb2.Timestamp | None:
    if value is None:
        return None
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(value)
    return ts
