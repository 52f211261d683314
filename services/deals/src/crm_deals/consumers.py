"""Events deals reacts to: parties renamed or merged in contacts.

Deals keep the client's display name for boards and lists (it is asked for
often, so it is a local copy fed by events rather than a call per card:
crm_deals.client_names), and
follow merges so a merged-away party's deals and payments move to the survivor.
The copy carries the party's access scope, kept from the same events: a reader
who may see a deal but not its client does not see the client's name.
"""

from __future__ import annotations

from sqlalchemy import Text, func, literal, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import contacts_pb2, envelope_pb2
from crm_core.scopes import remember_scopes
from crm_deals.client_names import follow_name
from crm_deals.models import Deal, Payment


async def follow_parties(session: AsyncSession, envelope: envelope_pb2.EventEnvelope) -> None:
    """party.created/updated: keep the party's newest name for its deals; party.merged: re-point clients and
    contact persons.

    Every party event refreshes the scopes of the parties it reveals (who may see their names)."""
    await remember_scopes(session, envelope, add_new=True)
    if envelope.type in ("party.created", "party.updated"):
        changed = contacts_pb2.PartyChanged()
        if envelope.payload.Unpack(changed) and changed.display_name:
            await follow_name(session, changed.party_id, changed.display_name, envelope.version)
    elif envelope.type == "party.merged":
        merged = contacts_pb2.PartyMerged()
        if envelope.payload.Unpack(merged) and merged.survivor_id and merged.merged_id:
            await repoint(session, merged.merged_id, merged.survivor_id)


async def repoint(session: AsyncSession, merged_id: str, survivor_id: str) -> None:
    """Deals and payments of `merged_id` now belong to `survivor_id` (names follow the survivor's deals)."""
    known_name = await session.scalar(
        select(Deal.client_name).where(Deal.client_id == survivor_id, Deal.client_name != "").limit(1)
    )
    values: dict[str, object] = {"client_id": survivor_id}
    if known_name:
        values["client_name"] = known_name
    await session.execute(update(Deal).where(Deal.client_id == merged_id).values(**values))
    await session.execute(
        update(Deal)
        .where(Deal.contact_ids.contains(literal([merged_id], ARRAY(Text))))
        .values(contact_ids=func.array_replace(Deal.contact_ids, merged_id, survivor_id))
    )
    await session.execute(update(Payment).where(Payment.client_id == merged_id).values(client_id=survivor_id))
