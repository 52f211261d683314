"""gRPC servicer of crm.tasks.v1.ProcessesService: protobuf <-> domain, nothing more."""

from __future__ import annotations

from datetime import datetime
from typing import TypeAlias

import grpc
from google.protobuf import json_format

from crm.tasks.v1 import processes_pb2 as pb
from crm.tasks.v1 import processes_pb2_grpc
from crm_core.acl import require_admin
from crm_core.auth import current_caller
from crm_core.clock import Clock
from crm_core.db import Database
from crm_core.pagination import clamp_limit
from crm_core.protojson import struct, timestamp
from crm_tasks.models import ProcessDefinition, ProcessInstance, ProcessRole, ProcessStepRun
from crm_tasks.processes import repository
from crm_tasks.processes.commands import Processes
from crm_tasks.processes.definition import NO_TEXT, Definition
from crm_tasks.processes.engine import ProcessEngine
from crm_tasks.processes.parser import parse_definition
from crm_tasks.processes.repository import InstanceCounts, InstanceQuery, InstanceView

Context: TypeAlias = grpc.aio.ServicerContext


def definition_message(
    row: ProcessDefinition | None,
    d: Definition,
    counts: InstanceCounts | None = None,
    *,
    language: str,
    source: bool = True,
) -> pb.ProcessDefinition:
    """The definition as the API shows it; `source=False` leaves out the document (it may hold webhook URLs).

    Texts come in both languages (name_ru, name_en, ...) and, in the plain fields, in `language`: the
    installation's, which the web client falls back to.
    """
    message = pb.ProcessDefinition(
        key=d.key,
        name=d.name.in_language(language),
        description=d.description.in_language(language),
        name_ru=d.name.ru,
        name_en=d.name.en,
        description_ru=d.description.ru,
        description_en=d.description.en,
        trigger_event=d.trigger.event,
        trigger_condition=d.trigger.condition,
        steps=[
            pb.DefinitionStep(
                id=s.id, type=s.type, name=s.name.in_language(language), name_ru=s.name.ru, name_en=s.name.en
            )
            for s in d.steps.values()
        ],
        user_ids=d.user_ids(),
        roles=d.roles(),
        variables=struct(dict(d.variables)),
    )
    if row is not None:
        message.id, message.version, message.active = row.id, row.version, row.active
        message.format, message.created_by = row.source_format, row.created_by
        message.source = row.source if source else ""
        message.created_at.CopyFrom(timestamp(row.created_at))
    if counts is not None:
        message.counts.CopyFrom(pb.InstanceCounts(**vars(counts)))
    return message


def _run(run: ProcessStepRun, d: Definition, now: datetime, language: str) -> pb.StepRun:
    end = run.left_at or now
    step = d.steps.get(run.step_id)
    name = step.name if step else NO_TEXT
    return pb.StepRun(
        step_id=run.step_id,
        step_type=run.step_type,
        step_name=name.in_language(language),
        step_name_ru=name.ru,
        step_name_en=name.en,
        entered_at=timestamp(run.entered_at),
        left_at=timestamp(run.left_at),
        due_at=timestamp(run.due_at),
        task_id=run.task_id or "",
        result=run.result,
        seconds=max((end - run.entered_at).total_seconds(), 0.0),
        late=run.left_at is None and run.step_type == "user_task" and run.due_at is not None and run.due_at < now,
    )


def instance_message(view: InstanceView, d: Definition, now: datetime, language: str) -> pb.ProcessInstance:
    """An instance with its steps; the definition's and steps' names in both languages and in `language`."""
    instance: ProcessInstance = view.instance
    runs = [_run(r, d, now, language) for r in view.runs]
    return pb.ProcessInstance(
        id=instance.id,
        definition_key=instance.definition_key,
        definition_version=instance.definition_version,
        definition_name=d.name.in_language(language),
        definition_name_ru=d.name.ru,
        definition_name_en=d.name.en,
        status=instance.status,
        current_step=instance.current_step or "",
        variables=struct(instance.variables),
        record_kind=instance.record_kind,
        record_id=instance.record_id,
        started_by=instance.started_by,
        started_at=timestamp(instance.started_at),
        finished_at=timestamp(instance.finished_at),
        error=instance.error,
        late=instance.status == "running" and any(r.late for r in runs if not r.HasField("left_at")),
        steps=runs,
        version=instance.version,
    )


def _role(role: ProcessRole) -> pb.ProcessRole:
    return pb.ProcessRole(code=role.code, label=role.label, member_ids=role.member_ids)


class ProcessesServicer(processes_pb2_grpc.ProcessesServiceServicer):
    """Definitions, instances and roles; rules live in processes.commands and the engine."""

    def __init__(self, db: Database, processes: Processes, engine: ProcessEngine, clock: Clock) -> None:
        self.db = db
        self.processes = processes
        self.engine = engine
        self.clock = clock

    async def _instance(self, instance_id: str) -> pb.ProcessInstance:
        now = self.clock.now()
        async with self.db.readers() as session:
            instance, whole = await repository.instance_for(session, current_caller(), instance_id, now)
            view = await repository.instance_view(session, instance)
            d = await self.engine.definition(session, instance.definition_id)
        message = instance_message(view, d, now, self.engine.language)
        if not whole:
            message.ClearField("variables")
        return message

    async def ValidateDefinition(self, request: pb.DefinitionSource, context: Context) -> pb.ProcessDefinition:
        """Parse and check a definition; nothing is stored."""
        return definition_message(None, parse_definition(request.source, request.format), language=self.engine.language)

    async def PublishDefinition(self, request: pb.DefinitionSource, context: Context) -> pb.ProcessDefinition:
        """Store the next version of the definition's key (admin)."""
        row = await self.processes.publish_definition(current_caller(), request.source, request.format)
        return definition_message(row, parse_definition(row.source, row.source_format), language=self.engine.language)

    async def ListDefinitions(self, request: pb.ListDefinitionsRequest, context: Context) -> pb.ListDefinitionsResponse:
        """The newest version of every key; admins also get instance counts."""
        caller = current_caller()
        async with self.db.readers() as session:
            rows = await repository.newest_definitions(session, include_inactive=request.include_inactive)
            counts = await repository.instance_counts(session, self.clock.now()) if caller.is_admin else {}
            parsed = [await self.engine.definition(session, row.id) for row in rows]
        return pb.ListDefinitionsResponse(
            definitions=[
                definition_message(
                    row,
                    d,
                    counts.get(row.key, InstanceCounts()) if caller.is_admin else None,
                    language=self.engine.language,
                    source=caller.is_admin,
                )
                for row, d in zip(rows, parsed, strict=True)
            ]
        )

    async def GetDefinition(self, request: pb.GetDefinitionRequest, context: Context) -> pb.ProcessDefinition:
        """One version (0: the newest); admins also get its source."""
        async with self.db.readers() as session:
            row = await repository.definition_version(session, request.key, request.version)
            d = await self.engine.definition(session, row.id)
        return definition_message(row, d, language=self.engine.language, source=current_caller().is_admin)

    async def SetDefinitionActive(
        self, request: pb.SetDefinitionActiveRequest, context: Context
    ) -> pb.ProcessDefinition:
        """Turn a key's triggers and manual starts on or off (admin)."""
        row = await self.processes.set_active(current_caller(), request.key, request.active)
        return definition_message(row, parse_definition(row.source, row.source_format), language=self.engine.language)

    async def StartProcess(self, request: pb.StartProcessRequest, context: Context) -> pb.ProcessInstance:
        """Start the newest active version on a record (the gateway checked the caller sees it)."""
        record = {"owner_id": request.owner_id, "team_id": request.team_id, "client_id": request.client_id}
        instance = await self.processes.start_process(
            current_caller(),
            request.key,
            request.record_kind,
            request.record_id,
            json_format.MessageToDict(request.variables),
            record,
        )
        return await self._instance(instance.id)

    async def ListInstances(self, request: pb.ListInstancesRequest, context: Context) -> pb.ListInstancesResponse:
        """Instances newest first with where each stands (admin)."""
        require_admin(current_caller(), "monitor processes")
        now = self.clock.now()
        query = InstanceQuery(request.key, request.status, request.late_only, request.record_id)
        async with self.db.readers() as session:
            page = await repository.list_instances(session, query, now, clamp_limit(request.limit), request.cursor)
            parsed = {
                v.instance.definition_id: await self.engine.definition(session, v.instance.definition_id)
                for v in page.items
            }
        return pb.ListInstancesResponse(
            instances=[
                instance_message(v, parsed[v.instance.definition_id], now, self.engine.language) for v in page.items
            ],
            next_cursor=page.next_cursor,
        )

    async def GetInstance(self, request: pb.GetInstanceRequest, context: Context) -> pb.ProcessInstance:
        """One instance with every step it visited (admins, and whoever started it)."""
        return await self._instance(request.id)

    async def CancelInstance(self, request: pb.CancelInstanceRequest, context: Context) -> pb.ProcessInstance:
        """Stop an instance and cancel its open tasks (admin)."""
        instance = await self.processes.cancel_instance(current_caller(), request.id, request.reason)
        return await self._instance(instance.id)

    async def RetryInstance(self, request: pb.GetInstanceRequest, context: Context) -> pb.ProcessInstance:
        """Run a failed instance's step again (admin)."""
        instance = await self.processes.retry_instance(current_caller(), request.id)
        return await self._instance(instance.id)

    async def ListRoles(self, request: pb.ListRolesRequest, context: Context) -> pb.ListRolesResponse:
        """Process roles and their members."""
        async with self.db.readers() as session:
            rows = await repository.roles(session)
        return pb.ListRolesResponse(roles=[_role(r) for r in rows])

    async def SetRole(self, request: pb.ProcessRole, context: Context) -> pb.ProcessRole:
        """Create or replace a role (admin)."""
        role = await self.processes.set_role(current_caller(), request.code, request.label, list(request.member_ids))
        return _role(role)
