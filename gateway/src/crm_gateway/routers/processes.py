"""/api/v1/process-definitions, /process-instances, /process-roles: business processes in the tasks service.

A definition is uploaded as the YAML or JSON document itself (Content-Type
application/yaml or application/json); users it names are checked in the
gateway's directory first. Starting a process on a record reads the record
as the caller, so nobody starts a process on a deal they cannot see.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from crm.tasks.v1 import processes_pb2 as pb
from crm_core.numbers import INT32
from crm_gateway import rest
from crm_gateway.clients import ServiceCall
from crm_gateway.deps import Call, Cursor, Limit
from crm_gateway.directory import check_user_refs
from crm_gateway.problems import Problem
from crm_gateway.records import visible_record
from crm_gateway.schemas.common import Page
from crm_gateway.schemas.processes import (
    CancelInstance,
    DefinitionOut,
    InstanceOut,
    RoleIn,
    RoleOut,
    StartProcess,
)

router = APIRouter(prefix="/api/v1", tags=["processes"])

MAX_DEFINITION = 256 * 1024
FORMATS = {
    "application/json": "json",
    "application/yaml": "yaml",
    "application/x-yaml": "yaml",
    "text/yaml": "yaml",
    "text/plain": "yaml",
}
DEFINITION_BODY = {
    "requestBody": {
        "required": True,
        "description": "The definition document (format: docs/processes.md)",
        "content": {
            "application/yaml": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "object"}},
        },
    }
}


async def _definition_source(request: Request) -> pb.DefinitionSource:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in FORMATS:
        raise Problem(415, "unsupported_media_type", "send the definition as application/yaml or application/json")
    body = await request.body()
    if len(body) > MAX_DEFINITION:
        raise Problem(413, "too_large", f"a definition is at most {MAX_DEFINITION // 1024} KB")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Problem(400, "invalid_encoding", "a definition is UTF-8 text") from exc
    return pb.DefinitionSource(source=text, format=FORMATS[media])


@router.post(
    "/process-definitions",
    response_model=DefinitionOut,
    status_code=201,
    summary="Publish a definition as the next version of its key (admin); dry_run=true only validates",
    openapi_extra=DEFINITION_BODY,
)
async def publish_definition(
    call: Call,
    request: Request,
    response: Response,
    dry_run: Annotated[bool, Query(description="Validate and answer 200 without storing")] = False,
) -> DefinitionOut:
    source = await _definition_source(request)
    checked = await call.processes.ValidateDefinition(source)
    await check_user_refs(request, None, None, checked.user_ids, field="steps.assignee.user")
    if dry_run:
        response.status_code = 200
        return rest.out(checked, DefinitionOut)
    published = await call.processes.PublishDefinition(source)
    response.headers["Location"] = f"/api/v1/process-definitions/{published.key}?version={published.version}"
    return rest.out(published, DefinitionOut)


@router.get(
    "/process-definitions",
    response_model=list[DefinitionOut],
    summary="The newest version of every definition (admins also see instance counts)",
)
async def list_definitions(
    call: Call, include_inactive: Annotated[bool, Query(description="Also the ones turned off")] = True
) -> list[DefinitionOut]:
    result = await call.processes.ListDefinitions(pb.ListDefinitionsRequest(include_inactive=include_inactive))
    return [rest.out(d, DefinitionOut) for d in result.definitions]


@router.get("/process-definitions/{key}", response_model=DefinitionOut, summary="One version with its source")
async def get_definition(
    key: str, call: Call, version: Annotated[int, Query(ge=0, le=INT32[1], description="0: the newest")] = 0
) -> DefinitionOut:
    request = pb.GetDefinitionRequest(key=key, version=version)
    return rest.out(await call.processes.GetDefinition(request), DefinitionOut)


async def _set_active(call: ServiceCall, key: str, active: bool) -> DefinitionOut:
    request = pb.SetDefinitionActiveRequest(key=key, active=active)
    return rest.out(await call.processes.SetDefinitionActive(request), DefinitionOut)


@router.post(
    "/process-definitions/{key}/activate", response_model=DefinitionOut, summary="Turn a definition on (admin)"
)
async def activate_definition(key: str, call: Call) -> DefinitionOut:
    return await _set_active(call, key, True)


@router.post(
    "/process-definitions/{key}/deactivate",
    response_model=DefinitionOut,
    summary="Turn a definition off: no new instances; running ones go on (admin)",
)
async def deactivate_definition(key: str, call: Call) -> DefinitionOut:
    return await _set_active(call, key, False)


@router.post(
    "/process-instances",
    response_model=InstanceOut,
    status_code=201,
    summary="Start a process by hand on a deal or party you can see",
)
async def start_process(body: StartProcess, call: Call, response: Response) -> InstanceOut:
    request = rest.to_message({"key": body.key, "variables": body.variables}, pb.StartProcessRequest)
    if body.record is not None:
        record = await visible_record(call, body.record.kind, body.record.id, "record.id")
        request.record_kind, request.record_id = body.record.kind, body.record.id
        request.owner_id, request.team_id = record.owner_id, record.team_id
        request.client_id = record.client_id if body.record.kind == "deal" else record.id
    instance = await call.processes.StartProcess(request)
    response.headers["Location"] = f"/api/v1/process-instances/{instance.id}"
    return rest.out(instance, InstanceOut)


@router.get(
    "/process-instances",
    response_model=Page[InstanceOut],
    summary="Monitoring (admin): instances newest first with where each stands and whether it is late",
)
async def list_instances(
    call: Call,
    key: Annotated[str, Query(max_length=63, description="One definition")] = "",
    status: Annotated[str, Query(max_length=20, description="running, completed, failed or cancelled")] = "",
    late: Annotated[bool, Query(description="Only running instances whose current task is overdue")] = False,
    record_id: Annotated[str, Query(max_length=64, description="Only instances about this deal or party")] = "",
    limit: Limit = 50,
    cursor: Cursor = "",
) -> Page[InstanceOut]:
    request = pb.ListInstancesRequest(
        key=key, status=status, late_only=late, record_id=record_id, limit=limit, cursor=cursor
    )
    result = await call.processes.ListInstances(request)
    return Page[InstanceOut](items=[rest.out(i, InstanceOut) for i in result.instances], next_cursor=result.next_cursor)


@router.get(
    "/process-instances/{instance_id}",
    response_model=InstanceOut,
    summary="One instance with every step it went through and how long each took",
)
async def get_instance(instance_id: str, call: Call) -> InstanceOut:
    request = pb.GetInstanceRequest(id=instance_id)
    return rest.out(await call.processes.GetInstance(request), InstanceOut)


@router.post(
    "/process-instances/{instance_id}/cancel",
    response_model=InstanceOut,
    summary="Stop an instance and cancel its open tasks (admin)",
)
async def cancel_instance(instance_id: str, body: CancelInstance, call: Call) -> InstanceOut:
    request = pb.CancelInstanceRequest(id=instance_id, reason=body.reason)
    return rest.out(await call.processes.CancelInstance(request), InstanceOut)


@router.post(
    "/process-instances/{instance_id}/retry",
    response_model=InstanceOut,
    summary="Run the step a failed instance stopped at once more (admin)",
)
async def retry_instance(instance_id: str, call: Call) -> InstanceOut:
    request = pb.GetInstanceRequest(id=instance_id)
    return rest.out(await call.processes.RetryInstance(request), InstanceOut)


@router.get("/process-roles", response_model=list[RoleOut], summary="Roles process steps assign tasks to")
async def list_roles(call: Call) -> list[RoleOut]:
    result = await call.processes.ListRoles(pb.ListRolesRequest())
    return [rest.out(r, RoleOut) for r in result.roles]


@router.put(
    "/process-roles/{code}",
    response_model=RoleOut,
    summary="Create or replace a role and its members (admin); its tasks go to the least busy member",
)
async def set_role(code: str, body: RoleIn, call: Call, request: Request) -> RoleOut:
    await check_user_refs(request, None, None, body.member_ids, field="member_ids")
    role = pb.ProcessRole(code=code, label=body.label, member_ids=body.member_ids)
    return rest.out(await call.processes.SetRole(role), RoleOut)
