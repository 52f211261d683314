"""Segments: saved sets of parties or leads, read as the reader sees them.

A dynamic segment is a filter evaluated when it is used: over parties through
contacts' ListParties/CountParties called as the reader (contacts applies the
reader's access), over leads through this service's own lead query with the
reader's access in SQL. A static segment lists party and lead ids; each was
visible to whoever added it, and is shown to a reader only if it is visible to
them now (a lead by SQL, a party by asking contacts as the reader). So two
users of one segment may see different members, and a mailing sends to the
members its sender sees when it is sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm.contacts.v1 import contacts_pb2
from crm_core.acl import check_team_assignment, visible_to
from crm_core.audit import record_audit
from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.db import Database, is_uuid, new_id
from crm_core.errors import FieldProblem, InvalidArgument, NotFound, Validator, invalid
from crm_core.pagination import Page, decode_cursor, encode_cursor
from crm_core.resources import SortKey, SortSpec, check_version, get_visible, keyset_page
from crm_core.scopes import remember_scope, scope_of
from crm_marketing.models import Lead, Segment, SegmentMember
from crm_marketing.peers import Peers
from crm_marketing.repository import LEAD_FILTERS, MarketingRepository, Query

KINDS = ("dynamic", "static")
SOURCES = ("parties", "leads")
MEMBER_KINDS = ("party", "lead")
MAX_FILTERS = 20
MAX_MEMBERS_PER_CALL = 500
# Parties of a static segment asked of contacts at once.
PARTY_LOOKUPS = 10
SEGMENT_SORT = SortSpec[None](
    "segments", {"created_at": SortKey("datetime", Segment.created_at)}, "-created_at", Segment.id
)


@dataclass(frozen=True)
class SegmentDraft:
    """A new segment, its values checked."""

    name: str
    kind: str
    source: str
    query: str
    filters: list[tuple[str, str, str]]
    description: str = ""
    owner_id: str = ""
    team_id: str | None = None
    shared_with: list[str] = field(default_factory=list)


def segment_draft(message: Any) -> SegmentDraft:
    """A pb.Segment as a draft; INVALID_ARGUMENT naming every bad field."""
    v = Validator()
    name = message.name.strip()
    if not name:
        v.add("name", "required", "a segment needs a name")
    elif len(name) > 300:
        v.add("name", "too_long", "name: at most 300 characters")
    kind = message.kind or "dynamic"
    if kind not in KINDS:
        v.add("kind", "invalid_choice", f"kind must be one of {', '.join(KINDS)}")
    source = message.source or "parties"
    if source not in SOURCES:
        v.add("source", "invalid_choice", f"source must be one of {', '.join(SOURCES)}")
    filters = [(f.field, f.op, f.value) for f in message.filters]
    if len(filters) > MAX_FILTERS:
        v.add("filters", "too_many", f"at most {MAX_FILTERS} filters")
    if kind == "static" and (filters or message.query):
        v.add("filters", "not_allowed", "a static segment has members, not filters")
    if kind != "static" and source == "leads":
        for i, (name_, _, _) in enumerate(filters):
            if name_ not in LEAD_FILTERS:
                v.add(f"filters[{i}]", "unknown_filter_field", f"filters[{i}]: cannot filter leads on '{name_}'")
    if len(message.query) > 200:
        v.add("query", "too_long", "query: at most 200 characters")
    v.raise_if_any()
    return SegmentDraft(
        name=name,
        kind=kind,
        source=source,
        query=message.query.strip(),
        filters=filters,
        description=message.description.strip()[:2000],
        owner_id=message.owner_id.strip(),
        team_id=message.team_id.strip() or None,
        shared_with=sorted({u.strip() for u in message.shared_with if u.strip()}),
    )


@dataclass(frozen=True)
class Member:
    """A party or lead as segments and mailings use it: its names and first e-mail."""

    kind: str
    id: str
    name: str
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    position: str = ""
    email: str = ""
    phone: str = ""
    # A party's access scope as contacts gave it (kept with the copies a mailing makes of it).
    owner_id: str = ""
    team_id: str = ""
    shared_with: tuple[str, ...] = ()
    version: int = 0

    def merge_values(self) -> dict[str, str]:
        """The merge fields of a mailing (unsubscribe_url is added per message)."""
        return {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "name": self.name,
            "company": self.company,
            "position": self.position,
            "email": self.email,
        }


def _primary(points: Sequence[Any]) -> str:
    chosen = next((p for p in points if p.primary), points[0] if points else None)
    return chosen.value if chosen is not None else ""


def party_member(party: contacts_pb2.Party) -> Member:
    """A party as a member: a person's names and company (its first linked company), a company's name."""
    person = party.kind == "person"
    company = party.display_name if not person else next((link.company_name for link in party.links), "")
    return Member(
        kind="party",
        id=party.id,
        name=party.display_name,
        first_name=party.person.first_name if person else "",
        last_name=party.person.last_name if person else "",
        company=company,
        position=party.person.position if person else "",
        email=_primary(party.emails),
        phone=_primary(party.phones),
        owner_id=party.owner_id,
        team_id=party.team_id,
        shared_with=tuple(sorted(set(party.shared_with))),
        version=party.version,
    )


async def remember_party_scopes(session: AsyncSession, members: Sequence[Member]) -> None:
    """Keep the access scope of each party member a mailing copied (contacts' events keep it current,
    consumers.follow_party_scopes), so its recipient row shows only to who may see the party."""
    for member in {m.id: m for m in members if m.kind == "party"}.values():
        scope = scope_of(
            "party",
            member.id,
            owner_id=member.owner_id,
            team_id=member.team_id,
            shared_with=member.shared_with,
            version=member.version,
        )
        await remember_scope(session, scope, add_new=True)


def split_person_name(person_name: str) -> tuple[str, str]:
    """(first, last) of a lead's name as typed: "Иван Петров" -> Иван, Петров; "Петров Иван Сергеевич" (ФИО,
    three words) -> Иван, Петров; one word is a first name."""
    words = person_name.split()
    if len(words) >= 3:
        return words[1], words[0]
    if len(words) == 2:
        return words[0], words[1]
    return (words[0], "") if words else ("", "")


def lead_member(lead: Lead) -> Member:
    first, last = split_person_name(lead.person_name)
    return Member(
        kind="lead",
        id=lead.id,
        name=lead.person_name or lead.company_name or lead.email,
        first_name=first,
        last_name=last,
        company=lead.company_name,
        position=lead.position,
        email=lead.email,
        phone=lead.phone_e164 or lead.phone,
    )


class Segments:
    """Segment commands (create, members of static ones) and their evaluation as a reader."""

    def __init__(self, db: Database, clock: Clock, peers: Peers) -> None:
        self.db = db
        self.clock = clock
        self.peers = peers

    # Commands ----------------------------------------------------------------------------

    async def create(self, caller: Caller, draft: SegmentDraft) -> Segment:
        now = self.clock.now()
        team_id = draft.team_id or (next(iter(caller.team_ids)) if len(caller.team_ids) == 1 else None)
        check_team_assignment(caller, team_id)
        if draft.kind == "dynamic":
            await self.count(caller, self._unsaved(draft))  # a filter contacts or leads refuse is refused now
        async with self.db.transaction() as session:
            segment = Segment(
                id=new_id(),
                name=draft.name,
                kind=draft.kind,
                source=draft.source,
                query=draft.query,
                filters=[list(f) for f in draft.filters],
                description=draft.description,
                owner_id=draft.owner_id or caller.user_id,
                team_id=team_id,
                shared_with=draft.shared_with,
                version=1,
                created_at=now,
                updated_at=now,
                created_by=caller.user_id,
            )
            session.add(segment)
            await session.flush()
            record_audit(
                session,
                entity_type="segment",
                entity_id=segment.id,
                action="created",
                actor_id=caller.user_id,
                changes={"name": {"old": None, "new": draft.name}, "kind": {"old": None, "new": draft.kind}},
            )
        return segment

    @staticmethod
    def _unsaved(draft: SegmentDraft) -> Segment:
        return Segment(
            kind=draft.kind, source=draft.source, query=draft.query, filters=[list(f) for f in draft.filters]
        )

    @staticmethod
    async def get(session: AsyncSession, caller: Caller, segment_id: str, *, lock: bool = False) -> Segment:
        return await get_visible(session, Segment, "segment", segment_id, visible_to(caller, Segment), lock=lock)

    async def list_segments(self, caller: Caller, query: str, limit: int, cursor: str) -> Page[Segment]:
        statement = select(Segment).where(visible_to(caller, Segment))
        words = [w for w in query.lower().split() if w][:8]
        for word in words:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            statement = statement.where(func.lower(Segment.name).like(f"%{escaped}%"))
        async with self.db.readers() as session:
            return await keyset_page(session, statement, SEGMENT_SORT.parse("").order(None), limit, cursor)

    async def change_members(
        self, caller: Caller, segment_id: str, refs: Sequence[tuple[str, str]], expected_version: int, *, add: bool
    ) -> Segment:
        """Add (each visible to the caller, else INVALID_ARGUMENT member_not_found) or remove static members."""
        if len(refs) > MAX_MEMBERS_PER_CALL:
            raise invalid("members", "too_many", f"at most {MAX_MEMBERS_PER_CALL} members per call")
        problems = [
            FieldProblem(f"members[{i}].kind", "invalid_choice", "kind must be party or lead")
            for i, (kind, _) in enumerate(refs)
            if kind not in MEMBER_KINDS
        ]
        if problems:
            raise InvalidArgument("validation_failed", problems[0].message, problems)
        async with self.db.readers() as session:
            segment = await self.get(session, caller, segment_id)
        if segment.kind != "static":
            raise invalid("segment_id", "not_static", "members are added to static segments only")
        if add:
            await self._check_visible(caller, refs)
        now = self.clock.now()
        async with self.db.transaction() as session:
            segment = await self.get(session, caller, segment_id, lock=True)
            check_version("segment", segment, expected_version)
            if add and refs:
                rows = [
                    {
                        "segment_id": segment.id,
                        "record_kind": k,
                        "record_id": r,
                        "added_at": now,
                        "added_by": caller.user_id,
                    }
                    for k, r in dict.fromkeys(refs)
                ]
                await session.execute(insert(SegmentMember).values(rows).on_conflict_do_nothing())
            elif refs:
                await session.execute(
                    delete(SegmentMember).where(
                        SegmentMember.segment_id == segment.id,
                        tuple_(SegmentMember.record_kind, SegmentMember.record_id).in_(list(refs)),
                    )
                )
            segment.version += 1
            segment.updated_at = now
            record_audit(
                session,
                entity_type="segment",
                entity_id=segment.id,
                action="members_added" if add else "members_removed",
                actor_id=caller.user_id,
                changes={"members": {"old": None, "new": [f"{k}:{r}" for k, r in refs][:100]}},
            )
        return segment

    async def _check_visible(self, caller: Caller, refs: Sequence[tuple[str, str]]) -> None:
        lead_ids = [r for k, r in refs if k == "lead"]
        visible_leads: set[str] = set()
        if lead_ids:
            async with self.db.readers() as session:
                ids = [i for i in lead_ids if is_uuid(i)]
                rows = await session.scalars(select(Lead.id).where(Lead.id.in_(ids), visible_to(caller, Lead)))
                visible_leads = set(rows)
        parties = await self._parties(caller, [r for k, r in refs if k == "party"])
        problems = [
            FieldProblem(f"members[{i}].id", "member_not_found", f"no {kind} {record_id}")
            for i, (kind, record_id) in enumerate(refs)
            if (kind == "lead" and record_id not in visible_leads) or (kind == "party" and record_id not in parties)
        ]
        if problems:
            raise InvalidArgument("member_not_found", problems[0].message, problems)

    async def _parties(self, caller: Caller, party_ids: Sequence[str]) -> dict[str, Member]:
        """The parties among `party_ids` the caller sees (asked of contacts as the caller, a few at a time)."""
        found: dict[str, Member] = {}
        slots = asyncio.Semaphore(PARTY_LOOKUPS)

        async def one(party_id: str) -> None:
            async with slots:
                try:
                    found[party_id] = party_member(await self.peers.get_party(caller, party_id))
                except NotFound:
                    pass  # hidden or gone: not a member for this reader
                except InvalidArgument:
                    pass  # not an id contacts knows the shape of

        await asyncio.gather(*(one(p) for p in dict.fromkeys(party_ids)))
        return found

    # Evaluation as the reader -------------------------------------------------------------

    async def count(self, caller: Caller, segment: Segment) -> tuple[int, bool]:
        """(members the caller sees, capped)."""
        if segment.kind == "dynamic" and segment.source == "parties":
            answer = await self.peers.count_parties(caller, segment.query, _filters(segment))
            return int(answer.count), bool(answer.capped)
        if segment.kind == "dynamic":
            async with self.db.readers() as session:
                count = await MarketingRepository(session, caller).count_leads(_lead_query(segment))
            return count, False
        total = 0
        async for _ in self.iter_members(caller, segment):
            total += 1
        return total, False

    async def page(self, caller: Caller, segment: Segment, limit: int, cursor: str) -> tuple[list[Member], str]:
        """A page of the members the caller sees, and the cursor of the next one ("" at the end)."""
        if segment.kind == "dynamic" and segment.source == "parties":
            answer = await self.peers.list_parties(caller, segment.query, _filters(segment), limit, cursor)
            return [party_member(p) for p in answer.parties], answer.next_cursor
        if segment.kind == "dynamic":
            async with self.db.readers() as session:
                leads = await MarketingRepository(session, caller).list_leads(_lead_query(segment), limit, cursor)
            return [lead_member(lead) for lead in leads.items], leads.next_cursor
        return await self._static_page(caller, segment, limit, cursor)

    async def _static_page(self, caller: Caller, segment: Segment, limit: int, cursor: str) -> tuple[list[Member], str]:
        statement = select(SegmentMember.record_kind, SegmentMember.record_id).where(
            SegmentMember.segment_id == segment.id
        )
        if cursor:
            after = decode_cursor(cursor, 2)
            statement = statement.where(tuple_(SegmentMember.record_kind, SegmentMember.record_id) > tuple(after))
        statement = statement.order_by(SegmentMember.record_kind, SegmentMember.record_id).limit(limit + 1)
        async with self.db.readers() as session:
            refs = [(row.record_kind, row.record_id) for row in await session.execute(statement)]
            more = len(refs) > limit
            refs = refs[:limit]
            lead_ids = [r for k, r in refs if k == "lead"]
            leads = {
                lead.id: lead_member(lead)
                for lead in await session.scalars(select(Lead).where(Lead.id.in_(lead_ids), visible_to(caller, Lead)))
            }
        parties = await self._parties(caller, [r for k, r in refs if k == "party"])
        members = [m for k, r in refs if (m := (leads.get(r) if k == "lead" else parties.get(r))) is not None]
        return members, encode_cursor(list(refs[-1])) if more else ""

    async def iter_members(self, caller: Caller, segment: Segment, page_size: int = 200) -> AsyncIterator[Member]:
        """Every member the caller sees, page by page."""
        cursor = ""
        while True:
            members, cursor = await self.page(caller, segment, page_size, cursor)
            for member in members:
                yield member
            if not cursor:
                return


def _filters(segment: Segment) -> list[tuple[str, str, str]]:
    return [(str(f[0]), str(f[1]), str(f[2])) for f in segment.filters]


def _lead_query(segment: Segment) -> Query:
    return Query(query=segment.query, filters=_filters(segment))
