"""Events tasks reacts to: parties merged in contacts.

A task linked to a party that was merged into another now links the
survivor, so it stays on the surviving client's card and in its filters.
"""

from __future__ import annotations

from sqlalchemy import Text, literal, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import contacts_pb2, envelope_pb2
from crm_tasks.models import Task


async def follow_merges(session: AsyncSession, envelope: envelope_pb2.EventEnvelope) -> None:
    """party.merged: re-point the merged party's task links to the survivor."""
    merged = contacts_pb2.PartyMerged()
    if envelope.type != "party.merged" or not envelope.payload.Unpack(merged):
        return
    if not (merged.survivor_id and merged.merged_id):
        return
    tasks = await session.scalars(
        select(Task).where(Task.party_ids.contains(literal([merged.merged_id], ARRAY(Text)))).with_for_update()
    )
    for task in tasks:
        task.party_ids = list(dict.fromkeys(merged.survivor_id if p == merged.merged_id else p for p in task.party_ids))
        links = []
        for link in task.links:
            if link.get("kind") == "party" and link.get("id") == merged.merged_id:
                link = {**link, "id": merged.survivor_id}
            if link not in links:
                links.append(link)
        task.links = links
