"""Settings of the helpdesk service beyond every service's (CRM_HELPDESK_*): peers, business calendar, SLA pass."""

from __future__ import annotations

from datetime import time

from pydantic import AliasChoices, Field

from crm_core.business_hours import BusinessCalendar
from crm_core.mail import MailSettings
from crm_core.registry import REGISTRY
from crm_core.settings import ServiceSettings


class HelpdeskSettings(ServiceSettings):
    """ServiceSettings plus the services it asks (contacts, deals, documents, marketing), the business calendar
    SLA targets count in, how often the SLA pass looks for warnings and breaches, and mail."""

    contacts_grpc_target: str = Field(
        REGISTRY["contacts"].local_target, validation_alias=AliasChoices("CRM_CONTACTS_GRPC_TARGET")
    )
    deals_grpc_target: str = Field(
        REGISTRY["deals"].local_target, validation_alias=AliasChoices("CRM_DEALS_GRPC_TARGET")
    )
    documents_grpc_target: str = Field(
        REGISTRY["documents"].local_target, validation_alias=AliasChoices("CRM_DOCUMENTS_GRPC_TARGET")
    )
    marketing_grpc_target: str = Field(
        REGISTRY["marketing"].local_target, validation_alias=AliasChoices("CRM_MARKETING_GRPC_TARGET")
    )
    # The business calendar of SLA targets: working days of this zone without this country's holidays.
    business_time_zone: str = "Europe/Moscow"
    holidays_country: str = "RU"
    business_day_start: time = time(9)
    business_day_end: time = time(18)
    # Seconds between SLA passes (warnings, breaches, escalations); every replica runs them.
    sla_interval: float = 15.0
    # Invitations, NPS surveys and replies to e-mail requesters go out through the platform's SMTP settings.
    mail: MailSettings = Field(default_factory=MailSettings)
    # Files of an e-mail larger than this are not stored with the ticket (named in its message instead); the
    # documents service's own limit (CRM_DOCUMENTS_MAX_ATTACHMENT_BYTES) by default.
    max_attachment_bytes: int = 25 * 1024 * 1024
    # Seconds between passes over e-mail files documents could not take at once, and the first wait before a
    # file is tried again (doubling with each attempt, up to an hour); every replica runs them.
    file_retry_seconds: float = 30.0

    def calendar(self) -> BusinessCalendar:
        return BusinessCalendar(
            self.business_time_zone, self.holidays_country, self.business_day_start, self.business_day_end
        )
