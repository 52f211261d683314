"""Deals' copy of their clients' names, kept from contacts' events, and the name a deal is opened with.

The gateway reads the client from contacts and sends its name with a new deal. A rename
committed in between reaches deals as an event, which renames the client's existing deals:
if it is handled before the new deal commits, that deal would keep the old name for good.
So deals keep the newest name of each client (`client_name`, with the party's version) and
a deal takes its client's name from there, under a row lock the consumer takes as well:
whichever commits second sees the other's work. An event older than the known name (a
stream refilled after a broker lost its store publishes old events behind new ones) changes
nothing.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_deals.models import ClientName, Deal


async def name_for_deal(session: AsyncSession, party_id: str, read_name: str) -> str:
    """The name a deal of `party_id` gets: the newest known one, else `read_name` (which the gateway just
    read from contacts, and which is kept, at version 0, until any event of the party replaces it)."""
    if read_name:
        await session.execute(
            insert(ClientName).values(party_id=party_id, display_name=read_name, version=0).on_conflict_do_nothing()
        )
    known = await session.scalar(
        select(ClientName.display_name).where(ClientName.party_id == party_id).with_for_update()
    )
    return known if known is not None else read_name


async def follow_name(session: AsyncSession, party_id: str, name: str, version: int) -> None:
    """Keep `name` as the party's name when it is newer than the one known, and put it on the party's deals."""
    statement = insert(ClientName).values(party_id=party_id, display_name=name, version=version)
    newer = await session.execute(
        statement.on_conflict_do_update(
            index_elements=[ClientName.party_id],
            set_={"display_name": statement.excluded.display_name, "version": statement.excluded.version},
            where=ClientName.version < statement.excluded.version,
        ).returning(ClientName.party_id)
    )
    if newer.first() is None:
        return  # an event older than (or as old as) the name already known
    await session.execute(
        update(Deal).where(Deal.client_id == party_id, Deal.client_name != name).values(client_name=name)
    )
