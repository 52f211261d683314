"""Mail templates and mailings: saving them checked, a test send, queuing a mailing's recipients, nurturing.

A mailing's recipients are the members of its segment its sender sees when
they press send (segments.py evaluates it as them): each becomes a
MailRecipient row, `queued` with its merge values, or `skipped_no_email`, or
`suppressed` when its address is on the suppression list. The background
sender (sender.py) sends the queued ones. A process step sends one template to
one record (SendTemplate) through the same rows, once per key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Text, and_, cast, exists, func, or_, select, true, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.acl import check_team_assignment, visible_to
from crm_core.audit import record_audit
from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.db import Database, is_uuid, new_id
from crm_core.errors import FailedPrecondition, FieldProblem, InvalidArgument, NotFound, invalid
from crm_core.mail import Mailer, MailSettings, PermanentMailError, TemporaryMailError, parse_address
from crm_core.pagination import Page
from crm_core.resources import SortKey, SortSpec, check_version, get_visible, keyset_page
from crm_core.scopes import AccessScopeRow, scope_visible
from crm_core.templates import MailTemplate as Template
from crm_core.templates import TemplateRenderError
from crm_marketing.mail_content import Links, compose
from crm_marketing.mailing_inputs import MailingDraft, TemplateDraft
from crm_marketing.models import Campaign, Lead, Mailing, MailRecipient, MailSuppression, MailTemplate, Segment
from crm_marketing.peers import Peers
from crm_marketing.segments import Member, Segments, lead_member, party_member, remember_party_scopes

RECIPIENT_STATUSES = ("queued", "sent", "failed", "suppressed", "skipped_no_email", "skipped_duplicate")
TEMPLATE_SORT = SortSpec[None](
    "mail_templates", {"created_at": SortKey("datetime", MailTemplate.created_at)}, "-created_at", MailTemplate.id
)
MAILING_SORT = SortSpec[None](
    "mailings", {"created_at": SortKey("datetime", Mailing.created_at)}, "-created_at", Mailing.id
)
RECIPIENT_SORT = SortSpec[None](
    "recipients", {"created_at": SortKey("datetime", MailRecipient.created_at)}, "created_at", MailRecipient.id
)
INSERT_BATCH = 500


@dataclass(frozen=True)
class MailingCounts:
    by_status: dict[str, int]
    opened: int
    clicked: int


def _default_team(caller: Caller, team_id: str | None) -> str | None:
    team = team_id or (next(iter(caller.team_ids)) if len(caller.team_ids) == 1 else None)
    check_team_assignment(caller, team)
    return team


async def _visible_ref(
    session: AsyncSession, caller: Caller, model: Any, entity: str, record_id: str, where: str
) -> Any:
    """A record the caller sees, or INVALID_ARGUMENT `<entity>_not_found` on the field naming it."""
    try:
        return await get_visible(session, model, entity, record_id, visible_to(caller, model))
    except NotFound as exc:
        raise invalid(where, f"{entity}_not_found", f"no {entity.replace('_', ' ')} {record_id}") from exc


class Mailings:
    """Templates, mailings, their recipients; a test send and a template sent for a process."""

    def __init__(
        self, db: Database, clock: Clock, segments: Segments, peers: Peers, mailer: Mailer, urls: Links
    ) -> None:
        self.db = db
        self.clock = clock
        self.segments = segments
        self.peers = peers
        self.mailer = mailer
        self.urls = urls

    @property
    def mail_settings(self) -> MailSettings:
        return self.mailer.settings

    def _check_links(self) -> None:
        """Every message carries signed links: without CRM_LINK_SECRET nothing is sent (FAILED_PRECONDITION)."""
        if not self.urls.secret:
            raise FailedPrecondition("mail_links_unconfigured", "set CRM_LINK_SECRET to send e-mail")

    # Templates -----------------------------------------------------------------------------

    async def create_template(self, caller: Caller, draft: TemplateDraft) -> MailTemplate:
        now = self.clock.now()
        async with self.db.transaction() as session:
            template = MailTemplate(
                id=new_id(),
                name=draft.name,
                subject=draft.subject,
                text=draft.text,
                html=draft.html,
                owner_id=caller.user_id,
                team_id=_default_team(caller, draft.team_id),
                shared_with=draft.shared_with,
                version=1,
                created_at=now,
                updated_at=now,
                created_by=caller.user_id,
            )
            session.add(template)
            await session.flush()
            record_audit(
                session,
                entity_type="mail_template",
                entity_id=template.id,
                action="created",
                actor_id=caller.user_id,
                changes={"name": {"old": None, "new": draft.name}, "subject": {"old": None, "new": draft.subject}},
            )
        return template

    @staticmethod
    async def get_template(session: AsyncSession, caller: Caller, template_id: str) -> MailTemplate:
        return await get_visible(session, MailTemplate, "mail_template", template_id, visible_to(caller, MailTemplate))

    async def list_templates(self, caller: Caller, limit: int, cursor: str) -> Page[MailTemplate]:
        async with self.db.readers() as session:
            query = select(MailTemplate).where(visible_to(caller, MailTemplate))
            return await keyset_page(session, query, TEMPLATE_SORT.parse("").order(None), limit, cursor)

    # Mailings ------------------------------------------------------------------------------

    async def create_mailing(self, caller: Caller, draft: MailingDraft) -> Mailing:
        now = self.clock.now()
        async with self.db.transaction() as session:
            await _visible_ref(session, caller, MailTemplate, "mail_template", draft.template_id, "template_id")
            await _visible_ref(session, caller, Segment, "segment", draft.segment_id, "segment_id")
            campaign = await _visible_ref(session, caller, Campaign, "campaign", draft.campaign_id, "campaign_id")
            if campaign.type != "mailing":
                raise invalid("campaign_id", "not_a_mailing_campaign", "the campaign's type must be mailing")
            mailing = Mailing(
                id=new_id(),
                name=draft.name,
                template_id=draft.template_id,
                segment_id=draft.segment_id,
                campaign_id=draft.campaign_id,
                from_address=draft.from_address,
                status="draft",
                owner_id=caller.user_id,
                team_id=_default_team(caller, draft.team_id),
                shared_with=draft.shared_with,
                version=1,
                created_at=now,
                updated_at=now,
                created_by=caller.user_id,
                sent_by="",
            )
            session.add(mailing)
            await session.flush()
            record_audit(
                session,
                entity_type="mailing",
                entity_id=mailing.id,
                action="created",
                actor_id=caller.user_id,
                changes={"name": {"old": None, "new": draft.name}},
            )
        return mailing

    @staticmethod
    async def get_mailing(session: AsyncSession, caller: Caller, mailing_id: str, *, lock: bool = False) -> Mailing:
        return await get_visible(session, Mailing, "mailing", mailing_id, visible_to(caller, Mailing), lock=lock)

    async def list_mailings(self, caller: Caller, campaign_id: str, limit: int, cursor: str) -> Page[Mailing]:
        query = select(Mailing).where(visible_to(caller, Mailing))
        if campaign_id:
            if not is_uuid(campaign_id):
                return Page(items=[], next_cursor="")  # no campaign has such an id
            query = query.where(Mailing.campaign_id == campaign_id)
        async with self.db.readers() as session:
            return await keyset_page(session, query, MAILING_SORT.parse("").order(None), limit, cursor)

    async def counts(self, mailing_ids: Sequence[str]) -> dict[str, MailingCounts]:
        """Recipients by status, opened and clicked, per mailing."""
        result = {m: MailingCounts({}, 0, 0) for m in mailing_ids}
        if not mailing_ids:
            return result
        async with self.db.readers() as session:
            rows = await session.execute(
                select(
                    MailRecipient.mailing_id,
                    MailRecipient.status,
                    func.count(),
                    func.count(MailRecipient.opened_at),
                    func.count(MailRecipient.clicked_at),
                )
                .where(MailRecipient.mailing_id.in_(list(mailing_ids)))
                .group_by(MailRecipient.mailing_id, MailRecipient.status)
            )
            for mailing_id, status, total, opened, clicked in rows:
                current = result[str(mailing_id)]
                current.by_status[status] = int(total)
                result[str(mailing_id)] = MailingCounts(
                    current.by_status, current.opened + int(opened), current.clicked + int(clicked)
                )
        return result

    async def test_send(self, caller: Caller, mailing_id: str, email: str) -> str:
        """The mailing's message to `email` now, marked as a test; the first member the caller sees gives the merge
        values (or none). Nothing is recorded, nothing tracked."""
        self._check_links()
        try:
            address = parse_address(email.strip())
        except ValueError as exc:
            raise invalid("email", "invalid_email", str(exc)) from exc
        async with self.db.readers() as session:
            mailing = await self.get_mailing(session, caller, mailing_id)
            template = await self.get_template(session, caller, mailing.template_id)
            segment = await Segments.get(session, caller, mailing.segment_id)
        members, _ = await self.segments.page(caller, segment, 1, "")
        merge = members[0].merge_values() if members else {}
        merge["email"] = address.addr_spec
        try:
            message = compose(
                template=Template(subject=template.subject, text=template.text, html=template.html),
                recipient_id=f"test:{mailing.id}",
                email=address.addr_spec,
                merge=merge,
                sender=mailing.from_address or self.mail_settings.mail_from,
                urls=self.urls,
                headers={"X-CRM-Mailing": mailing.id, "X-CRM-Test": "yes"},
                subject_prefix="[Тест] ",
                tracked=False,
            )
            return await self.mailer.send(message)
        except TemplateRenderError as exc:
            raise invalid("template_id", "template_render_failed", str(exc)) from exc
        except PermanentMailError as exc:
            raise FailedPrecondition("mail_refused", str(exc)) from exc
        except TemporaryMailError as exc:
            raise FailedPrecondition("mail_unavailable", str(exc)) from exc

    async def send(self, caller: Caller, mailing_id: str, expected_version: int) -> Mailing:
        """Resolve the recipients as the caller, record them, and hand the mailing to the sender (draft only).

        The mailing row stays locked while the segment is read, so a second press of the button waits and then
        finds it no longer a draft.
        """
        self._check_links()
        now = self.clock.now()
        async with self.db.transaction() as session:
            mailing = await self.get_mailing(session, caller, mailing_id, lock=True)
            check_version("mailing", mailing, expected_version)
            if mailing.status != "draft":
                raise FailedPrecondition("mailing_not_draft", f"the mailing is {mailing.status}, not a draft")
            await self.get_template(session, caller, mailing.template_id)
            segment = await Segments.get(session, caller, mailing.segment_id)
            rows: list[dict[str, Any]] = []
            members: list[Member] = []
            seen: set[str] = set()
            async for member in self.segments.iter_members(caller, segment):
                rows.append(self._recipient_row(mailing, member, seen, caller, now))
                members.append(member)
            await remember_party_scopes(session, members)
            for start in range(0, len(rows), INSERT_BATCH):
                batch = rows[start : start + INSERT_BATCH]
                await session.execute(insert(MailRecipient).values(batch).on_conflict_do_nothing())
            await session.execute(
                update(MailRecipient)
                .where(
                    MailRecipient.mailing_id == mailing.id,
                    MailRecipient.status == "queued",
                    func.lower(MailRecipient.email).in_(select(MailSuppression.email_key)),
                )
                .values(status="suppressed")
            )
            mailing.status = "sending"
            mailing.send_requested_at = now
            mailing.sent_by = caller.user_id
            mailing.version += 1
            mailing.updated_at = now
            record_audit(
                session,
                entity_type="mailing",
                entity_id=mailing.id,
                action="sent",
                actor_id=caller.user_id,
                changes={"status": {"old": "draft", "new": "sending"}, "recipients": {"old": None, "new": len(rows)}},
            )
        return mailing

    def _recipient_row(
        self, mailing: Mailing, member: Member, seen: set[str], caller: Caller, now: Any
    ) -> dict[str, Any]:
        """One member as a recipient: queued, skipped_no_email, or skipped_duplicate for a second record with
        the same address (one message per address); suppressed addresses are marked after the insert."""
        key = member.email.lower()
        status = "queued"
        if not key:
            status = "skipped_no_email"
        elif key in seen:
            status = "skipped_duplicate"
        seen.add(key)
        return {
            "id": new_id(),
            "mailing_id": mailing.id,
            "template_id": mailing.template_id,
            "record_kind": member.kind,
            "record_id": member.id,
            "email": member.email,
            "merge": member.merge_values(),
            "from_address": mailing.from_address,
            "campaign_id": mailing.campaign_id,
            "status": status,
            "attempts": 0,
            "next_attempt_at": now,
            "error": "",
            "message_id": "",
            "subject": "",
            "created_at": now,
            "created_by": caller.user_id,
            "clicks": 0,
        }

    async def list_recipients(
        self, caller: Caller, mailing_id: str, status: str, limit: int, cursor: str
    ) -> Page[MailRecipient]:
        if status and status not in RECIPIENT_STATUSES:
            raise invalid("status", "invalid_choice", f"status must be one of {', '.join(RECIPIENT_STATUSES)}")
        async with self.db.readers() as session:
            mailing = await self.get_mailing(session, caller, mailing_id)
            query = select(MailRecipient).where(MailRecipient.mailing_id == mailing.id, recipient_visible(caller))
            if status:
                query = query.where(MailRecipient.status == status)
            return await keyset_page(session, query, RECIPIENT_SORT.parse("").order(None), limit, cursor)

    # Nurturing -----------------------------------------------------------------------------

    async def send_template(
        self, caller: Caller, template_id: str, record_kind: str, record_id: str, key: str
    ) -> MailRecipient:
        """Queue `template_id` to the e-mail of a lead or party the caller sees, once per `key`."""
        self._check_links()
        problems = []
        if record_kind not in ("lead", "party"):
            problems.append(FieldProblem("record_kind", "invalid_choice", "record_kind must be lead or party"))
        if not key.strip() or len(key) > 200:
            problems.append(FieldProblem("key", "required", "a key (the job's id, at most 200 characters)"))
        if problems:
            raise InvalidArgument("validation_failed", problems[0].message, problems)
        async with self.db.readers() as session:
            done = await session.scalar(select(MailRecipient).where(MailRecipient.key == key))
            if done is not None:
                return done
            await _visible_ref(session, caller, MailTemplate, "mail_template", template_id, "template_id")
            member: Member | None = None
            if record_kind == "lead":
                lead = await _visible_ref(session, caller, Lead, "lead", record_id, "record_id")
                member = lead_member(lead)
        if member is None:
            member = party_member(await self.peers.get_party(caller, record_id))
        now = self.clock.now()
        async with self.db.transaction() as session:
            suppressed = await session.scalar(
                select(MailSuppression.email_key).where(MailSuppression.email_key == member.email.lower())
            )
            status = "skipped_no_email" if not member.email else "suppressed" if suppressed else "queued"
            await remember_party_scopes(session, [member])
            await session.execute(
                insert(MailRecipient)
                .values(
                    id=new_id(),
                    template_id=template_id,
                    key=key,
                    record_kind=record_kind,
                    record_id=member.id,
                    email=member.email,
                    merge=member.merge_values(),
                    from_address="",
                    campaign_id="",
                    status=status,
                    next_attempt_at=now,
                    created_at=now,
                    created_by=caller.user_id,
                )
                .on_conflict_do_nothing()
            )
            row = await session.scalar(select(MailRecipient).where(MailRecipient.key == key))
            assert row is not None
        return row


def recipient_visible(caller: Caller) -> ColumnElement[bool]:
    """SQL: the recipient's record is one the caller may see now (a lead by its own rule, a party by the scope
    remembered when it was mailed); a recipient row copies its name and address, so it is shown no further."""
    if caller.is_admin:
        return true()
    lead = exists().where(cast(Lead.id, Text) == MailRecipient.record_id, visible_to(caller, Lead))
    party = exists().where(
        AccessScopeRow.record == func.concat("party:", MailRecipient.record_id), scope_visible(caller, AccessScopeRow)
    )
    return or_(and_(MailRecipient.record_kind == "lead", lead), and_(MailRecipient.record_kind == "party", party))
