"""Access scopes: who may see a record, carried with every copy of its data.

The service that owns a record puts the record's scope (owner, team, shared
with) into the envelope of each event about it (`scope_of`); an event that
reveals a record it does not own names that record by reference
(`scope_reference`). A service that copies events into a place users read
(the contacts timeline today; documents, tickets and campaigns tomorrow)
keeps every scope it is given in its `access_scope` table, refreshed by the
record's later events (`remember_scopes`: a deal handed to another owner or
unshared changes who sees its old entries at once), stores with each copy the
records it reveals (`scope_keys`), and filters reads in SQL with
`copies_visible_to`: a copy shows only to a reader who may see every one of
those records. A copy whose records have no known scope shows to admins only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import BigInteger, ColumnElement, Table, Text, and_, exists, func, literal, not_, or_, select, true
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from crm.events.v1 import envelope_pb2
from crm.events.v1.envelope_pb2 import AccessScope
from crm_core.auth import Caller
from crm_core.db import Base


class AccessScopeRow(Base):
    """The newest known scope of a record another service owns (one row per record)."""

    __tablename__ = "access_scope"

    record: Mapped[str] = mapped_column(Text, primary_key=True)
    owner_id: Mapped[str] = mapped_column(Text, default="")
    team_id: Mapped[str] = mapped_column(Text, default="")
    shared_with: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    team_role: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(BigInteger, default=0)


def record_key(kind: str, record_id: str) -> str:
    """The name a scope goes by: "<kind>:<id>" ("deal:4f1c...")."""
    return f"{kind}:{record_id}"


def scope_of(
    kind: str,
    record_id: str,
    *,
    owner_id: str,
    team_id: str | None = None,
    shared_with: Iterable[str] = (),
    version: int = 0,
    team_role: str = "",
) -> AccessScope:
    """The scope of a record the publishing service owns, as its access rule decides it."""
    return AccessScope(
        record=record_key(kind, record_id),
        known=True,
        owner_id=owner_id or "",
        team_id=team_id or "",
        shared_with=sorted({u for u in shared_with if u}),
        team_role=team_role,
        version=version,
    )


def scope_of_record(kind: str, record: Any) -> AccessScope:
    """The scope of a record under crm_core.acl's rule (columns id, owner_id, team_id, shared_with, version)."""
    return scope_of(
        kind,
        record.id,
        owner_id=record.owner_id,
        team_id=record.team_id,
        shared_with=record.shared_with,
        version=record.version,
    )


def scope_reference(kind: str, record_id: str) -> AccessScope:
    """A record the event reveals but whose scope its own service publishes."""
    return AccessScope(record=record_key(kind, record_id), known=False)


def unscoped_key(event_id: str) -> str:
    """The scope key of a copy made from an event that carries no scope: never known, so admins only."""
    return record_key("unscoped", event_id)


def scope_keys(envelope: envelope_pb2.EventEnvelope) -> list[str]:
    """The records a copy of this event reveals (an unscoped event gets a key no scope will ever match)."""
    keys = list(dict.fromkeys(s.record for s in envelope.scopes if s.record))
    return keys or [unscoped_key(envelope.event_id)]


async def remember_scopes(session: AsyncSession, envelope: envelope_pb2.EventEnvelope, *, add_new: bool) -> None:
    """Keep the newest scope of each record the event carries.

    `add_new`: also start tracking records not seen before (the event was copied
    somewhere); otherwise only records already tracked are refreshed. An equal
    version overwrites, an older one never does: events of one record usually
    arrive in order, but not always (a stream refilled after a broker lost its
    store, a redelivery after a failed attempt).
    """
    for scope in envelope.scopes:
        if scope.known and scope.record:
            await remember_scope(session, scope, add_new=add_new)


async def remember_scope(session: AsyncSession, scope: AccessScope, *, add_new: bool) -> None:
    """Keep `scope` unless a newer version of it is kept (`add_new`: also when its record is not tracked yet).

    Also for a scope read from the owning service's answer rather than an event (a party a lead is flagged
    as a duplicate of, a party a mailing reaches): its later events keep it current.
    """
    table = cast(Table, AccessScopeRow.__table__)
    values = {
        "owner_id": scope.owner_id,
        "team_id": scope.team_id,
        "shared_with": list(scope.shared_with),
        "team_role": scope.team_role,
        "version": scope.version,
    }
    if add_new:
        statement = insert(table).values(record=scope.record, **values)
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[table.c.record],
                set_=values,
                where=table.c.version <= statement.excluded.version,
            )
        )
    else:
        await session.execute(
            table.update().where(table.c.record == scope.record, table.c.version <= scope.version).values(**values)
        )


def scope_visible(caller: Caller, scope: Any = AccessScopeRow) -> ColumnElement[bool]:
    """SQL: the caller may see the record of this access_scope row."""
    if caller.is_admin:
        return true()
    me = literal([caller.user_id], ARRAY(Text))
    clauses: list[ColumnElement[bool]] = [scope.owner_id == caller.user_id, scope.shared_with.contains(me)]
    if caller.team_ids:
        roles = sorted(caller.roles)
        team_role_held = or_(scope.team_role == "", scope.team_role.in_(roles)) if roles else scope.team_role == ""
        clauses.append(and_(scope.team_id.in_(sorted(caller.team_ids)), team_role_held))
    return or_(*clauses)


def copies_visible_to(caller: Caller, keys_column: Any) -> ColumnElement[bool]:
    """SQL: a copy whose `keys_column` (text[] of scope keys) the caller may see: every record known and visible."""
    if caller.is_admin:
        return true()
    key = func.unnest(keys_column).table_valued("record").render_derived()
    scope = AccessScopeRow
    hidden = (
        select(literal(1))
        .select_from(key.outerjoin(scope, scope.record == key.c.record))
        .where(or_(scope.record.is_(None), not_(scope_visible(caller, scope))))
    )
    return not_(exists(hidden))


def not_hidden_from(caller: Caller, key: Any) -> ColumnElement[bool]:
    """SQL: the record named by `key` (a scope key expression) is not known to be hidden from the caller.

    For a copy the copying service keeps current from the record's own events (a
    client's name on a deal): the same event that refreshes the copy brings the
    scope, so a record whose scope is not known yet holds no copied data to hide.
    """
    if caller.is_admin:
        return true()
    scope = AccessScopeRow
    return not_(exists(select(literal(1)).where(scope.record == key, not_(scope_visible(caller, scope)))))
