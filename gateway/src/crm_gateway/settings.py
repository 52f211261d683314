"""Gateway settings (CRM_GATEWAY_* and the shared CRM_* variables)."""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import SettingsConfigDict

from crm_core.settings import LOCAL_GRPC_PORTS, CommonSettings, local_database_url


def _target(domain: str) -> str:
    return f"127.0.0.1:{LOCAL_GRPC_PORTS[domain]}"


class GatewaySettings(CommonSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_GATEWAY_", extra="ignore")

    database_url: str = local_database_url("gateway")
    host: str = "127.0.0.1"
    port: int = 8000
    jwt_secret: str = Field(
        "dev-only-jwt-secret-change-me-in-production", validation_alias=AliasChoices("CRM_JWT_SECRET")
    )
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    # First admin, created at start when no user exists.
    admin_username: str = Field("admin", validation_alias=AliasChoices("CRM_ADMIN_USERNAME"))
    admin_password: str = Field("", validation_alias=AliasChoices("CRM_ADMIN_PASSWORD"))
    contacts_target: str = Field(_target("contacts"), validation_alias=AliasChoices("CRM_CONTACTS_GRPC_TARGET"))
    deals_target: str = Field(_target("deals"), validation_alias=AliasChoices("CRM_DEALS_GRPC_TARGET"))
    tasks_target: str = Field(_target("tasks"), validation_alias=AliasChoices("CRM_TASKS_GRPC_TARGET"))
    # Seconds a call to a service may take before the gateway answers 503.
    grpc_deadline: float = 5.0
    # Hours a stored Idempotency-Key response is replayed.
    idempotency_hours: int = 24
