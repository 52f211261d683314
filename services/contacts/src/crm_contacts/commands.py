"""State changes of the contacts domain: one transaction each, with audit and outbox event.

Every command takes a typed input (inputs.py) whose values have passed their
own rules, applies the rules that need stored data (custom field
definitions, relationship types, the party an update changes, the kinds of
linked parties), writes through the ORM, records who changed what, and adds
the event to the outbox in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, delete, func, literal, select, update
from sqlalchemy.dialects.postgresql import ARRAY

from crm.events.v1 import contacts_pb2 as events
from crm_contacts import DOMAIN, domain, models
from crm_contacts.inputs import (
    LinkDraft,
    Merge,
    NoteDraft,
    PartyChanges,
    PartyDraft,
    SavedFilterDraft,
    checked_against,
    current_fields,
)
from crm_contacts.models import Party
from crm_contacts.repository import ContactsRepository, Duplicate, PartyQuery, columns_of
from crm_core.acl import check_team_assignment
from crm_core.audit import audit_row, diff, record_audit, record_audits
from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.db import Database, new_id, rows_affected
from crm_core.errors import (
    AlreadyExists,
    FailedPrecondition,
    NotFound,
    invalid,
)
from crm_core.events import Namespace, NewEvent, record_event, record_events
from crm_core.resources import check_version
from crm_core.scopes import record_key, scope_of_record


class Contacts:
    """Commands on parties, links, notes, custom fields, relationship types and saved filters."""

    def __init__(self, db: Database, namespace: Namespace, clock: Clock) -> None:
        self.db = db
        self.namespace = namespace
        self.clock = clock

    def _event(
        self,
        caller: Caller,
        event_type: str,
        party: Party,
        payload: Any,
        also: list[Party] | None = None,
        summary: str = "",
    ) -> NewEvent:
        """An event about `party` (and the parties `also` named: a linked person) with their scopes."""
        parties = [party, *(also or [])]
        return NewEvent(
            event_type,
            subject_id=party.id,
            payload=payload,
            actor=caller,
            version=party.version,
            party_ids=[p.id for p in parties],
            summary=summary,
            scopes=[scope_of_record("party", p) for p in parties],
        )

    async def _publish(
        self,
        session: Any,
        caller: Caller,
        event_type: str,
        party: Party,
        payload: Any,
        also: list[Party] | None = None,
        summary: str = "",
    ) -> None:
        """Outbox an event about `party` (see `_event`) in the session's transaction."""
        await record_events(
            session, self.namespace, DOMAIN, [self._event(caller, event_type, party, payload, also, summary)]
        )

    def _changed(
        self, party: Party, changed: list[str] | None = None, other: Party | None = None, role: str = ""
    ) -> events.PartyChanged:
        return events.PartyChanged(
            party_id=party.id,
            kind=party.kind,
            display_name=party.display_name,
            owner_id=party.owner_id,
            team_id=party.team_id or "",
            changed_fields=changed or [],
            other_party_id=other.id if other else "",
            other_display_name=other.display_name if other else "",
            role=role,
        )

    async def _party_fact(
        self,
        session: Any,
        caller: Caller,
        party: Party,
        verb: str,
        *,
        summary: str,
        changes: dict[str, Any] | None = None,
        changed_fields: list[str] | None = None,
        also: list[Party] | None = None,
        role: str = "",
    ) -> None:
        """Audit `verb` on the party and publish party.<verb> in the same transaction (a link's person, in
        `also`, is the payload's other party)."""
        record_audit(
            session, entity_type="party", entity_id=party.id, action=verb, actor_id=caller.user_id, changes=changes
        )
        await self._publish(
            session,
            caller,
            f"party.{verb}",
            party,
            self._changed(party, changed_fields, other=also[0] if also else None, role=role),
            also=also,
            summary=summary,
        )

    # Parties ---------------------------------------------------------------

    async def create_party(
        self, caller: Caller, draft: PartyDraft, allow_duplicate: bool
    ) -> tuple[Party, list[Duplicate]]:
        """Insert a party; a visible same-INN/OGRN party blocks it unless allowed."""
        async with self.db.transaction() as session:
            repo = ContactsRepository(session, caller)
            cols = new_party_columns(caller, draft, await creation_rules(repo))
            duplicates = await _duplicates_or_reject(repo, cols, None, allow_duplicate)
            party = Party(**self.new_party_row(caller, cols))
            session.add(party)
            await session.flush()
            await self.record_created(session, caller, [(party, cols)])
        return party, duplicates

    def new_party_row(self, caller: Caller, cols: dict[str, Any]) -> dict[str, Any]:
        """The party table's row for checked columns (`new_party_columns`): a new id, version 1, stamped now."""
        now = self.clock.now()
        return {
            "id": new_id(),
            **cols,
            "version": 1,
            "created_at": now,
            "updated_at": now,
            "deleted_at": None,
            "created_by": caller.user_id,
            "merged_into_id": None,
        }

    async def record_created(self, session: Any, caller: Caller, created: list[tuple[Any, dict[str, Any]]]) -> None:
        """Audit and outbox party.created for new parties (with the columns they were made of), in one go each.

        A party is a Party or anything with its row's attributes (`new_party_row` as a namespace).
        """
        await record_audits(
            session,
            [
                audit_row("party", party.id, "created", caller.user_id, diff({}, domain.audit_view(cols)))
                for party, cols in created
            ],
        )
        await record_events(
            session,
            self.namespace,
            DOMAIN,
            [
                self._event(
                    caller,
                    "party.created",
                    party,
                    self._changed(party),
                    summary=f"{'Company' if party.kind == 'company' else 'Person'} {party.display_name} created",
                )
                for party, _ in created
            ],
        )

    async def update_party(self, caller: Caller, party_id: str, changes: PartyChanges, expected_version: int) -> Party:
        """Replace the masked fields; a stale expected_version is a VersionConflict."""
        async with self.db.transaction() as session:
            repo = ContactsRepository(session, caller)
            party = await repo.get_party(party_id, lock=True)
            check_version("party", party, expected_version)
            old = columns_of(party)
            values = changes.applied_to(party.kind, current_fields(party.kind, old))
            # Only values the request changes face the archived-field check: resending a stored
            # value (custom_fields is replaced as a whole) keeps it.
            stored = old["custom_fields"] or {}
            custom_keys = [k for k, v in values.custom_fields.items() if stored.get(k) != v]
            values = checked_against(
                values,
                await repo.custom_field_rules(party.kind),
                # An archived type the party already has may stay; no other archived type is given.
                [*await repo.relationship_codes(), *party.relationship_types],
                changed_custom_keys=custom_keys,
            )
            cols = domain.party_columns(party.kind, values.values())
            if cols["team_id"] != party.team_id:
                check_team_assignment(caller, cols["team_id"])
            if any(cols.get(c) and cols[c] != old[c] for c in ("inn", "ogrn")):
                await _duplicates_or_reject(repo, {**cols, "kind": party.kind}, party.id, allow_duplicate=False)
            changed = diff(domain.audit_view(old), domain.audit_view({**old, **cols}))
            if not changed:
                return party
            for key, value in cols.items():
                setattr(party, key, value)
            party.version += 1
            party.updated_at = self.clock.now()
            await self._party_fact(
                session,
                caller,
                party,
                "updated",
                summary=f"{party.display_name}: changed {', '.join(sorted(changed))}",
                changes=changed,
                changed_fields=sorted(changed),
            )
        return party

    async def delete_party(self, caller: Caller, party_id: str, expected_version: int) -> Party:
        async with self.db.transaction() as session:
            party = await ContactsRepository(session, caller).get_party(party_id, lock=True)
            check_version("party", party, expected_version)
            party.deleted_at = self.clock.now()
            party.version += 1
            await self._party_fact(session, caller, party, "deleted", summary=f"{party.display_name} deleted")
        return party

    async def restore_party(self, caller: Caller, party_id: str) -> Party:
        async with self.db.transaction() as session:
            party = await ContactsRepository(session, caller).get_party(party_id, include_deleted=True, lock=True)
            if party.deleted_at is None:
                raise FailedPrecondition("party_not_deleted", f"party {party_id} is not deleted")
            if party.merged_into_id:
                raise FailedPrecondition("party_merged", f"party {party_id} was merged into {party.merged_into_id}")
            party.deleted_at = None
            party.version += 1
            party.updated_at = self.clock.now()
            await self._party_fact(session, caller, party, "restored", summary=f"{party.display_name} restored")
        return party

    async def merge_parties(self, caller: Caller, merge: Merge) -> Party:
        """Fold merged_id into survivor_id: links, notes and timeline move; merged is deleted."""
        survivor_id, merged_id, expected_version = merge.survivor_id, merge.merged_id, merge.expected_survivor_version
        async with self.db.transaction() as session:
            repo = ContactsRepository(session, caller)
            # Lock in id order so two opposite merges cannot deadlock.
            first, second = sorted([survivor_id, merged_id])
            locked = {pid: await repo.get_party(pid, lock=True) for pid in (first, second)}
            survivor, merged = locked[survivor_id], locked[merged_id]
            check_version("party", survivor, expected_version)
            if survivor.kind != merged.kind:
                raise FailedPrecondition("kind_mismatch", "a company and a person cannot be merged")
            old = columns_of(survivor)
            new = domain.merged_columns(old, columns_of(merged))
            await self._move_children(session, survivor.id, merged.id)
            for key, value in new.items():
                setattr(survivor, key, value)
            now = self.clock.now()
            survivor.version += 1
            survivor.updated_at = now
            merged.deleted_at = now
            merged.merged_into_id = survivor.id
            merged.version += 1
            changes = diff(domain.audit_view(old), domain.audit_view(new))
            changes["merged_from"] = {"old": None, "new": merged.id}
            record_audit(
                session,
                entity_type="party",
                entity_id=survivor.id,
                action="merged",
                actor_id=caller.user_id,
                changes=changes,
            )
            record_audit(
                session,
                entity_type="party",
                entity_id=merged.id,
                action="merged_into",
                actor_id=caller.user_id,
                changes={"merged_into_id": {"old": None, "new": survivor.id}},
            )
            await self._publish(
                session,
                caller,
                "party.merged",
                survivor,
                events.PartyMerged(
                    survivor_id=survivor.id,
                    merged_id=merged.id,
                    survivor_display_name=survivor.display_name,
                    merged_display_name=merged.display_name,
                ),
                summary=f"{merged.display_name} merged into {survivor.display_name}",
            )
        return survivor

    async def _move_children(self, session: Any, survivor_id: str, merged_id: str) -> None:
        link = models.PartyLink
        for mine, theirs in ((link.company_id, link.person_id), (link.person_id, link.company_id)):
            existing = select(theirs).where(mine == survivor_id).scalar_subquery()
            # A link both parties have would become a duplicate: keep the survivor's.
            await session.execute(delete(link).where(mine == merged_id, theirs.in_(existing)))
            await session.execute(
                update(link).where(mine == merged_id, theirs != survivor_id).values({mine: survivor_id})
            )
            await session.execute(delete(link).where(mine == merged_id))
        await session.execute(update(models.Note).where(models.Note.party_id == merged_id).values(party_id=survivor_id))
        entry = models.TimelineEntry
        shared = select(entry.event_id).where(entry.party_id == survivor_id).scalar_subquery()
        await session.execute(delete(entry).where(entry.party_id == merged_id, entry.event_id.in_(shared)))
        await session.execute(update(entry).where(entry.party_id == merged_id).values(party_id=survivor_id))
        # What was the merged party's is the survivor's now: its entries follow the survivor's scope.
        merged_key, survivor_key = record_key("party", merged_id), record_key("party", survivor_id)
        await session.execute(
            update(entry)
            .where(entry.scope_keys.contains(literal([merged_key], ARRAY(Text))))
            .values(scope_keys=func.array_replace(entry.scope_keys, merged_key, survivor_key))
        )

    # Links and notes -------------------------------------------------------

    async def link_person(self, caller: Caller, draft: LinkDraft) -> tuple[models.PartyLink, Party, Party]:
        """Link the person at the company (or give the link its new role); both must be of their kind."""
        company_id, person_id, role = draft.company_id, draft.person_id, draft.role
        async with self.db.transaction() as session:
            repo = ContactsRepository(session, caller)
            company = await repo.get_party(company_id)
            person = await repo.get_party(person_id)
            if company.kind != "company":
                raise invalid("company_id", "not_a_company", f"{company_id} is not a company")
            if person.kind != "person":
                raise invalid("person_id", "not_a_person", f"{person_id} is not a person")
            link = await session.scalar(
                select(models.PartyLink).where(
                    models.PartyLink.company_id == company.id, models.PartyLink.person_id == person.id
                )
            )
            if link is None:
                link = models.PartyLink(
                    company_id=company.id, person_id=person.id, role=role, created_at=self.clock.now()
                )
                session.add(link)
            else:
                link.role = role
            await session.flush()
            await self._party_fact(
                session,
                caller,
                company,
                "person_linked",
                summary=f"{person.display_name} linked to {company.display_name}" + (f" as {role}" if role else ""),
                changes={"person_id": {"old": None, "new": person.id}, "role": {"old": None, "new": role}},
                changed_fields=["links"],
                also=[person],
                role=role or "",
            )
        return link, company, person

    async def unlink_person(self, caller: Caller, company_id: str, person_id: str) -> None:
        async with self.db.transaction() as session:
            repo = ContactsRepository(session, caller)
            company = await repo.get_party(company_id)
            person = await repo.get_party(person_id)
            result = await session.execute(
                delete(models.PartyLink).where(
                    models.PartyLink.company_id == company.id, models.PartyLink.person_id == person.id
                )
            )
            if not rows_affected(result):
                raise NotFound("link_not_found", f"{person_id} is not linked to {company_id}")
            await self._party_fact(
                session,
                caller,
                company,
                "person_unlinked",
                summary=f"{person.display_name} unlinked from {company.display_name}",
                changes={"person_id": {"old": person.id, "new": None}},
                changed_fields=["links"],
                also=[person],
            )

    async def add_note(self, caller: Caller, draft: NoteDraft) -> models.Note:
        """Add a note to a visible party and tell the timeline (an excerpt of it)."""
        text = draft.text
        async with self.db.transaction() as session:
            party = await ContactsRepository(session, caller).get_party(draft.party_id)
            note = models.Note(
                id=new_id(),
                party_id=party.id,
                author_id=caller.user_id,
                text=text,
                mentions=list(draft.mentions),
                created_at=self.clock.now(),
            )
            session.add(note)
            excerpt = text[:200]
            await record_event(
                session,
                self.namespace,
                DOMAIN,
                "note.added",
                subject_id=note.id,
                payload=events.NoteAdded(
                    note_id=note.id,
                    party_id=party.id,
                    author_id=caller.user_id,
                    mentions=note.mentions,
                    excerpt=excerpt,
                ),
                actor=caller,
                party_ids=[party.id],
                summary=f"Note: {excerpt}",
                scopes=[scope_of_record("party", party)],
            )
        return note

    # Reference data --------------------------------------------------------

    async def create_saved_filter(self, caller: Caller, draft: SavedFilterDraft) -> models.SavedFilter:
        """Save a search for the caller; its filters are tried once, so a broken one is never saved."""
        filters = list(draft.filters)
        async with self.db.transaction() as session:
            await ContactsRepository(session, caller).count_parties(PartyQuery(draft.query, filters, draft.sort))
            saved = models.SavedFilter(
                id=new_id(),
                owner_id=caller.user_id,
                name=draft.name,
                query=draft.query,
                filters=[list(f) for f in filters],
                sort=draft.sort,
                shared=draft.shared,
                created_at=self.clock.now(),
            )
            session.add(saved)
        return saved

    async def delete_saved_filter(self, caller: Caller, filter_id: str) -> None:
        async with self.db.transaction() as session:
            saved = await ContactsRepository(session, caller).saved_filter(filter_id)
            if saved.owner_id != caller.user_id and not caller.is_admin:
                raise FailedPrecondition("not_filter_owner", "only the owner can delete a saved filter")
            await session.delete(saved)


@dataclass(frozen=True)
class CreationRules:
    """What a new party is judged by besides its own values: custom field definitions by kind, relationship types."""

    custom_fields: dict[str, dict[str, dict[str, Any]]]
    relationship_codes: list[str]


async def creation_rules(repo: ContactsRepository) -> CreationRules:
    """The stored definitions new parties are checked against (read once for a whole bulk create)."""
    return CreationRules(
        {kind: await repo.custom_field_rules(kind) for kind in domain.KINDS}, await repo.relationship_codes()
    )


def new_party_columns(caller: Caller, draft: PartyDraft, rules: CreationRules) -> dict[str, Any]:
    """The columns of a new party: values checked against the stored rules, owner and team defaulted and allowed.

    The caller owns what names no owner, and a caller of one team puts it in that team.
    """
    kind = draft.kind
    values = checked_against(draft.fields, rules.custom_fields[kind], rules.relationship_codes)
    cols = domain.party_columns(kind, values.values())
    cols["owner_id"] = cols["owner_id"] or caller.user_id
    if not cols["team_id"] and len(caller.team_ids) == 1:
        cols["team_id"] = next(iter(caller.team_ids))
    check_team_assignment(caller, cols["team_id"])
    cols["kind"] = kind
    return cols


async def _duplicates_or_reject(
    repo: ContactsRepository, cols: dict[str, Any], exclude_id: str | None, allow_duplicate: bool
) -> list[Duplicate]:
    """Look-alikes of `cols`; a visible party with the same INN/OGRN is ALREADY_EXISTS unless allowed.

    The registration ids are locked until commit, so concurrent writers cannot both pass.
    """
    await repo.lock_registration_ids([cols])
    duplicates = await repo.find_duplicates(cols, exclude_id, 10)
    blocking = [d for d in duplicates if {"inn", "ogrn"} & set(d.reasons)]
    if blocking and not allow_duplicate:
        first = blocking[0]
        same = "/".join(r.upper() for r in first.reasons if r in ("inn", "ogrn"))
        raise AlreadyExists("duplicate_party", f"{first.party.display_name} ({first.party.id}) has the same {same}")
    return duplicates
