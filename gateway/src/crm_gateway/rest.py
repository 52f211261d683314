"""Helpers every router uses: filters, ETags, merge-patch masks, proto <-> JSON."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from fastapi import Response
from google.protobuf import field_mask_pb2
from google.protobuf.message import Message
from pydantic import BaseModel

from crm.common.v1 import common_pb2
from crm_core.errors import CrmError
from crm_core.numbers import INT64
from crm_core.protojson import from_request, to_dict_full
from crm_gateway.problems import Problem, problem_from_error

M = TypeVar("M", bound=Message)
OutT = TypeVar("OutT", bound=BaseModel)

FILTER_HELP = (
    "field:op:value, e.g. industry:eq:Retail, tags:in:vip,key, cf.budget:gte:100000, created_at:gte:2026-01-01"
)


def parse_filters(raw: list[str]) -> list[common_pb2.Filter]:
    """`field:op:value` query parameters -> protobuf filters ("field:exists" needs no value)."""
    filters = []
    for i, item in enumerate(raw):
        parts = item.split(":", 2)
        if len(parts) == 2 and parts[1] == "exists":
            parts.append("true")
        if len(parts) != 3 or not parts[0] or not parts[1]:
            raise Problem(
                422,
                "invalid_filter",
                f"filter[{i}] must look like {FILTER_HELP}",
                [{"field": f"filter[{i}]", "code": "invalid_filter", "message": item}],
            )
        filters.append(common_pb2.Filter(field=parts[0], op=parts[1], value=parts[2]))
    return filters


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'


# A version this API could have returned: 1 up to the largest int64 (str.isdigit also takes "³" and "٣").
_VERSION = re.compile(r"[1-9][0-9]{0,18}")


def expected_version(if_match: str | None) -> int:
    """If-Match: "<version>" -> the version; absent or * -> 0 (no check); anything else is 400."""
    if not if_match or if_match.strip() == "*":
        return 0
    value = if_match.strip().removeprefix("W/").strip('"')
    if not _VERSION.fullmatch(value) or int(value) > INT64[1]:
        raise Problem(400, "invalid_if_match", 'If-Match must be an ETag returned by this API, e.g. "3"')
    return int(value)


def body_message(model: BaseModel, message_type: type[M]) -> M:
    """A request body as a protobuf message (fields left out stay unset); see to_message."""
    return to_message(model.model_dump(mode="json", exclude_none=True), message_type)


def patch_message(body: BaseModel, message_type: type[M], record_id: str) -> tuple[M, field_mask_pb2.FieldMask]:
    """A PATCH body as the record's message (its `id` set, the fields sent) and the mask naming those fields;
    a field sent as null is in the mask with its empty value (the service decides whether that clears it)."""
    fields = body.model_dump(mode="json", exclude_unset=True)
    message = to_message({k: v for k, v in fields.items() if v is not None}, message_type)
    message.id = record_id  # type: ignore[attr-defined]
    return message, field_mask_pb2.FieldMask(paths=list(fields))


def to_message(data: dict[str, Any], message_type: type[M]) -> M:
    """JSON-like request data as a protobuf message: numbers that do not fit their fields are 422, naming them."""
    try:
        return from_request(data, message_type)
    except CrmError as exc:
        raise problem_from_error(exc) from exc


def versioned(message: Message, model: type[OutT], response: Response) -> OutT:
    """A versioned resource as a response model, with its version as the ETag."""
    set_etag(response, message.version)  # type: ignore[attr-defined]
    return out(message, model)


def out(message: Message, model: type[OutT]) -> OutT:
    """A protobuf message as a response model."""
    return model.model_validate(to_dict_full(message))


def sent(body: BaseModel, response: Response) -> Response:
    """A response model already validated (by `out`), sent as it is.

    FastAPI validates whatever an endpoint returns against its response_model a second time, item
    by item: for a page of fifty parties that was a third of the gateway's work. A Response is sent
    untouched, so read endpoints that build their body with `out` return it through here (their
    response_model stays, for the OpenAPI description). Headers set on `response` (the ETag) go along.
    """
    return Response(body.model_dump_json(), media_type="application/json", headers=dict(response.headers))


MERGEABLE = frozenset({"company", "person", "knowledge", "knowledge.purchase_volume", "custom_fields"})


def merge_patch(body: dict[str, Any], prefix: str = "") -> tuple[dict[str, Any], list[str]]:
    """A JSON merge patch -> (patch without nulls, field mask paths). Nested objects merge; null clears."""
    patch: dict[str, Any] = {}
    paths: list[str] = []
    for key, value in body.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and path in MERGEABLE:
            inner, inner_paths = merge_patch(value, f"{path}.")
            if path == "custom_fields" or inner_paths:
                patch[key] = inner
            paths += inner_paths
        else:
            paths.append(path)
            if value is not None:
                patch[key] = value
    return patch, paths


def custom_field_update(field_id: str, body: BaseModel) -> common_pb2.UpdateCustomFieldRequest:
    """A custom-field PATCH body as UpdateCustomFieldRequest, masked to the fields it sets."""
    definition = body_message(body, common_pb2.CustomFieldDefinition)
    definition.id = field_id
    return common_pb2.UpdateCustomFieldRequest(
        field=definition, update_mask=field_mask_pb2.FieldMask(paths=sorted(body.model_dump(exclude_unset=True)))
    )
