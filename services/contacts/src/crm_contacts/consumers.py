"""Events contacts reacts to: every domain's facts about parties become timeline entries."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import envelope_pb2
from crm_contacts.models import Party, TimelineEntry
from crm_core.db import is_uuid
from crm_core.events.envelope import payload_fields
from crm_core.scopes import remember_scopes, scope_keys


async def surviving_ids(session: AsyncSession, party_ids: list[str]) -> list[str]:
    """Existing party ids, with merged parties replaced by their survivors."""
    ids = [p for p in party_ids if is_uuid(p)]
    resolved: list[str] = []
    for _ in range(5):  # merge chains are short; bounded to stay safe on cycles
        if not ids:
            break
        rows = (await session.execute(select(Party.id, Party.merged_into_id).where(Party.id.in_(ids)))).all()
        ids = []
        for party_id, merged_into in rows:
            if merged_into:
                ids.append(merged_into)
            elif party_id not in resolved:
                resolved.append(party_id)
    return resolved


# Payload fields a timeline reader must not get: a process signal's variables hold whatever the process
# gathered (other records' names and numbers), which its entry's scope does not cover.
WITHHELD_FIELDS = {"crm.events.v1.ProcessSignal": frozenset({"variables_json"})}


def timeline_data(envelope: envelope_pb2.EventEnvelope) -> dict[str, Any] | None:
    """What a timeline entry keeps of its event's payload for clients to draw it from: every field of the
    record the entry's scope covers, less the WITHHELD_FIELDS; None for a payload of an unknown type."""
    data = payload_fields(envelope)
    if data is None:
        return None
    withheld = WITHHELD_FIELDS.get(envelope.payload.TypeName(), frozenset())
    return {name: value for name, value in data.items() if name not in withheld}


async def project_onto_timeline(session: AsyncSession, envelope: envelope_pb2.EventEnvelope) -> None:
    """Add the event to the timeline of every party it names (idempotent per event and party).

    Each entry keeps the scope keys of the records the event reveals, and the
    records' scopes are kept current by every later event about them (whether
    or not it names a party), so who sees an entry follows who may see its record.
    """
    party_ids = await surviving_ids(session, list(envelope.party_ids))
    await remember_scopes(session, envelope, add_new=bool(party_ids))
    keys = scope_keys(envelope)
    data = timeline_data(envelope) if party_ids else None
    for party_id in party_ids:
        await session.execute(
            insert(TimelineEntry)
            .values(
                party_id=party_id,
                event_id=envelope.event_id,
                type=envelope.type,
                source=envelope.source,
                occurred_at=envelope.occurred_at.ToDatetime(tzinfo=UTC),
                actor_id=envelope.actor.user_id,
                subject_id=envelope.subject_id,
                summary=envelope.summary[:1000],
                data=data,
                scope_keys=keys,
            )
            .on_conflict_do_nothing(index_elements=["event_id", "party_id"])
        )
