"""BulkCreateParties: a thousand CreateParty's in one transaction, each row answered on its own.

Every row is judged as CreateParty judges one (`new_party_columns`: the same validation,
owner and team defaults and access check) and becomes the same row, audit entry and
party.created event (`Contacts.new_party_row`, `Contacts.record_created`). What differs is
how: the registration ids of the whole batch are locked in one statement (in the order every
writer takes them), look-alikes are read in one query for the batch and matched exactly on
their keys (INN, OGRN, e-mail, phone, normalized name: no similarity search per row), and the
parties, audit entries and events are written with one multi-row INSERT each. A row that fails
its rules or is a blocking duplicate is reported and left out; a database failure fails the
whole call and nothing of the batch stays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Literal, cast

from sqlalchemy import Table, insert

from crm_contacts.commands import Contacts, creation_rules, new_party_columns
from crm_contacts.inputs import PartyDraft
from crm_contacts.models import Party
from crm_contacts.repository import ContactsRepository
from crm_core.auth import Caller
from crm_core.errors import AlreadyExists, CrmError

# Look-alikes listed per row, as CreateParty lists at most 10.
MAX_LISTED = 10
REGISTRATION_IDS = ("inn", "ogrn")
OnDuplicate = Literal["create", "skip"]
# What keeps a row from being created. A name alone never does: a million parties hold thousands of
# "Иванов Иван Иванович" and "Альфа-Сервис" that are different people and companies.
BLOCKING: dict[OnDuplicate, frozenset[str]] = {
    "create": frozenset(REGISTRATION_IDS),
    "skip": frozenset({*REGISTRATION_IDS, "email", "phone"}),
}


@dataclass(frozen=True)
class Match:
    """A party a row looks like: stored (`row` None) or an earlier row of the batch."""

    party_id: str
    reasons: tuple[str, ...]
    row: int | None = None


@dataclass
class RowResult:
    """The answer for one row: created (party_id), duplicate (matches) or rejected (error)."""

    outcome: Literal["created", "duplicate", "rejected"]
    party_id: str = ""
    matches: list[Match] = field(default_factory=list)
    error: CrmError | None = None


def _keys(cols: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(reason, value) of every key two parties of one kind are alike by."""
    keys = [(reason, cols[reason]) for reason in REGISTRATION_IDS if cols.get(reason)]
    keys += [("email", e) for e in cols.get("emails_norm") or []]
    keys += [("phone", p) for p in cols.get("phones_norm") or []]
    if cols.get("name_key"):
        keys.append(("name", cols["name_key"]))
    return keys


class _Index:
    """Parties by (kind, reason, value), to match each row's keys against stored parties and earlier rows."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str, str], list[tuple[str, int | None]]] = {}

    def add(self, kind: str, cols: Mapping[str, Any], party_id: str, row: int | None) -> None:
        for reason, value in _keys(cols):
            self.by_key.setdefault((kind, reason, value), []).append((party_id, row))

    def matches(self, cols: Mapping[str, Any]) -> list[Match]:
        """Parties sharing a key with `cols`, each once with all its reasons, registration ids first."""
        found: dict[str, tuple[list[str], int | None]] = {}
        for reason, value in _keys(cols):
            for party_id, row in self.by_key.get((cols["kind"], reason, value), ()):
                reasons = found.setdefault(party_id, ([], row))[0]
                if reason not in reasons:
                    reasons.append(reason)
        ranked = sorted(found.items(), key=lambda item: (not set(item[1][0]) & set(REGISTRATION_IDS), item[0]))
        return [Match(party_id, tuple(reasons), row) for party_id, (reasons, row) in ranked]


async def bulk_create_parties(
    contacts: Contacts, caller: Caller, drafts: Sequence[PartyDraft | CrmError], on_duplicate: OnDuplicate
) -> list[RowResult]:
    """Create the valid, non-duplicate drafts in one transaction; one result per draft, in order.

    A draft given as the error its parsing raised is reported rejected. With "create" a same
    INN/OGRN blocks a row (CreateParty without allow_duplicate), with "skip" also a same e-mail or
    phone (`BLOCKING`); look-alikes that do not block (a same name, always) are listed.
    """
    results: list[RowResult | None] = [None] * len(drafts)
    async with contacts.db.transaction() as session:
        repo = ContactsRepository(session, caller)
        rules = await creation_rules(repo)
        candidates: list[tuple[int, dict[str, Any]]] = []
        for i, draft in enumerate(drafts):
            try:
                if isinstance(draft, CrmError):
                    raise draft
                candidates.append((i, new_party_columns(caller, draft, rules)))
            except CrmError as exc:
                results[i] = RowResult("rejected", error=exc)
        rows = [cols for _, cols in candidates]
        await repo.lock_registration_ids(rows)
        index = _Index()
        for stored in await repo.exact_duplicates(rows):
            index.add(stored.kind, vars(stored), stored.id, None)
        created: list[tuple[Any, dict[str, Any]]] = []
        inserts: list[dict[str, Any]] = []
        for i, cols in candidates:
            matches = index.matches(cols)
            blocking = [m for m in matches if BLOCKING[on_duplicate] & set(m.reasons)]
            if blocking:
                same = "/".join(r.upper() for r in blocking[0].reasons)
                error = AlreadyExists("duplicate_party", f"party {blocking[0].party_id} has the same {same}")
                results[i] = RowResult("duplicate", matches=blocking[:MAX_LISTED], error=error)
                continue
            row = contacts.new_party_row(caller, cols)
            inserts.append(row)
            # The row as attributes is all the audit and event need (a Party instance costs 0.2 ms to make).
            created.append((SimpleNamespace(**row), cols))
            index.add(cols["kind"], cols, row["id"], i)
            results[i] = RowResult("created", party_id=row["id"], matches=matches[:MAX_LISTED])
        if created:
            # Core's INSERT of the table, the rows as they are: the ORM's bulk insert of the same rows took
            # twice as long (464 against 247 ms per 1000), a flush of Party instances inserts them one by one.
            await session.execute(insert(cast(Table, Party.__table__)), inserts)
            await contacts.record_created(session, caller, created)
    return [r for r in results if r is not None]
