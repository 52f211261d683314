"""Events the helpdesk service reacts to.

Each consumer is durable (`helpdesk-<consumer>`), records handled event ids in the inbox in the same
transaction as its effect, and acks after the commit; a handler that keeps failing sends the event to the
dead-letter subject. The skeleton follows no stream yet.
"""

from __future__ import annotations

from crm_core.service import ServiceApp


def add_consumers(app: ServiceApp) -> None:
    """Register the service's consumers: `app.add_consumer("<name>", ["<domain>", ...], <handler>)`."""
