"""Protobuf <-> plain dict conversion used at the edges (servicers, gateway)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypeVar

from google.protobuf import json_format, struct_pb2, timestamp_pb2
from google.protobuf.message import Message

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
