"""Wiring of the tasks service."""

from __future__ import annotations

from datetime import timedelta

from crm.tasks.v1 import tasks_pb2, tasks_pb2_grpc
from crm_core.logging import get_logger
from crm_core.service import ServiceApp
from crm_core.settings import ServiceSettings
from crm_tasks import DOMAIN
from crm_tasks.clock import Clock, TasksSettings
from crm_tasks.commands import Tasks
from crm_tasks.consumers import follow_merges
from crm_tasks.grpc_api import TasksServicer
from crm_tasks.scheduler import Scheduler

log = get_logger("crm.tasks")


def build(settings: ServiceSettings | None = None, clock: Clock | None = None) -> ServiceApp:
    """The tasks service: gRPC API, outbox relay and the overdue/reminder scheduler."""
    settings = settings or TasksSettings.for_domain(DOMAIN)
    if clock is None:
        clock = Clock(getattr(settings, "clock_offset", timedelta(0)))
    if clock.offset:
        log.warning("clock_offset", offset=str(clock.offset), note="task times are shifted (tests only)")
    app = ServiceApp(settings)
    servicer = TasksServicer(app.db, Tasks(app.db, app.namespace, clock), clock)
    app.add_servicer(
        tasks_pb2_grpc.add_TasksServiceServicer_to_server,
        servicer,
        tasks_pb2.DESCRIPTOR.services_by_name["TasksService"].full_name,
    )
    scheduler = Scheduler(
        app.db,
        app.namespace,
        clock,
        interval=getattr(settings, "scheduler_interval", 5.0),
        batch=getattr(settings, "scheduler_batch", 100),
    )
    app.add_background("task-scheduler", scheduler.run)
    app.add_consumer("parties", ["contacts"], follow_merges)
    return app
