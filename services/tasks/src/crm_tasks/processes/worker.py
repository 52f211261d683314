"""The process worker that runs inside every tasks replica: fires timers and makes the calls of automatic actions.

Each pass claims due process_job rows with SELECT ... FOR UPDATE SKIP LOCKED,
so however many replicas run, a job is done by one of them; the job's
effect on the instance commits with the job's status. A call that fails is
retried with growing pauses; after `max_attempts`, or at once when the
other side refused it, the instance fails with the reason.
"""

from __future__ import annotations

from sqlalchemy import select

from crm_core.clock import Clock
from crm_core.db import Database
from crm_core.logging import get_logger
from crm_core.metrics import SCHEDULED_FAILED, SCHEDULED_FIRED, SCHEDULED_LATENESS
from crm_core.service import run_passes
from crm_core.telemetry import extract_context, tracer
from crm_tasks import DOMAIN
from crm_tasks.models import ProcessInstance, ProcessJob
from crm_tasks.processes.actions import ActionFailed, Actions
from crm_tasks.processes.engine import ProcessEngine, backoff

log = get_logger("crm.tasks.processes")


class ProcessWorker:
    def __init__(
        self,
        db: Database,
        engine: ProcessEngine,
        actions: Actions,
        clock: Clock,
        *,
        interval: float,
        batch: int,
        max_attempts: int,
    ) -> None:
        self.db = db
        self.engine = engine
        self.actions = actions
        self.clock = clock
        self.interval = interval
        self.batch = batch
        self.max_attempts = max_attempts

    async def run_due_jobs(self) -> int:
        """One transaction: claim due jobs, run them, advance their instances; returns how many were claimed."""
        now = self.clock.now()
        async with self.db.transaction() as session:
            jobs = list(
                (
                    await session.scalars(
                        select(ProcessJob)
                        .where(ProcessJob.status == "pending", ProcessJob.run_at <= now)
                        .order_by(ProcessJob.run_at)
                        .limit(self.batch)
                        .with_for_update(skip_locked=True)
                    )
                ).all()
            )
            for job in jobs:
                # Never wait for an instance while holding jobs: a busy one (a task being completed,
                # an admin cancelling) keeps its job pending for the next pass.
                instance = await session.scalar(
                    select(ProcessInstance)
                    .where(ProcessInstance.id == job.instance_id)
                    .with_for_update(skip_locked=True)
                    .execution_options(populate_existing=True)
                )
                if instance is None:
                    continue
                if instance.status != "running" or instance.current_step != job.step_id:
                    job.status = "dropped"
                    continue
                kind = f"process_{job.kind}"
                SCHEDULED_LATENESS.labels(DOMAIN, kind).observe(max((now - job.run_at).total_seconds(), 0.0))
                if job.kind == "timer":
                    SCHEDULED_FIRED.labels(DOMAIN, kind).inc()
                    job.status = "done"
                    await self.engine.job_done(session, job, "timer fired")
                    continue
                step = (await self.engine.definition(session, instance.definition_id)).steps[job.step_id]
                job.attempts += 1
                try:
                    # The call joins the trace of the event that scheduled the job (its gRPC calls below it).
                    with tracer("crm.processes").start_as_current_span(
                        f"process job {job.kind}",
                        context=extract_context(job.trace_context or {}),
                        attributes={"crm.process_job.kind": job.kind, "crm.process_job.attempt": job.attempts},
                    ):
                        result = await self.actions.run(step, instance, job)
                except ActionFailed as failure:
                    SCHEDULED_FAILED.labels(DOMAIN, kind).inc()
                    job.last_error = str(failure)[:2000]
                    if failure.final or job.attempts >= self.max_attempts:
                        job.status = "failed"
                        await self.engine.fail(session, instance, f"step '{job.step_id}': {failure}", now)
                    else:
                        job.run_at = now + backoff(job.attempts)
                    log.warning("process_action_failed", job=job.id, step=job.step_id, error=str(failure))
                    continue
                SCHEDULED_FIRED.labels(DOMAIN, kind).inc()
                job.status = "done"
                await self.engine.job_done(session, job, result)
        return len(jobs)

    async def run_once(self) -> int:
        total = 0
        while True:
            done = await self.run_due_jobs()
            total += done
            if done < self.batch:
                return total

    async def run(self) -> None:
        """Pass after pass until cancelled; the calls' connections are closed at the end."""
        try:
            await run_passes("process-jobs", self.run_once, self.interval)
        finally:
            await self.actions.close()
