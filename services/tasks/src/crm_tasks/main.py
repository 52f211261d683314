"""Wiring of the tasks service."""

from __future__ import annotations

from crm.tasks.v1 import processes_pb2, processes_pb2_grpc, tasks_pb2, tasks_pb2_grpc
from crm_core.clock import Clock
from crm_core.common import register_common
from crm_core.metrics import business_counter
from crm_core.service import ServiceApp
from crm_core.user_teams import UserTeams
from crm_tasks import DOMAIN
from crm_tasks.commands import Tasks
from crm_tasks.consumers import follow_merges
from crm_tasks.grpc_api import TasksServicer
from crm_tasks.models import TaskResult, TaskType
from crm_tasks.processes.actions import Actions
from crm_tasks.processes.calendar import WorkCalendar
from crm_tasks.processes.commands import Processes
from crm_tasks.processes.consumers import ProcessTriggers
from crm_tasks.processes.engine import ProcessEngine
from crm_tasks.processes.grpc_api import ProcessesServicer
from crm_tasks.processes.worker import ProcessWorker
from crm_tasks.repository import task_is_visible
from crm_tasks.scheduler import Scheduler
from crm_tasks.settings import TasksSettings

# Business figures, counted as their events commit (docs/observability.md#metrics).
business_counter("task.created", "crm_tasks_created_total", "Tasks created")
business_counter("task.completed", "crm_tasks_completed_total", "Tasks completed")
business_counter("task.overdue", "crm_tasks_overdue_total", "Tasks that went past their deadline open")


def build(settings: TasksSettings | None = None, clock: Clock | None = None) -> ServiceApp:
    """The tasks service: tasks and processes over gRPC, the outbox relay, the schedulers, the trigger consumer."""
    settings = settings or TasksSettings.for_domain(DOMAIN)
    app = ServiceApp(settings, clock)
    clock = app.clock
    calendar = WorkCalendar(settings.business_time_zone, settings.holidays_country)
    user_teams = UserTeams(settings.identity_target, settings.internal_secret)
    app.access_signals.on_change(user_teams.forget_user)
    app.on_stop(user_teams.close)
    engine = ProcessEngine(app.namespace, clock, calendar, language=settings.default_language, user_teams=user_teams)
    tasks = Tasks(app.db, app.namespace, clock, on_closed=engine.task_closed)
    app.add_servicer(
        tasks_pb2_grpc.add_TasksServiceServicer_to_server,
        TasksServicer(app.db, tasks, clock),
        tasks_pb2.DESCRIPTOR.services_by_name["TasksService"].full_name,
    )
    register_common(
        app, audit={"task": task_is_visible}, code_lists={"task_types": TaskType, "task_results": TaskResult}
    )
    app.add_servicer(
        processes_pb2_grpc.add_ProcessesServiceServicer_to_server,
        ProcessesServicer(app.db, Processes(app.db, engine, clock), engine, clock),
        processes_pb2.DESCRIPTOR.services_by_name["ProcessesService"].full_name,
    )
    scheduler = Scheduler(
        app.db, app.namespace, clock, interval=settings.scheduler_interval, batch=settings.scheduler_batch
    )
    app.add_background("task-scheduler", scheduler.run)
    actions = Actions(
        settings.deals_grpc_target,
        settings.contacts_grpc_target,
        settings.internal_secret,
        settings.webhook_timeout,
        marketing_target=settings.marketing_grpc_target,
    )
    worker = ProcessWorker(
        app.db,
        engine,
        actions,
        clock,
        interval=settings.process_interval,
        batch=settings.process_batch,
        max_attempts=settings.process_max_attempts,
    )
    app.add_background("process-worker", worker.run)
    app.add_background("process-trigger-cache", lambda: engine.triggers.listen(app.db))
    app.add_consumer("parties", ["contacts"], follow_merges)
    # Instances of different records are independent, so trigger events are handled in groups of eight, one
    # transaction (one commit, one multi-row INSERT per table) per group, four groups at a time.
    app.add_consumer(
        "process-triggers",
        ["deals", "contacts", "marketing", "helpdesk"],
        ProcessTriggers(engine),
        concurrency=4,
        per_transaction=8,
    )
    return app
