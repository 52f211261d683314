"""Events the documents service reacts to.

Each consumer is durable (`documents-<consumer>`), records handled event ids in the inbox in the same
transaction as its effect, and acks after the commit; a handler that keeps failing sends the event to the
dead-letter subject.

`deal-scopes`: a document shows to whoever may see its deal. The deal's scope is kept in access_scope when a
document of it is made (read from deals as the caller); every later deal event refreshes it, so a deal
handed to another owner, moved to another team or unshared changes who sees its documents at once.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import envelope_pb2
from crm_core.scopes import remember_scopes
from crm_core.service import ServiceApp


async def follow_deal_scopes(session: AsyncSession, envelope: envelope_pb2.EventEnvelope) -> None:
    """Refresh the scopes of deals that have documents (others are not tracked)."""
    await remember_scopes(session, envelope, add_new=False)


def add_consumers(app: ServiceApp) -> None:
    """The deals' scopes; backlogs are applied sixteen events per commit."""
    app.add_consumer("deal-scopes", ["deals"], follow_deal_scopes, per_transaction=16)
