"""Settings of the tasks service beyond every service's (CRM_TASKS_*): the schedulers' pace, the process engine's."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from crm_core.registry import REGISTRY
from crm_core.settings import ServiceSettings


class TasksSettings(ServiceSettings):
    """ServiceSettings plus the schedulers' pace and the process engine's settings."""

    # Seconds between two passes of the overdue/reminder scheduler.
    scheduler_interval: float = 5.0
    # Tasks one pass claims per transaction.
    scheduler_batch: int = 100
    # Seconds between two passes of the process worker (timers, webhooks, record updates).
    process_interval: float = 1.0
    process_batch: int = 50
    # Attempts of a webhook or record update before the instance fails.
    process_max_attempts: int = 5
    webhook_timeout: float = 5.0
    # Working days of deadlines and timers: this zone's calendar without this country's holidays.
    business_time_zone: str = "Europe/Moscow"
    holidays_country: str = "RU"
    # Where update_record actions reach the owning services.
    deals_grpc_target: str = Field(
        REGISTRY["deals"].local_target, validation_alias=AliasChoices("CRM_DEALS_GRPC_TARGET")
    )
    contacts_grpc_target: str = Field(
        REGISTRY["contacts"].local_target, validation_alias=AliasChoices("CRM_CONTACTS_GRPC_TARGET")
    )
    # Where send_email actions ask marketing to send a mail template.
    marketing_grpc_target: str = Field(
        REGISTRY["marketing"].local_target, validation_alias=AliasChoices("CRM_MARKETING_GRPC_TARGET")
    )
