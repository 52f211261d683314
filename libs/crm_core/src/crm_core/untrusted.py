"""Input refused before a parser or PostgreSQL chokes on it: bad text and deep documents.

PostgreSQL stores neither U+0000 in text and jsonb nor lone UTF-16
surrogates (they have no UTF-8 form), so such text is refused where it
enters, naming where it was. Python's json and YAML parsers recurse once
per nesting level, so a deep enough document is a RecursionError: its
depth is measured first, without parsing it. Nothing here recurses,
however deep its input is.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from crm_core.errors import FieldProblem

MAX_DEPTH = 64
# Nodes of a parsed document, aliases counted each time they are used (a YAML "billion laughs" is small text).
MAX_NODES = 100_000

_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
# A JSON string, escapes included; DOTALL so a backslash before any character is one escape, as in json.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")
_JSON_CONSTANT = re.compile(r"NaN|Infinity")
# \u0000 or a surrogate escape: the only ways a valid JSON text holds bad text (raw control characters are invalid).
_JSON_BAD_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")

INVALID_TEXT = "invalid_text"
INVALID_NUMBER = "invalid_number"
TEXT_MESSAGE = "text must not contain NUL characters (U+0000) or unpaired surrogates"
NUMBER_MESSAGE = "numbers must be finite (no NaN or Infinity) and fit a double"
TIMESTAMP_MESSAGE = "a time must be within the years 1 to 9999 (UTC)"


class TooDeep(ValueError):
    """A document nested deeper than MAX_DEPTH (or endlessly, through a YAML alias)."""


class TooLarge(ValueError):
    """A document with more than MAX_NODES nodes once its aliases are expanded."""


def has_bad_text(text: str) -> bool:
    """Whether `text` holds a NUL character or a lone surrogate."""
    return _BAD_TEXT.search(text) is not None


def printable(text: str) -> str:
    """`text` with its bad characters written as \\uXXXX, to name a key that holds one."""
    return _BAD_TEXT.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


@dataclass(frozen=True)
class JsonScan:
    """What a JSON text holds that its parser would not refuse by itself."""

    too_deep: bool  # arrays and objects nested deeper than the limit
    non_standard: bool  # NaN or Infinity outside strings: Python's json reads them, JSON has no such thing
    bad_escapes: bool  # an escape that may decode to bad text: parse and look (bad_text_paths)


def scan_json(text: str, limit: int = MAX_DEPTH) -> JsonScan:
    """Scan a JSON text without parsing it: substring searches, and only a text with more than `limit`
    brackets has its strings cut out and its brackets counted (some 40 ns a bracket).

    The depth is never under-counted before the first syntax error, so a
    parser that stops there never recurses deeper than `limit`.
    """
    deep_enough = text.count("[") + text.count("{") > limit
    constants = "NaN" in text or "Infinity" in text
    skeleton = _JSON_STRING.sub("", text) if deep_enough or constants else ""
    too_deep = False
    if deep_enough:
        depth = 0
        for bracket in _JSON_BRACKET.findall(skeleton):
            depth = depth + 1 if bracket in "[{" else max(depth - 1, 0)
            if depth > limit:
                too_deep = True
                break
    return JsonScan(
        too_deep=too_deep,
        non_standard=constants and _JSON_CONSTANT.search(skeleton) is not None,
        bad_escapes=_JSON_BAD_ESCAPE.search(text) is not None,
    )


def _key_path(path: str, key: object) -> str:
    name = printable(key) if isinstance(key, str) else str(key)
    return f"{path}.{name}" if path else name


def _nodes(value: Any, max_depth: int, max_nodes: int) -> Iterator[tuple[str, Any]]:
    """(path, item) for every value and every key of a parsed document, depth first."""
    stack: list[tuple[str, Any, int]] = [("", value, 0)]
    count = 0
    while stack:
        path, item, depth = stack.pop()
        count += 1
        if count > max_nodes:
            raise TooLarge(path)
        yield path, item
        if isinstance(item, dict | list) and depth >= max_depth:
            raise TooDeep(path)
        if isinstance(item, dict):
            for key, child in reversed(item.items()):
                child_path = _key_path(path, key)
                yield child_path, key
                stack.append((child_path, child, depth + 1))
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", child, depth + 1) for i, child in reversed(list(enumerate(item))))


def bad_text_paths(value: Any, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> list[str]:
    """Paths (company.legal_name, items[2].name) of the strings and keys of a parsed document holding bad text.

    Raises TooDeep or TooLarge past the limits.
    """
    return [path for path, item in _nodes(value, max_depth, max_nodes) if isinstance(item, str) and has_bad_text(item)]


def document_problems(value: Any, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> list[FieldProblem]:
    """What PostgreSQL's jsonb and protobuf's Struct cannot hold in a parsed document, by path.

    Bad text, and numbers that are not finite or do not fit a double.
    Raises TooDeep or TooLarge past the limits.
    """
    problems = []
    for path, item in _nodes(value, max_depth, max_nodes):
        if isinstance(item, str) and has_bad_text(item):
            problems.append(FieldProblem(path, INVALID_TEXT, TEXT_MESSAGE))
        elif isinstance(item, float | int) and not isinstance(item, bool) and not fits_double(item):
            problems.append(FieldProblem(path, INVALID_NUMBER, NUMBER_MESSAGE))
    return problems


def fits_double(number: float) -> bool:
    """Finite and within a double's range (JSON numbers travel as doubles in google.protobuf.Value)."""
    if isinstance(number, int):
        return -_MAX_DOUBLE_INT <= number <= _MAX_DOUBLE_INT
    return math.isfinite(number)


_MAX_DOUBLE_INT = int(1.7976931348623157e308)

_STRUCT = "google.protobuf.Struct"
_LIST_VALUE = "google.protobuf.ListValue"
_VALUE = "google.protobuf.Value"
_TIMESTAMP = "google.protobuf.Timestamp"
# 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: what Timestamp.ToDatetime and PostgreSQL's timestamptz take.
_MIN_SECONDS, _MAX_SECONDS = -62_135_596_800, 253_402_300_799


@cache
def _is_map(field: FieldDescriptor) -> bool:
    return bool(field.message_type is not None and field.message_type.GetOptions().map_entry)


@cache
def _map_value_is(descriptor: Descriptor, kind: int) -> bool:
    return bool(descriptor.fields_by_name["value"].type == kind)


def message_problems(message: Message) -> list[FieldProblem]:
    """Bad text in any string of a protobuf message, numbers JSON cannot hold in its Structs, and Timestamps
    outside the years 1-9999 (ToDatetime raises on them), by field path.

    Walks set fields only (ListFields), so an empty or small request costs
    next to nothing: nested and repeated messages, map keys and values,
    and google.protobuf.Struct/Value/ListValue contents.
    """
    problems: list[FieldProblem] = []

    def check(path: str, text: str) -> None:
        if has_bad_text(text):
            problems.append(FieldProblem(path, INVALID_TEXT, TEXT_MESSAGE))

    stack: list[tuple[str, Message]] = [("", message)]
    while stack:
        path, current = stack.pop()
        kind = current.DESCRIPTOR.full_name
        if kind == _STRUCT:
            for key, value in current.fields.items():  # type: ignore[attr-defined]
                check(_key_path(path, key), key)
                stack.append((_key_path(path, key), value))
        elif kind == _LIST_VALUE:
            stack.extend((f"{path}[{i}]", value) for i, value in enumerate(current.values))  # type: ignore[attr-defined]
        elif kind == _TIMESTAMP:
            seconds, nanos = current.seconds, current.nanos  # type: ignore[attr-defined]
            if not _MIN_SECONDS <= seconds <= _MAX_SECONDS or not 0 <= nanos <= 999_999_999:
                problems.append(FieldProblem(path, "out_of_range", TIMESTAMP_MESSAGE))
        elif kind == _VALUE:
            which = current.WhichOneof("kind")
            if which == "string_value":
                check(path, current.string_value)  # type: ignore[attr-defined]
            elif which == "number_value" and not math.isfinite(current.number_value):  # type: ignore[attr-defined]
                problems.append(FieldProblem(path, INVALID_NUMBER, NUMBER_MESSAGE))
            elif which in ("struct_value", "list_value"):
                stack.append((path, getattr(current, which)))
        else:
            for field, value in current.ListFields():
                field_path = _key_path(path, field.name)
                if _is_map(field):
                    entry = field.message_type
                    for key, item in value.items():
                        item_path = _key_path(field_path, key)
                        if isinstance(key, str):
                            check(item_path, key)
                        if _map_value_is(entry, FieldDescriptor.TYPE_STRING):
                            check(item_path, item)
                        elif _map_value_is(entry, FieldDescriptor.TYPE_MESSAGE):
                            stack.append((item_path, item))
                elif field.type == FieldDescriptor.TYPE_STRING:
                    if field.is_repeated:
                        for i, text in enumerate(value):
                            check(f"{field_path}[{i}]", text)
                    else:
                        check(field_path, value)
                elif field.type == FieldDescriptor.TYPE_MESSAGE:
                    if field.is_repeated:
                        stack.extend((f"{field_path}[{i}]", item) for i, item in enumerate(value))
                    else:
                        stack.append((field_path, value))
    return problems
