"""Settings from environment variables, with defaults that work locally.

Shared settings use CRM_* (CRM_NATS_URL, CRM_INTERNAL_SECRET, CRM_LOG_LEVEL);
per-service ones use CRM_<DOMAIN>_* (CRM_CONTACTS_DATABASE_URL,
CRM_CONTACTS_GRPC_PORT, ...).
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any, Self

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from crm_core.languages import DEFAULT_LANGUAGE, Language
from crm_core.registry import LOCAL_IDENTITY_PORT, REGISTRY

LOCAL_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432"
# Shortest secret accepted: HMAC-SHA256 keys are 256 bits.
MIN_SECRET_LENGTH = 32


def local_database_url(name: str) -> str:
    return f"{LOCAL_POSTGRES}/crm_{name}"


def _shared(name: str) -> AliasChoices:
    return AliasChoices(f"CRM_{name}")


class EnvironmentSettings(BaseSettings):
    """Settings read from the environment, or from secret files in CRM_SECRETS_DIR (the base of every group)."""

    # validate_by_name: keyword overrides (for_domain(events_namespace=...)) win over the env aliases.
    model_config = SettingsConfigDict(extra="ignore", validate_by_name=True)

    def __init__(self, **values: Any) -> None:
        # Secrets mounted as files (a Kubernetes Secret volume): one file per variable, named like it
        # (CRM_INTERNAL_SECRET, CRM_CONTACTS_DATABASE_URL, ...), in the folder CRM_SECRETS_DIR names.
        # The environment wins over a file; without CRM_SECRETS_DIR nothing is read from files.
        values.setdefault("_secrets_dir", os.environ.get("CRM_SECRETS_DIR") or None)
        super().__init__(**values)


class CommonSettings(EnvironmentSettings):
    """Settings every process (services and gateway) shares."""

    nats_url: str = Field("nats://127.0.0.1:4222", validation_alias=_shared("NATS_URL"))
    # Signs the internal tokens that carry a caller between the platform's processes. No default:
    # whoever knows it can act as anyone, so each install (and `make dev`, per checkout) has its own.
    internal_secret: str = Field("", validation_alias=_shared("INTERNAL_SECRET"), repr=False)
    # Signs the links of e-mails (unsubscribe, open pixel, click; crm_core.links). No default, like the internal
    # secret; a secret of its own because those links are public and must outlive a rotation of the internal one.
    link_secret: str = Field("", validation_alias=_shared("LINK_SECRET"), repr=False)
    # The installation's language (ru or en): records made from shipped reference data (a process task's subject,
    # a shipped pipeline's `name`) get their text in it (crm_core.languages).
    default_language: Language = Field(DEFAULT_LANGUAGE, validation_alias=_shared("DEFAULT_LANGUAGE"))
    # Database connections each process keeps open; as many more are opened for a burst and closed after.
    db_pool_size: int = Field(10, ge=1, le=200, validation_alias=_shared("DB_POOL_SIZE"))
    log_level: str = Field("INFO", validation_alias=_shared("LOG_LEVEL"))
    log_format: str = Field("json", validation_alias=_shared("LOG_FORMAT"))
    # Root of every subject and stream name; tests use a unique one per run.
    events_namespace: str = Field("crm", validation_alias=_shared("EVENTS_NAMESPACE"))
    # Days sent outbox rows are kept so a stream can be re-published after a broker loss.
    outbox_retention_days: int = Field(7, validation_alias=_shared("OUTBOX_RETENTION_DAYS"))
    # Deliveries of one event before it goes to the dead-letter subject.
    consumer_max_deliver: int = Field(5, validation_alias=_shared("CONSUMER_MAX_DELIVER"))
    # Seconds a consumer may go without a working fetch before the service reports it stalled
    # (gRPC health service "crm.consumers" NOT_SERVING, metric crm_consumer_stalled).
    consumer_stall_seconds: float = Field(60.0, validation_alias=_shared("CONSUMER_STALL_SECONDS"))
    # Seconds between two samples of the consumers' JetStream figures (crm_consumer_pending, crm_dead_letters).
    consumer_sample_seconds: float = Field(15.0, validation_alias=_shared("CONSUMER_SAMPLE_SECONDS"))
    # Seconds a SIGTERM'd process keeps serving while it reports NOT_SERVING (gRPC health) or 503 (/readyz),
    # so load balancers and Kubernetes endpoints stop sending it new work before it stops accepting.
    shutdown_drain_seconds: float = Field(5.0, validation_alias=_shared("SHUTDOWN_DRAIN_SECONDS"))
    # Seconds a stopping service spends publishing what is still pending in its outbox.
    shutdown_flush_seconds: float = Field(5.0, validation_alias=_shared("SHUTDOWN_FLUSH_SECONDS"))

    def require_secret(self, name: str, value: str, variable: str) -> None:
        """Refuse to start without a strong secret (SystemExit with what to set)."""
        if len(value) < MIN_SECRET_LENGTH:
            raise SystemExit(
                f"{name} is {'too short' if value else 'not set'}: set {variable} to a random value of at least "
                f"{MIN_SECRET_LENGTH} characters (e.g. `openssl rand -hex 32`); `make dev` makes one per checkout"
            )


class ServiceSettings(CommonSettings):
    """Settings of one domain service; build with `for_domain`.

    A service with settings of its own subclasses this in its `settings.py`
    (read from the same CRM_<DOMAIN>_* variables).
    """

    domain: str = "contacts"
    database_url: str = ""
    grpc_port: int | None = None
    # None: the local default (gRPC port + 1000); 0 disables the endpoint.
    metrics_port: int | None = None
    # Seconds a SIGTERM waits for in-flight calls.
    shutdown_grace: float = 10.0
    # The gateway's identity module, asked who a partner's API key belongs to.
    identity_target: str = Field(
        f"127.0.0.1:{LOCAL_IDENTITY_PORT}", validation_alias=AliasChoices("CRM_IDENTITY_GRPC_TARGET")
    )
    # Added to real time by the service's clock (crm_core.clock): tests make days pass with
    # CRM_<DOMAIN>_CLOCK_OFFSET, an ISO 8601 duration such as P30D. Production leaves it at zero.
    clock_offset: timedelta = timedelta(0)

    @classmethod
    def for_domain(cls, domain: str, **overrides: Any) -> Self:
        """Read CRM_<DOMAIN>_* variables and fill local defaults."""
        settings = cls(_env_prefix=f"CRM_{domain.upper()}_", domain=domain, **overrides)  # type: ignore[call-arg]
        if not settings.database_url:
            settings.database_url = local_database_url(domain)
        if settings.grpc_port is None:
            settings.grpc_port = REGISTRY[domain].grpc_port
        if settings.metrics_port is None:
            settings.metrics_port = settings.grpc_port + 1000 if settings.grpc_port else 0
        return settings
