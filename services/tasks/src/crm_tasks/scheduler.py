"""The overdue and reminder scheduler that runs inside every tasks replica.

Each pass claims due work with SELECT ... FOR UPDATE SKIP LOCKED, marks it
(overdue_notified_at, reminder_sent_at) and outboxes the event in the same
transaction, so however many replicas run, each task's task.overdue and
task.reminder_due are published once per deadline.
"""

from __future__ import annotations

from crm_core.auth import SYSTEM
from crm_core.clock import Clock
from crm_core.db import Database
from crm_core.events import Namespace
from crm_core.service import run_passes
from crm_tasks.commands import publish
from crm_tasks.repository import claim_due_reminders, claim_overdue


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
                task.reminder_sent_at = now
                await publish(session, self.namespace, SYSTEM, "task.reminder_due", task)
        return len(tasks)

    async def run_once(self) -> int:
        """One pass; a full batch is followed at once by another."""
        total = 0
        while True:
            done = await self.publish_overdue() + await self.publish_reminders()
            total += done
            if done < self.batch:
                return total

    async def run(self) -> None:
        """Pass after pass until cancelled."""
        await run_passes("task-notifications", self.run_once, self.interval)
