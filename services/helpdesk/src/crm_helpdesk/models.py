"""Tables of the helpdesk database.

`Base` is the service's own declarative base: its metadata holds crm_core's core tables (outbox, inbox,
relay checkpoint, answered requests, audit) beside the service's own, declared here and created by a
migration in migrations/versions/.
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from crm_core.db import service_registry
from crm_helpdesk import DOMAIN

__all__ = ["Base"]


class Base(DeclarativeBase):
    """Declarative base of the helpdesk database: its own tables and crm_core's (service_registry)."""

    registry = service_registry(DOMAIN)
