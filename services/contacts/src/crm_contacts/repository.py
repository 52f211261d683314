"""Queries on the contacts database, always within what the caller may see."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    and_,
    case,
    cast,
    func,
    join,
    literal,
    literal_column,
    or_,
    select,
    text,
    true,
    union,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONPATH, aggregate_order_by, array
from sqlalchemy.ext.asyncio import AsyncSession

from crm_contacts import models, search
from crm_contacts.models import Party
from crm_contacts.names import name_key
from crm_core.acl import visible_to
from crm_core.auth import Caller
from crm_core.contact_points import normalize_email
from crm_core.db import is_uuid
from crm_core.errors import invalid, not_found
from crm_core.pagination import Page
from crm_core.resources import Order, banded_page, get_visible, keyset_page
from crm_core.resources import columns_of as record_columns
from crm_core.scopes import copies_visible_to

# The contacts database's pg_trgm.similarity_threshold too (migration 0007).
NAME_SIMILARITY = 0.5
# Counts beyond this are "more than COUNT_CAP": an exact count of a million rows is a scan, and even
# counting to 10,000 read that many rows (seconds at a million parties on a cold cache, measured).
COUNT_CAP = 1_000
# How many nearest name keys a duplicate check reads; the similarity floor is applied to these.
NAME_CANDIDATES = 20
# Parties a bulk create's duplicate check reads per value it looks up (a common name may have hundreds).
EXACT_PER_VALUE = 20


# The other side of a person-company link: a table alias made once (aliasing the entity per read costs
# a quarter of a card's read, measured).
_OTHER = Party.__table__.alias("other")


def columns_of(party: Party) -> dict[str, Any]:
    """The party's columns but its search vector (PostgreSQL derives it; nothing compares or shows it)."""
    return record_columns(party, leave_out=("search_tsv",))


@dataclass
class PartyQuery:
    """A search: query text, filters as (field, op, value), sort, deleted mode."""

    query: str = ""
    filters: Sequence[tuple[str, str, str]] = ()
    sort: str = ""
    deleted: str = ""


@dataclass
class Duplicate:
    party: Party
    reasons: list[str]
    score: float


@dataclass(frozen=True)
class ExactMatch:
    """A stored party's keys, as `exact_duplicates` reads them."""

    id: str
    kind: str
    inn: str | None
    ogrn: str | None
    emails_norm: list[str]
    phones_norm: list[str]
    name_key: str


def _values(value: Any) -> list[str]:
    """A key column's values: a list (e-mails, phones) or one text (INN, OGRN, name key)."""
    if isinstance(value, list):
        return value
    return [value] if value else []


class ContactsRepository:
    """Reads and writes of one unit of work, filtered by the caller's access."""

    def __init__(self, session: AsyncSession, caller: Caller) -> None:
        self.session = session
        self.caller = caller

    # Parties ---------------------------------------------------------------

    def visible(self) -> ColumnElement[bool]:
        return visible_to(self.caller, Party)

    async def get_party(self, party_id: str, *, include_deleted: bool = False, lock: bool = False) -> Party:
        """A party the caller may see, or NotFound (also for ids that are not UUIDs)."""
        live = [] if include_deleted else [Party.deleted_at.is_(None)]
        return await get_visible(self.session, Party, "party", party_id, self.visible(), *live, lock=lock)

    async def get_party_with_links(
        self, party_id: str, *, include_deleted: bool = False
    ) -> tuple[Party, list[tuple[models.PartyLink, str, str]]]:
        """A visible party and its links to visible live counterparts, in one statement (a card's read)."""
        if not is_uuid(party_id):
            raise not_found("party", party_id)
        link, other = models.PartyLink, _OTHER.c
        mine = Party.id
        other_id = case((link.company_id == mine, link.person_id), else_=link.company_id)
        links = (
            select(
                func.coalesce(
                    func.json_agg(
                        aggregate_order_by(
                            func.json_build_array(link.company_id, link.person_id, link.role, other.display_name),
                            link.id,
                        )
                    ),
                    literal_column("'[]'::json"),
                )
            )
            .select_from(join(link, _OTHER, other.id == other_id))
            .where(
                or_(link.company_id == mine, link.person_id == mine),
                other.deleted_at.is_(None),
                visible_to(self.caller, other),
            )
            .scalar_subquery()
        )
        live = [] if include_deleted else [Party.deleted_at.is_(None)]
        row = (
            await self.session.execute(select(Party, links).where(Party.id == party_id, self.visible(), *live))
        ).first()
        if row is None:
            raise not_found("party", party_id)
        party, items = row
        found = []
        for company_id, person_id, role, other_name in items:
            names = (party.display_name, other_name) if party.kind == "company" else (other_name, party.display_name)
            found.append((models.PartyLink(company_id=company_id, person_id=person_id, role=role), *names))
        return party, found

    async def _clauses(self, q: PartyQuery) -> list[ColumnElement[bool]]:
        """What every party of the listing satisfies but the query text: access, deleted mode, filters."""
        if q.deleted not in ("", "only", "include"):
            raise invalid("deleted", "not_allowed", "deleted must be empty, 'only' or 'include'")
        if len(q.query) > 200:
            raise invalid("query", "too_long", "query must be at most 200 characters")
        clauses = [self.visible()]
        if q.deleted == "":
            clauses.append(Party.deleted_at.is_(None))
        elif q.deleted == "only":
            clauses.append(Party.deleted_at.is_not(None))
        return clauses + search.filter_conditions(q.filters, await self.custom_field_types())

    async def _base(self, q: PartyQuery) -> Select:
        """The listing's rows without ranking: the query text matches any exact band (reports use this)."""
        clauses = await self._clauses(q)
        if q.query.strip():
            clauses.append(search.match(q.query).any())
        return select(Party).where(*clauses)

    async def list_parties(self, q: PartyQuery, limit: int, cursor: str) -> Page[Party]:
        if search.ranked(q.sort, q.query):
            clauses = await self._clauses(q)
            bands = search.bands(search.match(q.query), self.caller.is_admin)
            return await banded_page(
                self.session, select(Party).where(*clauses), bands, limit, cursor, "parties:relevance"
            )
        order = search.SORT.parse(q.sort, "").order(q.query)
        return await keyset_page(self.session, await self._base(q), order, limit, cursor)

    async def count_parties(self, q: PartyQuery) -> tuple[int, bool]:
        """How many parties the listing holds, exact up to COUNT_CAP; (COUNT_CAP, True) means more than that.

        Counting stops at the cap, so a count costs at most COUNT_CAP rows read whatever the
        base's size; with a query, the fuzzy band's few rows are added as the listing shows them.
        """
        clauses = await self._clauses(q)
        matching = [*clauses]
        fuzzy = None
        if q.query.strip():
            m = search.match(q.query)
            matching.append(m.any())
            fuzzy = m.fuzzy()
            if fuzzy is not None:
                fuzzy = and_(fuzzy, m.any().is_not(true()))
        capped = select(literal(1)).select_from(Party).where(*matching).limit(COUNT_CAP + 1).subquery()
        count = int(await self.session.scalar(select(func.count()).select_from(capped)) or 0)
        if count > COUNT_CAP:
            return COUNT_CAP, True
        if fuzzy is not None:
            count += int(await self.session.scalar(select(func.count()).where(*clauses, fuzzy)) or 0)
        return count, False

    async def lock_registration_ids(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Serialize, until commit, the creates of parties sharing an INN or OGRN.

        Without it two concurrent creates both pass the duplicate check, as
        neither sees the other's uncommitted row. Every writer takes its locks in
        one order (all INNs, then all OGRNs, each sorted), so none can deadlock:
        a single create (one INN, one OGRN) and a bulk create of a thousand alike.
        """
        keys = sorted(
            {(name, row[name]) for row in rows for name in ("inn", "ogrn") if row.get(name)},
        )
        if keys:
            names = [f"crm_contacts.party.{name}:{value}" for name, value in keys]
            locks = select(func.pg_advisory_xact_lock(func.hashtextextended(literal_column("key"), 0))).select_from(
                func.unnest(literal(names, ARRAY(Text))).alias("key")
            )
            await self.session.execute(locks)

    async def exact_duplicates(self, rows: Sequence[Mapping[str, Any]]) -> list[ExactMatch]:
        """Visible live parties sharing an INN, OGRN, e-mail, phone or exact name key with any of `rows`.

        One query for a whole batch (a bulk create), every value of the batch looked up on its own
        through its index (LATERAL: the b-trees of INN, OGRN and name_key, the GIN indexes of
        e-mails and phones), at most EXACT_PER_VALUE parties each. Written as `= ANY(:all)` or
        `&& :all` the planner, misjudging a table a bulk load has just grown, scans it and compares
        every row with a thousand values. So the cost grows with the batch, not with the table.
        Which row matches which party is the caller's to tell (`ExactMatch`).
        """
        t = Party.__table__.c
        keys: list[tuple[str, Callable[[Any], ColumnElement[bool]]]] = [
            ("inn", lambda value: t.inn == value),
            ("ogrn", lambda value: t.ogrn == value),
            ("name_key", lambda value: t.name_key.collate("C") == value),  # ix_party_name_key_c
            ("emails_norm", lambda value: t.emails_norm.contains(array([value]))),
            ("phones_norm", lambda value: t.phones_norm.contains(array([value]))),
        ]
        columns = (t.id, t.kind, t.inn, t.ogrn, t.emails_norm, t.phones_norm, t.name_key)
        lookups: list[Select[Any]] = []
        for name, matches in keys:
            values = sorted({v for r in rows for v in _values(r.get(name))})
            if not values:
                continue
            given = func.unnest(literal(values, ARRAY(Text))).table_valued("value").render_derived(name=f"{name}_given")
            found = (
                select(*columns)
                .where(matches(given.c.value), self.visible(), Party.deleted_at.is_(None))
                .limit(EXACT_PER_VALUE)
                .lateral(f"{name}_found")
            )
            lookups.append(select(found).select_from(given.join(found, true())))
        if not lookups:
            return []
        # A thousand index probes look costly to the planner, which then compiles the query with JIT: a
        # second of compiling (measured) for 30 ms of probing. Off for the rest of this transaction only.
        await self.session.execute(text("SET LOCAL jit = off"))
        return [ExactMatch(*row) for row in (await self.session.execute(union(*lookups))).all()]

    async def parties_by_keys(
        self, inns: Sequence[str], emails: Sequence[str], phones: Sequence[str]
    ) -> list[tuple[Party, list[str]]]:
        """Visible live parties holding any of the INNs, e-mails (normalized) or phone digits, with the keys
        each holds ("inn:…", "email:…", "phone:…"): `exact_duplicates`' index probes for a whole batch."""
        found = await self.exact_duplicates(
            [{"inn": list(inns), "emails_norm": list(emails), "phones_norm": list(phones)}]
        )
        if not found:
            return []
        wanted = {("inn", v) for v in inns} | {("email", v) for v in emails} | {("phone", v) for v in phones}
        keys: dict[str, list[str]] = {}
        for match in found:
            held = [("inn", match.inn or "")] + [("email", e) for e in match.emails_norm or []]
            held += [("phone", p) for p in match.phones_norm or []]
            for name, value in held:
                key = f"{name}:{value}"
                if (name, value) in wanted and key not in keys.setdefault(match.id, []):
                    keys[match.id].append(key)
        parties = await self.session.scalars(select(Party).where(Party.id.in_(list(keys))))
        return [(party, keys[party.id]) for party in parties if keys[party.id]]

    async def find_duplicates(self, cols: dict[str, Any], exclude_id: str | None, limit: int) -> list[Duplicate]:
        """Visible live parties sharing a registration id, e-mail or phone, or with a similar name.

        Scored in SQL so only the best `limit` rows are loaded: a shared registration id
        scores 1.0, e-mail 0.9, phone 0.8, otherwise the name similarity (at least 0.5).

        Candidates come from index lookups only, so the check costs the same on any table
        size: the registration ids through their b-trees, e-mails and phones through their
        GIN indexes, and names as the `NAME_CANDIDATES` nearest name keys through the GiST
        trigram index (nearest first, stopping at the limit). The floor inside that scan is
        the `%` operator, which the index itself prunes by; a floor the index cannot use would
        make the scan read on until it found enough close names.
        """
        key = name_key(cols.get("display_name") or "", cols["kind"])
        similarity = func.similarity(Party.name_key, key)
        signals: list[tuple[str, ColumnElement[bool], float]] = []
        for column in ("inn", "ogrn"):
            if cols.get(column):
                signals.append((column, getattr(Party, column) == cols[column], 1.0))
        emails = [normalize_email(e) for e in cols.get("emails_norm") or []]
        # Already E.164 digits: read again as typed, a foreign "4930901820" (+49) would become Russian.
        phones = list(cols.get("phones_norm") or [])
        if emails:
            signals.append(("email", Party.emails_norm.overlap(emails), 0.9))
        if phones:
            signals.append(("phone", Party.phones_norm.overlap(phones), 0.8))
        lookups: list[Select[Any]] = [select(Party.id).where(condition) for _, condition, _ in signals]
        if key:
            nearest = (
                select(Party.id)
                # `%` is the database's similarity threshold (NAME_SIMILARITY, migration 0007): the
                # GiST scan prunes by it instead of reading on when no name is near.
                .where(Party.deleted_at.is_(None), Party.kind == cols["kind"], Party.name_key.op("%")(key))
                .order_by(Party.name_key.op("<->")(key))
                .limit(NAME_CANDIDATES)
            )
            if exclude_id:
                nearest = nearest.where(Party.id != exclude_id)
            lookups.append(select(nearest.subquery().c.id))
            signals.append(("name", similarity >= NAME_SIMILARITY, 0.0))
        if not signals:
            return []
        candidates = union_all(*lookups).subquery("candidates")
        flags = [case((condition, True), else_=False).label(reason) for reason, condition, _ in signals]
        score = func.greatest(similarity, *[case((condition, weight), else_=0.0) for _, condition, weight in signals])
        query = (
            select(Party, score.label("score"), *flags)
            .where(
                Party.id.in_(select(candidates.c.id)),
                self.visible(),
                Party.deleted_at.is_(None),
                Party.kind == cols["kind"],
                or_(*[c for _, c, _ in signals]),
            )
            .order_by(score.desc(), Party.display_name, Party.id)
            .limit(limit)
        )
        if exclude_id:
            query = query.where(Party.id != exclude_id)
        found = []
        for row in (await self.session.execute(query)).all():
            reasons = [reason for (reason, _, _), flag in zip(signals, row[2:], strict=True) if flag]
            found.append(Duplicate(row[0], reasons, round(float(row[1]), 3)))
        return found

    async def knowledge_report(self, q: PartyQuery) -> dict[str, Any]:
        """Counts over the visible parties matching `q`: needs, refusals, discipline, seasons, relations."""
        matching = (await self._base(q)).cte("matching")
        c = matching.c

        async def counts(expr: ColumnElement[Any]) -> list[tuple[str, int]]:
            # One count per party, even if a party lists the same key twice.
            keys = select(c.id, expr.label("key")).select_from(matching).distinct().subquery()
            n = func.count().label("n")
            rows = await self.session.execute(
                select(keys.c.key, n)
                .where(keys.c.key.is_not(None))
                .group_by(keys.c.key)
                .order_by(n.desc(), keys.c.key)
                .limit(100)
            )
            return [(str(key), int(count)) for key, count in rows.all()]

        unmet = func.jsonb_path_query(c.needs, cast("$[*] ? (@.we_offer == false).product", JSONPATH))
        return {
            "parties": int(await self.session.scalar(select(func.count()).select_from(matching)) or 0),
            "needs": await counts(func.jsonb_array_elements(c.needs).op("->>")("product")),
            "unmet_needs": await counts(unmet.op("#>>")(literal_column("'{}'"))),
            "refusal_reasons": await counts(func.jsonb_array_elements(c.refusal_reasons).op("->>")("code")),
            "payment_discipline": await counts(c.payment_discipline),
            "season_months": await counts(cast(func.unnest(c.season_months), Text)),
            "relationship_types": await counts(func.unnest(c.relationship_types)),
        }

    # Notes and timeline ----------------------------------------------------

    async def list_notes(self, party_id: str, limit: int, cursor: str) -> Page[models.Note]:
        query = select(models.Note).where(models.Note.party_id == party_id)
        return await keyset_page(self.session, query, _NOTES, limit, cursor)

    async def list_timeline(
        self, party_id: str, sources: Sequence[str], limit: int, cursor: str
    ) -> Page[models.TimelineEntry]:
        entry = models.TimelineEntry
        query = select(entry).where(entry.party_id == party_id, copies_visible_to(self.caller, entry.scope_keys))
        if sources:
            query = query.where(entry.source.in_(list(sources)))
        return await keyset_page(self.session, query, _TIMELINE, limit, cursor)

    # Reference data --------------------------------------------------------

    async def custom_field_defs(
        self, entity_type: str | None = None, include_archived: bool = True
    ) -> list[models.CustomFieldDefinition]:
        query = select(models.CustomFieldDefinition)
        if entity_type:
            query = query.where(models.CustomFieldDefinition.entity_type == entity_type)
        if not include_archived:
            query = query.where(models.CustomFieldDefinition.archived.is_(False))
        return list(
            (
                await self.session.scalars(
                    query.order_by(models.CustomFieldDefinition.entity_type, models.CustomFieldDefinition.key)
                )
            ).all()
        )

    async def custom_field_rules(self, kind: str) -> dict[str, dict[str, Any]]:
        """Definitions for a party kind, by key, as the domain validator takes them."""
        return {
            d.key: {"type": d.type, "options": list(d.options), "required": d.required, "archived": d.archived}
            for d in await self.custom_field_defs(kind)
        }

    async def custom_field_types(self) -> dict[str, str]:
        return {d.key: d.type for d in await self.custom_field_defs()}

    async def relationship_codes(self) -> list[str]:
        """The relationship types a party may be given: archived ones only stay where they are."""
        query = select(models.RelationshipType.code).where(models.RelationshipType.archived.is_(False))
        return list((await self.session.scalars(query)).all())

    async def saved_filters(self) -> list[models.SavedFilter]:
        query = select(models.SavedFilter).where(
            or_(models.SavedFilter.owner_id == self.caller.user_id, models.SavedFilter.shared.is_(True))
        )
        return list((await self.session.scalars(query.order_by(models.SavedFilter.name, models.SavedFilter.id))).all())

    async def saved_filter(self, filter_id: str) -> models.SavedFilter:
        if is_uuid(filter_id):
            for saved in await self.saved_filters():
                if saved.id == filter_id:
                    return saved
        raise not_found("saved_filter", filter_id)


# Notes and timeline entries: newest first.
_NOTES = Order("notes", [(models.Note.created_at, True), (models.Note.id, True)], ["datetime", "uuid"])
_TIMELINE = Order(
    "timeline",
    [(models.TimelineEntry.occurred_at, True), (models.TimelineEntry.id, True)],
    ["datetime", "int"],
)


async def party_is_visible(session: AsyncSession, caller: Caller, party_id: str) -> bool:
    """Whether the caller may see the party, deleted ones included (their audit stays readable)."""
    if not is_uuid(party_id):
        return False
    return await session.scalar(select(Party.id).where(Party.id == party_id, visible_to(caller, Party))) is not None
