"""Settings of the marketing service beyond every service's (CRM_MARKETING_*): its peers, job pace and mail."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from crm_core.mail import MailSettings
from crm_core.registry import REGISTRY
from crm_core.settings import ServiceSettings


class MarketingSettings(ServiceSettings):
    """ServiceSettings plus where contacts and deals answer (conversion, duplicates) and the import job's pace."""

    contacts_grpc_target: str = Field(
        REGISTRY["contacts"].local_target, validation_alias=AliasChoices("CRM_CONTACTS_GRPC_TARGET")
    )
    deals_grpc_target: str = Field(
        REGISTRY["deals"].local_target, validation_alias=AliasChoices("CRM_DEALS_GRPC_TARGET")
    )
    # Seconds between two looks for queued imports; rows written per transaction.
    import_interval: float = 1.0
    import_batch: int = 500

    # Mailings: where mail goes (CRM_SMTP_*, CRM_MAIL_FROM), the public address of the gateway the links of
    # e-mails point to (CRM_PUBLIC_URL), the sender's pace per replica and its retries.
    mail: MailSettings = Field(default_factory=MailSettings)
    public_url: str = Field("http://127.0.0.1:8000", validation_alias=AliasChoices("CRM_PUBLIC_URL"))
    mail_messages_per_second: float = 10.0
    mail_batch: int = 20
    mail_interval: float = 1.0
    mail_max_attempts: int = 5
    mail_retry_seconds: float = 60.0

    # Site visits (visits.py): page views a visitor / an address may report per minute, how long anonymous
    # visits are kept, and seconds between two purges of older ones.
    visit_limit_per_minute: int = 30
    visit_address_limit_per_minute: int = 300
    visit_retention_days: int = 90
    visit_purge_interval: float = 3600.0
