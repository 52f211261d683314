"""Events the helpdesk reacts to: clients merged in contacts.

Each consumer is durable (`helpdesk-<consumer>`), records handled event ids in the inbox in the same
transaction as its effect, and acks after the commit.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import contacts_pb2, envelope_pb2
from crm_core.service import ServiceApp
from crm_helpdesk.models import ClientTierRow, TicketRow
from crm_helpdesk.portal_models import PortalUserRow


async def follow_party_merges(session: AsyncSession, envelope: envelope_pb2.EventEnvelope) -> None:
    """party.merged: tickets, portal users and the tier of the merged party move to the survivor, so a
    client's tickets stay on the surviving card and its portal users keep seeing them. Idempotent: a
    redelivery finds nothing left to move."""
    merged = contacts_pb2.PartyMerged()
    if envelope.type != "party.merged" or not envelope.payload.Unpack(merged):
        return
    old, new = merged.merged_id, merged.survivor_id
    if not (old and new):
        return
    for model, column in (
        (TicketRow, TicketRow.requester_party_id),
        (TicketRow, TicketRow.organisation_id),
        (PortalUserRow, PortalUserRow.party_id),
        (PortalUserRow, PortalUserRow.organisation_id),
    ):
        await session.execute(update(model).where(column == old).values({column.key: new}))
    # The survivor keeps its own tier when it has one.
    survivor_tier = await session.get(ClientTierRow, new)
    if survivor_tier is None:
        await session.execute(update(ClientTierRow).where(ClientTierRow.party_id == old).values(party_id=new))


def add_consumers(app: ServiceApp) -> None:
    """Register the service's consumers."""
    app.add_consumer("parties", ["contacts"], follow_party_merges)
