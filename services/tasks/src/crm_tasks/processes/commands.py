"""Changes to processes: publishing definitions, roles, starting, cancelling and retrying instances.

Each is one transaction. Definitions and roles are for admins; starting a
manual process is for anyone (the gateway has checked the record is theirs
to see); cancelling and retrying are for admins.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.acl import require_admin
from crm_core.audit import record_audit
from crm_core.auth import SYSTEM, Caller
from crm_core.clock import Clock
from crm_core.db import Database, new_id
from crm_core.errors import FailedPrecondition, Validator, invalid
from crm_core.languages import DEFAULT_LANGUAGE
from crm_tasks.models import ProcessDefinition, ProcessInstance, ProcessRole
from crm_tasks.processes import repository
from crm_tasks.processes.definition import Definition
from crm_tasks.processes.engine import ProcessEngine
from crm_tasks.processes.parser import format_of, parse_definition
from crm_tasks.processes.trigger_cache import definitions_changed

SHIPPED = Path(__file__).parent / "shipped"
ROLE_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
RECORD_KINDS = ("deal", "party")


class Processes:
    def __init__(self, db: Database, engine: ProcessEngine, clock: Clock) -> None:
        self.db = db
        self.engine = engine
        self.clock = clock

    async def publish_definition(self, caller: Caller, source: str, source_format: str) -> ProcessDefinition:
        """Validate and store the next version of the definition's key (active at once)."""
        row = await publish_definition(
            self.db, caller, source, source_format, self.clock.now(), language=self.engine.language
        )
        self.engine.triggers.invalidate()  # at once here; other replicas on the NOTIFY
        return row

    async def set_active(self, caller: Caller, key: str, active: bool) -> ProcessDefinition:
        require_admin(caller, "turn process definitions on or off")
        async with self.db.transaction() as session:
            row = await repository.definition_version(session, key, 0)
            if row.active != active:
                row.active = active
                await definitions_changed(session)
                record_audit(
                    session,
                    entity_type="process_definition",
                    entity_id=row.id,
                    action="activated" if active else "deactivated",
                    actor_id=caller.user_id,
                    changes={"active": {"old": not active, "new": active}},
                )
        self.engine.triggers.invalidate()
        return row

    async def start_process(
        self,
        caller: Caller,
        key: str,
        record_kind: str,
        record_id: str,
        variables: dict[str, Any],
        record: dict[str, str],
    ) -> ProcessInstance:
        """Start the newest active version of `key` by hand on a record (variables: the declared ones)."""
        v = Validator()
        if record_kind and record_kind not in RECORD_KINDS:
            v.add("record_kind", "unknown_record", "a process is about a deal or a party")
        if record_kind and not record_id:
            v.add("record_id", "required", "record_id names the deal or party")
        v.raise_if_any()
        async with self.db.transaction() as session:
            row = await repository.definition_version(session, key, 0)
            if not row.active:
                raise FailedPrecondition("process_inactive", f"process '{key}' is turned off")
            definition = await self.engine.definition(session, row.id)
            _check_start_variables(definition, variables)
            values = {**variables, **{k: v for k, v in record.items() if v}}
            if record_kind:
                values[f"{record_kind}_id"] = record_id
            if record_kind == "party":
                values.setdefault("client_id", record_id)
            return await self.engine.start(
                session,
                row,
                record_kind=record_kind,
                record_id=record_id,
                party_ids=[p for p in [values.get("client_id")] if p],
                variables=values,
                started_by=caller.user_id,
            )

    async def cancel_instance(self, caller: Caller, instance_id: str, reason: str) -> ProcessInstance:
        require_admin(caller, "cancel process instances")
        if len(reason) > 1000:
            raise invalid("reason", "too_long", "reason must be at most 1000 characters")
        async with self.db.transaction() as session:
            instance = await repository.get_instance(session, instance_id, lock=True)
            if instance.status not in ("running", "failed"):
                raise FailedPrecondition("process_finished", f"the instance is already {instance.status}")
            await self.engine.cancel(session, instance, reason.strip())
            await _audit(session, caller, instance, "cancelled", reason)
        return instance

    async def retry_instance(self, caller: Caller, instance_id: str) -> ProcessInstance:
        require_admin(caller, "retry process instances")
        async with self.db.transaction() as session:
            instance = await repository.get_instance(session, instance_id, lock=True)
            if instance.status != "failed":
                raise FailedPrecondition(
                    "process_not_failed", f"only a failed instance is retried (it is {instance.status})"
                )
            await self.engine.retry(session, instance)
            await _audit(session, caller, instance, "retried", "")
        return instance

    async def set_role(self, caller: Caller, code: str, label: str, member_ids: list[str]) -> ProcessRole:
        """Create or replace a role (the gateway has checked the members exist)."""
        require_admin(caller, "change process roles")
        v = Validator()
        if not ROLE_CODE.match(code):
            v.add("code", "invalid_code", "a role code is lower-case letters, digits and '_' (up to 40)")
        if not label.strip() or len(label) > 200:
            v.add("label", "required", "a role needs a label (up to 200 characters)")
        v.raise_if_any()
        members = list(dict.fromkeys(m for m in member_ids if m))
        async with self.db.transaction() as session:
            role = await session.get(ProcessRole, code, with_for_update=True)
            old = {"label": role.label, "member_ids": role.member_ids} if role else {}
            if role is None:
                role = ProcessRole(code=code)
                session.add(role)
            role.label, role.member_ids = label.strip(), members
            record_audit(
                session,
                entity_type="process_role",
                entity_id=code,
                action="set",
                actor_id=caller.user_id,
                changes={
                    "label": {"old": old.get("label"), "new": role.label},
                    "member_ids": {"old": old.get("member_ids"), "new": members},
                },
            )
        return role


async def publish_definition(
    db: Database,
    caller: Caller,
    source: str,
    source_format: str,
    now: datetime,
    *,
    active: bool = True,
    language: str = DEFAULT_LANGUAGE,
) -> ProcessDefinition:
    """Validate and store the next version of the definition's key (admins)."""
    require_admin(caller, "publish process definitions")
    definition = parse_definition(source, source_format)
    async with db.transaction() as session:
        # One publisher per key at a time, so two uploads cannot take the same version number.
        await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"process:{definition.key}"))))
        newest = await repository.latest_definition(session, definition.key)
        row = ProcessDefinition(
            id=new_id(),
            key=definition.key,
            version=(newest.version if newest else 0) + 1,
            name=definition.name.in_language(language),
            description=definition.description.in_language(language),
            trigger_event=definition.trigger.event,
            active=active,
            source=source,
            source_format=format_of(source, source_format),
            created_by=caller.user_id,
            created_at=now,
        )
        session.add(row)
        await definitions_changed(session)
        record_audit(
            session,
            entity_type="process_definition",
            entity_id=row.id,
            action="published",
            actor_id=caller.user_id,
            changes={"key": {"old": None, "new": row.key}, "version": {"old": None, "new": row.version}},
        )
    return row


async def install_shipped(
    db: Database, clock: Clock, shipped: Path = SHIPPED, *, language: str = DEFAULT_LANGUAGE
) -> list[str]:
    """Store the definitions shipped with the service, turned off, and bring untouched ones up to date.

    Run by `python -m crm_tasks.migrate`; an admin turns them on. A key not stored yet is installed; a key
    whose newest version is still the one the service installed, turned off, gets the shipped source as its
    next version when that changed (lead-qualification moved from party.created to lead.captured). A key an
    admin turned on or published is theirs: it is left as it is. Returns the keys installed or updated.
    """
    installed = []
    for path in sorted(shipped.glob("*.yaml")):
        source = path.read_text(encoding="utf-8")
        key = parse_definition(source).key
        async with db.readers() as session:
            newest = await repository.latest_definition(session, key)
        untouched = newest is not None and newest.created_by == SYSTEM.user_id and not newest.active
        if newest is None or (untouched and newest.source != source):
            await publish_definition(db, SYSTEM, source, "yaml", clock.now(), active=False, language=language)
            installed.append(key)
    return installed


def _check_start_variables(definition: Definition, variables: dict[str, Any]) -> None:
    v = Validator()
    for name, value in variables.items():
        if name not in definition.variables:
            declared = ", ".join(sorted(definition.variables)) or "none"
            v.add(
                f"variables.{name}",
                "unknown_variable",
                f"'{name}' is not declared by the process (declared: {declared})",
            )
        elif value is not None and not isinstance(value, (str, int, float, bool)):
            v.add(f"variables.{name}", "invalid_value", "a variable is text, a number, a boolean or null")
    v.raise_if_any()


async def _audit(session: AsyncSession, caller: Caller, instance: ProcessInstance, action: str, reason: str) -> None:
    record_audit(
        session,
        entity_type="process_instance",
        entity_id=instance.id,
        action=action,
        actor_id=caller.user_id,
        changes={"status": {"old": None, "new": instance.status}, "reason": {"old": None, "new": reason or None}},
    )
