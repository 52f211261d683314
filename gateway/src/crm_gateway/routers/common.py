"""Audit, custom fields and code lists: the same routes for every domain, over crm.common.v1.

Each domain service serves crm.common.v1.AuditService, CustomFieldsService
and CodeListsService (crm_core.common); `mount_common_routes` puts their REST
face on a router once per domain, so the shapes (crm_gateway.schemas.common)
and the rules of every domain are the same. The paths are the ones clients
already use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fastapi import APIRouter, Path, Query, Request
from google.protobuf import field_mask_pb2

from crm.common.v1 import common_pb2
from crm_core.protojson import to_dict_full
from crm_gateway import rest
from crm_gateway.deps import Call, Cursor, Limit
from crm_gateway.schemas.common import (
    AuditEntryOut,
    CodeCreate,
    CodeOut,
    CodePatch,
    CustomFieldCreate,
    CustomFieldOut,
    CustomFieldPatch,
    Page,
)

router = APIRouter(prefix="/api/v1")


def mount_common_routes(
    router: APIRouter,
    *,
    service: str,
    audit: Mapping[str, tuple[str, str]] | None = None,
    custom_fields: str | None = None,
    entity_types: Sequence[str] = (),
    code_lists: Mapping[str, str] | None = None,
) -> None:
    """Mount a domain's audit, custom-field and code-list routes on `router`.

    `service` is the domain service answering them. `audit` maps a record
    collection's path to (its id parameter, its entity type):
    `{"/deals": ("deal_id", "deal")}` gives GET /deals/{deal_id}/audit.
    `custom_fields` is the path of the definitions (GET, POST, PATCH
    <path>/{field_id}) of the kinds `entity_types`; `code_lists` maps a
    path to a list's name: `{"/deals/loss-reasons": "loss_reasons"}` gives
    GET and POST on it and PATCH <path>/{code}. Mount before the domain's own
    routes, so that a fixed path is not taken for a record id.
    """
    for collection, (id_param, entity_type) in (audit or {}).items():
        _mount_audit(router, service, collection, id_param, entity_type)
    if custom_fields:
        _mount_custom_fields(router, service, custom_fields, entity_types)
    for path, list_name in (code_lists or {}).items():
        _mount_code_list(router, service, path, list_name)


def _mount_audit(router: APIRouter, service: str, collection: str, id_param: str, entity_type: str) -> None:
    @router.get(
        f"{collection}/{{{id_param}}}/audit",
        response_model=Page[AuditEntryOut],
        summary="Who changed what, with old and new values, newest first",
        tags=[service],
        name=f"list_{entity_type}_audit",
    )
    async def list_audit(
        call: Call,
        limit: Limit = 50,
        cursor: Cursor = "",
        # The collection's own name for the id ("deal_id"), so the document reads as the domain's routes do.
        record_id: str = Path(alias=id_param),
    ) -> Page[AuditEntryOut]:
        request = common_pb2.ListAuditRequest(entity_type=entity_type, entity_id=record_id, limit=limit, cursor=cursor)
        result = await call.common(service).audit.ListAudit(request)
        return Page[AuditEntryOut](
            items=[rest.out(e, AuditEntryOut) for e in result.entries], next_cursor=result.next_cursor
        )


def _mount_custom_fields(router: APIRouter, service: str, path: str, entity_types: Sequence[str]) -> None:
    kinds = ", ".join(entity_types)

    @router.get(
        path,
        response_model=list[CustomFieldOut],
        summary=f"Custom fields of {kinds}",
        name=f"list_{service}_fields",
        tags=[service],
    )
    async def list_custom_fields(
        call: Call,
        entity_type: str = Query("", max_length=40, description=f"One of: {kinds} (all when left out)"),
        include_archived: bool = False,
    ) -> list[CustomFieldOut]:
        request = common_pb2.ListCustomFieldsRequest(entity_type=entity_type, include_archived=include_archived)
        result = await call.common(service).custom_fields.ListCustomFields(request)
        return [rest.out(f, CustomFieldOut) for f in result.fields]

    @router.post(
        path,
        response_model=CustomFieldOut,
        status_code=201,
        summary=f"Define a custom field of {kinds} (admin)",
        name=f"create_{service}_field",
        tags=[service],
    )
    async def create_custom_field(body: CustomFieldCreate, call: Call) -> CustomFieldOut:
        definition = rest.body_message(body, common_pb2.CustomFieldDefinition)
        return rest.out(await call.common(service).custom_fields.CreateCustomField(definition), CustomFieldOut)

    @router.patch(
        f"{path}/{{field_id}}",
        response_model=CustomFieldOut,
        summary=f"Relabel, re-option, require or archive a custom field of {kinds} (admin)",
        name=f"update_{service}_field",
        tags=[service],
    )
    async def update_custom_field(field_id: str, body: CustomFieldPatch, call: Call) -> CustomFieldOut:
        request = rest.custom_field_update(field_id, body)
        return rest.out(await call.common(service).custom_fields.UpdateCustomField(request), CustomFieldOut)


def _mount_code_list(router: APIRouter, service: str, path: str, list_name: str) -> None:
    what = list_name.replace("_", " ")

    @router.get(
        path,
        response_model=list[CodeOut],
        summary=f"The {what}, in their order",
        name=f"list_{list_name}",
        tags=[service],
    )
    async def list_codes(request: Request, call: Call, include_archived: bool = False) -> list[CodeOut]:
        asked = common_pb2.ListCodesRequest(list=list_name, include_archived=include_archived)
        result = await call.common(service).code_lists.ListCodes(asked)
        return [code_out(c, request) for c in result.codes]

    @router.post(
        path,
        response_model=CodeOut,
        status_code=201,
        summary=f"Add to the {what} (admin)",
        name=f"create_{list_name}",
        tags=[service],
    )
    async def create_code(body: CodeCreate, request: Request, call: Call) -> CodeOut:
        code = common_pb2.Code(
            code=body.code,
            label_ru=body.label_ru or body.label or "",
            label_en=body.label_en or body.label or "",
            order=body.order or 0,
        )
        created = await call.common(service).code_lists.CreateCode(
            common_pb2.CreateCodeRequest(list=list_name, code=code)
        )
        return code_out(created, request)

    @router.patch(
        f"{path}/{{code}}",
        response_model=CodeOut,
        summary=f"Relabel, reorder or archive one of the {what} (admin)",
        name=f"update_{list_name}",
        tags=[service],
    )
    async def update_code(code: str, body: CodePatch, request: Request, call: Call) -> CodeOut:
        update = code_update(list_name, code, body)
        return code_out(await call.common(service).code_lists.UpdateCode(update), request)


def code_update(list_name: str, code: str, body: CodePatch) -> common_pb2.UpdateCodeRequest:
    """A code PATCH body as UpdateCodeRequest: `label` sets both labels; the mask names what the body sets."""
    sent = body.model_dump(exclude_unset=True)
    both = sent.pop("label", None)
    if both is not None:
        sent.setdefault("label_ru", both)
        sent.setdefault("label_en", both)
    message = common_pb2.Code(
        code=code,
        label_ru=sent.get("label_ru") or "",
        label_en=sent.get("label_en") or "",
        order=sent.get("order") or 0,
        archived=bool(sent.get("archived")),
    )
    return common_pb2.UpdateCodeRequest(
        list=list_name, code=message, update_mask=field_mask_pb2.FieldMask(paths=sorted(sent))
    )


def code_out(code: common_pb2.Code, request: Request) -> CodeOut:
    """A code for the response, `label` in the caller's language (Accept-Language: Russian, or else English)."""
    russian = request.headers.get("accept-language", "").lower().startswith("ru")
    return CodeOut.model_validate({**to_dict_full(code), "label": code.label_ru if russian else code.label_en})


# The domains with records, custom fields or code lists. Mounted before the domains' own routers.
mount_common_routes(
    router,
    service="contacts",
    audit={"/parties": ("party_id", "party")},
    custom_fields="/custom-fields",
    entity_types=("company", "person"),
    code_lists={"/relationship-types": "relationship_types"},
)
mount_common_routes(
    router,
    service="deals",
    audit={"/deals": ("deal_id", "deal")},
    custom_fields="/deals/custom-fields",
    entity_types=("deal",),
    code_lists={"/deals/loss-reasons": "loss_reasons", "/units": "units"},
)
mount_common_routes(
    router,
    service="tasks",
    audit={"/tasks": ("task_id", "task")},
    code_lists={"/task-types": "task_types", "/task-results": "task_results"},
)
mount_common_routes(
    router,
    service="helpdesk",
    audit={"/tickets": ("ticket_id", "ticket"), "/kb/articles": ("article_id", "kb_article")},
)
mount_common_routes(
    router,
    service="marketing",
    audit={"/leads": ("lead_id", "lead"), "/campaigns": ("campaign_id", "campaign")},
    code_lists={
        "/leads/disqualification-reasons": "disqualification_reasons",
        "/campaigns/types": "campaign_types",
    },
)
