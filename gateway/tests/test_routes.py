"""Every route of the API, as FastAPI sees it: integer parameters carry bounds protobuf can hold."""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Any, Union, get_args, get_origin

import pytest
from fastapi import routing
from fastapi.dependencies.utils import get_flat_params

from crm_core.numbers import INT64
from crm_gateway.app import create_app


def _involves_int(annotation: Any) -> bool:
    if annotation is int:
        return True
    if get_origin(annotation) in (Union, types.UnionType, list):
        return any(_involves_int(arg) for arg in get_args(annotation))
    return False


def int_parameters() -> Iterator[tuple[str, str, Any]]:
    """(operation, parameter, field info) for every int path, query, header and cookie parameter."""
    for context in routing.iter_route_contexts(create_app().routes):
        route = context.original_route
        if not isinstance(route, routing.APIRoute):
            continue
        for param in get_flat_params(route.dependant):
            if _involves_int(param.field_info.annotation):
                yield f"{','.join(sorted(context.methods or []))} {context.path}", param.alias, param.field_info


def bounds(field_info: Any) -> tuple[int | None, int | None]:
    low = high = None
    for constraint in field_info.metadata:
        if getattr(constraint, "ge", None) is not None:
            low = constraint.ge
        if getattr(constraint, "gt", None) is not None:
            low = constraint.gt + 1
        if getattr(constraint, "le", None) is not None:
            high = constraint.le
        if getattr(constraint, "lt", None) is not None:
            high = constraint.lt - 1
    return low, high


def test_the_app_has_int_parameters_to_check() -> None:
    assert {name for _, name, _ in int_parameters()} >= {"limit", "version"}


def test_every_int_parameter_is_bounded_within_int64() -> None:
    """An unbounded int reaches protobuf (int32/int64), which raises on 2**70: a 500 instead of a 422."""
    unbounded = [
        f"{operation} {name}: bounds {bounds(info)}"
        for operation, name, info in int_parameters()
        if None in bounds(info) or not INT64[0] <= bounds(info)[0] <= bounds(info)[1] <= INT64[1]  # type: ignore[operator]
    ]
    assert unbounded == [], "int parameters without ge/le bounds within int64:\n" + "\n".join(unbounded)


@pytest.mark.parametrize("name", ["limit", "version"])
def test_bounds_are_read_from_the_parameters(name: str) -> None:
    found = [bounds(info) for _, param, info in int_parameters() if param == name]
    assert found and all(None not in b for b in found)
