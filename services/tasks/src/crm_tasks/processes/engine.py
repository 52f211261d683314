"""The process engine: starts instances and moves them from step to step inside the caller's transaction.

An instance runs through steps that finish at once (gateways, create_task
and publish_event actions, end) until it reaches one that waits: a user
task (until the task is done or cancelled), a timer, or a call to another
system (both run later by the worker from process_job rows). Every visit
to a step is a process_step_run row, which is what monitoring shows. A
step that cannot run (no one to assign, an unknown task type) turns the
instance "failed" with the reason; an admin fixes the cause and retries.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import tasks_pb2 as events
from crm_core.auth import SYSTEM
from crm_core.clock import Clock, retry_wait
from crm_core.db import new_id
from crm_core.errors import CrmError
from crm_core.events import Namespace, record_event
from crm_core.languages import DEFAULT_LANGUAGE
from crm_core.scopes import scope_reference
from crm_core.telemetry import inject_headers
from crm_core.user_teams import UserTeams
from crm_tasks import DOMAIN, domain
from crm_tasks.commands import ProcessActor, cancel_open_task, insert_task
from crm_tasks.inputs import TaskLink, task_draft
from crm_tasks.models import ProcessDefinition, ProcessInstance, ProcessJob, ProcessRole, ProcessStepRun, Task
from crm_tasks.processes.calendar import WorkCalendar
from crm_tasks.processes.conditions import evaluate
from crm_tasks.processes.definition import Assignee, Definition, Step, TaskTemplate, render
from crm_tasks.processes.parser import parse_definition
from crm_tasks.processes.trigger_cache import TriggerCache, TriggeredDefinition

# Steps one advance may pass without waiting; validation forbids loops without a wait, this is the backstop.
MAX_HOPS = 500
EXTERNAL_ACTIONS = ("webhook", "update_record", "send_email")


class ProcessIncident(Exception):
    """A step that cannot run as defined; the instance stops as "failed" with this message."""


class ProcessEngine:
    """Starts and advances instances; every method runs in the transaction it is given."""

    def __init__(
        self,
        namespace: Namespace,
        clock: Clock,
        calendar: WorkCalendar,
        *,
        language: str = DEFAULT_LANGUAGE,
        user_teams: UserTeams | None = None,
    ) -> None:
        self.namespace = namespace
        self.clock = clock
        self.calendar = calendar
        # The installation's language (CRM_DEFAULT_LANGUAGE): the one a process's tasks are written in.
        self.language = language
        # Where an assignee's team comes from (the identity module); None: only the record's team is known.
        self.user_teams = user_teams
        # Parsed definitions by version id: versions never change once stored.
        self._parsed: dict[str, Definition] = {}
        # The definitions each trigger event starts (main.py runs its listener).
        self.triggers = TriggerCache()

    async def definition(self, session: AsyncSession, definition_id: str) -> Definition:
        parsed = self._parsed.get(definition_id)
        if parsed is None:
            row = await session.get(ProcessDefinition, definition_id)
            if row is None:
                raise LookupError(definition_id)
            parsed = self._parsed[definition_id] = parse_definition(row.source, row.source_format)
        return parsed

    async def start(
        self,
        session: AsyncSession,
        row: ProcessDefinition | TriggeredDefinition,
        *,
        record_kind: str,
        record_id: str,
        party_ids: list[str],
        variables: dict[str, Any],
        started_by: str,
        trigger_event_id: str | None = None,
        triggered_at: datetime | None = None,
    ) -> ProcessInstance:
        """A new running instance of the version `row`, advanced to its first waiting step."""
        d = await self.definition(session, row.id)
        now = self.clock.now()
        values = {**d.variables, **variables, "record_kind": record_kind, "record_id": record_id}
        values["started_by"] = started_by
        instance = ProcessInstance(
            id=new_id(),
            definition_id=row.id,
            definition_key=row.key,
            definition_version=row.version,
            status="running",
            variables=values,
            record_kind=record_kind,
            record_id=record_id,
            party_ids=party_ids,
            started_by=started_by,
            trigger_event_id=trigger_event_id,
            triggered_at=triggered_at,
            started_at=now,
            error="",
            version=1,
        )
        session.add(instance)
        await self._publish(session, instance, d, "process.started")
        await self._enter(session, instance, d, d.start, now)
        return instance

    async def task_closed(self, session: AsyncSession, task: Task, now: datetime) -> None:
        """A process's user task was done or cancelled: record its result and move the instance on."""
        instance = await _locked_instance(session, task.process_instance_id or "")
        if instance is None or instance.status != "running" or instance.current_step != task.process_step_id:
            return  # the instance moved on, was cancelled or failed meanwhile
        run = await session.scalar(
            select(ProcessStepRun)
            .where(ProcessStepRun.instance_id == instance.id, ProcessStepRun.task_id == task.id)
            .where(ProcessStepRun.left_at.is_(None))
        )
        if run is None:
            return
        d = await self.definition(session, instance.definition_id)
        step = d.steps[run.step_id]
        result = task.result_code or "" if task.status == "done" else "cancelled"
        if step.result_variable:
            instance.variables = {**instance.variables, step.result_variable: result}
        await self._leave(session, instance, d, run, step.next, result, now)

    async def job_done(self, session: AsyncSession, job: ProcessJob, result: str) -> None:
        """A timer fired or a call succeeded: the waiting step is left for the next one."""
        instance = await _locked_instance(session, job.instance_id)
        run = await session.get(ProcessStepRun, job.step_run_id)
        if instance is None or run is None or instance.status != "running" or run.left_at is not None:
            return
        d = await self.definition(session, instance.definition_id)
        await self._leave(session, instance, d, run, d.steps[run.step_id].next, result, self.clock.now())

    async def fail(self, session: AsyncSession, instance: ProcessInstance, reason: str, now: datetime) -> None:
        """Stop the instance as failed (an incident): the open step run ends with the reason."""
        d = await self.definition(session, instance.definition_id)
        await self._fail(session, instance, d, reason, now)

    async def retry(self, session: AsyncSession, instance: ProcessInstance) -> None:
        """Run the step a failed instance stopped at once more."""
        d = await self.definition(session, instance.definition_id)
        instance.status, instance.error, instance.finished_at = "running", "", None
        instance.version += 1
        await self._enter(session, instance, d, instance.current_step or d.start, self.clock.now())

    async def cancel(self, session: AsyncSession, instance: ProcessInstance, reason: str) -> None:
        """Stop a running or failed instance: its open tasks are cancelled and its pending jobs dropped."""
        now = self.clock.now()
        d = await self.definition(session, instance.definition_id)
        instance.status, instance.finished_at = "cancelled", now
        instance.error = reason
        instance.version += 1
        await _close_open_runs(session, instance.id, now, "cancelled")
        jobs = await session.scalars(
            select(ProcessJob).where(ProcessJob.instance_id == instance.id, ProcessJob.status == "pending")
        )
        for job in jobs:
            job.status = "dropped"
        tasks = await session.scalars(
            select(Task)
            .where(Task.process_instance_id == instance.id, Task.status.in_(domain.OPEN_STATUSES))
            .with_for_update()
        )
        for task in tasks:
            await cancel_open_task(
                session,
                self.namespace,
                SYSTEM,
                task,
                now,
                f"process cancelled: {reason}".strip(),
                process=ProcessActor(d.key, d.name.in_language(self.language)),
            )
        await self._publish(session, instance, d, "process.cancelled")

    # Moving between steps ----------------------------------------------------------

    async def _leave(
        self,
        session: AsyncSession,
        instance: ProcessInstance,
        d: Definition,
        run: ProcessStepRun,
        next_step: str,
        result: str,
        now: datetime,
    ) -> None:
        run.left_at, run.result = now, result[:500]
        instance.version += 1
        await self._enter(session, instance, d, next_step, now)

    async def _enter(
        self, session: AsyncSession, instance: ProcessInstance, d: Definition, step_id: str, now: datetime
    ) -> None:
        """Run steps from `step_id` until one waits or the process ends."""
        for _ in range(MAX_HOPS):
            step = d.steps[step_id]
            instance.current_step = step_id
            # Every column set, so that the runs of one advance go out as one multi-row INSERT.
            run = ProcessStepRun(
                instance_id=instance.id, step_id=step_id, step_type=step.type, entered_at=now, result=""
            )
            session.add(run)
            try:
                following = await self._run(session, instance, d, step, run, now)
            except ProcessIncident as incident:
                await self._fail(session, instance, d, f"step '{step_id}': {incident}", now)
                return
            if following is None:
                return
            run.left_at = now
            step_id = following
        await self._fail(session, instance, d, f"more than {MAX_HOPS} steps without waiting", now)

    async def _run(
        self,
        session: AsyncSession,
        instance: ProcessInstance,
        d: Definition,
        step: Step,
        run: ProcessStepRun,
        now: datetime,
    ) -> str | None:
        """Do one step; returns the next step, or None when the instance waits or ended."""
        if step.type == "end":
            run.left_at = now
            instance.status, instance.finished_at = "completed", now
            await self._publish(session, instance, d, "process.completed")
            return None
        if step.type == "gateway":
            known = d.known_variables
            for branch in step.branches:
                if evaluate(branch.when, instance.variables, known):
                    run.result = branch.when[:500]
                    return branch.next
            run.result = "default"
            return step.default
        if step.type == "user_task" and step.task is not None:
            task = await self._create_task(session, instance, d, step, step.task, now, waits=True)
            run.task_id, run.due_at = task.id, task.due_at
            return None
        if step.type == "timer":
            run.due_at = self._wake_at(step, instance.variables, now)
            await self._add_job(session, instance, run, "timer", run.due_at)
            return None
        if step.action == "create_task" and step.task is not None:
            task = await self._create_task(session, instance, d, step, step.task, now, waits=False)
            run.task_id, run.result = task.id, task.id
            return step.next
        if step.action == "publish_event":
            await self._signal(session, instance, d, step)
            return step.next
        if step.action in EXTERNAL_ACTIONS:
            await self._add_job(session, instance, run, step.action, now)
            return None
        raise ProcessIncident(f"cannot run a {step.type} step")

    async def _add_job(
        self, session: AsyncSession, instance: ProcessInstance, run: ProcessStepRun, kind: str, run_at: datetime
    ) -> None:
        await session.flush()  # the step run's id
        session.add(
            ProcessJob(
                id=new_id(),
                instance_id=instance.id,
                step_id=run.step_id,
                step_run_id=run.id,
                kind=kind,
                run_at=run_at,
                status="pending",
                attempts=0,
                last_error="",
                trace_context=inject_headers(),
            )
        )

    def _wake_at(self, step: Step, variables: dict[str, Any], now: datetime) -> datetime:
        if step.wait is not None:
            return self.calendar.add(now, step.wait)
        text = step.until or str(variables.get(step.until_variable) or "")
        try:
            if len(text) == 10:
                return self.calendar.start_of_day(date.fromisoformat(text))
            moment = datetime.fromisoformat(text)
        except ValueError as exc:
            raise ProcessIncident(f"'{text}' is not a date or a date and time to wait until") from exc
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.calendar.zone)
        return moment

    async def _create_task(
        self,
        session: AsyncSession,
        instance: ProcessInstance,
        d: Definition,
        step: Step,
        template: TaskTemplate,
        now: datetime,
        *,
        waits: bool,
    ) -> Task:
        variables = instance.variables
        assignee = await self._assignee(session, template, variables)
        links = [TaskLink(instance.record_kind, instance.record_id)] if instance.record_kind else []
        client_id = variables.get("client_id")
        if client_id and instance.record_kind != "party":
            links.append(TaskLink("party", client_id))
        language = self.language
        description = render(template.description.in_language(language), variables)
        process = f"{d.name.in_language(language)} ({d.key} v{instance.definition_version})"
        team_id = await self._team(template.assignee, assignee, variables.get("team_id") or None)
        try:
            draft = task_draft(
                type=template.type,
                subject=render(template.subject.in_language(language), variables)[:500],
                description=f"{description}\n\n{process}".strip(),
                priority=template.priority,
                duration_minutes=template.duration_minutes,
                assignee_id=assignee,
                team_id=team_id,
                links=links,
                due_at=self.calendar.add(now, template.deadline) if template.deadline else None,
            )
            return await insert_task(
                session,
                self.namespace,
                SYSTEM,
                draft,
                now,
                allow_past_due=True,
                process_step=(instance.id, step.id) if waits else None,
                process=ProcessActor(d.key, d.name.in_language(self.language)),
            )
        except CrmError as error:
            problems = "; ".join(f"{p.field}: {p.message}" for p in error.fields) or error.message
            raise ProcessIncident(f"the task could not be created ({problems})") from error

    async def _assignee(self, session: AsyncSession, template: TaskTemplate, variables: dict[str, Any]) -> str:
        who = template.assignee
        if who.kind == "user":
            return who.value
        if who.kind == "role":
            return await least_busy_member(session, who.value)
        name = "owner_id" if who.kind == "owner" else who.value
        user_id = variables.get(name)
        if not user_id or not isinstance(user_id, str):
            what = "the record has no owner" if who.kind == "owner" else f"variable '{name}' names no user"
            raise ProcessIncident(f"{what} to assign the task to")
        return user_id

    async def _team(self, who: Assignee, user_id: str, record_team: str | None) -> str | None:
        """The team of a task the process hands to `user_id`, so that the team's lists and counters include it.

        The record's team when its owner gets the task or when the assignee is in it; else the assignee's only
        team, as for a task a person creates; else none (a user of several teams, none of them the record's).
        """
        if who.kind == "owner" and record_team:
            return record_team
        if self.user_teams is None:
            return record_team if who.kind == "owner" else None
        teams = await self.user_teams.of(user_id)
        if record_team in teams:
            return record_team
        return next(iter(teams)) if len(teams) == 1 else None

    async def _fail(
        self, session: AsyncSession, instance: ProcessInstance, d: Definition, reason: str, now: datetime
    ) -> None:
        instance.status, instance.error, instance.finished_at = "failed", reason[:2000], now
        instance.version += 1
        await _close_open_runs(session, instance.id, now, f"failed: {reason}"[:500])
        await self._publish(session, instance, d, "process.failed")

    async def _signal(self, session: AsyncSession, instance: ProcessInstance, d: Definition, step: Step) -> None:
        payload = events.ProcessSignal(
            instance_id=instance.id,
            definition_key=instance.definition_key,
            name=step.event,
            step_id=step.id,
            record_kind=instance.record_kind,
            record_id=instance.record_id,
            variables_json=json.dumps(instance.variables, default=str),
            process_name=d.name.in_language(self.language),
        )
        await record_event(
            session,
            self.namespace,
            DOMAIN,
            "process.signal",
            subject_id=instance.id,
            payload=payload,
            actor=SYSTEM,
            version=instance.version,
            party_ids=instance.party_ids,
            scopes=[scope_reference(instance.record_kind, instance.record_id)],
        )

    async def _publish(self, session: AsyncSession, instance: ProcessInstance, d: Definition, event_type: str) -> None:
        payload = events.ProcessChanged(
            instance_id=instance.id,
            definition_key=instance.definition_key,
            definition_version=instance.definition_version,
            name=d.name.in_language(self.language),
            status=instance.status,
            current_step=instance.current_step or "",
            record_kind=instance.record_kind,
            record_id=instance.record_id,
            error=instance.error,
        )
        verb = event_type.split(".", 1)[1]
        await record_event(
            session,
            self.namespace,
            DOMAIN,
            event_type,
            subject_id=instance.id,
            payload=payload,
            actor=SYSTEM,
            version=instance.version,
            party_ids=instance.party_ids,
            scopes=[scope_reference(instance.record_kind, instance.record_id)],
            summary=f"Process {d.name.in_language(self.language)}: {verb}"
            + (f" ({instance.error})" if instance.error else ""),
        )


async def least_busy_member(session: AsyncSession, role_code: str) -> str:
    """The member of the role with the fewest open tasks (ties: the lowest id), so work spreads evenly."""
    role = await session.get(ProcessRole, role_code)
    if role is None or not role.member_ids:
        raise ProcessIncident(f"role '{role_code}' has no members")
    counts: dict[str, int] = dict(
        (
            await session.execute(
                select(Task.assignee_id, func.count())
                .where(Task.assignee_id.in_(role.member_ids), Task.status.in_(domain.OPEN_STATUSES))
                .group_by(Task.assignee_id)
            )
        ).all()
    )
    return min(sorted(role.member_ids), key=lambda member: counts.get(member, 0))


async def _locked_instance(session: AsyncSession, instance_id: str) -> ProcessInstance | None:
    query = select(ProcessInstance).where(ProcessInstance.id == instance_id).with_for_update()
    return await session.scalar(query.execution_options(populate_existing=True))


async def _close_open_runs(session: AsyncSession, instance_id: str, now: datetime, result: str) -> None:
    runs = await session.scalars(
        select(ProcessStepRun).where(ProcessStepRun.instance_id == instance_id, ProcessStepRun.left_at.is_(None))
    )
    for run in runs:
        run.left_at, run.result = now, result


def backoff(attempts: int) -> timedelta:
    """Wait before retrying a failed call: 30 s, 1 min, 2 min, ... capped at 30 min."""
    return retry_wait(attempts, timedelta(seconds=30), timedelta(minutes=30))
