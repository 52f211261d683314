"""The overdue and reminder scheduler that runs inside every tasks replica.

Each pass claims due work with SELECT ... FOR UPDATE SKIP LOCKED, marks it
(overdue_notified_at, reminder_sent_at) and outboxes the event in the same
transaction, so however many replicas run, each task's task.overdue and
task.reminder_due are published once per deadline.
"""

from __future__ import annotations

from datetime import datetime

from prometheus_client import Gauge
from sqlalchemy import func, select

from crm_core.auth import SYSTEM
from crm_core.clock import Clock
from crm_core.db import Database
from crm_core.events import Namespace
from crm_core.metrics import SCHEDULED_DUE, SCHEDULED_FIRED, SCHEDULED_LATENESS
from crm_core.service import run_passes
from crm_tasks import DOMAIN, domain
from crm_tasks.commands import publish
from crm_tasks.models import ProcessJob, Task
from crm_tasks.repository import claim_due_reminders, claim_overdue
from crm_tasks.search import overdue_condition

TASKS_OVERDUE = Gauge(
    "crm_tasks_open_overdue", "Open tasks past their deadline (after the scheduler's last pass)", ["service"]
)


def _fired(kind: str, due: datetime | None, now: datetime) -> None:
    SCHEDULED_FIRED.labels(DOMAIN, kind).inc()
    if due is not None:
        SCHEDULED_LATENESS.labels(DOMAIN, kind).observe(max((now - due).total_seconds(), 0.0))


class Scheduler:
    def __init__(self, db: Database, namespace: Namespace, clock: Clock, interval: float, batch: int) -> None:
        self.db = db
        self.namespace = namespace
        self.clock = clock
        self.interval = interval
        self.batch = batch

    async def publish_overdue(self) -> int:
        """One transaction: claim overdue tasks, mark them, outbox task.overdue; returns how many."""
        now = self.clock.now()
        async with self.db.transaction() as session:
            tasks = await claim_overdue(session, now, self.batch)
            for task in tasks:
                _fired("task_overdue", task.due_at, now)
                task.overdue_notified_at = now
                # Past the deadline a reminder says nothing new: it is not sent late.
                task.reminder_sent_at = task.reminder_sent_at or now
                await publish(session, self.namespace, SYSTEM, "task.overdue", task)
        return len(tasks)

    async def publish_reminders(self) -> int:
        """One transaction: claim tasks whose reminder is due, mark them, outbox task.reminder_due."""
        now = self.clock.now()
        async with self.db.transaction() as session:
            tasks = await claim_due_reminders(session, now, self.batch)
            for task in tasks:
                _fired("task_reminder", task.remind_at, now)
                task.reminder_sent_at = now
                await publish(session, self.namespace, SYSTEM, "task.reminder_due", task)
        return len(tasks)

    async def measure_due(self) -> None:
        """What is due and not done yet (crm_scheduled_due by kind) and the open tasks past their deadline.

        Counted once a pass, after it: what is left is what the scheduler and the process worker are behind on.
        """
        now = self.clock.now()
        async with self.db.readers() as session:
            overdue = await session.scalar(select(func.count()).where(overdue_condition(now)))
            unnotified = await session.scalar(
                select(func.count()).where(Task.overdue_notified_at.is_(None), overdue_condition(now))
            )
            reminders = await session.scalar(
                select(func.count()).where(
                    Task.reminder_sent_at.is_(None),
                    Task.status.in_(domain.OPEN_STATUSES),
                    Task.remind_at <= now,
                    Task.due_at > now,
                )
            )
            jobs = dict(
                (
                    await session.execute(
                        select(ProcessJob.kind, func.count())
                        .where(ProcessJob.status == "pending", ProcessJob.run_at <= now)
                        .group_by(ProcessJob.kind)
                    )
                ).all()
            )
        TASKS_OVERDUE.labels(DOMAIN).set(overdue or 0)
        SCHEDULED_DUE.labels(DOMAIN, "task_overdue").set(unnotified or 0)
        SCHEDULED_DUE.labels(DOMAIN, "task_reminder").set(reminders or 0)
        for kind in ("timer", "call"):
            SCHEDULED_DUE.labels(DOMAIN, f"process_{kind}").set(jobs.get(kind, 0))

    async def run_once(self) -> int:
        """One pass; a full batch is followed at once by another; then what is still due is measured."""
        total = 0
        while True:
            done = await self.publish_overdue() + await self.publish_reminders()
            total += done
            if done < self.batch:
                await self.measure_due()
                return total

    async def run(self) -> None:
        """Pass after pass until cancelled."""
        await run_passes("task-notifications", self.run_once, self.interval)
