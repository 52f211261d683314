"""Site visits: page views the tracking snippet reports, anonymous until a lead names their visitor.

A visit is cheap while its visitor is anonymous: checked, counted against the
per-visitor and per-address limits (in the database, so every replica sees
the same count), stored, and nothing is published. The address is kept only as
a keyed hash (enough for the limit, useless to anyone reading the table).

A visitor is identified when a lead is captured with its visitor id (a web
form submission; `identify_visitor`, called in the lead's transaction): its
anonymous visits are linked to the lead and its party, and visit.recorded is
published for them with the lead's scope, so the contacts timeline shows them
to whoever may see the lead. Later visits of an identified visitor go to the
newest lead that named it and publish visit.recorded as they are recorded.
Anonymous visits older than the retention period are purged; linked ones stay
with their lead.

Who sees visits: those of a lead, whoever may see the lead; those of a party,
the ones that came through leads the reader may see (a visit reveals what the
visitor did before they wrote to the company, which is the lead's information,
not the party's).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.v1 import marketing_pb2 as events
from crm_core.acl import visible_to
from crm_core.auth import SYSTEM, Caller
from crm_core.clock import Clock
from crm_core.db import Database, is_uuid, new_id
from crm_core.errors import TooManyRequests, Validator, not_found
from crm_core.events import Namespace
from crm_core.events.outbox import NewEvent, record_events
from crm_core.pagination import Page
from crm_core.protojson import timestamp
from crm_core.resources import SortKey, SortSpec, keyset_page
from crm_core.scopes import scope_of_record
from crm_marketing import DOMAIN
from crm_marketing.models import Lead, Visit, Visitor
from crm_marketing.repository import MarketingRepository

MAX_VISITOR_ID = 100
VISITOR_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")
MAX_URL = 2000
MAX_TITLE = 500
MAX_REFERRER = 2000
MAX_UTM = 300
UTM_KEYS = ("source", "medium", "campaign", "content", "term")
WINDOW = timedelta(minutes=1)
# Earlier visits published as events when a visitor is identified (the newest; all are linked).
MAX_BACKFILL_EVENTS = 200
PURGE_BATCH = 5000
VISIT_SORT = SortSpec[None]("visits", {"at": SortKey("datetime", Visit.at)}, "-at", Visit.id)


@dataclass(frozen=True)
class PageView:
    """A checked page view: what a visit stores."""

    visitor_id: str
    url: str
    title: str
    referrer: str
    utm: dict[str, str]


@dataclass(frozen=True)
class VisitLimits:
    """Visits a visitor / an address may report per minute, and how long anonymous visits are kept."""

    per_visitor: int
    per_address: int
    retention: timedelta


def _web_url(v: Validator, value: str, path: str, limit: int, *, required: bool) -> str:
    value = value.strip()
    if not value:
        if required:
            v.add(path, "required", f"{path} is required")
        return ""
    if len(value) > limit:
        v.add(path, "too_long", f"{path} must be at most {limit} characters")
        return ""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        v.add(path, "invalid_url", f"{path} must be an http(s) URL")
        return ""
    return value


def utm_of(url: str) -> dict[str, str]:
    """The utm_* marks of the url's query (the first of each, trimmed to their limit)."""
    marks: dict[str, str] = {}
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=False):
        name = key[4:] if key.startswith("utm_") else ""
        if name in UTM_KEYS and name not in marks and value.strip():
            marks[name] = value.strip()[:MAX_UTM]
    return marks


def page_view(visitor_id: str, url: str, title: str, referrer: str) -> PageView:
    """The page view, every field checked (INVALID_ARGUMENT naming each bad one)."""
    v = Validator()
    visitor_id = visitor_id.strip()
    if not visitor_id:
        v.add("visitor_id", "required", "visitor_id is required")
    elif len(visitor_id) > MAX_VISITOR_ID:
        v.add("visitor_id", "too_long", f"visitor_id must be at most {MAX_VISITOR_ID} characters")
    elif not VISITOR_ID.fullmatch(visitor_id):
        v.add("visitor_id", "invalid_visitor_id", "visitor_id holds letters, digits and . _ : - only")
    url = _web_url(v, url, "url", MAX_URL, required=True)
    referrer = _web_url(v, referrer, "referrer", MAX_REFERRER, required=False)
    title = " ".join(title.split())
    if len(title) > MAX_TITLE:
        v.add("title", "too_long", f"title must be at most {MAX_TITLE} characters")
    v.raise_if_any()
    return PageView(visitor_id, url, title, referrer, utm_of(url))


def address_hash(secret: str, client_ip: str) -> str:
    """A keyed hash of the address: the same address counts as one, and the table never holds it."""
    if not client_ip:
        return ""
    return hmac.new(secret.encode(), client_ip.encode(), hashlib.sha256).hexdigest()[:32]


async def lock_visitor(session: AsyncSession, visitor_id: str) -> None:
    """Serialise a visitor's visits and its identification (until commit).

    Without it a visit stored while a lead names its visitor could miss both the
    linking (not committed yet) and the identity (not visible yet), and stay
    anonymous; it also makes the per-visitor count exact across replicas.
    """
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(f"visitor:{visitor_id}", 0))))


def lead_party_ids(lead: Lead) -> list[str]:
    """The parties a lead was attached to or became."""
    return [p for p in (lead.company_id, lead.person_id) if p]


def visit_recorded(visit: Visit) -> events.VisitRecorded:
    """The payload of visit.recorded."""
    utm = visit.utm or {}
    return events.VisitRecorded(
        visit_id=visit.id,
        visitor_id=visit.visitor_id,
        url=visit.url,
        title=visit.title,
        referrer=visit.referrer,
        utm_source=utm.get("source", ""),
        utm_medium=utm.get("medium", ""),
        utm_campaign=utm.get("campaign", ""),
        utm_content=utm.get("content", ""),
        utm_term=utm.get("term", ""),
        lead_id=visit.lead_id or "",
        party_id=visit.party_id or "",
        visited_at=timestamp(visit.at),
    )


def visit_summary(visit: Visit) -> str:
    """The timeline's line: the page's title (or address) and its source."""
    page = visit.title or visit.url
    source = (visit.utm or {}).get("source", "")
    return f"Visited '{page[:200]}'" + (f" (utm_source {source[:50]})" if source else "")


def visit_event(visit: Visit, lead: Lead, actor: Caller) -> NewEvent:
    """visit.recorded for a linked visit: the lead's scope, the lead's parties."""
    return NewEvent(
        "visit.recorded",
        subject_id=visit.id,
        payload=visit_recorded(visit),
        actor=actor,
        party_ids=lead_party_ids(lead),
        summary=visit_summary(visit),
        scopes=[scope_of_record("lead", lead)],
        occurred_at=visit.at,
    )


async def identify_visitor(
    session: AsyncSession, namespace: Namespace, caller: Caller, lead: Lead, now: datetime
) -> int:
    """The lead names its visitor: the visitor's anonymous visits become the lead's; visit.recorded for them.

    Runs in the lead's transaction. Later visits go to this lead (the newest that named the visitor);
    visits linked to an earlier lead stay with it. Returns how many visits were linked.
    """
    if not lead.visitor_id or not VISITOR_ID.fullmatch(lead.visitor_id):
        return 0
    party_id = next(iter(lead_party_ids(lead)), None)
    await lock_visitor(session, lead.visitor_id)
    statement = insert(Visitor).values(
        visitor_id=lead.visitor_id, lead_id=lead.id, party_id=party_id, identified_at=now
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[Visitor.visitor_id],
            set_={"lead_id": lead.id, "party_id": party_id, "identified_at": now},
        )
    )
    linked = (
        await session.scalars(
            update(Visit)
            .where(Visit.visitor_id == lead.visitor_id, Visit.lead_id.is_(None))
            .values(lead_id=lead.id, party_id=party_id)
            .returning(Visit)
        )
    ).all()
    newest = sorted(linked, key=lambda v: v.at, reverse=True)[:MAX_BACKFILL_EVENTS]
    await record_events(session, namespace, DOMAIN, [visit_event(v, lead, caller) for v in reversed(newest)])
    return len(linked)


class Visits:
    """Recording visits, listing them as a reader may see them, purging old anonymous ones."""

    def __init__(self, db: Database, namespace: Namespace, clock: Clock, limits: VisitLimits, secret: str) -> None:
        self.db = db
        self.namespace = namespace
        self.clock = clock
        self.limits = limits
        self.secret = secret

    async def record(self, view: PageView, client_ip: str) -> Visit:
        """Store the visit, within the limits; publish visit.recorded when its visitor is known."""
        now = self.clock.now()
        ip_hash = address_hash(self.secret, client_ip)
        async with self.db.transaction() as session:
            await lock_visitor(session, view.visitor_id)
            await self._check_limits(session, view.visitor_id, ip_hash, now)
            visitor = await session.get(Visitor, view.visitor_id)
            lead = await session.get(Lead, visitor.lead_id) if visitor is not None else None
            visit = Visit(
                id=new_id(),
                visitor_id=view.visitor_id,
                url=view.url,
                title=view.title,
                referrer=view.referrer,
                utm=view.utm,
                at=now,
                client_ip_hash=ip_hash,
                lead_id=lead.id if lead is not None else None,
                party_id=next(iter(lead_party_ids(lead)), None) if lead is not None else None,
            )
            session.add(visit)
            await session.flush()
            if lead is not None:
                await record_events(session, self.namespace, DOMAIN, [visit_event(visit, lead, SYSTEM)])
        return visit

    async def _check_limits(self, session: AsyncSession, visitor_id: str, ip_hash: str, now: datetime) -> None:
        since = now - WINDOW
        by_visitor = await session.scalar(select(func.count()).where(Visit.visitor_id == visitor_id, Visit.at > since))
        if int(by_visitor or 0) >= self.limits.per_visitor:
            raise TooManyRequests("rate_limited", "too many page views from this visitor; try again in a minute")
        if ip_hash:
            by_address = await session.scalar(
                select(func.count()).where(Visit.client_ip_hash == ip_hash, Visit.at > since)
            )
            if int(by_address or 0) >= self.limits.per_address:
                raise TooManyRequests("rate_limited", "too many page views from this address; try again in a minute")

    async def list_visits(self, caller: Caller, lead_id: str, party_id: str, limit: int, cursor: str) -> Page[Visit]:
        """A lead's visits (NOT_FOUND for a lead the caller may not see), or a party's through visible leads."""
        async with self.db.readers() as session:
            if lead_id:
                lead = await MarketingRepository(session, caller).get_lead(lead_id)
                query = select(Visit).where(Visit.lead_id == lead.id)
            elif party_id and is_uuid(party_id):
                query = (
                    select(Visit)
                    .join(Lead, Lead.id == Visit.lead_id)
                    .where(visible_to(caller, Lead), _of_party(party_id))
                )
            else:
                raise not_found("party", party_id[:64])
            return await keyset_page(session, query, VISIT_SORT.parse("").order(None), limit, cursor)

    async def purge(self) -> int:
        """Delete anonymous visits older than the retention period, a batch at a time."""
        cutoff = self.clock.now() - self.limits.retention
        async with self.db.transaction() as session:
            batch = select(Visit.id).where(Visit.lead_id.is_(None), Visit.at < cutoff).limit(PURGE_BATCH)
            result: Any = await session.execute(delete(Visit).where(Visit.id.in_(batch.scalar_subquery())))
            return int(result.rowcount or 0)

    async def purge_all(self) -> int:
        """Purge batches until none is full (one background pass)."""
        total = 0
        while True:
            done = await self.purge()
            total += done
            if done < PURGE_BATCH:
                return total


def _of_party(party_id: str) -> ColumnElement[bool]:
    """Visits linked to the party, or to a lead that was attached to it or became it since."""
    return or_(Visit.party_id == party_id, Lead.company_id == party_id, Lead.person_id == party_id)
