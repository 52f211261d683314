"""Rules of the helpdesk domain, on plain data: no database, no gRPC.

The skeleton has no rules yet; it has the typed result its one read returns.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceState:
    """What a running instance reports about itself (GetServiceInfo)."""

    schema_revision: str
    pending_events: int
