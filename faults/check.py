"""What the platform holds, read directly from its databases and streams, compared with the client's ledger.

Nothing here goes through the gateway or the services: a check that asked the
platform would share its bugs. The services' databases are read with asyncpg, the
streams with an ephemeral JetStream consumer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import asyncpg
import nats
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from crm.events.v1 import envelope_pb2
from crm_core.events.envelope import Namespace
from crm_core.launcher import PlatformConfig
from crm_core.registry import SERVICES
from faults.load import Ledger

MARKER = re.compile(r"#([0-9a-f]+-\d+-\d+)")
# The durable consumers of each service and the domains they read (docs/events.md, services' main.py).
CONSUMERS: dict[str, dict[str, tuple[str, ...]]] = {
    "contacts": {"contacts-timeline": SERVICES},
    "deals": {"deals-parties": ("contacts",)},
    "tasks": {"tasks-parties": ("contacts",), "tasks-process-triggers": ("deals", "contacts")},
}


def dsn(config: PlatformConfig, service: str) -> str:
    """asyncpg's DSN of a service's database (the config holds SQLAlchemy URLs)."""
    return config.database_url(service).replace("postgresql+asyncpg://", "postgresql://", 1)


@dataclass
class Event:
    event_id: str
    created_at: datetime
    sent: bool
    party_ids: list[str]


@dataclass
class Snapshot:
    """Rows and messages as they are at one moment."""

    parties: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> row
    deals: dict[str, dict[str, Any]] = field(default_factory=dict)
    tasks: dict[str, dict[str, Any]] = field(default_factory=dict)
    outbox: dict[str, list[Event]] = field(default_factory=dict)  # service -> events
    inbox: dict[str, set[str]] = field(default_factory=dict)  # consumer -> event ids
    timeline: set[tuple[str, str]] = field(default_factory=set)  # (event_id, party_id)
    streams: dict[str, Counter[str]] = field(default_factory=dict)  # domain -> Nats-Msg-Id counts
    dead_letters: int = 0


async def _rows(config: PlatformConfig, service: str, *queries: str) -> list[list[asyncpg.Record]]:
    conn = await asyncpg.connect(dsn(config, service), timeout=5)
    try:
        return [await conn.fetch(q) for q in queries]
    finally:
        await conn.close()


def _events(rows: list[asyncpg.Record]) -> list[Event]:
    events = []
    for row in rows:
        envelope = envelope_pb2.EventEnvelope.FromString(row["payload"])
        events.append(
            Event(str(row["event_id"]), row["created_at"], row["sent_at"] is not None, list(envelope.party_ids))
        )
    return events


OUTBOX = "SELECT event_id, payload, created_at, sent_at FROM outbox ORDER BY id"
INBOX = "SELECT consumer, event_id FROM inbox"


async def read_databases(config: PlatformConfig, snapshot: Snapshot, with_tables: bool = True) -> None:
    """Outboxes and inboxes of every service; with_tables: parties, deals, tasks and the timeline too."""
    tables = {
        "contacts": [
            "SELECT id, kind, display_name, legal_name, last_name, merged_into_id FROM party",
            "SELECT event_id, party_id FROM timeline_entry",
        ],
        "deals": ["SELECT id, title, client_id, client_name, stage_id FROM deal"],
        "tasks": ["SELECT id, subject FROM task"],
    }
    for service in SERVICES:
        queries = [OUTBOX, INBOX, *(tables[service] if with_tables else [])]
        outbox, inbox, *rest = await _rows(config, service, *queries)
        snapshot.outbox[service] = _events(outbox)
        for row in inbox:
            snapshot.inbox.setdefault(row["consumer"], set()).add(str(row["event_id"]))
        if not with_tables:
            continue
        if service == "contacts":
            snapshot.parties = {str(r["id"]): dict(r) for r in rest[0]}
            snapshot.timeline = {(str(r["event_id"]), str(r["party_id"])) for r in rest[1]}
        elif service == "deals":
            snapshot.deals = {str(r["id"]): dict(r) for r in rest[0]}
        else:
            snapshot.tasks = {str(r["id"]): dict(r) for r in rest[0]}


async def read_streams(config: PlatformConfig, snapshot: Snapshot) -> None:
    """The Nats-Msg-Id of every message in each domain's stream, and how many dead letters there are."""
    namespace = Namespace(config.events_namespace)
    nc = await nats.connect(config.nats_url, connect_timeout=3, max_reconnect_attempts=0, allow_reconnect=False)
    try:
        js = nc.jetstream(timeout=5)
        for domain in SERVICES:
            snapshot.streams[domain] = await _message_ids(js, namespace.stream(domain), f"{namespace.root}.{domain}.>")
        try:
            snapshot.dead_letters = (await js.stream_info(namespace.dead_letter_stream)).state.messages
        except NotFoundError:
            snapshot.dead_letters = 0
    finally:
        await nc.close()


async def _message_ids(js: Any, stream: str, subject: str) -> Counter[str]:
    ids: Counter[str] = Counter()
    try:
        total = (await js.stream_info(stream)).state.messages
    except NotFoundError:
        return ids
    if not total:
        return ids
    config = ConsumerConfig(ack_policy=AckPolicy.NONE, deliver_policy=DeliverPolicy.ALL, inactive_threshold=30)
    subscription = await js.pull_subscribe(subject, stream=stream, config=config)
    try:
        seen = 0
        while seen < total:
            try:
                messages = await subscription.fetch(1000, timeout=2)
            except TimeoutError:
                break
            for message in messages:
                ids[(message.headers or {}).get("Nats-Msg-Id", "")] += 1
            seen += len(messages)
    finally:
        await subscription.unsubscribe()
    return ids


@dataclass
class Findings:
    """The checks of one snapshot against the ledger; `complete` when nothing is still on its way."""

    lost: list[str] = field(default_factory=list)
    unrecoverable: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    outbox: dict[str, int] = field(default_factory=dict)
    stream: dict[str, int] = field(default_factory=dict)
    unpublished: dict[str, int] = field(default_factory=dict)  # in the outbox, not in the stream
    stream_extra: dict[str, int] = field(default_factory=dict)  # in the stream twice or not in the outbox
    timeline_expected: int = 0
    timeline_missing: list[str] = field(default_factory=list)
    client_names_stale: list[str] = field(default_factory=list)
    dead_letters: int = 0

    @property
    def complete(self) -> bool:
        """Everything published and projected (what time can still fix)."""
        return not (
            any(self.unpublished.values())
            or any(self.stream_extra.values())
            or self.timeline_missing
            or self.client_names_stale
        )

    @property
    def passed(self) -> bool:
        return self.complete and not (self.lost or self.unrecoverable or self.duplicates or self.dead_letters)


def _marker_of(text: str | None) -> str | None:
    match = MARKER.search(text or "")
    return match[1] if match else None


def check(ledger: Ledger, snapshot: Snapshot) -> Findings:
    """Compare the ledger with the snapshot (see docs/faults.md for what each figure means)."""
    found = Findings()
    _check_records(ledger, snapshot, found)
    for domain in SERVICES:
        outbox_ids = Counter(e.event_id for e in snapshot.outbox.get(domain, []))
        stream_ids = snapshot.streams.get(domain, Counter())
        found.outbox[domain] = sum(outbox_ids.values())
        found.stream[domain] = sum(stream_ids.values())
        found.unpublished[domain] = len(set(outbox_ids) - set(stream_ids))
        found.stream_extra[domain] = sum(n - 1 for n in stream_ids.values() if n > 1) + len(
            set(stream_ids) - set(outbox_ids)
        )
    live = {pid for pid, row in snapshot.parties.items() if not row["merged_into_id"]}
    expected = {
        (event.event_id, party_id)
        for events in snapshot.outbox.values()
        for event in events
        for party_id in event.party_ids
        if party_id in live
    }
    found.timeline_expected = len(expected)
    found.timeline_missing = [f"{e} on {p}" for e, p in sorted(expected - snapshot.timeline)]
    for deal in snapshot.deals.values():
        party = snapshot.parties.get(str(deal["client_id"]))
        if party is not None and deal["client_name"] != party["display_name"]:
            found.client_names_stale.append(
                f"deal {deal['id']}: client_name {deal['client_name']!r}, party {party['display_name']!r}"
            )
    found.dead_letters = snapshot.dead_letters
    return found


def _check_records(ledger: Ledger, snapshot: Snapshot, found: Findings) -> None:
    by_marker: dict[str, list[str]] = {}
    for pid, row in snapshot.parties.items():
        marker = _marker_of(row["legal_name"] if row["kind"] == "company" else row["last_name"])
        if marker:
            by_marker.setdefault(f"party {marker}", []).append(pid)
    for did, row in snapshot.deals.items():
        if marker := _marker_of(row["title"]):
            by_marker.setdefault(f"deal {marker}", []).append(did)
    for tid, row in snapshot.tasks.items():
        if marker := _marker_of(row["subject"]):
            by_marker.setdefault(f"task {marker}", []).append(tid)
    found.duplicates = [f"{what}: {len(ids)} rows {ids}" for what, ids in by_marker.items() if len(ids) > 1]

    acknowledged: dict[str, str] = {}
    for party in ledger.parties.values():
        acknowledged[f"party {party.marker}"] = party.id
        stored = snapshot.parties.get(party.id)
        if stored is None:
            found.lost.append(f"party {party.marker} ({party.id}) absent")
            continue
        name = stored["legal_name"] if party.kind == "company" else stored["last_name"]
        if name not in party.acceptable_names():
            found.lost.append(f"party {party.marker}: name {name!r}, acknowledged {party.acceptable_names()}")
    for deal in ledger.deals.values():
        acknowledged[f"deal {deal.marker}"] = deal.id
        stored = snapshot.deals.get(deal.id)
        if stored is None:
            found.lost.append(f"deal {deal.marker} ({deal.id}) absent")
        elif str(stored["stage_id"]) not in deal.acceptable_stages():
            found.lost.append(
                f"deal {deal.marker}: stage {stored['stage_id']}, acknowledged {deal.acceptable_stages()}"
            )
    for marker, task_id in ledger.tasks.items():
        acknowledged[f"task {marker}"] = task_id
        if task_id not in snapshot.tasks:
            found.lost.append(f"task {marker} ({task_id}) absent")
    # In the database, but the client never had an answer naming it (after retrying what it gave up on).
    for what, ids in by_marker.items():
        unanswered = [i for i in ids if acknowledged.get(what) != i]
        if unanswered and not (len(ids) > 1 and what in acknowledged):  # a second row is a duplicate instead
            found.unrecoverable.append(f"{what}: {unanswered}")


def caught_up(snapshot: Snapshot, cutoff: datetime) -> bool:
    """Every event written up to `cutoff` is published and handled by every consumer that reads its stream."""
    for consumers in CONSUMERS.values():
        for consumer, domains in consumers.items():
            handled = snapshot.inbox.get(consumer, set())
            for domain in domains:
                for event in snapshot.outbox.get(domain, []):
                    if event.created_at <= cutoff and (not event.sent or event.event_id not in handled):
                        return False
    return True
