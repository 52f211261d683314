"""Gateway settings (CRM_GATEWAY_* and the shared CRM_* variables)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import SettingsConfigDict

from crm_core.registry import LOCAL_IDENTITY_PORT, REGISTRY
from crm_core.settings import CommonSettings, local_database_url

# The web client's folder in a checkout (gateway/src/crm_gateway/settings.py -> <repo>/web); an image sets
# CRM_GATEWAY_WEB_DIR to where it copied the folder.
CHECKOUT_WEB_DIR = Path(__file__).resolve().parents[3] / "web"


class GatewaySettings(CommonSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_GATEWAY_", extra="ignore")

    database_url: str = local_database_url("gateway")
    host: str = "127.0.0.1"
    port: int = 8000
    # Prometheus /metrics, on a port of its own so the public one (the Ingress's) never shows it; 0 disables.
    metrics_port: int = 9000
    # gRPC port of the identity module (the services verify partner API keys there); 0 disables it.
    grpc_port: int = LOCAL_IDENTITY_PORT
    # Signs access tokens. No default: one written in the source would let anyone mint an admin's token.
    jwt_secret: str = Field("", validation_alias=AliasChoices("CRM_JWT_SECRET"), repr=False)
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    # First admin, created at start when no user exists, with CRM_ADMIN_PASSWORD; without it, with a random
    # password written to CRM_ADMIN_PASSWORD_FILE (mode 0600); with neither the gateway refuses to start.
    # The password is never logged.
    admin_username: str = Field("admin", validation_alias=AliasChoices("CRM_ADMIN_USERNAME"))
    admin_password: str = Field("", validation_alias=AliasChoices("CRM_ADMIN_PASSWORD"), repr=False)
    admin_password_file: Path | None = Field(None, validation_alias=AliasChoices("CRM_ADMIN_PASSWORD_FILE"))
    # Seconds a SIGTERM waits for in-flight HTTP requests once the server stopped accepting.
    shutdown_grace: float = 10.0
    # Where each service of the registry answers: CRM_<SERVICE>_GRPC_TARGET, else its local port.
    # A target may name several addresses ("ipv4:a:1,b:2", "dns:///headless-service:port"): calls go round robin.
    targets: dict[str, str] = Field(default_factory=dict)
    # Seconds a call to a service may take before the gateway answers 503.
    grpc_deadline: float = 5.0
    # Hours a stored Idempotency-Key response is replayed.
    idempotency_hours: int = 24
    # Seconds a request holds its Idempotency-Key before a retry may take it over (it died with its gateway).
    idempotency_lease_seconds: float = 15.0
    # The documents service's attachment limit (the same variable), for refusing a larger body by its
    # Content-Length before reading it; the service enforces it while the bytes stream either way.
    max_attachment_bytes: int = Field(
        25 * 1024 * 1024, validation_alias=AliasChoices("CRM_DOCUMENTS_MAX_ATTACHMENT_BYTES")
    )
    # Failed logins (staff and portal) within login_window_minutes before logins answer 429: of one account
    # from one address, from one address, of one account from anywhere (crm_gateway.login_throttle).
    login_failures_per_account_address: int = 10
    login_failures_per_address: int = 50
    login_failures_per_account: int = 100
    login_window_minutes: int = 15
    # Proxies in front of the gateway whose X-Forwarded-For is believed (the Ingress: 1); 0 trusts none.
    trusted_proxies: int = 0
    # The web client's files (index.html, css/, fonts/, i18n/, js/), served at / and /static/<hash>/.
    web_dir: Path = CHECKOUT_WEB_DIR
    # Serve the client's build (web_dir/dist, `make web`) or its sources: "auto" the build when it is newer than
    # every source file, "on" the build (refuse to start without one), "off" the sources (docs/web-client.md).
    web_bundle: Literal["auto", "on", "off"] = "auto"

    def require_secrets(self) -> None:
        """Refuse to start without the secrets that sign tokens (SystemExit says what to set)."""
        self.require_secret("the JWT secret", self.jwt_secret, "CRM_JWT_SECRET")
        self.require_secret("the internal secret", self.internal_secret, "CRM_INTERNAL_SECRET")
        if self.jwt_secret == self.internal_secret:
            raise SystemExit("CRM_JWT_SECRET and CRM_INTERNAL_SECRET must differ")

    def model_post_init(self, context: object) -> None:
        for name, entry in REGISTRY.items():
            self.targets.setdefault(name, os.environ.get(f"{entry.env_prefix}GRPC_TARGET") or entry.local_target)
