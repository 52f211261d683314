"""The first admin's password: given, or generated into a file; never in a log line."""

from __future__ import annotations

import os
import secrets

from crm_gateway.settings import GatewaySettings


def first_admin_password(settings: GatewaySettings) -> str:
    """The password of the first admin, asked only when no user exists yet.

    CRM_ADMIN_PASSWORD when set (the chart's Secret, `make dev`'s `admin`). Otherwise a random one
    written to CRM_ADMIN_PASSWORD_FILE, readable by the gateway's user only (0600), for the operator
    to read once and delete. With neither the gateway refuses to start: a generated password logged
    once would stay in every log store the lines were shipped to.
    """
    if settings.admin_password:
        return settings.admin_password
    path = settings.admin_password_file
    if path is None:
        raise SystemExit(
            "no user exists yet: set CRM_ADMIN_PASSWORD to the first admin's password, or CRM_ADMIN_PASSWORD_FILE "
            "to a file the gateway writes a generated one to (mode 0600)"
        )
    password = secrets.token_urlsafe(16)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # an existing file keeps its mode on open: make it private too
    with os.fdopen(descriptor, "w") as file:
        file.write(password + "\n")
    return password
