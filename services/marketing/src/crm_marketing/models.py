"""Tables of the marketing database.

The core tables (outbox, inbox, relay checkpoint, answered requests, audit) come from crm_core and its
migration helpers; the service's own tables are declared here on the same `Base`, and created by a
migration in migrations/versions/.
"""

from __future__ import annotations

from crm_core.db import Base

__all__ = ["Base"]
